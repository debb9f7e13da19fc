"""Sources: where raw documents come from. Each one streams; none reads a corpus whole.

`read_sources` is the one entry point: give it paths (files, directories, `-` for stdin)
and it yields `RawDocument`s and, for what cannot be read, `InputError`s, in order, so a
caller can process the good ones and report the bad ones.
"""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.settings import DEFAULTS, Settings
from fogmap.sources._decode import DecodeError, decode
from fogmap.sources._meter import ReadMeter
from fogmap.sources.files import GZIP_ERRORS, HTML_SUFFIXES, plain_suffix, read_file
from fogmap.sources.jsonl import read_lines
from fogmap.sources.warc import is_warc, read_warc

__all__ = [
    "SUPPORTED_SUFFIXES",
    "DecodeError",
    "ReadMeter",
    "decode",
    "input_bytes",
    "read_path",
    "read_sources",
]

_PLAIN_SUFFIXES = (".txt", ".jsonl", *HTML_SUFFIXES)
SUPPORTED_SUFFIXES = (*_PLAIN_SUFFIXES, *(s + ".gz" for s in _PLAIN_SUFFIXES), ".warc", ".warc.gz")
CHUNK = 1 << 20  # what an oversized line is skipped by
# How many times its size a compressed JSONL file may expand: news text gzips three to
# ten times; a decompression bomb, a thousand.
MAX_INFLATION = 100


class _Lines(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


class _Metered:
    """A file's lines, telling the meter how far into the file (on disk) they reach."""

    def __init__(self, handle: _Lines, raw: BinaryIO, meter: ReadMeter | None) -> None:
        self._handle, self._raw, self._meter = handle, raw, meter

    def readline(self, size: int = -1) -> bytes:
        line = self._handle.readline(size)
        if self._meter is not None:
            self._meter.into = self._raw.tell()
        return line


def input_bytes(paths: Iterable[str | Path]) -> int:
    """The size on disk of every input file the paths name (0 for standard input)."""
    total = 0
    for item in paths:
        path = Path(item)
        files = (f for f in _walk(path) if isinstance(f, Path)) if path.is_dir() else [path]
        total += sum(f.stat().st_size for f in files if str(f) != "-" and f.is_file())
    return total


class _Inflated:
    """A gzip stream that refuses to give more than `cap` bytes in all."""

    def __init__(self, handle: _Lines, cap: int) -> None:
        self._handle = handle
        self._cap = cap
        self._given = 0

    def readline(self, size: int = -1) -> bytes:
        line = self._handle.readline(size)
        self._given += len(line)
        if self._given > self._cap:
            raise OverflowError(self._cap)
        return line


def _bounded_lines(handle: _Lines, limit: int) -> Iterator[bytes | None]:
    """The lines of a stream, each read only up to `limit` bytes: a longer line is skipped
    to its end unkept and stands as None, so one huge line never fills memory."""
    while line := handle.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield None


def _read_jsonl_file(
    path: Path, settings: Settings, meter: ReadMeter | None = None
) -> Iterator[RawDocument | InputError]:
    limit = settings.max_file_bytes
    if not path.name.lower().endswith(".gz"):
        try:
            with path.open("rb") as handle:
                lines = _bounded_lines(_Metered(handle, handle, meter), limit)
                yield from read_lines(lines, str(path))
        except OSError as exc:
            yield InputError(str(path), exc.strerror or str(exc))
        return
    try:
        cap = max(limit, MAX_INFLATION * path.stat().st_size)
        with path.open("rb") as raw, gzip.GzipFile(fileobj=raw) as packed:
            inflated = _Metered(_Inflated(packed, cap), raw, meter)
            yield from read_lines(_bounded_lines(inflated, limit), str(path))
    except OverflowError:
        yield InputError(
            str(path),
            f"expands more than {MAX_INFLATION} times its size (a decompression bomb?); "
            "the lines before were read",
        )
    except GZIP_ERRORS as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield InputError(str(path), f"damaged gzip data ({reason}); the lines before were read")


def _read_stdin(settings: Settings) -> Iterator[RawDocument | InputError]:
    """JSON Lines on stdin are streamed line by line; anything else is one article."""
    stream = sys.stdin.buffer
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    if head.lstrip().startswith(b"{"):
        yield from read_lines(_bounded_lines(stream, settings.max_file_bytes), "<stdin>")
        return
    data = stream.read(settings.max_file_bytes + 1)
    if len(data) > settings.max_file_bytes:
        limit = settings.max_file_bytes / 1e6
        yield InputError("<stdin>", f"input is over the {limit:.0f} MB limit for one article")
        return
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


def read_path(
    path: Path, settings: Settings = DEFAULTS, meter: ReadMeter | None = None
) -> Iterator[RawDocument | InputError]:
    """Read one file of any supported kind."""
    if is_warc(path):
        yield from read_warc(path, settings, meter)
    elif plain_suffix(path) == ".jsonl":
        yield from _read_jsonl_file(path, settings, meter)
    else:
        try:
            yield read_file(path, settings)
        except InputError as exc:
            yield exc


def _walk(directory: Path) -> Iterator[Path | InputError]:
    """The input files under a folder, in name order, hidden ones aside. Symbolic links to
    folders are not followed (a link back up would loop); they, broken links and entries
    that are not regular files (pipes, sockets, devices) are reported, not passed over."""
    for root, folders, names in os.walk(directory):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for folder in folders:
            if (Path(root) / folder).is_symlink():
                yield InputError(
                    str(Path(root) / folder), "symbolic link to a folder, not followed"
                )
        for name in sorted(n for n in names if not n.startswith(".")):
            path = Path(root) / name
            if not name.lower().endswith(SUPPORTED_SUFFIXES):
                continue
            if path.is_symlink() and not path.exists():
                yield InputError(str(path), "broken symbolic link")
            elif not path.is_file():
                yield InputError(str(path), "not a regular file (a pipe, socket or device)")
            else:
                yield path


def read_sources(
    paths: Iterable[str | Path], settings: Settings = DEFAULTS, meter: ReadMeter | None = None
) -> Iterator[RawDocument | InputError]:
    for item in paths:
        if str(item) == "-":
            yield from _read_stdin(settings)
            continue
        path = Path(item)
        if path.is_dir():
            for file in _walk(path):
                if isinstance(file, InputError):
                    yield file
                else:
                    yield from _read_metered(file, settings, meter)
        elif path.exists():
            yield from _read_metered(path, settings, meter)
        else:
            yield InputError(str(path), "no such file or directory")


def _read_metered(
    path: Path, settings: Settings, meter: ReadMeter | None
) -> Iterator[RawDocument | InputError]:
    yield from read_path(path, settings, meter)
    if meter is not None:
        meter.done += path.stat().st_size if path.is_file() else 0
        meter.into = 0
