"""Bytes to text: UTF-8 when it is UTF-8, a detected encoding when it is not.

Guessing latin-1 turns every Cyrillic or Arabic page into mojibake, so a legacy encoding
is detected (charset-normalizer) and bytes that are neither valid UTF-8 nor coherent in
any encoding are refused with a reason rather than decoded into noise.
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

# Well-formed multi-byte UTF-8 sequences: their presence next to invalid bytes means the
# file is damaged UTF-8, not a legacy encoding.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_BINARY_SAMPLE = 8192


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can stand behind."""


def looks_binary(data: bytes) -> bool:
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and control / len(sample) > 0.05


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode `data`, trusting a `declared` charset (HTTP header, meta tag) only if it fits."""
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    if _UTF8_MULTIBYTE.search(data):
        raise DecodeError(
            f"invalid UTF-8 at byte {utf8_error.start} (the rest of the file is UTF-8)"
        )
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("text encoding could not be detected")
    return str(best)
