"""Printing what came from strangers: every string shown as it is, never as markup or
terminal control."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    pass


# Characters that act on a terminal rather than show: C0/C1 controls (escape sequences,
# carriage returns, bells), DEL, bidirectional overrides and isolates (they reorder what a
# reader sees), and lone surrogates (undecodable bytes in file names).
_INERT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def plain(value: object) -> str:
    """Text from an input or the database made inert for the terminal: each character that
    would act (see `_INERT`) is shown as its escape, e.g. ``\\x1b``."""
    return _INERT.sub(_escape_char, str(value))


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line(*parts: object | tuple[object, str]) -> Text:
    """One printed line: each part is input text shown as it is, or a (text, style) pair."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(plain(part[0]), style=part[1])
        else:
            text.append(plain(part))
    return text


def add_row(table: Table, *cells: object) -> None:
    table.add_row(*(plain(cell) for cell in cells))
