"""Flattened-text cleaning: normalise, then remove residue spans and say why.

The cleaner is a list of rules. Each rule finds spans that are not part of the story and
names its reason; the spans are cut in one pass and kept in `removed` (offsets into the
normalised text) so that a user can audit every removal. Rules favour precision: a
sentence of the story must never be dropped.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fogmap.records import Removed

_ENTITY = re.compile(r"&(#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_QUOTES = str.maketrans({"„": "“", "‟": "“", "‚": "‘", "‛": "‘", "″": '"', "′": "'"})
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    """Unicode NFC, HTML entities left by scrapers decoded, one kind of space, tidy lines."""
    if _ENTITY.search(text):
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_QUOTES)
    return _tidy(_CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def _tidy(text: str) -> str:
    """One space between words, no spaces at line ends, at most one blank line."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


Rule = Callable[[str], Iterator[tuple[int, int, str]]]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a removal rule; rules run in registration order over the normalised text."""

    def register(function: Rule) -> Rule:
        RULES[name] = function
        return function

    return register


_SHORTCODE = re.compile(r"\[/?(caption|gallery|embed|video|audio|playlist)\b[^\]\n]{0,300}\]")


@rule("shortcode")
def shortcodes(text: str) -> Iterator[tuple[int, int, str]]:
    """WordPress-style `[caption …]` / `[/caption]` markers leaked into scraped text."""
    for match in _SHORTCODE.finditer(text):
        yield match.start(), match.end(), "shortcode"


@dataclass(slots=True)
class Cleaned:
    text: str
    removed: list[Removed] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, reason in sorted(spans):
        if merged and start <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, reason))
    return merged


def clean(text: str) -> Cleaned:
    normal = normalise(text)
    spans = _merge([span for find in RULES.values() for span in find(normal)])
    if not spans:
        return Cleaned(normal)
    kept, removed, position = [], [], 0
    for start, end, reason in spans:
        kept.append(normal[position:start])
        removed.append(Removed(start, end, normal[start:end], reason))
        position = end
    kept.append(normal[position:])
    return Cleaned(_tidy("".join(kept)), removed)
