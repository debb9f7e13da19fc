"""What cleaning a 1,000-word article costs next to its spaCy parse, in the same process.

Articles of about 1,000 words are assembled from the demo corpus as scraped, with their
residue (the tabloid page's caption, teaser run and tip line; the HTML pages flattened the
way a naive scraper flattens them, menus and footers included). Each is cleaned and parsed
by fogmap's spaCy pipeline in turn, many times; the ratio of the medians is the figure to
quote, since both run on the same noisy machine at the same moment.

    .venv/bin/python bench/clean_cost.py [--articles 20] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from importlib.resources import files

from fogmap import nlp
from fogmap.evaluate.cleaning import flatten
from fogmap.sources._decode import decode
from fogmap.text.clean import clean

WORDS = 1000


def scraped_texts() -> list[str]:
    corpus = files("fogmap").joinpath("demo/corpus")
    texts = [decode(p.read_bytes()) for p in corpus.joinpath("text").iterdir()]
    for page in corpus.joinpath("html").iterdir():
        texts.append(flatten(page.read_text(encoding="utf-8")) or "")
    return [text for text in texts if text]


def articles(count: int) -> list[str]:
    """Texts of about WORDS words: each starts at another scraped text and runs on."""
    texts = scraped_texts()
    built = []
    for index in range(count):
        parts: list[str] = []
        words = 0
        offset = index
        while words < WORDS:
            text = texts[offset % len(texts)]
            parts.append(text)
            words += len(text.split())
            offset += 1
        built.append("\n\n".join(parts))
    return built


def median_seconds(function, items: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            function(item)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    items = articles(options.articles)
    pipeline = nlp.load()
    clean(items[0]), pipeline(items[0])  # warm both: stop-word index, model caches
    cleaning = median_seconds(clean, items, options.rounds)
    parsing = median_seconds(pipeline, items, options.rounds)
    words = statistics.median(len(item.split()) for item in items)
    print(f"{len(items)} articles, median {words:.0f} words, {options.rounds} rounds")
    print(f"clean  {cleaning * 1000:8.2f} ms per article")
    print(f"parse  {parsing * 1000:8.2f} ms per article (fogmap's spaCy pipeline)")
    print(f"ratio clean/parse = {cleaning / parsing:.3f}")


if __name__ == "__main__":
    main()
