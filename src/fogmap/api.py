"""fogmap in a researcher's own code: text in, the same records `fogmap extract` prints out;
and a database `fogmap ingest` filled, read as records.

from fogmap import Extractor, Store
extractor = Extractor()  # loads the spaCy model and the gazetteer once
document = extractor.extract(text, published="2021-09-06")
document.events, document.claims, document.to_dict()
with Store("fogmap.db") as store:
    store.events(country="AF"), store.incidents(contested=True), store.document("1b98a4")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING

from fogmap import geo, nlp, pipeline
from fogmap.errors import InputError
from fogmap.records import Document, RawDocument
from fogmap.settings import DEFAULTS, Settings

if TYPE_CHECKING:
    from fogmap.fuse import Incident
    from fogmap.store.queries import (
        ArticleSummary,
        ClaimSummary,
        EventSummary,
        PlaceSummary,
    )

__all__ = ["Extractor", "Item", "Store"]

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


class Store:
    """A fogmap database (a SQLite file or a PostgreSQL URL), read as records: the queries
    of `fogmap articles`, `claims`, `places`, `events`, `incidents` and `show`. It opens
    the database read-only and never changes it; close it, or use it in `with`."""

    def __init__(self, url: str | None = None) -> None:
        from fogmap.store import Store as _Database

        self._database = _Database.open(url, read_only=True)

    def articles(
        self, search: str | None = None, outlet: str | None = None, limit: int = 50
    ) -> list[ArticleSummary]:
        """Newest first, or those matching a full-text search."""
        from fogmap.store.queries import list_articles

        with self._database.session() as session:
            return list_articles(session, search, outlet, limit)

    def document(self, article_id: str) -> Document:
        """One article with its records, as `Extractor.extract` gives them; an id prefix
        is enough where only one article has it."""
        from fogmap.store.queries import load_document, resolve_id

        with self._database.session() as session:
            document, _ = load_document(session, resolve_id(session, article_id))
            return document

    def claims(
        self,
        speaker: str | None = None,
        affiliation: str | None = None,
        topic: str | None = None,
        outlet: str | None = None,
        kind: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
    ) -> list[ClaimSummary]:
        """Who said what, newest article first, with the sentence."""
        from fogmap.store.queries import list_claims

        with self._database.session() as session:
            return list_claims(
                session, speaker, affiliation, topic, outlet, kind, since, until, limit
            )

    def places(self, country: str | None = None, limit: int = 50) -> list[PlaceSummary]:
        """Places, most reported first, with counts of articles, claims and events."""
        from fogmap.store.queries import list_places

        with self._database.session() as session:
            return list_places(session, country, False, limit)

    def events(
        self,
        event_type: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        all_modes: bool = False,
    ) -> Iterator[EventSummary]:
        """Coded events, newest first, streamed (only those told as having happened unless
        `all_modes`)."""
        from fogmap.store.queries import iter_events

        with self._database.session() as session:
            yield from iter_events(session, event_type, country, since, until, all_modes)

    def incidents(
        self,
        event_type: str | None = None,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
        contested: bool = False,
    ) -> list[Incident]:
        """Incidents across the stored articles (fused as `fogmap incidents` fuses them),
        each with its reports, independent sources and fatality range."""
        from fogmap.fuse.stored import stored_incidents

        with self._database.session() as session:
            return stored_incidents(session, event_type, country, since, until, True, contested)

    def close(self) -> None:
        self._database.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
