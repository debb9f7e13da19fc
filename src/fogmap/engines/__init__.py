"""Where articles are parsed and extracted: in this process, or in a pool of worker
processes on this machine (`local.ProcessPool`). Both are a `Parse`: a batch of articles
in, their documents out, in the same order, so the rest of the pipeline does not know
which ran."""

from __future__ import annotations

from collections.abc import Callable

from fogmap.records import Article, Document

Parse = Callable[[list[Article]], list[Document]]

__all__ = ["Parse"]
