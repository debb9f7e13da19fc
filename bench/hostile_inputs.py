"""Hostile input through `fogmap ingest`: what each case costs, and that nothing is lost.

Each case is a file built here (nothing downloaded) holding some good articles and some
hostile content: entity bombs and external entities, deep nesting, control characters and
right-to-left overrides, UTF-16, floods of tiny JSONL lines, fields of every wrong type,
gzip bombs as an article, a JSONL file and a crawled page, a 45 MB line, a truncated
crawl, a long pathological text. Each runs as its own `fogmap ingest --workers 1` into a
fresh SQLite file; the table gives its exit status, the good articles stored out of
those it holds (lost = the difference), the inputs named as skipped, whether a traceback
was printed, and its seconds and peak memory over the plain page's (same run).

    .venv/bin/python bench/hostile_inputs.py [--case bomb]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fogmap.sources.warc import warc_response

STORY = (
    "Fighters of the resistance clashed with Taliban forces near the town of Rukha on "
    "Monday, local officials said. Three fighters were killed and several wounded in the "
    "fighting, which lasted into the night. The Taliban denied that any fighting had "
    "taken place and said the district was calm. {extra}"
)


def page(extra: str = "", head: str = "", wrap: tuple[str, str] = ("", "")) -> str:
    return (
        f"{head}<html><head><title>Clashes near Rukha</title></head><body>{wrap[0]}"
        f"<article><h1>Clashes near Rukha</h1><p>{STORY.format(extra=extra)}</p>"
        f"<p>{STORY.format(extra='Residents said the road was closed.')}</p></article>"
        f"{wrap[1]}</body></html>"
    )


def jsonl(*records: dict[str, object]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


@dataclass
class Case:
    name: str
    file: str
    good: int  # articles in it that must be stored
    build: Callable[[], bytes]


def billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    head = f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY l0 "lol">{entities}]>'
    return page("&l9; was said.", head=head).encode()


def xxe() -> bytes:
    head = '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return page("Officials quoted &x; in full.", head=head).encode()


def controls() -> bytes:
    rng = random.Random(1)
    text = STORY.format(extra="The road was closed. " * 20)
    spiked = "".join(c + (chr(rng.randrange(0, 32)) if rng.random() < 0.05 else "") for c in text)
    return spiked.replace("\x00", "").encode()


def right_to_left() -> bytes:
    arabic = "قال مسؤولون محليون"  # "local officials said"
    return STORY.format(extra=f"\u202e{arabic}\u202c, \u2067{arabic}\u2069 said. " * 5).encode()


def tiny_lines() -> bytes:
    good = [{"id": f"g{n}", "text": STORY.format(extra=f"Report {n}.")} for n in range(3)]
    flood = [{} if n % 2 else {"text": ""} for n in range(10_000)]
    return jsonl(good[0], *flood[:5000], good[1], *flood[5000:], good[2])


def wrong_types() -> bytes:
    wrong: list[object] = [None, True, 7, 1.5, [], ["a"], {}, {"a": 1}, "x" * 10]
    lines: list[dict[str, object]] = []
    for field in ("id", "text", "html", "url", "title", "published", "outlet"):
        for value in wrong:
            lines.append({"id": f"{field}-{len(lines)}", "text": "Short.", field: value})
    lines.append({"id": "good", "text": STORY.format(extra="")})
    return jsonl(*lines)


def gzip_bomb_article() -> bytes:
    return gzip.compress(b"<p>" + b"a" * 200_000_000, compresslevel=9)


def gzip_bomb_lines() -> bytes:
    good = jsonl({"id": "good", "text": STORY.format(extra="")})
    return gzip.compress(good + b'{"text": ""}\n' * 20_000_000, compresslevel=9)


def gzip_bomb_crawl() -> bytes:
    """A crawled page whose gzip body expands to 200 MB, then a good page."""
    bomb = gzip.compress(b"<p>" + b"\0" * 200_000_000, compresslevel=9)
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(bomb)}\r\n\r\n".encode()
        + bomb
    )
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
        "WARC-Date: 2021-09-06T00:00:00Z\r\nWARC-Target-URI: https://news.example/bomb\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    good = warc_response(
        "https://news.example/ok",
        page(),
        "2021-09-06T00:00:00Z",
        "00000000-0000-0000-0000-000000000002",
    )
    return gzip.compress(header + http + b"\r\n\r\n") + good


def huge_line() -> bytes:
    big = {"id": "huge", "text": "word " * 9_000_000}
    return jsonl(big, {"id": "good", "text": STORY.format(extra="")})


def truncated_crawl() -> bytes:
    records = b"".join(
        warc_response(
            f"https://news.example/{n}",
            page(f"Report {n}."),
            "2021-09-06T00:00:00Z",
            f"11111111-1111-1111-1111-{n:012d}",
        )
        for n in range(5)
    )
    return records[: len(records) - 200]


def pathological() -> bytes:
    rng = random.Random(2)
    words = ["Alpha", "Kabul", "Massoud", "Taliban", "Front", "Valley", "Herat", "Shah"]
    return " ".join(rng.choice(words) for _ in range(68_000)).encode()


CASES = [
    Case("plain page (baseline)", "plain.html", 1, lambda: page().encode()),
    Case("billion laughs in a DOCTYPE", "laughs.html", 1, billion_laughs),
    Case("external entity (XXE)", "xxe.xhtml", 1, xxe),
    Case(
        "100,000 nested <div>",
        "nested.html",
        1,
        lambda: page(wrap=("<div>" * 100_000, "</div>" * 100_000)).encode(),
    ),
    Case("control characters", "controls.txt", 1, controls),
    Case("right-to-left overrides", "rtl.txt", 1, right_to_left),
    Case("UTF-16 with its mark", "utf16.html", 1, lambda: page().encode("utf-16")),
    Case("10,000 tiny JSONL lines", "tiny.jsonl", 3, tiny_lines),
    Case("every field of a wrong type", "wrong.jsonl", 1, wrong_types),
    Case("a 45 MB JSONL line", "huge.jsonl", 1, huge_line),
    Case("gzip bomb: an article", "bomb.html.gz", 0, gzip_bomb_article),
    Case("gzip bomb: JSONL lines", "bomb.jsonl.gz", 1, gzip_bomb_lines),
    Case("gzip bomb: a crawled page", "bomb.warc.gz", 1, gzip_bomb_crawl),
    Case("truncated crawl", "cut.warc.gz", 4, truncated_crawl),
    Case("490,000 characters of names", "names.txt", 1, pathological),
]


def build(name: str, path: Path) -> None:
    """Write one case's file, in a process of its own: the bombs are built in memory, and
    a process forked from one holding them would count them in its peak."""
    case = next(c for c in CASES if c.name == name)
    path.write_bytes(case.build())


def run(case: Case, folder: Path) -> dict[str, object]:
    path = folder / case.file
    subprocess.run([sys.executable, __file__, "--build", case.name, str(path)], check=True)
    db = folder / f"{path.stem}.db"
    fogmap = Path(sys.executable).with_name("fogmap")
    started = time.perf_counter()
    with open(folder / "err.txt", "wb") as err:
        process = subprocess.Popen(
            [str(fogmap), "ingest", str(path), "--db", str(db), "--workers", "1"],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = (folder / "err.txt").read_text(errors="replace")
    stored = 0
    if db.exists():
        with sqlite3.connect(db) as connection:
            stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
            leaked = connection.execute(
                "SELECT count(*) FROM articles WHERE text LIKE '%root:%' OR text LIKE '%lollol%'"
            ).fetchone()[0]
    else:
        leaked = 0
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "stored": stored,
        "lost": max(0, case.good - stored),
        "named": stderr.count("skipped "),
        "traceback": "Traceback" in stderr,
        "leaked": leaked,
        "seconds": seconds,
        "rss_mb": usage.ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", help="only the cases whose name holds this (and the plain page)")
    parser.add_argument("--build", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build[0], Path(args.build[1]))
        return
    chosen = [c for c in CASES[1:] if not args.case or args.case in c.name]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in [CASES[0], *chosen]:
            rows.append((case, run(case, Path(tmp))))
    base = rows[0][1]
    print(f"{'case':32} exit stored/good named trace  seconds (×plain)  peak MB (×plain)")
    for case, r in rows:
        print(
            f"{case.name:32} {r['exit']:>4} {r['stored']:>6}/{case.good:<4} {r['named']:>5} "
            f"{'yes' if r['traceback'] else 'no':>5} {r['seconds']:8.1f} "
            f"({r['seconds'] / base['seconds']:4.1f}×) {r['rss_mb']:8.0f} "
            f"({r['rss_mb'] / base['rss_mb']:3.1f}×)"
        )
    lost = sum(int(r["lost"]) for _, r in rows)
    traces = sum(bool(r["traceback"]) for _, r in rows)
    leaks = sum(int(r["leaked"]) for _, r in rows)
    print(
        f"\n{len(rows)} cases: {lost} good articles lost, {traces} tracebacks, "
        f"{leaks} articles with expanded entities"
    )


if __name__ == "__main__":
    main()
