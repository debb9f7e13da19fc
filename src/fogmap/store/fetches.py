"""`fogmap watch`'s memory: what it fetched, kept beside the articles it read."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from fogmap.records import Fetched
from fogmap.store.schema import FetchRow

__all__ = ["known_fetch", "remember_fetches"]


def known_fetch(session: Session, url: str) -> Fetched | None:
    row = session.get(FetchRow, url)
    if row is None:
        return None
    return Fetched(row.url, row.kind, row.etag, row.last_modified, row.status, row.note)


def remember_fetches(session: Session, fetches: Iterable[Fetched]) -> None:
    """Write each fetch over what was known of its URL (the last answer counts)."""
    for fetch in fetches:
        session.merge(
            FetchRow(
                url=fetch.url,
                kind=fetch.kind,
                etag=fetch.etag,
                last_modified=fetch.last_modified,
                status=fetch.status,
                note=fetch.note,
            )
        )
