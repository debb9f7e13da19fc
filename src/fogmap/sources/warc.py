"""WARC and WARC.gz crawl files: HTML response records, streamed one at a time.

fastwarc reads a truncated gzip member as if it were complete, so each record's block is
checked against its declared Content-Length; the HTTP envelope is unwrapped here so that
chunked transfer and compressed content encodings are handled explicitly.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from email.parser import BytesHeaderParser
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecordType

from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.settings import DEFAULTS, Settings
from fogmap.sources._decode import DecodeError, decode
from fogmap.sources._meter import ReadMeter

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def _dechunk(body: bytes) -> bytes:
    out, pos = bytearray(), 0
    while True:
        end = body.find(b"\r\n", pos)
        if end < 0:
            raise ValueError("broken chunked encoding")
        size = int(body[pos:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2


def _inflate(body: bytes, wbits: int, limit: int) -> bytes:
    """A compressed body, decompressed to at most `limit` bytes: a 4 KB gzip bomb is
    refused when it passes the limit, not after it has filled the memory."""
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(body, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise ValueError(f"compressed body expands beyond {limit / 1e6:.1f} MB")
    return out


def split_http(
    block: bytes, limit: int = DEFAULTS.max_file_bytes
) -> tuple[int, dict[str, str], bytes]:
    """Split a raw HTTP response into status, lower-cased headers and decoded body."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        raise ValueError("no HTTP header block")
    status_line, _, header_bytes = head.partition(b"\r\n")
    parts = status_line.split()
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    message = BytesHeaderParser().parsebytes(header_bytes)
    headers = {k.lower(): v for k, v in message.items()}
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = headers.get("content-encoding", "").lower()
    if encoding in ("gzip", "x-gzip"):
        body = _inflate(body, 16 + zlib.MAX_WBITS, limit)
    elif encoding == "deflate":
        body = _inflate(body, zlib.MAX_WBITS, limit)
    return status, headers, body


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip("\"' ")
    return None


def read_warc(
    path: Path, settings: Settings = DEFAULTS, meter: ReadMeter | None = None
) -> Iterator[RawDocument | InputError]:
    """Yield each HTML response of a crawl file, or an error naming the broken record."""
    count = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(
                stream, record_types=WarcRecordType.response, parse_http=False
            ):
                count += 1
                if meter is not None:
                    meter.into = stream.tell()
                record_id = record.record_id or f"record-{count}"
                locator = f"{path}#{record_id}"
                url = record.headers.get("WARC-Target-URI")
                declared = int(record.headers.get("Content-Length") or 0)
                if declared > settings.max_file_bytes * 2:
                    # a record this large is no article page; never inflate it into memory
                    yield InputError(locator, f"record is {declared / 1e6:.1f} MB, over the limit")
                    continue
                block = record.reader.read()
                if len(block) < declared:
                    yield InputError(
                        locator, f"record truncated ({len(block)} of {declared} bytes)"
                    )
                    return
                try:
                    status, headers, body = split_http(block, settings.max_file_bytes)
                except (ValueError, OSError, EOFError, zlib.error) as exc:
                    yield InputError(locator, f"unreadable HTTP response: {exc}")
                    continue
                content_type = headers.get("content-type", "")
                if status != 200 or not content_type.lower().startswith(_HTML_TYPES):
                    continue  # redirects, images, scripts: not articles
                if len(body) > settings.max_file_bytes:
                    yield InputError(locator, f"page is {len(body) / 1e6:.1f} MB, over the limit")
                    continue
                try:
                    html = decode(body, _charset(content_type))
                except DecodeError as exc:
                    yield InputError(locator, str(exc))
                    continue
                yield RawDocument(
                    locator=locator, html=html, url=url, source_id=record_id, fixed=True
                )
    except OSError as exc:
        yield InputError(str(path), exc.strerror or str(exc))
    except Exception as exc:  # fastwarc raises plain exceptions on corrupt streams
        yield InputError(str(path), f"corrupt WARC after {count} records: {exc}")


def warc_response(url: str, html: str, date: str, record_id: str, charset: str = "utf-8") -> bytes:
    """One gzip member holding a WARC response record for an HTML page.

    fogmap reads crawls rather than writing them; this exists so that the demo corpus and
    the tests can build real WARC files instead of shipping opaque binaries.
    """
    body = html.encode(charset)
    http = (
        b"HTTP/1.1 200 OK\r\n"
        + f"Content-Type: text/html; charset={charset}\r\n".encode()
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    header = (
        "WARC/1.0\r\n"
        "WARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"WARC-Date: {date}\r\n"
        f"WARC-Target-URI: {url}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(header + http + b"\r\n\r\n", mtime=0)
