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


_LINE = re.compile(r"[^\n]+")


def lines(text: str) -> Iterator[re.Match[str]]:
    """The non-empty lines of a text, as matches that carry their offsets."""
    return _LINE.finditer(text)


@dataclass(frozen=True, slots=True)
class Cut:
    """A span a rule takes out of the text, why, and the caption it holds if it is one."""

    start: int
    end: int
    reason: str
    caption: str | None = None


Rule = Callable[[str], Iterator[Cut]]


@dataclass(frozen=True, slots=True)
class RegisteredRule:
    find: Rule
    flat_only: bool  # page furniture that an HTML extractor has already taken away


RULES: dict[str, RegisteredRule] = {}


def rule(name: str, *, flat_only: bool = False) -> Callable[[Rule], Rule]:
    """Register a removal rule; every rule reads the same normalised text."""

    def register(function: Rule) -> Rule:
        RULES[name] = RegisteredRule(function, flat_only)
        return function

    return register


@dataclass(slots=True)
class Cleaned:
    text: str
    removed: list[Removed] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)


def _merge(cuts: list[Cut]) -> list[Cut]:
    """Overlapping cuts become one, named by the cut that starts first."""
    merged: list[Cut] = []
    for cut in sorted(cuts, key=lambda c: (c.start, -c.end)):
        if merged and cut.start <= merged[-1].end:
            last = merged[-1]
            if cut.end > last.end:
                merged[-1] = Cut(last.start, cut.end, last.reason, last.caption)
        else:
            merged.append(cut)
    return merged


def clean(text: str, *, extracted: bool = False) -> Cleaned:
    """The story alone: every registered rule's cuts removed, each recorded with its reason.

    `extracted` says the text is already an extractor's choice of a page's main content
    (fogmap's HTML path), so the rules that find the story among page furniture stay out.
    """
    normal = normalise(text)
    # Residue rules first: where a furniture cut covers the same span, the specific reason wins.
    ordered = sorted(RULES.values(), key=lambda registered: registered.flat_only)
    rules = [r.find for r in ordered if not (extracted and r.flat_only)]
    cuts = _merge([cut for find in rules for cut in find(normal)])
    kept: list[str] = []
    removed: list[Removed] = []
    captions: list[str] = []
    position = 0
    for cut in cuts:
        kept.append(normal[position : cut.start])
        removed.append(Removed(cut.start, cut.end, normal[cut.start : cut.end], cut.reason))
        if cut.caption:
            captions.append(cut.caption)
        position = cut.end
    kept.append(normal[position:])
    return Cleaned(_tidy("".join(kept)), removed, captions)


# The rules register themselves on import; their order is the order they are listed here.
from fogmap.text import _residue, _boilerplate  # noqa: E402, F401, I001
from fogmap.text._residue import dateline_date as dateline_date  # noqa: E402
