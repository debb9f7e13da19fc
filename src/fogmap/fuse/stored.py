"""Fusion's input read from a store: each article's reports, and its people and groups,
streamed in article order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fogmap.fuse.entities import GROUPS, PEOPLE, Mention
from fogmap.fuse.fusion import FUSED_MODES, ArticleFacts, article_facts, fuse, report
from fogmap.fuse.incidents import Incident
from fogmap.store.schema import ArticleRow, ClaimRow, EntityRow, EventRow, PlaceRow


def stored(session: Session, published: tuple[str, str] | None = None) -> Iterator[ArticleFacts]:
    """Every stored article's contribution to fusion, or those published between two
    dates. Articles and their events come as two streams in the same order, merged as
    they go, so memory holds one article."""
    articles = select(ArticleRow)
    events = (
        select(EventRow, PlaceRow, ClaimRow)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
        .outerjoin(ClaimRow, ClaimRow.id == EventRow.claim_id)
        .where(EventRow.mode.in_(FUSED_MODES))
    )
    if published is not None:
        first, last = published
        within = func.substr(ArticleRow.published, 1, 10).between(first, last)
        articles, events = articles.where(within), events.where(within)
    rows = session.scalars(articles.order_by(ArticleRow.id).execution_options(yield_per=200))
    told = iter(
        session.execute(
            events.order_by(EventRow.article_id, EventRow.number).execution_options(yield_per=1000)
        )
    )
    return _merged(rows, told)


def _merged(articles: Iterator[ArticleRow], events: Iterator[Any]) -> Iterator[ArticleFacts]:
    pending = next(events, None)
    for article in articles:
        reports = []
        while pending is not None and pending[0].article_id == article.id:
            event, place, claim = pending
            reports.append(report(article, event.number, event, place, claim))
            pending = next(events, None)
        yield article_facts(article, reports)


def stored_mentions(session: Session) -> Iterator[Mention]:
    """Every stored person and group, as cross-article resolution reads them."""
    rows = session.scalars(
        select(EntityRow)
        .where(EntityRow.type.in_(GROUPS | PEOPLE))
        .order_by(EntityRow.article_id, EntityRow.number)
        .execution_options(yield_per=1000)
    )
    for row in rows:
        yield Mention(
            row.article_id,
            row.number,
            row.name,
            row.type,
            tuple(row.aliases or ()),
            row.role,
            row.affiliation,
        )


def stored_incidents(
    session: Session,
    event_type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    all_modes: bool = True,
    contested: bool = False,
) -> list[Incident]:
    """The stored articles' incidents, newest first, filtered as `events` filters events:
    by type or sub-type, country, first date; denied-only incidents only with all_modes."""
    wanted = event_type.lower() if event_type else None
    chosen = []
    for incident in fuse(stored(session)).incidents:
        place, day = incident.place, incident.date_start or ""
        kinds = {incident.event_type.lower(), (incident.sub_event_type or "").lower()}
        if (
            (wanted and wanted not in kinds)
            or (country and (place is None or (place.country or "").upper() != country.upper()))
            or (since and (not day or day < since))
            or (until and (not day or day > until))
            or (contested and not incident.contested)
            or (
                not all_modes
                and not any(r.mode in ("asserted", "claimed") for r in incident.reports)
            )
        ):
            continue
        chosen.append(incident)
    return chosen
