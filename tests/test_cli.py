"""The command line end to end, in child processes, as a user runs it."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from fogmap.records import output_schema
from fogmap.sources.warc import warc_response

from .conftest import FIXTURES, run_fogmap

pytestmark = pytest.mark.slow


def _lines(stream: bytes) -> list[str]:
    return [line for line in stream.decode().splitlines() if line.strip()]


def test_version() -> None:
    result = run_fogmap("--version")
    assert result.returncode == 0 and result.stdout.decode().startswith("fogmap 0.")


def test_extract_scraped_text_gives_one_schema_valid_document() -> None:
    result = run_fogmap("extract", str(FIXTURES / "wire-clash.txt"), "--published", "2021-09-06")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, output_schema())
    assert set(document) >= {"article", "entities", "places", "claims", "events"}
    assert document["article"]["published"] == "2021-09-06"
    assert any(e["name"] == "Zabihullah Mujahid" for e in document["entities"])


def test_extract_html_page() -> None:
    result = run_fogmap("extract", str(FIXTURES / "page-with-jsonld.html"))
    document = json.loads(result.stdout)
    jsonschema.validate(document, output_schema())
    assert document["article"]["outlet"] == "Example Herald"
    assert document["article"]["published"] == "2021-09-03T16:45:00+04:30"


def test_extract_jsonl_keeps_ids_and_reports_bad_lines(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "one", "text": (FIXTURES / "wire-clash.txt").read_text()})
        + "\n"
        + "{broken\n"
        + json.dumps({"id": "two", "html": (FIXTURES / "page-with-jsonld.html").read_text()})
        + "\n"
    )
    result = run_fogmap("extract", str(feed), "--format", "jsonl")
    assert result.returncode == 1
    documents = [json.loads(line) for line in _lines(result.stdout)]
    assert [d["id"] for d in documents] == ["one", "two"]
    for document in documents:
        jsonschema.validate(document, output_schema())
    (message,) = _lines(result.stderr)
    assert "feed.jsonl:2" in message and "not valid JSON" in message


def test_extract_json_refuses_several_articles_with_a_hint(tmp_path: Path) -> None:
    feed = tmp_path / "two.jsonl"
    feed.write_text('{"id": 1, "text": "First story."}\n{"id": 2, "text": "Second story."}\n')
    result = run_fogmap("extract", str(feed))
    assert result.returncode == 2
    assert "--format jsonl" in result.stderr.decode() and b"Traceback" not in result.stderr


def test_extract_warc_gz_and_stdin(tmp_path: Path) -> None:
    page = (FIXTURES / "page-with-jsonld.html").read_text()
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(
        warc_response(
            "https://herald.example/a",
            page,
            "2021-09-04T00:00:00Z",
            "11111111-1111-1111-1111-111111111111",
        )
    )
    result = run_fogmap("extract", str(crawl))
    assert (
        json.loads(result.stdout)["article"]["url"] == "https://herald.example/world/parwan-talks"
    )
    piped = run_fogmap("extract", "-", stdin=(FIXTURES / "wire-clash.txt").read_bytes())
    assert json.loads(piped.stdout)["id"] == "<stdin>"


def test_a_batch_with_bad_inputs_stores_the_good_ones_and_names_each_bad_one(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text((FIXTURES / "wire-clash.txt").read_text())
    (inputs / "good.html").write_text((FIXTURES / "page-with-jsonld.html").read_text())
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (inputs / "nobody.html").write_text("<html><head><title>t</title></head><body></body></html>")
    (inputs / "bad-utf8.txt").write_bytes("Kabul – ".encode() + b"\xff\xfe and more text")
    (inputs / "cut.warc.gz").write_bytes(
        warc_response(
            "https://x.example/",
            "<p>" + "words " * 500 + "</p>",
            "2021-09-04T00:00:00Z",
            "22222222-2222-2222-2222-222222222222",
        )[:-40]
    )
    with (inputs / "huge.txt").open("wb") as handle:
        handle.truncate(50_000_000)
    db = tmp_path / "x.db"
    result = run_fogmap("ingest", str(inputs), "--db", str(db))
    assert result.returncode == 1
    messages = _lines(result.stderr)
    assert len(messages) == 6, messages
    for name in (
        "empty.txt",
        "binary.txt",
        "nobody.html",
        "bad-utf8.txt",
        "cut.warc.gz",
        "huge.txt",
    ):
        assert any(name in m for m in messages), name
    assert b"Traceback" not in result.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM articles").fetchone() == (2,)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ingest", "missing.txt"], "no such file or directory: missing.txt"),
        (["ingest", "{fixture}", "--db", "nosuch://db"], "bad database URL"),
        (["extract", "{fixture}", "--published", "yesterday"], "--published must be a date"),
        (["show", "abcd", "--db", "{tmp}/missing.db"], "no database at"),
        (["articles", "--db", "postgresql://nobody@127.0.0.1:1/x"], "cannot open database"),
    ],
)
def test_user_errors_are_one_line_without_a_traceback(tmp_path: Path, args, expected) -> None:
    filled = [a.format(fixture=FIXTURES / "wire-clash.txt", tmp=tmp_path) for a in args]
    result = run_fogmap(*filled, cwd=tmp_path)
    assert result.returncode == 2
    (line,) = _lines(result.stderr)
    assert expected in line


def test_ingest_then_query_then_show(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    assert run_fogmap("ingest", str(FIXTURES), "--db", db).returncode == 0
    listing = run_fogmap("articles", "Charikar", "--db", db).stdout.decode()
    assert "Clashes reported near Charikar" in listing
    (row,) = [line for line in listing.splitlines() if "Clashes reported" in line]
    article_id = re.search(r"\b[0-9a-f]{12}\b", row).group()
    shown = run_fogmap("show", article_id, "--db", db).stdout.decode()
    assert "Zabihullah Mujahid" in shown and "spokesman" in shown
    lines = shown.splitlines()
    claims = "\n".join(lines[lines.index("claims") : lines.index("places")])
    calm = next(line for line in claims.splitlines() if "the area was calm" in line)
    assert "Zabihullah Mujahid" in calm and "said" in calm
    places = "\n".join(lines[lines.index("places") :])
    assert re.search(r"Charikar .*PPL.* AF ", places)
    listing = run_fogmap("articles", "retaken Korva bridge", "--db", db).stdout.decode()
    (row,) = [line for line in listing.splitlines() if "Militia fighters retake" in line]
    article_id = re.search(r"\b[0-9a-f]{12}\b", row).group()
    shown = run_fogmap("show", article_id, "--db", db).stdout.decode()
    assert "A convoy of pickup trucks crosses the Korva bridge on Thursday" in shown
    assert 'teaser: "TRENDING NOW EXCLUSIVE' in shown and "related: 'Read more:" in shown
    missing = run_fogmap("show", "abcd", "--db", db)
    assert missing.returncode == 2 and "no article with id abcd" in missing.stderr.decode()


def test_an_ingest_killed_mid_run_resumes_without_duplicates_or_loss(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    base = (FIXTURES / "wire-clash.txt").read_text()
    total = 40
    for i in range(total):
        # distinct texts, so that every one is a new article
        (inputs / f"{i:03}.txt").write_text(f"Report number {i} from the desk.\n\n" + base)
    db = tmp_path / "k.db"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fogmap",
            "ingest",
            str(inputs),
            "--db",
            str(db),
            "--batch-size",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db) as connection:
                    stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
        if stored >= 4:
            break
        time.sleep(0.05)
    assert child.poll() is None, "the ingest finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with sqlite3.connect(db) as connection:
        partial = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 4 <= partial < total
    result = run_fogmap("ingest", str(inputs), "--db", str(db))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as connection:
        articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        sources = connection.execute("SELECT count(*) FROM article_sources").fetchone()[0]
        orphans = connection.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM entities e WHERE e.article_id = a.id)"
        ).fetchone()[0]
    assert (articles, sources, orphans) == (total, total, 0)


def test_demo_ingests_the_bundled_corpus(tmp_path: Path) -> None:
    result = run_fogmap("demo", "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr
    summary = result.stdout.decode()
    with sqlite3.connect(tmp_path / "demo.db") as connection:
        copies_per_group = sorted(
            count
            for (count,) in connection.execute(
                "SELECT count(*) FROM article_sources s JOIN articles a ON a.id = s.article_id "
                "GROUP BY a.near_duplicate_group"
            )
        )
        removed = connection.execute(
            "SELECT removed FROM articles WHERE text LIKE '%Lion of Panjshir%' OR "
            "removed LIKE '%caption%'"
        ).fetchall()
    # One wire story carried by three outlets (two copies identical once cleaned): one group.
    assert len(copies_per_group) >= 14 and copies_per_group[-2:] == [1, 3]
    assert removed, "the scraped tabloid's [/caption] residue is recorded as removed"
    assert "articles" in summary and "entities" in summary


def _headers(listing: bytes) -> list[str]:
    """The first line of each listed claim: speaker · outlet · date · article."""
    return [line for line in listing.decode().splitlines() if line and not line.startswith(" ")]


def test_claims_lists_who_said_what_with_filters(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    assert run_fogmap("demo", "--db", db).returncode == 0
    taliban = run_fogmap("claims", "--affiliation", "taliban", "--db", db, "--limit", "200")
    assert taliban.returncode == 0, taliban.stderr
    headers = _headers(taliban.stdout)
    assert any(h.startswith("Zabihullah Mujahid (") for h in headers)
    assert headers and all("Taliban" in h for h in headers)
    rumours = run_fogmap("claims", "--kind", "unattributed", "--db", db).stdout.decode()
    assert "hedge: It was claimed" in rumours and "(unattributed)" in rumours
    massoud = _headers(run_fogmap("claims", "fight", "--speaker", "massoud", "--db", db).stdout)
    assert massoud and all("Massoud" in h for h in massoud)
    bad = run_fogmap("claims", "--since", "soon", "--db", db)
    assert bad.returncode == 2 and b"--since must be a date" in bad.stderr


def test_places_lists_places_with_counts(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    assert run_fogmap("demo", "--db", db).returncode == 0
    listed = run_fogmap("places", "--country", "AF", "--db", db)
    assert listed.returncode == 0, listed.stderr
    first = next(line for line in listed.stdout.decode().splitlines() if "Kabul" in line)
    assert "PPLC" in first and "AF" in first
    unresolved = run_fogmap("places", "--unresolved", "--db", db).stdout.decode()
    assert "unresolved" in unresolved and "Kabul" not in unresolved


def test_events_and_their_acled_and_geojson_exports(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    assert run_fogmap("demo", "--db", db).returncode == 0
    listed = run_fogmap("events", "--type", "Battles", "--country", "AF", "--db", db)
    assert listed.returncode == 0, listed.stderr
    text = listed.stdout.decode()
    assert "Armed clash" in text and "Panjshayr" in text and "mode: claimed" in text
    assert "mode: negated" not in text
    assert "mode: negated" in run_fogmap("events", "--all-modes", "--db", db).stdout.decode()

    csv_path = tmp_path / "events.csv"
    exported = run_fogmap("export", "--format", "acled-csv", "-o", str(csv_path), "--db", db)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert rows and set(rows[0]) >= {
        "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
        "assoc_actor_1", "actor2", "country", "admin1", "location", "latitude", "longitude",
        "geo_precision", "source", "notes", "fatalities",
    }  # fmt: skip
    assert all(row["mode"] in ("asserted", "claimed") for row in rows)
    afghan = [row for row in rows if row["country"] == "Afghanistan"]
    assert afghan and all(row["latitude"] and row["geo_precision"] for row in afghan)
    assert all(row["notes"].startswith(("On ", "Around ")) for row in rows if row["event_date"])

    geojson = run_fogmap("export", "--format", "geojson", "--all-modes", "--db", db)
    assert geojson.returncode == 0, geojson.stderr
    collection = json.loads(geojson.stdout)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) > len(rows)  # the denied, negated and threatened ones too
    placed = [f for f in features if f["geometry"] is not None]
    assert placed and all(len(f["geometry"]["coordinates"]) == 2 for f in placed)
    assert run_fogmap("export", "--format", "xml", "--db", db).returncode == 2


def test_a_flood_of_bad_lines_is_named_up_to_a_limit_then_counted(tmp_path: Path) -> None:
    from fogmap.cli._app import SHOWN_PER_REASON

    pairs = tmp_path / "pairs.jsonl"
    lines = ['{"id": 1}'] * (SHOWN_PER_REASON + 5) + ["[1, 2]"] * 2
    pairs.write_text("\n".join(lines) + "\n")
    result = run_fogmap("stance", str(pairs))
    stderr = result.stderr.decode().splitlines()
    assert result.returncode == 1
    missing = [s for s in stderr if s.startswith(f"skipped {pairs}:") and "'claim'" in s]
    assert len(missing) == SHOWN_PER_REASON
    assert missing[0].startswith(f"skipped {pairs}:1: ")
    assert [s for s in stderr if "not a JSON object" in s] == [
        f"skipped {pairs}:{SHOWN_PER_REASON + 6}: not a JSON object",
        f"skipped {pairs}:{SHOWN_PER_REASON + 7}: not a JSON object",
    ]
    assert stderr[-1] == (
        "skipped 5 more inputs: a stance line needs id, claim and text; 'claim' is missing"
    )
