"""Sources: where raw documents come from. Each one streams; none reads a corpus whole.

`read_sources` is the one entry point: give it paths (files, directories, `-` for stdin)
and it yields `RawDocument`s and, for what cannot be read, `InputError`s, in order, so a
caller can process the good ones and report the bad ones.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.settings import DEFAULTS, Settings
from fogmap.sources._decode import DecodeError, decode
from fogmap.sources.files import HTML_SUFFIXES, read_file
from fogmap.sources.jsonl import read_lines
from fogmap.sources.warc import is_warc, read_warc

__all__ = ["SUPPORTED_SUFFIXES", "read_path", "read_sources"]

SUPPORTED_SUFFIXES = (".txt", ".jsonl", *HTML_SUFFIXES, ".warc", ".warc.gz")


def _read_jsonl_file(path: Path) -> Iterator[RawDocument | InputError]:
    try:
        with path.open("rb") as handle:
            yield from read_lines(handle, str(path))
    except OSError as exc:
        yield InputError(str(path), exc.strerror or str(exc))


def _read_stdin() -> Iterator[RawDocument | InputError]:
    """JSON Lines on stdin are streamed line by line; anything else is one article."""
    stream = sys.stdin.buffer
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.lstrip().startswith(b"{"):
        yield from read_lines(stream, "<stdin>")
        return
    data = stream.read()
    if data.lstrip().startswith(b"{"):
        yield from read_lines(data.splitlines(), "<stdin>")
        return
    try:
        text = decode(data)
    except DecodeError as exc:
        yield InputError("<stdin>", str(exc))
        return
    if not text.strip():
        yield InputError("<stdin>", "no input")
    elif text.lstrip()[:1] == "<":
        yield RawDocument(locator="<stdin>", html=text)
    else:
        yield RawDocument(locator="<stdin>", text=text)


def read_path(path: Path, settings: Settings = DEFAULTS) -> Iterator[RawDocument | InputError]:
    """Read one file of any supported kind."""
    name = path.name.lower()
    if is_warc(path):
        yield from read_warc(path, settings)
    elif name.endswith(".jsonl"):
        yield from _read_jsonl_file(path)
    else:
        try:
            yield read_file(path, settings)
        except InputError as exc:
            yield exc


def _walk(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            continue
        if path.is_file() and path.name.lower().endswith(SUPPORTED_SUFFIXES):
            yield path


def read_sources(
    paths: Iterable[str | Path], settings: Settings = DEFAULTS
) -> Iterator[RawDocument | InputError]:
    for item in paths:
        if str(item) == "-":
            yield from _read_stdin()
            continue
        path = Path(item)
        if path.is_dir():
            for file in _walk(path):
                yield from read_path(file, settings)
        elif path.exists():
            yield from read_path(path, settings)
        else:
            yield InputError(str(path), "no such file or directory")
