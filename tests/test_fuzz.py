"""Property-based fuzzing of what reads strangers' input: the cleaner, the decoders, the
JSONL reader, the file and crawl readers, the HTML reader and the feed reader. Whatever
the input, each either gives its record or names the problem (InputError); offsets
always point inside the text they describe."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fogmap.errors import InputError
from fogmap.pipeline import Prepared, prepare
from fogmap.records import RawDocument
from fogmap.sources import read_path
from fogmap.sources._decode import DecodeError, decode
from fogmap.sources.feeds import Watcher, _Answer, _Item, _looks_like_feed
from fogmap.sources.jsonl import parse_line
from fogmap.text.clean import clean, normalise

# Pieces that set the cleaner's and the readers' rules off, so that random text reaches
# them: captions and credits, teaser runs, tip lines, markup, entities, odd characters.
PIECES = [
    "The town fell on Monday, officials said. ",
    "AFP",
    "Reuters",
    "[/caption]",
    "[caption id=1]",
    "READ MORE",
    "SHARE THIS ARTICLE",
    "Photo: ",
    "Follow us on Twitter",
    "\n",
    "\n\n",
    " ",
    "\t",
    "(AP) — ",
    "<p>",
    "</p>",
    "<script>x()</script>",
    "&amp;",
    "&#0;",
    "\x00",
    "\u202e",
    "\u0627\u0644\u0633\u0644\u0627\u0645",  # Arabic: mixed right-to-left text
    "\U0001f4a5",
    "Copyright 2021",
    "Email: desk@example.com",
    "Click here",
    "KABUL, Afghanistan —",
]
texts = st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(texts, st.booleans())
def test_the_cleaner_never_fails_and_its_cuts_point_into_the_text(text: str, extracted: bool):
    cleaned = clean(text, extracted=extracted)
    normal = normalise(text)
    for removed in cleaned.removed:
        assert 0 <= removed.start <= removed.end <= len(normal)
        assert normal[removed.start : removed.end] == removed.text
    assert all(isinstance(caption, str) for caption in cleaned.captions)


@FUZZ
@given(st.binary(max_size=2_000), st.sampled_from([None, "utf-8", "latin-1", "nonsense"]))
def test_decoding_gives_text_or_names_the_problem(data: bytes, declared: str | None) -> None:
    try:
        assert isinstance(decode(data, declared), str)
    except DecodeError as exc:
        assert str(exc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {},
    optional={
        key: json_values | texts
        for key in ("id", "text", "html", "url", "title", "published", "outlet")
    },
)


@FUZZ
@given(st.one_of(records.map(json.dumps), st.text(max_size=200)))
def test_a_jsonl_line_gives_a_document_or_names_the_problem(line: str) -> None:
    try:
        raw = parse_line(line, "feed.jsonl:1")
    except InputError as exc:
        assert exc.locator == "feed.jsonl:1" and exc.reason
        return
    assert (raw.text is None) != (raw.html is None)
    for value in (raw.url, raw.title, raw.published, raw.outlet):
        assert value is None or isinstance(value, str)


@FUZZ
@given(records.map(json.dumps))
def test_a_document_read_from_any_jsonl_line_is_prepared_or_refused(line: str) -> None:
    try:
        raw = parse_line(line, "feed.jsonl:1")
        prepared = prepare(raw)
    except InputError:
        return
    assert isinstance(prepared, Prepared)
    article = prepared.article
    assert article.text.strip()
    for removed in article.removed:
        assert 0 <= removed.start <= removed.end


@FUZZ
@given(texts.map(lambda body: f"<html><body><article><p>{body}</p></article></body></html>"))
def test_any_page_is_read_or_refused_with_a_reason(html: str) -> None:
    try:
        prepared = prepare(RawDocument(locator="page.html", html=html))
    except InputError as exc:
        assert exc.reason
        return
    assert prepared.article.text.strip()


@settings(max_examples=60, deadline=None)
@given(
    st.binary(max_size=3_000),
    st.sampled_from([".txt", ".html", ".jsonl", ".warc", ".warc.gz"]),
    st.booleans(),
)
def test_any_file_gives_documents_or_reasons(
    tmp_path_factory, data: bytes, suffix: str, zipped: bool
) -> None:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    path = folder / f"input{suffix}"
    path.write_bytes(gzip.compress(data) if zipped and suffix == ".warc.gz" else data)
    for item in read_path(path):
        assert isinstance(item, RawDocument | InputError)
        if isinstance(item, InputError):
            assert item.reason


@FUZZ
@given(st.one_of(st.binary(max_size=2_000), texts.map(str.encode)))
def test_any_body_is_a_feed_a_page_or_a_reason(body: bytes) -> None:
    answer = _Answer("https://news.example/feed", 200, httpx.Headers(), body)
    with Watcher() as watcher:
        if _looks_like_feed("", body):
            items = watcher._items(answer, "application/rss+xml")
            for item in items or ():
                assert item.url.startswith(("http://", "https://")) or "://" not in item.url
        result = watcher._page(answer.url, answer, _Item(answer.url))
    assert isinstance(result, RawDocument | InputError)
