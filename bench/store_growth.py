"""Does ingest slow down as the store grows? The same 500 new short reports ingested into
an empty store and into stores already holding N articles, varied and templated.

Stored articles are written straight to the store (text, near-duplicate signature and
bands, no extraction: only their count and their bands weigh on a new article's ingest).
"Varied" stored articles are the demo corpus's sentences shuffled into short reports;
"templated" ones are police bulletins from one template, which all fall in the same
near-duplicate bands, as wire copies and ministry statements do. The 500 new reports are
templated too, the hardest case. The figure to quote is each store's seconds over the
empty store's (goal: within 15%).

    .venv/bin/python bench/store_growth.py [--stored 10000] [--new 500] [--only templated]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from fogmap import nlp, pipeline
from fogmap.pipeline import prepare
from fogmap.records import Document, RawDocument
from fogmap.store import Store, write_document
from fogmap.text.dedupe import MemoryBandIndex, near_duplicate_group

TOWNS = ["Kunduz", "Herat", "Mosul", "Aleppo", "Gao", "Maiduguri", "Kharkiv", "Taiz"]
BULLETIN = (
    "Police in {town} said on {day} that {n} people were detained after a dispute over "
    "{thing} turned violent near the central market. Officers recovered {k} weapons and "
    "said the investigation was continuing. No one was reported killed."
)
THINGS = ["land", "water rights", "a debt", "a wedding", "fuel prices", "a vehicle"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def bulletins(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        BULLETIN.format(
            town=rng.choice(TOWNS),
            day=rng.choice(DAYS),
            n=rng.randrange(2, 90),
            thing=rng.choice(THINGS),
            k=rng.randrange(1, 20),
        )
        for _ in range(count)
    ]


def varied(count: int, seed: int) -> list[str]:
    corpus = files("fogmap").joinpath("demo/corpus/text")
    sentences = [
        s.strip() + "."
        for p in corpus.iterdir()
        for s in p.read_text(encoding="utf-8", errors="replace").split(".")
        if len(s.split()) > 6
    ]
    rng = random.Random(seed)
    return [" ".join(rng.sample(sentences, 6)) for _ in range(count)]


def filled_store(folder: Path, texts: list[str]) -> Store:
    store = Store.open(str(folder / "store.db"))
    index = MemoryBandIndex()
    seen: set[str] = set()
    batch = 2000
    for start in range(0, len(texts), batch):
        with store.batch() as session:
            for number, text in enumerate(texts[start : start + batch], start=start):
                article = prepare(RawDocument(locator=f"stored-{number}", text=text)).article
                if article.id in seen:
                    continue  # the template gave the same text twice
                seen.add(article.id)
                grouping = near_duplicate_group(article.id, article.text, index)
                write_document(session, Document(article), grouping)
    return store


def ingest_seconds(store: Store, model, new: list[str]) -> float:
    raws = [RawDocument(locator=f"new-{i}", text=text) for i, text in enumerate(new)]
    began = time.perf_counter()
    pipeline.ingest(raws, store, lambda: model)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=500)
    parser.add_argument(
        "--only", choices=("varied", "templated"), help="fill only this kind of store"
    )
    args = parser.parse_args()
    model = nlp.load()
    new = bulletins(args.new, seed=1)
    model.pipe(new[:20])  # warm up
    results = {}
    kinds = {"varied": varied, "templated": bulletins}
    stores: list[tuple[str, list[str]]] = [("empty", [])]
    for seed, (kind, texts_of) in enumerate(kinds.items(), start=2):
        if args.only in (None, kind):
            stores.append((f"{args.stored:,} {kind}", texts_of(args.stored, seed)))
    for name, texts in stores:
        with tempfile.TemporaryDirectory() as folder:
            store = filled_store(Path(folder), texts)
            results[name] = ingest_seconds(store, model, new)
            store.close()
        print(f"{name:>18}: {results[name]:6.1f} s for {args.new} new reports", flush=True)
    empty = results["empty"]
    for name, seconds in results.items():
        print(f"{name:>18}: {seconds / empty:.2f} × the empty store")


if __name__ == "__main__":
    main()
