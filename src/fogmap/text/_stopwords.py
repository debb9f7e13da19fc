"""Function words by language, for telling running prose from menus and headlines.

The lists are jusText's (one per language, shipped in the `justext` package that
trafilatura depends on), so nothing is downloaded and every language it knows is covered.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib import resources


@cache
def _stoplists() -> list[frozenset[str]]:
    folder = resources.files("justext") / "stoplists"
    return [
        frozenset(word.strip().lower() for word in entry.read_text(encoding="utf-8").splitlines())
        for entry in sorted(folder.iterdir(), key=lambda entry: entry.name)
        if entry.name.endswith(".txt")
    ]


@cache
def _languages_of() -> dict[str, tuple[int, ...]]:
    """Each stop word and the lists it is in, so a text is ranked in one pass."""
    index: dict[str, list[int]] = {}
    for language, words in enumerate(_stoplists()):
        for word in words:
            index.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


def stopwords(words: list[str], languages: int = 3) -> frozenset[str]:
    """Stop words of the languages the words are most likely in (pages mix languages:
    an English menu around a German story)."""
    index = _languages_of()
    hits = Counter(language for word in words[:3000] for language in index.get(word.lower(), ()))
    lists = _stoplists()
    return frozenset().union(*(lists[language] for language, _ in hits.most_common(languages)))
