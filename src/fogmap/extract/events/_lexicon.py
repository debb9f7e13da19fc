"""The event rules' vocabulary, read from the package's data files by one loader.

Two files: `data/event_cues.tsv` (the words that signal an event, each in a family) and
`data/event_words.tsv` (the word lists the rules read: who the sides are, what hedges a
telling, which nouns a protest is about). Keeping them as data lets a word be added
without reading the rules, and lets a test check that every list is used.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files


def read_table(name: str) -> Iterator[dict[str, str]]:
    """The rows of a tab-separated file in `fogmap/data`, `#` lines being comments."""
    text = files("fogmap").joinpath(f"data/{name}").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


@lru_cache(maxsize=1)
def word_lists() -> dict[str, frozenset[str]]:
    return {row["list"]: frozenset(row["words"].split()) for row in read_table("event_words.tsv")}


def word_list(name: str) -> frozenset[str]:
    """One list of `data/event_words.tsv`; a name that is not there is a programming error."""
    try:
        return word_lists()[name]
    except KeyError:
        raise KeyError(f"data/event_words.tsv has no list {name!r}") from None
