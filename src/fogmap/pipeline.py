"""The pipeline's wiring: sources → text → clean → dedupe → parse → extract → store.

Each stage is a plain function over plain records. Errors travel down the stream as
`InputError` values in input order, so one bad file never stops a batch and the caller
can report every bad input with its reason as it goes.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from fogmap.engines import Engine, Parse
from fogmap.engines.dask import DaskPool
from fogmap.engines.local import ProcessPool
from fogmap.errors import InputError
from fogmap.extract import reconcile
from fogmap.extract.claims import extract_claims
from fogmap.extract.entities import extract_entities
from fogmap.extract.events import extract_events
from fogmap.extract.places import extract_places
from fogmap.geo import Gazetteer
from fogmap.geo import load as load_gazetteer
from fogmap.records import Article, Document, RawDocument
from fogmap.settings import DEFAULTS, Settings
from fogmap.store import (
    Store,
    StoreBandIndex,
    add_source,
    has_article,
    stored_locators,
    write_document,
)
from fogmap.text.clean import clean, dateline_date
from fogmap.text.dedupe import (
    BandIndex,
    Grouping,
    LayeredBandIndex,
    MemoryBandIndex,
    article_id,
    near_duplicate_group,
)
from fogmap.text.html import extract_html, normalise_date

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Prepared:
    """An article ready to parse, with the raw document it came from."""

    raw: RawDocument
    article: Article
    grouping: Grouping | None = None
    copies: list[Prepared] = field(default_factory=list)  # same text, other sources

    def join_group(self, index: BandIndex, settings: Settings = DEFAULTS) -> None:
        """Find (and record) the near-duplicate group of this article."""
        self.grouping = near_duplicate_group(self.article.id, self.article.text, index, settings)
        self.article.near_duplicate_group = self.grouping.group


def headline(text: str) -> str | None:
    """The first line of a flattened article when it reads as a headline: short, alone in
    its paragraph, not a sentence."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if (
        rest.startswith(("\n", "\r\n"))
        and 10 <= len(first) <= 150
        and not first.endswith((".", ",", ":"))
    ):
        return first
    return None


def _field(value: str | None) -> str | None:
    """A metadata field without NUL, which PostgreSQL refuses in text (other control
    characters are kept as written: the command line shows them escaped)."""
    if value is None:
        return None
    return value.replace("\x00", "")


def prepare(
    raw: RawDocument, published: str | None = None, settings: Settings = DEFAULTS
) -> Prepared:
    """Text and metadata of one raw document, cleaned, with its content id.

    Metadata given with the input (JSONL fields) wins over what is read from the page,
    except the URL: a page's canonical URL names the article, while the input's URL (a
    crawl's target URI) is where this copy was fetched, kept on its source row.
    `published` is the fallback publication date for inputs that carry none.
    """
    meta: dict[str, str | None] = {}
    if raw.html is not None:
        page = extract_html(raw.html, raw.locator, raw.url)
        body = page.text
        meta = {
            "url": page.url,
            "title": page.title,
            "author": page.author,
            "outlet": page.outlet,
            "published": page.published,
        }
    else:
        body = raw.text or ""
        meta["title"] = headline(body)
    given_date = raw.published
    if given_date is not None and normalise_date(given_date) is None:
        raise InputError(raw.locator, f"`published` is not an ISO 8601 date: {given_date!r}")
    cleaned = clean(body, extracted=raw.html is not None)
    if not cleaned.text:
        raise InputError(raw.locator, "no text left after cleaning")
    words = len(cleaned.text.split())
    if raw.html is not None and words < settings.min_page_words:
        raise InputError(
            raw.locator, f"no article on the page: {words} words of text ({cleaned.text[:40]!r})"
        )
    if len(cleaned.text) > settings.max_article_chars:
        raise InputError(
            raw.locator,
            f"text has {len(cleaned.text):,} characters, over the "
            f"{settings.max_article_chars:,} limit for one article",
        )
    # A stamp scraped with the text ("Published 14:05, 3 March 2023") is the article's date.
    stamps = (r.text for r in cleaned.removed if r.reason == "dateline")
    stamped = next(filter(None, map(dateline_date, stamps)), None) if raw.html is None else None
    article = Article(
        id=article_id(cleaned.text),
        text=cleaned.text,
        url=_field(meta.get("url") or raw.url),
        outlet=_field(raw.outlet or meta.get("outlet")),
        title=_field(raw.title or meta.get("title")),
        author=_field(meta.get("author")),
        published=normalise_date(given_date) or meta.get("published") or stamped or published,
        captions=cleaned.captions,
        removed=cleaned.removed,
    )
    return Prepared(raw, article)


def prepare_all(
    raws: Iterable[RawDocument | InputError],
    published: str | None = None,
    settings: Settings = DEFAULTS,
) -> Iterator[Prepared | InputError]:
    for raw in raws:
        if isinstance(raw, InputError):
            yield raw
            continue
        try:
            yield prepare(raw, published, settings)
        except InputError as exc:
            yield exc


def group_near_duplicates(
    items: Iterable[Prepared | InputError], index: BandIndex, settings: Settings = DEFAULTS
) -> Iterator[Prepared | InputError]:
    for item in items:
        if isinstance(item, Prepared):
            item.join_group(index, settings)
        yield item


def extract_document(doc: Doc, article: Article, gazetteer: Gazetteer) -> Document:
    """Every extractor over one parsed article, each using what the earlier ones found:
    claims their speakers among the entities, events their places and claims."""
    entities, places = reconcile(extract_entities(doc), extract_places(doc, gazetteer))
    claims = extract_claims(doc, entities)
    events = extract_events(doc, entities, places, claims, article.published, gazetteer)
    return Document(article, None, entities, places, claims, events)


class _OverBudget(BaseException):  # not an Exception: no `except Exception` swallows it
    pass


def _over_budget(signum: int, frame: object) -> None:
    raise _OverBudget


@contextmanager
def _budget(seconds: float) -> Iterator[None]:
    """Raise `_OverBudget` in the block once it has run `seconds`. A timer signal is the
    one way to stop Python code from outside, so this works in a process's main thread
    (the CLI's, or a worker's) where the system has SIGALRM; elsewhere it only runs."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _over_budget)
    # the signal comes again every 50 ms: one that lands where C code ignores exceptions
    # (a callback, a finaliser) is lost, and the next one stops the block
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_batch(
    nlp: Language, gazetteer: Gazetteer, articles: list[Article], settings: Settings = DEFAULTS
) -> list[Document | InputError]:
    """Parse a batch with `nlp.pipe` and run the extractors over each article, each within
    its time budget: a text that sends them into a pathological case fails alone, named,
    and the batch goes on."""
    results: list[Document | InputError] = []
    # the words a batch adds to the vocabulary are let go after it, so memory stays flat
    # over millions of articles; nothing of spaCy's outlives the batch
    with nlp.memory_zone():
        docs = nlp.pipe((a.text for a in articles), batch_size=settings.batch_size)
        for doc, article in zip(docs, articles, strict=True):
            try:
                with _budget(settings.article_seconds):
                    results.append(extract_document(doc, article, gazetteer))
            except _OverBudget:
                reason = f"extraction ran over its {settings.article_seconds:g} s budget"
                results.append(InputError(article.id, reason))
    return results


def in_process(nlp: Language, settings: Settings = DEFAULTS) -> Parse:
    """Parse and extract in this process, with `nlp.pipe` over each batch."""

    def parse(articles: list[Article]) -> list[Document | InputError]:
        return parse_batch(nlp, load_gazetteer(), articles, settings)

    return parse


def analyse(
    items: Iterable[Prepared | InputError], parse: Parse, batch_size: int
) -> Iterator[tuple[Prepared, Document] | InputError]:
    """Parse articles in batches and run the extractors, keeping the input's order. A
    `Parser` is given the next batch before this one's results are taken, so that worker
    processes parse while this process reads, cleans and writes."""
    submit = parse.submit if isinstance(parse, Parser) else _at_once(parse)
    iterator = iter(items)
    waiting: deque[
        tuple[list[Prepared | InputError], Callable[[], list[Document | InputError]]]
    ] = deque()
    while True:
        batch = list(islice(iterator, batch_size))
        if batch:
            ready = [item.article for item in batch if isinstance(item, Prepared)]
            waiting.append((batch, submit(ready)))
            if len(waiting) < AHEAD:
                continue
        if not waiting:
            return
        done, result = waiting.popleft()
        documents = iter(result())
        for item in done:
            if isinstance(item, InputError):
                yield item
                continue
            document = next(documents)
            if isinstance(document, InputError):  # named by article id where it failed
                yield InputError(item.raw.locator, document.reason)
                continue
            document.source_id = item.raw.source_id or item.raw.locator
            yield item, document


AHEAD = 2  # batches given to the parser before the first one's results are taken


def _at_once(
    parse: Parse,
) -> Callable[[list[Article]], Callable[[], list[Document | InputError]]]:
    def submit(articles: list[Article]) -> Callable[[], list[Document | InputError]]:
        documents = parse(articles)
        return lambda: documents

    return submit


class Parser:
    """Where a run cleans and parses, chosen at its first batch: worker processes (or a
    Dask cluster) when several are asked for and the input fills a batch for each of
    them; else this process (a few articles do not pay for starting workers). `load` is
    called only if this process parses. Close it when the run ends."""

    def __init__(
        self,
        load: Callable[[], Language],
        workers: int = 1,
        settings: Settings = DEFAULTS,
        engine: Engine | None = None,
    ) -> None:
        self.load, self.workers, self.settings = load, max(1, workers), settings
        self.engine = engine
        self.batch_size = settings.batch_size * self.workers  # articles read per batch
        self._parse: Parse | None = None
        self._pool: ProcessPool | DaskPool | None = None
        self._chosen = False

    def _workers(self, size: int) -> ProcessPool | DaskPool | None:
        """The pool of workers, started by the first batch that asks for one; None: this
        process does the work."""
        if not self._chosen:
            self._chosen = True
            if self.engine is not None and self.engine.kind == "dask":
                self._pool = DaskPool(self.engine.scheduler, self.workers, self.settings)
            elif self.workers > 1 and size > self.settings.batch_size:
                self._pool = ProcessPool(self.workers, self.settings)
        return self._pool

    def __call__(self, articles: list[Article]) -> list[Document | InputError]:
        pool = self._workers(len(articles))
        if pool is not None:
            return pool(articles)
        if self._parse is None:
            self._parse = in_process(self.load(), self.settings)
        return self._parse(articles)

    def submit(self, articles: list[Article]) -> Callable[[], list[Document | InputError]]:
        """Start parsing a batch; the function returned waits for its documents. Only
        worker processes work while the caller goes on; in this process it is done now."""
        pool = self._workers(len(articles))
        if pool is not None:
            return pool.submit(articles)
        return _at_once(self)(articles)

    def prepared(
        self, raws: Iterable[RawDocument | InputError], published: str | None = None
    ) -> Iterator[Prepared | InputError]:
        """The raw documents cleaned, in input order: by the workers where they run (the
        next batches handed to them before this one is taken), else here."""
        iterator = iter(raws)
        waiting: deque[
            tuple[list[RawDocument | InputError], Callable[[], list[Article | InputError]]]
        ] = deque()
        while True:
            batch = list(islice(iterator, self.batch_size))
            if batch:
                readable = [item for item in batch if isinstance(item, RawDocument)]
                pool = self._workers(len(readable))
                if pool is None:
                    yield from prepare_all(batch, published, self.settings)
                    continue
                waiting.append((batch, pool.submit_prepare(readable, published)))
                if len(waiting) < AHEAD:
                    continue
            if not waiting:
                return
            done, result = waiting.popleft()
            articles = iter(result())
            for item in done:
                if isinstance(item, InputError):
                    yield item
                    continue
                article = next(articles)
                yield article if isinstance(article, InputError) else Prepared(item, article)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def extract(
    raws: Iterable[RawDocument | InputError],
    nlp: Language | Callable[[], Language],
    published: str | None = None,
    settings: Settings = DEFAULTS,
    workers: int = 1,
    engine: Engine | None = None,
) -> Iterator[Document | InputError]:
    """Analyse without a database; near-duplicates are grouped within this run. `nlp` is
    the pipeline, or a function that loads it (not called with several workers)."""
    load = nlp if not isinstance(nlp, Language) else (lambda: nlp)
    parse = Parser(load, workers, settings, engine)
    prepared = parse.prepared(raws, published)
    grouped = group_near_duplicates(prepared, MemoryBandIndex(), settings)
    try:
        for result in analyse(grouped, parse, parse.batch_size):
            yield result if isinstance(result, InputError) else result[1]
    finally:
        parse.close()


@dataclass(slots=True)
class IngestReport:
    stored: int = 0
    duplicates: int = 0  # same text as an article already stored: a source was added
    unchanged: int = 0  # this very input was ingested before
    skipped: int = 0  # bad inputs, each passed to `on_error`

    @property
    def seen(self) -> int:
        return self.stored + self.duplicates + self.unchanged + self.skipped


def _skip(
    report: IngestReport, on_error: Callable[[InputError], None] | None, error: InputError
) -> None:
    """Count and report one bad input; a failure of the reporter itself (a broken
    terminal, a bug) must not roll back the batch of good articles around it, so it is
    logged instead."""
    report.skipped += 1
    if on_error is None:
        return
    try:
        on_error(error)
    except Exception:
        logger.exception("could not report a skipped input: %r", error.locator)


def ingest(
    raws: Iterable[RawDocument | InputError],
    store: Store,
    nlp: Callable[[], Language],
    published: str | None = None,
    settings: Settings = DEFAULTS,
    progress: Callable[[IngestReport], None] | None = None,
    on_error: Callable[[InputError], None] | None = None,
    workers: int = 1,
    engine: Engine | None = None,
) -> IngestReport:
    """Store every new article with its extractions, one transaction per batch (with
    several workers, a batch for each).

    Articles already stored are not parsed again: a repeated input changes nothing and the
    same text from a new source only adds that source. The model is loaded only when some
    article is new, so re-ingesting a finished corpus does not even load it.
    """
    report = IngestReport()
    parse = Parser(nlp, workers, settings, engine)
    iterator = parse.prepared(_unread(raws, store, settings.batch_size, report), published)
    try:
        _ingest_batches(
            iterator, store, parse, parse.batch_size, settings, report, progress, on_error
        )
    finally:
        parse.close()
    return report


def _unread(
    raws: Iterable[RawDocument | InputError], store: Store, chunk: int, report: IngestReport
) -> Iterator[RawDocument | InputError]:
    """The inputs less the crawl records stored already. A record id never names other
    content, so a crawl ingested again (or resumed after a stop) is passed over at the
    cost of an index lookup, not cleaned and hashed again."""
    iterator = iter(raws)
    while items := list(islice(iterator, chunk)):
        fixed = [r.locator for r in items if isinstance(r, RawDocument) and r.fixed]
        if fixed:
            with store.session() as session:
                stored = stored_locators(session, fixed)
        else:
            stored = set()
        for item in items:
            if isinstance(item, RawDocument) and item.locator in stored:
                report.unchanged += 1
            else:
                yield item


def _ingest_batches(
    iterator: Iterator[Prepared | InputError],
    store: Store,
    parse: Parse,
    batch_size: int,
    settings: Settings,
    report: IngestReport,
    progress: Callable[[IngestReport], None] | None,
    on_error: Callable[[InputError], None] | None,
) -> None:
    while batch := list(islice(iterator, batch_size)):
        errors = [item for item in batch if isinstance(item, InputError)]
        if len(errors) == len(batch):
            for error in errors:  # a run of bad lines opens no transaction
                _skip(report, on_error, error)
            if progress:
                progress(report)
            continue
        with store.batch() as session:
            index = LayeredBandIndex(StoreBandIndex(session))
            fresh: list[Prepared] = []
            in_batch: dict[str, Prepared] = {}
            for item in batch:
                if isinstance(item, InputError):
                    _skip(report, on_error, item)
                    continue
                key = item.article.id
                if key in in_batch:  # its first copy is written with this batch
                    in_batch[key].copies.append(item)
                    report.duplicates += 1
                    continue
                if has_article(session, key):
                    if add_source(session, key, item.raw, item.article):
                        report.duplicates += 1
                    else:
                        report.unchanged += 1
                    continue
                item.join_group(index, settings)
                in_batch[key] = item
                fresh.append(item)
            if fresh:
                for result in analyse(fresh, parse, batch_size):
                    if isinstance(result, InputError):
                        _skip(report, on_error, result)
                        continue
                    prepared, document = result
                    assert prepared.grouping is not None
                    write_document(session, document, prepared.grouping)
                    session.flush()
                    for copy in (prepared, *prepared.copies):
                        add_source(session, prepared.article.id, copy.raw, copy.article)
                    report.stored += 1
        if progress:
            progress(report)
