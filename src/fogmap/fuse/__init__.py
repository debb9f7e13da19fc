"""Across articles: stories, incidents told by several sources, independent origins, the
claims that support or contradict each other (`fusion`), and how a text stands towards a
claim (`stance`).

The public names are imported on first use, so that `fogmap stance` does not load what
fusion needs (spaCy's word lists, the event taxonomy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ArticleFacts", "Fusion", "Incident", "Relation", "Report", "facts", "fuse"]

if TYPE_CHECKING:
    from fogmap.fuse.fusion import ArticleFacts, Fusion, facts, fuse
    from fogmap.fuse.incidents import Incident, Report
    from fogmap.fuse.relations import Relation


def __getattr__(name: str) -> Any:
    if name in ("ArticleFacts", "Fusion", "facts", "fuse"):
        from fogmap.fuse import fusion

        return getattr(fusion, name)
    if name in ("Incident", "Report"):
        from fogmap.fuse import incidents

        return getattr(incidents, name)
    if name == "Relation":
        from fogmap.fuse.relations import Relation

        return Relation
    raise AttributeError(f"module 'fogmap.fuse' has no attribute {name!r}")
