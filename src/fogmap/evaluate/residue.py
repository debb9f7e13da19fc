"""Spliced residue: real news bodies with scraper residue put back in, then cleaned.

The bodies are real news (PolNeAR's article texts); the residue comes from fogmap's own
pools (`data/residue_pools.toml`: captions with their credits, teaser runs, related-story
links, tip lines, share bars, promotion, bylines), filled from word lists so that one
shape comes with many wordings. Each body is spliced three ways, as scrapers leave text:

- `lines`: each piece of residue on a line of its own between paragraphs;
- `glued`: residue run into a paragraph between two of its sentences;
- `one paragraph`: the whole article flattened onto one line, residue between sentences.

Measured on the cleaned text: the share of residue pieces removed (a piece is removed
when at most a fifth of its word 4-shingles survive), the share of the body's sentences
kept whole, and the share of captions kept apart in `captions`. The splicing is seeded
by the body's name, so every run measures the same texts.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from fogmap.text.clean import clean, normalise

LAYOUTS = ("lines", "glued", "one paragraph")
PIECES_PER_BODY = 4
MIN_SENTENCE_WORDS = 5
REMOVED_BELOW = 0.2  # a piece is removed when at most this share of its shingles survive
_FIELD = re.compile(r"\{(\w+)\}")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Piece:
    kind: str
    text: str
    caption: str | None = None  # for a caption, the words that should reach `captions`


@lru_cache(maxsize=1)
def pools() -> dict[str, dict[str, list[str]]]:
    text = files("fogmap").joinpath("data/residue_pools.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def make_piece(kind: str, chooser: random.Random) -> Piece:
    """One piece of residue of a kind, its template filled from the pools' word lists."""
    template = chooser.choice(pools()["kinds"][kind])
    values = {name: chooser.choice(words) for name, words in pools()["fill"].items()}
    text = _FIELD.sub(lambda match: values[match.group(1)], template)
    return Piece(kind, text, values["caption"] if kind == "caption" else None)


def split_sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph) if s.strip()]


@dataclass(slots=True)
class Spliced:
    text: str
    pieces: list[Piece]
    sentences: list[str]  # the body's sentences that must survive


def splice(body: str, layout: str, chooser: random.Random) -> Spliced:
    """The body with PIECES_PER_BODY pieces of residue put in the `layout` way."""
    paragraphs = [p.strip() for p in normalise(body).split("\n") if p.strip()]
    kinds = sorted(pools()["kinds"])
    pieces = [make_piece(chooser.choice(kinds), chooser) for _ in range(PIECES_PER_BODY)]
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    story = [s for s in sentences if len(_WORD.findall(s)) >= MIN_SENTENCE_WORDS]
    if layout == "lines":
        for piece in pieces:
            paragraphs.insert(chooser.randrange(1, len(paragraphs) + 1), piece.text)
        return Spliced("\n\n".join(paragraphs), pieces, story)
    if layout == "glued":
        for piece in pieces:
            index = chooser.randrange(len(paragraphs))
            parts = split_sentences(paragraphs[index])
            parts.insert(chooser.randrange(1, len(parts) + 1), piece.text)
            paragraphs[index] = " ".join(parts)
        return Spliced("\n\n".join(paragraphs), pieces, story)
    flat = list(sentences)
    for piece in pieces:
        flat.insert(chooser.randrange(1, len(flat) + 1), piece.text)
    return Spliced(" ".join(flat), pieces, story)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < 4:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _squeezed(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


@dataclass(slots=True)
class Tally:
    """Counts of one layout or one kind of residue."""

    pieces: int = 0
    removed: int = 0
    captions: int = 0
    captions_kept_apart: int = 0
    sentences: int = 0
    sentences_kept: int = 0

    def add(self, other: Tally) -> None:
        for name in Tally.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def removed_share(self) -> float:
        return self.removed / self.pieces if self.pieces else 0.0

    @property
    def kept_share(self) -> float:
        return self.sentences_kept / self.sentences if self.sentences else 0.0

    @property
    def captions_share(self) -> float:
        return self.captions_kept_apart / self.captions if self.captions else 0.0


@dataclass(slots=True)
class ResidueResults:
    bodies: int = 0
    total: Tally = field(default_factory=Tally)
    by_layout: dict[str, Tally] = field(default_factory=dict)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) left in
    lost: list[str] = field(default_factory=list)  # story sentences removed


def score(spliced: Spliced, layout: str, results: ResidueResults) -> None:
    cleaned = clean(spliced.text)
    kept = _shingles(cleaned.text)
    squeezed_text = _squeezed(cleaned.text)
    captions = [_squeezed(c) for c in cleaned.captions]
    tally = Tally()
    for piece in spliced.pieces:
        own = _shingles(piece.text)
        removed = len(own & kept) <= REMOVED_BELOW * len(own)
        part = Tally(pieces=1, removed=int(removed))
        if piece.caption is not None:
            apart = any(_squeezed(piece.caption) in c for c in captions)
            part.captions, part.captions_kept_apart = 1, int(apart)
        if not removed and len(results.missed) < 200:
            results.missed.append((piece.kind, piece.text))
        results.by_kind.setdefault(piece.kind, Tally()).add(part)
        tally.add(part)
    for sentence in spliced.sentences:
        whole = _squeezed(sentence) in squeezed_text
        tally.sentences += 1
        tally.sentences_kept += whole
        if not whole and len(results.lost) < 200:
            results.lost.append(sentence)
    results.by_layout.setdefault(layout, Tally()).add(tally)
    results.total.add(tally)


def bodies(folder: Path, limit: int | None = None) -> Iterator[tuple[str, str]]:
    """PolNeAR's development article texts, by name, in name order."""
    paths = sorted((folder / "data" / "dev" / "text").glob("*.txt"))
    for path in paths[:limit]:
        yield path.stem, path.read_text(encoding="utf-8")


def evaluate(folder: Path, limit: int | None = None) -> ResidueResults:
    """Every body, spliced in every layout, cleaned and scored."""
    results = ResidueResults()
    for name, body in bodies(folder, limit):
        results.bodies += 1
        for layout in LAYOUTS:
            chooser = random.Random(f"{name}:{layout}")
            score(splice(body, layout, chooser), layout, results)
    return results
