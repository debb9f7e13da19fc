"""What each extractor costs next to the spaCy parse it reads, in the same process.

The demo corpus's articles, cleaned as `fogmap extract` cleans them, are parsed once; then
the parse, the claim extractor (with the entity grouping it resolves speakers against),
the geoparser (gazetteer lookups and resolution) and the event coder (given the entities,
places and claims it reads, with dates and fatalities) are timed in turn, many times. The ratios
of the medians are the figures to quote, since all run on the same noisy machine at the
same moment. Goal for each: at most 0.20.

    .venv/bin/python bench/extract_cost.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from importlib.resources import as_file, files

from fogmap import geo, nlp
from fogmap.extract.claims import extract_claims
from fogmap.extract.entities import extract_entities
from fogmap.extract.events import extract_events
from fogmap.extract.places import extract_places
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
    started = time.perf_counter()
    gazetteer = geo.load()
    opened = time.perf_counter() - started
    texts = demo_texts()
    docs = list(pipeline.pipe(texts))
    found = {}
    for doc in docs:
        entities = extract_entities(doc)
        found[id(doc)] = (
            entities,
            extract_places(doc, gazetteer),
            extract_claims(doc, entities),
        )
    stages = {
        "parse": lambda text, doc: pipeline(text),
        "entities + claims": lambda text, doc: extract_claims(doc, extract_entities(doc)),
        "places": lambda text, doc: extract_places(doc, gazetteer),
        "events": lambda text, doc: extract_events(doc, *found[id(doc)], "2021-09-07", gazetteer),
    }
    times: dict[str, list[float]] = {label: [] for label in stages}
    for _ in range(rounds):
        for text, doc in zip(texts, docs, strict=True):
            for label, work in stages.items():
                start = time.perf_counter()
                work(text, doc)
                times[label].append(time.perf_counter() - start)
    medians = {label: statistics.median(values) for label, values in times.items()}
    words = statistics.median(len(t.split()) for t in texts)
    print(f"{len(texts)} demo articles (median {words:.0f} words), {rounds} rounds")
    size = gazetteer.path.stat().st_size / 1e6
    print(f"gazetteer opened (or compiled) in {opened:.1f} s, {size:.0f} MB")
    for label, median in medians.items():
        ratio = (
            "" if label == "parse" else f"  ratio {median / medians['parse']:.3f} (goal <= 0.20)"
        )
        print(f"{label:18} {median * 1000:8.2f} ms (median){ratio}")


if __name__ == "__main__":
    main()
