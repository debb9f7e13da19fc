"""Single-article files: plain text (`.txt`) and saved pages (`.html`, `.htm`)."""

from __future__ import annotations

import re
from pathlib import Path

from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.settings import DEFAULTS, Settings
from fogmap.sources._decode import DecodeError, decode

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article)", re.IGNORECASE)


def read_bytes(path: Path, settings: Settings = DEFAULTS) -> bytes:
    """Read a single-article file, refusing empty and oversized ones before reading."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(str(path), "empty file")
        if size > settings.max_file_bytes:
            raise InputError(
                str(path),
                f"file is {size / 1e6:.1f} MB, over the {settings.max_file_bytes / 1e6:.0f} MB "
                "limit for one article (is it a whole corpus? split it into articles)",
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc


def html_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def read_file(path: Path, settings: Settings = DEFAULTS) -> RawDocument:
    data = read_bytes(path, settings)
    is_html = path.suffix.lower() in HTML_SUFFIXES
    try:
        text = decode(data, html_charset(data) if is_html else None)
    except DecodeError as exc:
        raise InputError(str(path), str(exc)) from exc
    if not text.strip():
        raise InputError(str(path), "file holds only white space")
    if is_html or (path.suffix.lower() != ".txt" and _HTML_START.match(text)):
        return RawDocument(locator=str(path), html=text)
    return RawDocument(locator=str(path), text=text)
