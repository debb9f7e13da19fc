"""Sources: where raw documents come from. Each one streams; none reads a corpus whole.

`read_sources` is the one entry point: give it paths (files, directories, `-` for stdin)
and it yields `RawDocument`s and, for what cannot be read, `InputError`s, in order, so a
caller can process the good ones and report the bad ones.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.settings import DEFAULTS, Settings
from fogmap.sources._decode import DecodeError, decode
from fogmap.sources.files import HTML_SUFFIXES, read_file
from fogmap.sources.jsonl import read_lines
from fogmap.sources.warc import is_warc, read_warc

__all__ = ["SUPPORTED_SUFFIXES", "read_path", "read_sources"]

SUPPORTED_SUFFIXES = (".txt", ".jsonl", *HTML_SUFFIXES, ".warc", ".warc.gz")
CHUNK = 1 << 20  # what an oversized line is skipped by


def _bounded_lines(handle: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of a stream, each read only up to `limit` bytes: a longer line is skipped
    to its end unkept and stands as None, so one huge line never fills memory."""
    while line := handle.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield None


def _read_jsonl_file(path: Path, settings: Settings) -> Iterator[RawDocument | InputError]:
    try:
        with path.open("rb") as handle:
            yield from read_lines(_bounded_lines(handle, settings.max_file_bytes), str(path))
    except OSError as exc:
        yield InputError(str(path), exc.strerror or str(exc))


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


def read_path(path: Path, settings: Settings = DEFAULTS) -> Iterator[RawDocument | InputError]:
    """Read one file of any supported kind."""
    name = path.name.lower()
    if is_warc(path):
        yield from read_warc(path, settings)
    elif name.endswith(".jsonl"):
        yield from _read_jsonl_file(path, settings)
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
    paths: Iterable[str | Path], settings: Settings = DEFAULTS
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
                    yield from read_path(file, settings)
        elif path.exists():
            yield from read_path(path, settings)
        else:
            yield InputError(str(path), "no such file or directory")
