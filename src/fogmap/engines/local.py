"""Every core of one machine: articles cleaned, parsed and extracted in worker processes.

Each worker loads the spaCy pipeline and the gazetteer once, when it starts; the parent
reads the inputs, hands each batch to the workers to clean, groups the cleaned articles
(near-duplicates need them in order), hands the new ones back to be parsed, in as many
chunks as there are workers, and gets everything back in input order, so it alone writes
to the store (SQLite has one writer) and the output is the same as with one process.
Workers are started fresh (`spawn`), not forked: a forked child would share the parent's
database connections.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from fogmap.engines import Pool
from fogmap.errors import InputError
from fogmap.records import Article, Document, RawDocument
from fogmap.settings import DEFAULTS, Settings

_state: dict[str, Any] = {}


def worker_parse(articles: list[Article], settings: Settings) -> list[Document | InputError]:
    """A batch parsed in a worker process (of this pool, or of a Dask cluster), with the
    pipeline and gazetteer the process loaded at its first batch."""
    from fogmap import geo, nlp
    from fogmap.pipeline import parse_batch

    if not _state:
        _state["nlp"], _state["gazetteer"] = nlp.load(), geo.load()
    return parse_batch(_state["nlp"], _state["gazetteer"], articles, settings)


def worker_prepare(
    raws: list[RawDocument], published: str | None, settings: Settings
) -> list[Article | InputError]:
    """A batch of raw documents cleaned in a worker process: the articles, or the reason
    one is unreadable, in order."""
    from fogmap.pipeline import prepare

    cleaned: list[Article | InputError] = []
    for raw in raws:
        try:
            cleaned.append(prepare(raw, published, settings).article)
        except InputError as exc:
            cleaned.append(exc)
    return cleaned


def _start() -> None:
    worker_parse([], DEFAULTS)  # load while the parent still reads its first batch


class ProcessPool(Pool):
    """A `Parse` over `workers` processes; close it (or use it in `with`) when done."""

    LOST = (BrokenProcessPool,)

    def __init__(self, workers: int, settings: Settings = DEFAULTS) -> None:
        self.workers = workers
        self.settings = settings
        self._pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start
        )

    def _call(self, function: Callable[..., Any], *arguments: Any) -> Future[Any]:
        return self._pool.submit(function, *arguments)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
