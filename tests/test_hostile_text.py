"""Text from inputs is shown as text: never as rich markup, never as terminal control.

Hostile strings go into every field of every input kind and into file names; every command
that prints them must exit as documented, without a traceback, showing them literally and
storing every good article.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console

from fogmap import pipeline
from fogmap.cli._output import add_row, line, plain
from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.sources.warc import warc_response
from fogmap.store import Store
from fogmap.store.queries import counts

from .conftest import run_fogmap

# Markup that would crash rich, style the output or become a live hyperlink; an escape
# sequence that clears the screen; a bidi override; a very long line.
CLOSE = "[/]"
BOLD = "[bold]loud[/bold]"
LINK = "[link=https://evil.example]click[/link]"
CLEAR = "\x1b[2J\x1b[31m"
HOSTILE = f"{CLOSE} {BOLD} {LINK} {CLEAR}x \u202eevil"
LONG = "Kabul " + "[/]" * 3000

STORY = (
    "Taliban fighters attacked a police post in Kunduz on Sunday, killing three officers, "
    "a provincial spokesman said. {tag} The spokesman, Ahmad Zia, said the attackers fled."
)


def _render(renderable) -> str:
    console = Console(width=200, markup=False, color_system=None, highlight=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


@pytest.mark.parametrize("value", [CLOSE, BOLD, LINK, "[red]x", "\\[/]", ":warning:"])
def test_markup_in_input_is_printed_literally(value: str) -> None:
    assert _render(line(("styled", "bold"), " ", value)).rstrip("\n") == f"styled {value}"


def test_control_characters_are_shown_as_escapes_not_sent_to_the_terminal() -> None:
    shown = plain(f"a{CLEAR}b\rc\u202ed\x9be\udcff")
    assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert shown == "a\\x1b[2J\\x1b[31mb\\x0dc\\u202ed\\x9be\\udcff"
    assert plain("line one\n\tline two — كابل") == "line one\n\tline two — كابل"


def test_table_cells_are_literal() -> None:
    from rich.table import Table

    table = Table("title")
    add_row(table, HOSTILE)
    rendered = _render(table)
    assert "[link=https://evil.example]click[/link]" in rendered
    assert "\\x1b[2J" in rendered and "\x1b" not in rendered


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    # A file name cannot hold "/", so names carry opening tags and escape sequences.
    feed = folder / "[bold]feed[red].jsonl"
    records = [
        {
            "id": HOSTILE,
            "text": STORY.format(tag=HOSTILE),
            "title": HOSTILE,
            "url": LINK,
            "outlet": HOSTILE,
        },
        {"id": "bad-date", "text": STORY.format(tag="Second."), "published": CLOSE},
        {"id": LONG, "text": STORY.format(tag=LONG), "title": LONG},
        {"id": 3, "text": STORY.format(tag="Fourth report."), "outlet": CLEAR},
        {"id": "nothing", "text": "   ", "title": HOSTILE},
    ]
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n" + CLOSE + "\n")
    page = (
        f"<html><head><title>{HOSTILE}</title>"
        f'<meta property="og:site_name" content="{LINK}">'
        f'<meta name="author" content="{BOLD}"></head>'
        f"<body><article><h1>{HOSTILE}</h1><p>{STORY.format(tag=HOSTILE)}</p>"
        f"<p>{STORY.format(tag='Another paragraph of the story, with more detail.')}</p>"
        "</article></body></html>"
    )
    (folder / f"[link=evil]page{CLEAR}.html").write_text(page)
    (folder / "[bold]story.txt").write_text(STORY.format(tag=f"Told again. {CLOSE}"))
    (folder / "[red]empty.txt").write_bytes(b"")  # a bad input whose name is markup
    (folder / "crawl.warc.gz").write_bytes(
        warc_response(
            f"https://x.example/{CLOSE}{BOLD}",
            page.replace("Sunday", "Monday"),
            "2021-09-04T00:00:00Z",
            "33333333-3333-3333-3333-333333333333",
        )
    )
    return folder


def _assert_clean(result, *, status: int) -> str:
    stderr = result.stderr.decode()
    assert result.returncode == status, stderr
    assert "Traceback" not in stderr and "MarkupError" not in stderr
    assert b"\x1b" not in result.stdout and b"\x1b" not in result.stderr
    return stderr


@pytest.mark.slow
def test_hostile_fields_and_file_names_through_every_command(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in")
    db = str(tmp_path / "hostile.db")

    result = run_fogmap("ingest", str(corpus), "--db", db)
    stderr = _assert_clean(result, status=1)
    # The bad inputs are named literally, markup and all.
    assert "[red]empty.txt: " in stderr
    assert "[bold]feed[red].jsonl:2: `published` is not an ISO 8601 date: '[/]'" in stderr
    assert "[bold]feed[red].jsonl:5: " in stderr and "[bold]feed[red].jsonl:6: " in stderr
    with sqlite3.connect(db) as connection:
        titles = {t for (t,) in connection.execute("SELECT title FROM articles")}
        stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert HOSTILE in titles and LONG in titles
    assert stored == 6  # feed lines 1, 3, 4, the page, its crawled copy (Monday), the .txt

    listing = run_fogmap("articles", "--db", db)
    _assert_clean(listing, status=0)
    assert LINK[:20] in listing.stdout.decode()
    assert "\\x1b[2J" in listing.stdout.decode()

    for args in (["claims"], ["places"], ["events"], ["articles", "police"]):
        _assert_clean(run_fogmap(*args, "--db", db), status=0)

    with sqlite3.connect(db) as connection:
        (hostile_id,) = connection.execute(
            "SELECT id FROM articles WHERE title = ?", (HOSTILE,)
        ).fetchone()
    shown = run_fogmap("show", hostile_id[:12], "--db", db)
    _assert_clean(shown, status=0)
    text = shown.stdout.decode()
    assert f"{CLOSE} {BOLD} {LINK} \\x1b[2J\\x1b[31mx \\u202eevil" in text

    missing = run_fogmap("show", CLOSE, "--db", db)
    assert f"'{CLOSE}' is not an article id" in _assert_clean(missing, status=2)

    extracted = run_fogmap("extract", str(corpus), "--format", "jsonl")
    _assert_clean(extracted, status=1)
    ids = [json.loads(row)["id"] for row in extracted.stdout.decode().splitlines()]
    assert HOSTILE in ids and LONG in ids and "3" in ids


@pytest.mark.slow
def test_a_failing_error_reporter_does_not_lose_the_batch(nlp, tmp_path: Path) -> None:
    def broken_reporter(error: InputError) -> None:
        raise RuntimeError(f"terminal gone while reporting {error.locator}")

    store = Store.open(f"sqlite:///{tmp_path / 'f.db'}")
    raws = [
        RawDocument(locator="good-1", text=STORY.format(tag="One.")),
        InputError("bad", CLOSE),
        RawDocument(locator="good-2", text=STORY.format(tag="Two.")),
    ]
    report = pipeline.ingest(raws, store, lambda: nlp, on_error=broken_reporter)
    assert (report.stored, report.skipped) == (2, 1)
    with store.session() as session:
        assert counts(session)["articles"] == 2
    store.close()
