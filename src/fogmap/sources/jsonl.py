"""JSON Lines: one article per line with `id`, `text` or `html`, and optional metadata."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from fogmap.errors import InputError
from fogmap.records import RawDocument

_OPTIONAL = ("url", "title", "published", "outlet")


def parse_line(line: str, locator: str) -> RawDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(locator, f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError(locator, "JSON nested too deep to be an article") from exc
    except ValueError as exc:  # Python refuses integers of thousands of digits
        raise InputError(locator, "JSON holds a number too long to read") from exc
    if not isinstance(record, dict):
        raise InputError(locator, "a JSONL line must hold an object")
    text, html = record.get("text"), record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (
        isinstance(html, str) and html.strip()
    ):
        raise InputError(locator, "no `text` or `html` field with content")
    extra: dict[str, str | None] = {}
    for key in _OPTIONAL:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            kind = type(value).__name__
            raise InputError(locator, f"`{key}` must be a string, not {kind}: {value!r:.40}")
        extra[key] = value
    source_id = record.get("id")
    if source_id is not None and (
        isinstance(source_id, bool) or not isinstance(source_id, str | int)
    ):
        raise InputError(locator, f"`id` must be a string or an integer: {source_id!r:.40}")
    return RawDocument(
        locator=locator,
        source_id=str(source_id) if source_id is not None else None,
        text=text if isinstance(text, str) and text.strip() else None,
        html=None if isinstance(text, str) and text.strip() else html,
        url=extra["url"],
        title=extra["title"],
        published=extra["published"],
        outlet=extra["outlet"],
    )


def read_lines(
    lines: Iterable[bytes | str | None], name: str
) -> Iterator[RawDocument | InputError]:
    """Yield one document or one error per non-blank line; a bad line never stops the rest.
    A line given as None was too long to read."""
    for number, raw in enumerate(lines, start=1):
        locator = f"{name}:{number}"
        if raw is None:
            yield InputError(locator, "line too long to be one article (over the size limit)")
            continue
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            yield InputError(locator, f"invalid UTF-8 at byte {exc.start} of the line")
            continue
        if not line.strip():
            continue
        try:
            yield parse_line(line, locator)
        except InputError as exc:
            yield exc
