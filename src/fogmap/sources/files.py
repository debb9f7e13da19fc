"""Single-article files: plain text (`.txt`) and saved pages (`.html`, `.htm`), each also
gzip-compressed (`.txt.gz`, `.html.gz`)."""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.settings import DEFAULTS, Settings
from fogmap.sources._decode import DecodeError, decode

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
GZIP_ERRORS = (OSError, EOFError, zlib.error)  # gzip.BadGzipFile is an OSError
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
        if path.name.lower().endswith(".gz"):
            return _inflate(path, settings.max_file_bytes)
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc


def _inflate(path: Path, limit: int) -> bytes:
    """A gzip file's content, decompressed only up to `limit`: a bomb of a few KB is
    refused at the limit, not after filling the memory."""
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except GZIP_ERRORS as exc:
        raise InputError(str(path), f"damaged gzip data ({exc})") from exc
    if len(data) > limit:
        raise InputError(
            str(path), f"expands beyond the {limit / 1e6:.0f} MB limit for one article"
        )
    return data


def plain_suffix(path: Path) -> str:
    """The suffix that says what a file holds, under a `.gz`: `.html` for page.html.gz."""
    name = path.name.lower().removesuffix(".gz")
    return name[name.rfind(".") :] if "." in name else ""


def html_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def read_file(path: Path, settings: Settings = DEFAULTS) -> RawDocument:
    data = read_bytes(path, settings)
    suffix = plain_suffix(path)
    is_html = suffix in HTML_SUFFIXES
    try:
        text = decode(data, html_charset(data) if is_html else None)
    except DecodeError as exc:
        raise InputError(str(path), str(exc)) from exc
    if not text.strip():
        raise InputError(str(path), "file holds only white space")
    if is_html or (suffix != ".txt" and _HTML_START.match(text)):
        return RawDocument(locator=str(path), html=text)
    return RawDocument(locator=str(path), text=text)
