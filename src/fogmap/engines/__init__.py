"""Where articles are parsed and extracted: in this process, or in a pool of worker
processes on this machine (`local.ProcessPool`). Both are a `Parse`: a batch of articles
in, their documents out, in the same order, so the rest of the pipeline does not know
which ran."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from fogmap.errors import InputError
from fogmap.records import Article, Document

# An article the extractors could not finish comes back as an InputError in its place.
Parse = Callable[[list[Article]], list[Document | InputError]]

__all__ = ["Engine", "Parse"]


@dataclass(frozen=True, slots=True)
class Engine:
    """What runs the parse: "local" (this process, or a pool of worker processes on this
    machine) or "dask" (a Dask cluster: at `scheduler`, or a local one when None)."""

    kind: Literal["local", "dask"] = "local"
    scheduler: str | None = None
