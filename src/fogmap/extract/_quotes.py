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


def _closer_ahead(text: str, at: int) -> bool:
    """Whether a typographic closing mark follows in the same paragraph."""
    paragraph_end = text.find("\n", at)
    rest = text[at : paragraph_end if paragraph_end != -1 else len(text)]
    return any(mark in rest for mark in CLOSERS)
