"""Quotation regions of a text: where direct speech starts and ends.

News copy mixes straight and curly marks, LaTeX-style ``…'' from wire feeds, quotes that
run over several paragraphs (each paragraph reopens the quote, only the last closes it)
and marks that never close. The scanner pairs double quotation marks only (single marks
are quotes inside quotes or apostrophes) and never fails: a quote still open at the end of
a paragraph that does not reopen it ends with the paragraph.
"""

from __future__ import annotations

import re

OPENERS = ("“", "„", "«", "``")
CLOSERS = ("”", "»", "''")
STRAIGHT = '"'
_MARK = re.compile(r"``|''|[“„«”»\"]|\n\s*\n|\n")


def _opens_next_paragraph(text: str, at: int) -> bool:
    rest = text[at : at + 6].lstrip()
    return rest.startswith((*OPENERS, STRAIGHT))


def quote_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included, in text order."""
    regions: list[tuple[int, int]] = []
    opened: int | None = None
    curly = False  # the open quote began with a typographic mark
    reopened = False  # the next opening mark continues the open quote in a new paragraph
    for match in _MARK.finditer(text):
        mark, at = match.group(), match.start()
        if mark.startswith("\n"):
            if opened is not None and not reopened:
                if _opens_next_paragraph(text, match.end()):
                    reopened = True
                else:
                    end = at
                    while end > opened and text[end - 1].isspace():
                        end -= 1
                    regions.append((opened, end))
                    opened = None
            continue
        if reopened:
            reopened = False
            continue
        if opened is None:
            if mark in CLOSERS:
                continue  # a stray closing mark
            opened, curly = at, mark != STRAIGHT
        elif mark in OPENERS:
            if curly:  # two openers in a row: the first quote was never closed
                regions.append((opened, at))
                opened = at
        elif mark == STRAIGHT and curly and _closer_ahead(text, match.end()):
            continue  # a straight mark inside a curly quote: a quote within the quote
        else:
            regions.append((opened, match.end()))
            opened = None
    if opened is not None:
        end = len(text.rstrip())
        if end > opened + 1:
            regions.append((opened, end))
    return regions


# A quote in single marks, as headlines and tabloids print them ('We will fight on'): the
# opening mark at a word's start, the closing one after a word and before a space or a
# punctuation mark, in one paragraph, at least two words between (an apostrophe inside or
# after a word, "don't", "the soldiers' families", never opens one).
_SINGLE = re.compile(
    r"(?:(?<=^)|(?<=[\s:(—–-]))(?P<mark>[‘'])(?=[^\W\d_“\"])"
    r"[^\n]*?\w[.!?,]?[’'](?=[\s.,;:!?)—–-]|$)"
)


def single_quote_regions(text: str, double: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations in single marks that lie outside every double-marked one."""
    regions = []
    for match in _SINGLE.finditer(text):
        start, end = match.span()
        inside = text[start + 1 : end - 1]
        closer = "’" if match.group("mark") == "‘" else "'"
        if len(inside.split()) < 2 or text[end - 1] != closer:
            continue
        if any(a < end and start < b for a, b in double):
            continue
        regions.append((start, end))
    return regions


def _closer_ahead(text: str, at: int) -> bool:
    """Whether a typographic closing mark follows in the same paragraph."""
    paragraph_end = text.find("\n", at)
    rest = text[at : paragraph_end if paragraph_end != -1 else len(text)]
    return any(mark in rest for mark in CLOSERS)


class Quotations:
    """Quotation regions with lookups by character offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        double = quote_regions(text)
        self.regions = sorted(double + single_quote_regions(text, double))

    def around(self, start: int, end: int) -> tuple[int, int] | None:
        """The quotation that holds the span (its closing mark may lie just outside)."""
        for region in self.regions:
            if region[0] <= start and end <= region[1] + 1:
                return region
            if region[0] >= end:
                break
        return None

    def widen(self, start: int, end: int) -> tuple[int, int]:
        """A span inside a quotation becomes the quotation; one that cuts a quotation
        takes in all of it."""
        for region in self.regions:
            if region[1] <= start or region[0] >= end:
                continue
            if region[0] <= start and end <= region[1] + 1:
                return region
            start, end = min(start, region[0]), max(end, region[1])
        return start, end

    def after(self, at: int, gap: str = " ,:\n") -> tuple[int, int] | None:
        """A quotation that starts right after `at`, separated only by `gap` characters."""
        for region in self.regions:
            if region[0] >= at and all(c in gap for c in self.text[at : region[0]]):
                return region
            if region[0] > at:
                return None
        return None

    def before(self, at: int, gap: str = " ,\n") -> tuple[int, int] | None:
        """A quotation that ends right before `at`."""
        for region in reversed(self.regions):
            if region[1] <= at and all(c in gap for c in self.text[region[1] : at]):
                return region
            if region[1] < at:
                return None
        return None
