"""fogmap in a researcher's own code: text in, the same records `fogmap extract` prints out.

from fogmap import Extractor
extractor = Extractor()  # loads the spaCy model and the gazetteer once
document = extractor.extract(text, published="2021-09-06")
document.events, document.claims, document.to_dict()
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from fogmap import geo, nlp, pipeline
from fogmap.errors import InputError
from fogmap.records import Document, RawDocument
from fogmap.settings import DEFAULTS, Settings

Item = str | Mapping[str, str | None]


def _raw(item: Item, number: int) -> RawDocument:
    """A text, an HTML page, or a mapping with `text` or `html` and optionally `id`,
    `url`, `title`, `published`, as a JSONL line would give them."""
    if isinstance(item, str):
        return _from_text(item, f"item {number}", None)
    locator = str(item.get("id") or f"item {number}")
    if item.get("html"):
        return RawDocument(locator, html=item["html"], url=item.get("url"), source_id=locator)
    raw = _from_text(str(item.get("text") or ""), locator, item.get("url"))
    return replace(raw, title=item.get("title"), published=item.get("published"))


def _from_text(text: str, locator: str, url: str | None) -> RawDocument:
    head = text[:2000].lower()
    if "<html" in head or "<body" in head or "<article" in head:
        return RawDocument(locator, html=text, url=url, source_id=locator)
    return RawDocument(locator, text=text, url=url, source_id=locator)


class Extractor:
    """fogmap's whole per-article pipeline (cleaning, entities, claims, places, events) with
    its model and gazetteer loaded once."""

    def __init__(self, settings: Settings = DEFAULTS) -> None:
        self.settings = settings
        self.nlp = nlp.load()
        self.gazetteer = geo.load()

    def extract(self, text: str, published: str | None = None, url: str | None = None) -> Document:
        """The records of one article (plain text or an HTML page). `published` (ISO 8601)
        dates its relative dates where the text gives none; input fogmap cannot read (empty,
        binary, too long) raises `fogmap.errors.InputError` with the reason."""
        raw = _from_text(text, url or "text", url)
        prepared = pipeline.prepare(raw, published, self.settings)
        document = pipeline.extract_document(
            self.nlp(prepared.article.text), prepared.article, self.gazetteer
        )
        document.source_id = raw.source_id
        return document

    def extract_many(
        self, items: Iterable[Item], published: str | None = None, workers: int = 1
    ) -> Iterator[Document | InputError]:
        """The records of many articles, streamed in input order and parsed in batches;
        near-duplicates among them are grouped. An item fogmap cannot read comes out as an
        `InputError` in its place, so one bad item never stops the rest. With `workers`
        above 1, batches are parsed in that many processes (each loads its own model);
        the records are the same."""
        raws = (_raw(item, number) for number, item in enumerate(items, start=1))
        yield from pipeline.extract(raws, self.nlp, published, self.settings, workers)
