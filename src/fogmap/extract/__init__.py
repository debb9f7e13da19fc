"""Extraction from one parsed article: each kind of record has its own module
(`entities`, `claims`, `places`, `events`, with `dates` and `fatalities` beside them);
`reconcile` settles the names the entity and place readers both claim."""

from fogmap.extract._reconcile import reconcile

__all__ = ["reconcile"]
