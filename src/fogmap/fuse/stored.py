"""Fusion's input read from a store: each article's reports, and its people and groups,
streamed in article order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fogmap.fuse.entities import GROUPS, PEOPLE, Mention
from fogmap.fuse.fusion import FUSED_MODES, ArticleFacts, article_facts, report
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
