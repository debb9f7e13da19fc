"""Fusion's input read from a store: each article's reports, streamed in article order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fogmap.fuse.fusion import FUSED_MODES, ArticleFacts, article_facts, report
from fogmap.store.schema import ArticleRow, ClaimRow, EventRow, PlaceRow


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
