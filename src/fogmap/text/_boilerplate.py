"""Page furniture in flattened text: menus, link lists, footers around the story.

A naive scrape of a page is the story surrounded (and sometimes interrupted) by lines that
are not prose: menu entries, link lists, prices, button labels. A line is prose when it is
long enough and as dense in function words as running text in its language is (the
stop-word lists are jusText's, shipped with trafilatura). Prose lines score their length,
other lines a penalty; the story is the highest-scoring stretch of lines, plus any other
stretch nearly as rich, so that short lines inside the story (list items, subheadings,
a one-line quote) stay with it while the furniture around it goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fogmap.text._stopwords import stopwords
from fogmap.text.clean import Cut, rule
from fogmap.text.clean import lines as line_matches

_WORD = re.compile(r"\w+")
_SENTENCE_END = (".", "!", "?", ":", '"', "”", "“", "»", ")", "…")
# Tuned on trafilatura's evaluation pages (`fogmap eval cleaning`).
PROSE_CHARS = 80  # a line this long, dense in function words, is prose
SENTENCE_CHARS = 40  # shorter lines count as prose when they end a sentence
STOPWORD_DENSITY = 0.2
LINE_PENALTY = 5  # what the n-th line in a run of lines that are not prose costs: n times this
TOPICAL_SHARE = 0.5
LEAD_LINES = 3  # headline, byline and date above the first paragraph
OTHER_STRETCH = 0.3  # another stretch is kept when it scores this share of the best
MIN_STRETCH = 200  # … and at least this many characters of prose


def _score(line: str, stop: frozenset[str]) -> float:
    words = _WORD.findall(line)
    if not words:
        return -LINE_PENALTY
    density = sum(word.lower() in stop for word in words) / len(words)
    if density >= STOPWORD_DENSITY and (
        len(line) >= PROSE_CHARS or (len(line) >= SENTENCE_CHARS and line.endswith(_SENTENCE_END))
    ):
        return len(line)
    return -LINE_PENALTY


def _best_stretch(scores: list[float], start: int, end: int) -> tuple[float, int, int]:
    best, best_start, best_end = 0.0, start, start
    running, running_start = 0.0, start
    for index in range(start, end):
        if running <= 0:
            running, running_start = 0.0, index
        running += scores[index]
        if running > best:
            best, best_start, best_end = running, running_start, index + 1
    return best, best_start, best_end


def stretches(scores: list[float]) -> list[tuple[int, int]]:
    """The best stretch of lines and every other one that scores nearly as well."""
    top, first, last = _best_stretch(scores, 0, len(scores))
    if top <= 0:
        return []
    kept = [(first, last)]
    pending = [(0, first), (last, len(scores))]
    while pending:
        start, end = pending.pop()
        value, first, last = _best_stretch(scores, start, end)
        if value >= max(MIN_STRETCH, OTHER_STRETCH * top):
            kept.append((first, last))
            pending += [(start, first), (last, end)]
    return sorted(kept)


_CONTENT_WORD = re.compile(r"\w{4,}")


def _topical(line: str, vocabulary: set[str], stop: frozenset[str]) -> bool:
    words = [w for w in _CONTENT_WORD.findall(line.lower()) if w not in stop]
    return bool(words) and sum(w in vocabulary for w in words) / len(words) >= TOPICAL_SHARE


def _scores(lines: list[str], stop: frozenset[str]) -> list[float]:
    """Prose scores its length; another line costs a penalty that grows along a run of
    such lines, unless it shares its words with the prose of the story."""
    scores = [_score(line, stop) for line in lines]
    vocabulary: set[str] = set()
    for first, last in stretches(scores):
        for index in range(first, last):
            if scores[index] > 0:
                vocabulary.update(_CONTENT_WORD.findall(lines[index].lower()))
    vocabulary -= stop
    run = 0
    for index, line in enumerate(lines):
        if scores[index] > 0:
            run = 0
        elif _topical(line, vocabulary, stop):
            scores[index] = 0.0
        else:
            run += 1
            scores[index] = -LINE_PENALTY * run
    return scores


def _lead(lines: list[str], first: int) -> int:
    """Where a stretch starts once the headline and standfirst just above it are counted:
    up to LEAD_LINES lines of several words each."""
    start = first
    while start > 0 and first - start < LEAD_LINES and len(_WORD.findall(lines[start - 1])) >= 3:
        start -= 1
    return start


@rule("boilerplate", flat_only=True)
def page_furniture(text: str) -> Iterator[Cut]:
    """Lines outside the story's stretches of prose."""
    spans = [line.span() for line in line_matches(text)]
    if len(spans) < 3:
        return
    lines = [text[start:end] for start, end in spans]
    stop = stopwords(_WORD.findall(text))
    kept = [(_lead(lines, first), last) for first, last in stretches(_scores(lines, stop))]
    if not kept:
        return
    position = 0
    for first, last in kept:
        if first > position:
            yield Cut(spans[position][0], spans[first - 1][1], "boilerplate")
        position = last
    if position < len(spans):
        yield Cut(spans[position][0], spans[-1][1], "boilerplate")
