"""The store under stress: migrations that cannot strand a database, reads that never
write, foreign and out-of-date databases refused with one line, concurrent writers that
wait for each other, and PostgreSQL's limits respected."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import event, inspect, text

from fogmap import pipeline
from fogmap.errors import InputError, StoreError, UsageError
from fogmap.pipeline import prepare
from fogmap.records import Document, RawDocument
from fogmap.settings import Settings
from fogmap.sources import read_sources
from fogmap.sources.jsonl import parse_line
from fogmap.store import Store, _alembic_config, _engine, write_document
from fogmap.store.queries import list_articles, list_claims
from fogmap.text.dedupe import MemoryBandIndex, near_duplicate_group

from .conftest import FIXTURES, run_fogmap

WIRE = (FIXTURES / "wire-clash.txt").read_text()


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}


def test_a_migration_cut_short_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    engine = _engine(f"sqlite:///{path}", read_only=False)

    @event.listens_for(engine, "connect")
    def tiny(dbapi_connection, _record) -> None:  # the file may not grow past a few pages
        dbapi_connection.execute("PRAGMA max_page_count=12")

    with pytest.raises(Exception, match="full"):
        Store(engine).migrate()
    engine.dispose()
    assert not {"articles", "alembic_version"} & _tables(path)
    store = Store.open(str(path))  # and it opens, whole, once it can grow
    assert store.revision() == Store.head_revision()
    store.close()


def test_two_processes_creating_one_database_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    code = f"from fogmap.store import Store; Store.open({str(path)!r}).close()"
    children = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(3)]
    assert [child.wait(timeout=120) for child in children] == [0, 0, 0]
    store = Store.open(str(path), read_only=True)
    assert store.revision() == Store.head_revision()


def test_reads_refuse_another_applications_database_and_leave_it_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    before = (path.read_bytes(), _tables(path))
    for args in (("articles",), ("events",), ("incidents",), ("ingest", str(FIXTURES))):
        result = run_fogmap(*args, "--db", str(path))
        message = result.stderr.decode()
        assert result.returncode == 2 and "not a fogmap database" in message, message
        assert "Traceback" not in message and len(message.strip().splitlines()) == 1
    assert (path.read_bytes(), _tables(path)) == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_read_opens_a_database_read_only(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    Store.open(str(path)).close()
    store = Store.open(str(path), read_only=True)
    with pytest.raises(Exception, match="readonly"), store.batch() as session:
        session.execute(text("CREATE TABLE x (a INTEGER)"))
    store.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"hello, not a database", "not a SQLite database"), (None, "is a folder")],
)
def test_files_that_are_not_databases_are_refused(tmp_path: Path, content, message) -> None:
    path = tmp_path / "f.db"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    for read_only in (True, False):
        with pytest.raises(StoreError, match=message):
            Store.open(str(path), read_only=read_only)


def test_an_older_schema_is_not_migrated_by_a_read_and_migrate_brings_it_up(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    engine = _engine(f"sqlite:///{path}", read_only=False)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0003")
    engine.dispose()
    result = run_fogmap("articles", "--db", str(path))
    assert result.returncode == 2 and "fogmap migrate" in result.stderr.decode()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    assert run_fogmap("migrate", "--db", str(path)).returncode == 0
    assert run_fogmap("articles", "--db", str(path)).returncode == 0


@pytest.mark.slow
def test_two_ingests_at_once_wait_for_each_other_and_both_finish(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    feeds = []
    for number in range(2):
        feed = tmp_path / f"feed{number}.jsonl"
        lines = [{"id": f"{number}-{i}", "text": f"Report {number}-{i}. " + WIRE} for i in range(6)]
        feed.write_text("".join(json.dumps(x) + "\n" for x in lines))
        feeds.append(feed)
    command_line = [sys.executable, "-m", "fogmap", "ingest", "--batch-size", "2", "--db"]
    children = [
        subprocess.Popen([*command_line, str(path), str(feed)], stderr=subprocess.PIPE)
        for feed in feeds
    ]
    outcomes = [(child.wait(timeout=600), child.stderr.read().decode()) for child in children]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM articles").fetchone() == (12,)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "x", "url": false}', "`url` must be a string, not bool"),
        ('{"text": "x", "title": ["a", "b"]}', "`title` must be a string, not list"),
        ('{"text": "x", "outlet": 7}', "`outlet` must be a string, not int"),
        ('{"text": "x", "id": ' + "9" * 5000 + "}", "number too long"),
        ("[" * 100_000, "nested too deep"),
    ],
)
def test_jsonl_fields_of_the_wrong_kind_are_refused_with_the_field_named(line, reason) -> None:
    with pytest.raises(InputError, match=reason):
        parse_line(line, "feed.jsonl:1")


LONG_ARTICLES = Settings(max_article_chars=1_000_000)


def test_nul_in_metadata_and_a_huge_article_are_stored_on_every_backend(store: Store) -> None:
    """What PostgreSQL refuses (NUL in text, a tsvector over 1 MB) is stored, as on SQLite.
    The records are written directly: the parse of a 990,000-character text is not the
    point."""
    # 30,000 different words: a search vector of the whole text would be over 1 MB
    words = [hashlib.md5(str(n).encode()).hexdigest() for n in range(30_000)]
    huge = "Police reopened the market. " + " ".join(words) + "."
    articles = [
        prepare(RawDocument(locator="a", text=WIRE, title="Clash\x00es", outlet="Wire\x00")),
        # over the default limit for one article, as a user who raised it may store
        prepare(RawDocument(locator="b", text=huge, title="Long"), None, LONG_ARTICLES),
    ]
    with store.batch() as session:
        for prepared in articles:
            article = prepared.article
            grouping = near_duplicate_group(article.id, article.text, MemoryBandIndex())
            write_document(session, Document(article), grouping)
    with store.session() as session:
        stored = dict(session.execute(text("SELECT title, outlet FROM articles")).all())
        assert stored == {"Clashes": "Wire", "Long": None}
        assert [a.title for a in list_articles(session, search="market")] == ["Long"]


@pytest.mark.postgres
def test_postgres_reads_are_read_only_and_have_a_connect_timeout(postgres_url: str) -> None:
    Store.open(postgres_url).close()
    store = Store.open(postgres_url, read_only=True)
    assert store.engine.dialect.create_connect_args(store.engine.url)
    with pytest.raises(Exception, match="read-only"), store.batch() as session:
        session.execute(text("CREATE TABLE x (a INTEGER)"))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW default_transaction_read_only").scalar() == "on"
    assert "x" not in inspect(store.engine).get_table_names()
    store.close()


# --- inputs checked at the door, outputs written whole ---------------------------------


def test_a_page_of_navigation_only_is_refused() -> None:
    page = "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"
    with pytest.raises(InputError, match="no article"):
        prepare(RawDocument(locator="nav.html", html=page))


def test_links_and_special_files_in_an_input_folder_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(WIRE)
    (folder / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "loop").symlink_to(folder)
    os.mkfifo(folder / "pipe.txt")
    found = list(read_sources([folder]))
    reasons = {Path(e.locator).name: e.reason for e in found if isinstance(e, InputError)}
    assert reasons == {
        "gone.txt": "broken symbolic link",
        "loop": "symbolic link to a folder, not followed",
        "pipe.txt": "not a regular file (a pipe, socket or device)",
    }
    assert [r.locator for r in found if isinstance(r, RawDocument)] == [str(folder / "story.txt")]


def test_an_oversized_jsonl_line_is_refused_unread_and_the_next_line_is_read(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "ok", "text": WIRE})
    feed.write_text(json.dumps({"id": "big", "text": "x " * 600}) + "\n" + good + "\n")
    found = list(read_sources([feed], Settings(max_file_bytes=1000)))
    assert isinstance(found[0], InputError) and "too long" in found[0].reason
    assert isinstance(found[1], RawDocument) and found[1].source_id == "ok"


def test_export_refuses_a_folder_and_leaves_nothing_when_cut_short(tmp_path: Path) -> None:
    from fogmap.cli.query import _written_whole

    with pytest.raises(UsageError, match="is a folder"), _written_whole(tmp_path):
        pass
    target = tmp_path / "events.csv"
    with pytest.raises(KeyboardInterrupt), _written_whole(target) as handle:
        handle.write("event_id_cnty,event_date\n")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with _written_whole(target) as handle:
        handle.write("whole\n")
    assert target.read_text() == "whole\n" and list(tmp_path.iterdir()) == [target]


@pytest.mark.slow
def test_claim_searches_are_literal_and_bounded(store: Store, nlp) -> None:
    pipeline.ingest([RawDocument(locator="wire.txt", text=WIRE)], store, lambda: nlp)
    with store.session() as session:
        assert list_claims(session, topic="Charikar")
        assert list_claims(session, topic="%") == list_claims(session, speaker="_") == []
        with pytest.raises(UsageError, match="at most 32"):
            list_claims(session, topic=" ".join(["word"] * 2000))
        with pytest.raises(UsageError, match="120,000 characters"):
            list_claims(session, speaker="x" * 120_000)
        with pytest.raises(UsageError, match="at most 32"):
            list_articles(session, search=" ".join(["word"] * 2000))


def test_a_creation_an_older_fogmap_left_half_done_is_named_and_repaired(tmp_path: Path) -> None:
    path = tmp_path / "stranded.db"
    engine = _engine(f"sqlite:///{path}", read_only=False)
    with engine.begin() as connection:  # tables made, the version never stamped
        command.upgrade(_alembic_config(connection), "0001")
        connection.exec_driver_sql("DROP TABLE alembic_version")
    engine.dispose()
    with pytest.raises(StoreError, match="fogmap migrate --repair"):
        Store.open(str(path))
    result = run_fogmap("migrate", "--repair", "--db", str(path))
    assert result.returncode == 0, result.stderr
    store = Store.open(str(path), read_only=True)
    assert store.revision() == Store.head_revision()
    store.close()
    with pytest.raises(StoreError, match="needs no repair"):
        Store.repair(str(path))


def test_a_half_made_database_holding_articles_is_not_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "stranded.db"
    store = Store.open(str(path))
    with store.batch() as session:
        article = prepare(RawDocument(locator="a", text=WIRE)).article
        grouping = near_duplicate_group(article.id, article.text, MemoryBandIndex())
        write_document(session, Document(article), grouping)
        session.execute(text("DROP TABLE alembic_version"))
    store.close()
    with pytest.raises(StoreError, match="holds articles"):
        Store.repair(str(path))
    assert _tables(path) >= {"articles", "events"}


def test_a_skipped_article_can_cross_from_a_worker_process() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(InputError("feed.jsonl:3", "too slow")))
    assert (error.locator, error.reason) == ("feed.jsonl:3", "too slow")


@pytest.mark.slow
def test_an_article_over_its_time_budget_fails_alone(store: Store, nlp) -> None:
    sentence = "Resistance fighters led by Ahmad Massoud clashed with Taliban forces in Rukha. "
    raws = [
        RawDocument(locator="long", text=sentence * 1500),  # about a second of extraction
        RawDocument(locator="short", text=sentence),
    ]
    skipped: list[InputError] = []
    report = pipeline.ingest(
        raws, store, lambda: nlp, settings=Settings(article_seconds=0.2), on_error=skipped.append
    )
    assert (report.stored, report.skipped) == (1, 1)
    assert [(e.locator, e.reason) for e in skipped] == [
        ("long", "extraction ran over its 0.2 s budget")
    ]
    with store.session() as session:
        assert [row.sources for row in list_articles(session, None, None, 5)] == [1]


def test_a_step_an_older_fogmap_cut_short_is_finished_by_the_next_open(tmp_path: Path) -> None:
    """Older versions changed SQLite's schema a statement at a time: a step cut short
    left its first columns added and its revision unrecorded."""
    path = tmp_path / "old.db"
    engine = _engine(f"sqlite:///{path}", read_only=False)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001")
        connection.exec_driver_sql("ALTER TABLE claims ADD COLUMN speaker_name TEXT")
        connection.exec_driver_sql("ALTER TABLE claims ADD COLUMN speaker_role TEXT")
    engine.dispose()
    store = Store.open(str(path))
    assert store.revision() == Store.head_revision()
    store.close()
    with sqlite3.connect(path) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(claims)")}
    assert {"speaker_name", "speaker_role", "speaker_affiliation", "cue_start"} <= columns


@pytest.mark.slow
def test_a_crawl_ingested_again_is_passed_over_unread(
    store: Store, nlp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crawl record's id never names other content: a resumed or repeated ingest finds
    the stored records by locator and does not clean them again."""
    from fogmap.sources.warc import warc_response

    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(
        b"".join(
            warc_response(
                f"https://a.example/{n}",
                f"<html><body><article><p>{WIRE} Report {n}.</p></article></body></html>",
                "2021-09-06T00:00:00Z",
                f"00000000-0000-0000-0000-00000000000{n}",
            )
            for n in range(3)
        )
    )
    first = pipeline.ingest(read_sources([crawl]), store, lambda: nlp)
    assert first.stored + first.duplicates == 3

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a stored crawl record was read again")

    monkeypatch.setattr(pipeline, "prepare", never)
    again = pipeline.ingest(read_sources([crawl]), store, lambda: nlp)
    assert (again.unchanged, again.stored, again.skipped) == (3, 0, 0)
