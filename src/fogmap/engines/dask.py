"""A Dask cluster: articles cleaned, parsed and extracted on the cluster's workers.

The same split as `local.ProcessPool`: the workers clean, parse and extract; this process
reads the inputs, groups the cleaned articles and writes every result (so the store has
one writer, and the output is the same record for record whatever runs it); each batch
goes to the workers in chunks, one task per chunk, and comes back in input order. A
worker loads the spaCy pipeline and the gazetteer at its first task and keeps them. A
worker that dies mid-task loses nothing: Dask runs its tasks again on another worker,
and since only this process writes, nothing is written twice.

With no scheduler address a `distributed.LocalCluster` of `workers` processes is started
on this machine (and stopped with the pool). Needs `pip install 'fogmap[dask]'`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fogmap.engines import Pool
from fogmap.errors import UsageError
from fogmap.settings import DEFAULTS, Settings

__all__ = ["DaskPool"]


class DaskPool(Pool):
    """A `Parse` over a Dask cluster; close it (or use it in `with`) when done."""

    def __init__(
        self, scheduler: str | None = None, workers: int = 2, settings: Settings = DEFAULTS
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ModuleNotFoundError as exc:
            raise UsageError(
                "the Dask engine needs distributed: pip install 'fogmap[dask]'"
            ) from exc
        self.settings = settings
        self._cluster: Any = None
        if scheduler is None:
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(scheduler, timeout="10s")
            except OSError as exc:
                raise UsageError(f"no Dask scheduler answers at {scheduler}: {exc}") from exc
        self.workers = max(1, len(self._client.scheduler_info()["workers"]))
        from distributed import KilledWorker

        self.LOST = (KilledWorker, OSError)  # a task lost on every worker it ran on

    def _call(self, function: Callable[..., Any], *arguments: Any) -> Any:
        return self._client.submit(function, *arguments, pure=False)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
