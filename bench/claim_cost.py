"""What claim extraction costs next to the spaCy parse it reads, in the same process.

The demo corpus's articles, cleaned as `fogmap extract` cleans them, are parsed once; then
the parse and the claim extractor (with the entity grouping it resolves speakers against)
are timed in turn, many times. The ratio of the medians is the figure to quote, since both
run on the same noisy machine at the same moment. Goal: at most 0.20.

    .venv/bin/python bench/claim_cost.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from importlib.resources import as_file, files

from fogmap import nlp
from fogmap.extract.claims import extract_claims
from fogmap.extract.entities import extract_entities
from fogmap.pipeline import prepare_all
from fogmap.sources import read_sources


def demo_texts() -> list[str]:
    with as_file(files("fogmap").joinpath("demo/corpus")) as corpus:
        prepared = prepare_all(read_sources([str(corpus)]))
        return [p.article.text for p in prepared if not isinstance(p, Exception)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    pipeline = nlp.load()
    texts = demo_texts()
    docs = list(pipeline.pipe(texts))
    parse_times, claim_times = [], []
    for _ in range(rounds):
        for text, doc in zip(texts, docs, strict=True):
            start = time.perf_counter()
            pipeline(text)
            parse_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            extract_claims(doc, extract_entities(doc))
            claim_times.append(time.perf_counter() - start)
    parse, claims = statistics.median(parse_times), statistics.median(claim_times)
    words = statistics.median(len(t.split()) for t in texts)
    print(f"{len(texts)} demo articles (median {words:.0f} words), {rounds} rounds")
    print(f"spaCy parse        {parse * 1000:8.2f} ms (median)")
    print(f"entities + claims  {claims * 1000:8.2f} ms (median)")
    print(f"ratio {claims / parse:.3f} (goal <= 0.20)")


if __name__ == "__main__":
    main()
