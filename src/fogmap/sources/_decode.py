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


# Byte-order marks of the encodings Windows tools write, longest first (UTF-32 LE starts
# with UTF-16 LE's mark).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def looks_binary(data: bytes) -> bool:
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    return _controls(sample) > 0.05


def _controls(sample: bytes | str) -> float:
    """The share of control characters (tab and line breaks aside) in a sample."""
    codes = sample if isinstance(sample, bytes) else [ord(c) for c in sample]
    control = sum(1 for code in codes if code < 9 or 13 < code < 32)
    return control / len(codes) if codes else 0.0


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode `data`, trusting a `declared` charset (HTTP header, meta tag) only if it fits.
    A byte-order mark decides: UTF-16 and UTF-32 text is text, not binary data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {codec.upper()} at byte {exc.start}") from None
            if _controls(text[:_BINARY_SAMPLE]) > 0.05:
                raise DecodeError("binary data, not text")  # a mark on random bytes
            return text
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
