"""A crawl-sized WARC through `fogmap ingest`: memory over the run, killed and resumed.

A crawl file of `--gigabytes` is built here from the demo corpus's pages: each article
page numbered so that no two are alike (`--articles` of them), a syndicated copy of every
fourth, and between them the bulk of a real crawl, responses that are not articles
(images, scripts) whose bodies make up the size. It is written uncompressed, so its
size on disk is what is read.

`fogmap ingest --workers N` reads it into a fresh SQLite file while the resident memory
of the ingesting process and of each worker is sampled from /proc twice a second; the
run is killed (SIGKILL) once about half the articles are stored, then run again to the
end. The figures: records/s, peak memory per process, memory in the first and the last
fifth of the run (flat is the goal: within 10%), the resumed run's time, and the article
count at the end against the pages in the crawl (none lost, none twice).

    .venv/bin/python bench/crawl_scale.py [--gigabytes 2] [--articles 1500] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from importlib.resources import as_file, files
from pathlib import Path

from fogmap.errors import InputError
from fogmap.pipeline import prepare_all
from fogmap.sources import read_sources

FILLER = 512 * 1024  # bytes of one non-article response


def _record(url: str, record_id: int, content_type: str, body: bytes) -> bytes:
    http = (
        f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{record_id:012d}>\r\n"
        f"WARC-Date: 2021-09-06T00:00:00Z\r\nWARC-Target-URI: {url}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return header + http + b"\r\n\r\n"


def build_crawl(path: Path, gigabytes: float, articles: int) -> tuple[int, int]:
    """Write the crawl; the number of records and of distinct article texts in it."""
    with as_file(files("fogmap").joinpath("demo/corpus")) as corpus:
        texts = [
            p.article.text
            for p in prepare_all(read_sources([corpus]))
            if not isinstance(p, InputError)
        ]
    target = int(gigabytes * 1e9)
    filler = bytes(range(256)) * (FILLER // 256)
    records = written = 0
    with path.open("wb") as out:
        for n in range(articles):
            paragraphs = "".join(
                f"<p>{line}</p>" for line in texts[n % len(texts)].split("\n") if line.strip()
            )
            page = (
                f"<html><head><title>Bulletin {n}</title></head><body><article>"
                f"<h1>Bulletin {n}</h1><p>Bulletin number {n} of the valley desk.</p>"
                f"{paragraphs}</article></body></html>"
            ).encode()
            copies = 2 if n % 4 == 0 else 1  # a syndicated copy of every fourth
            for copy in range(copies):
                url = f"https://outlet{copy}.example/news/{n}"
                written += out.write(_record(url, records, "text/html; charset=utf-8", page))
                records += 1
            # the rest of the crawl between the articles: responses that are not pages
            while written < target * (n + 1) / articles:
                url = f"https://cdn.example/img/{records}.jpg"
                written += out.write(_record(url, records, "image/jpeg", filler))
                records += 1
    return records, articles


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in found]


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def ingest(
    crawl: Path, db: Path, workers: int, stop_at: int | None
) -> tuple[float, list[tuple[float, float, list[float]]], bool]:
    """Run one ingest; its seconds, the memory samples (time, parent MB, workers' MB) and
    whether it was killed."""
    command = [sys.executable, "-m", "fogmap", "ingest", str(crawl), "--db", str(db)]
    command += ["--workers", str(workers)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[tuple[float, float, list[float]]] = []
    killed = False
    while child.poll() is None:
        time.sleep(0.5)
        workers_mb = [_rss_mb(pid) for pid in _children(child.pid)]
        samples.append((time.perf_counter() - started, _rss_mb(child.pid), workers_mb))
        if stop_at is not None and _stored(db) >= stop_at:
            child.send_signal(signal.SIGKILL)
            killed = True
    child.wait()
    return time.perf_counter() - started, samples, killed


def _phase(samples: list[tuple[float, float, list[float]]], first: bool) -> tuple[float, float]:
    """Peak memory of the parent and of the largest worker in the first or last fifth."""
    cut = len(samples) // 5 or 1
    part = samples[:cut] if first else samples[-cut:]
    return max(s[1] for s in part), max((max(s[2]) for s in part if s[2]), default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gigabytes", type=float, default=2.0)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        crawl, db = Path(folder) / "crawl.warc", Path(folder) / "crawl.db"
        records, articles = build_crawl(crawl, args.gigabytes, args.articles)
        size = crawl.stat().st_size / 1e9
        print(f"crawl: {size:.2f} GB, {records:,} records, {articles:,} distinct articles")
        seconds, samples, killed = ingest(crawl, db, args.workers, stop_at=articles // 2)
        at_kill = _stored(db)
        print(f"killed: {killed} after {seconds:.0f} s with {at_kill:,} articles stored")
        resumed, more, _ = ingest(crawl, db, args.workers, stop_at=None)
        final = _stored(db)
        everything = samples + [(t + seconds, p, w) for t, p, w in more]
        parent_peak = max(s[1] for s in everything)
        worker_peak = max((max(s[2]) for s in everything if s[2]), default=0.0)
        print(f"resumed: {resumed:.0f} s; articles stored {final:,} of {articles:,}")
        print(f"records/s over both runs: {records / (seconds + resumed):,.0f}")
        print(f"peak RSS: ingesting process {parent_peak:.0f} MB, a worker {worker_peak:.0f} MB")
        for name, run in (("first run", samples), ("resumed run", more)):
            if len(run) >= 5:
                (p0, w0), (p1, w1) = _phase(run, True), _phase(run, False)
                print(
                    f"{name}: first fifth {p0:.0f} MB / worker {w0:.0f} MB, "
                    f"last fifth {p1:.0f} MB / worker {w1:.0f} MB"
                )


if __name__ == "__main__":
    main()
