"""Where articles are cleaned, parsed and extracted: in this process, in a pool of worker
processes on this machine (`local.ProcessPool`) or on a Dask cluster (`dask.DaskPool`).
Each is a `Parse`: a batch of articles in, their documents out, in the same order, so the
rest of the pipeline does not know which ran; a pool also cleans raw documents into
articles (`Pool.submit_prepare`), so that the reading process only reads, groups and
writes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self

from fogmap.errors import EngineError, InputError
from fogmap.records import Article, Document, RawDocument

# An article the extractors could not finish comes back as an InputError in its place.
Parse = Callable[[list[Article]], list[Document | InputError]]

__all__ = ["Engine", "Parse", "Pool"]


@dataclass(frozen=True, slots=True)
class Engine:
    """What runs the parse: "local" (this process, or a pool of worker processes on this
    machine) or "dask" (a Dask cluster: at `scheduler`, or a local one when None)."""

    kind: Literal["local", "dask"] = "local"
    scheduler: str | None = None


class Pool:
    """Worker processes that parse a batch in as many chunks as there are workers, the
    documents coming back in the batch's order; `submit` returns at once, so this process
    reads the next batch while they parse. Subclasses say how a chunk is handed over."""

    workers: int
    settings: Any
    LOST: tuple[type[BaseException], ...] = ()  # what the pool raises for a lost worker

    def _call(self, function: Callable[..., Any], *arguments: Any) -> Future[Any] | Any:
        """Run `function(*arguments)` on a worker; a future of its result."""
        raise NotImplementedError

    def _chunked(
        self, function: Callable[..., list[Any]], items: list[Any], *arguments: Any
    ) -> Callable[[], list[Any]]:
        """`function` over the items in as many chunks as there are workers; the function
        returned waits for the results, in the items' order."""
        size = max(1, -(-len(items) // self.workers))
        futures = [
            self._call(function, items[i : i + size], *arguments)
            for i in range(0, len(items), size)
        ]

        def results() -> list[Any]:
            try:
                return [result for future in futures for result in future.result()]
            except self.LOST as exc:
                raise EngineError(
                    f"a worker was lost mid-batch ({type(exc).__name__}: killed, or out of "
                    "memory?); what was stored before it is kept: run again to go on"
                ) from exc

        return results

    def submit(self, articles: list[Article]) -> Callable[[], list[Document | InputError]]:
        """Hand a batch to the workers, a chunk each; the function returned waits for
        the documents, in the batch's order."""
        from fogmap.engines.local import worker_parse

        return self._chunked(worker_parse, articles, self.settings)

    def submit_prepare(
        self, raws: list[RawDocument], published: str | None
    ) -> Callable[[], list[Article | InputError]]:
        """Clean a batch of raw documents on the workers (HTML extraction, cleaning,
        content ids); the function returned waits for the articles, in order."""
        from fogmap.engines.local import worker_prepare

        return self._chunked(worker_prepare, raws, published, self.settings)

    def __call__(self, articles: list[Article]) -> list[Document | InputError]:
        return self.submit(articles)()

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
