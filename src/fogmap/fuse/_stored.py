"""Fusion's input read from a store: each article's reports, streamed in article order."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from fogmap.fuse.fusion import FUSED_MODES, ArticleFacts, article_facts, report
from fogmap.store.schema import ArticleRow, ClaimRow, EventRow, PlaceRow


def stored(session: Session) -> Iterator[ArticleFacts]:
    """Every stored article's contribution to fusion. Articles and their events come as
    two streams in the same order, merged as they go, so memory holds one article."""
    articles = session.scalars(
        select(ArticleRow).order_by(ArticleRow.id).execution_options(yield_per=200)
    )
    events = iter(
        session.execute(
            select(EventRow, PlaceRow, ClaimRow)
            .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
            .outerjoin(ClaimRow, ClaimRow.id == EventRow.claim_id)
            .where(EventRow.mode.in_(FUSED_MODES))
            .order_by(EventRow.article_id, EventRow.number)
            .execution_options(yield_per=1000)
        )
    )
    pending = next(events, None)
    for article in articles:
        reports = []
        while pending is not None and pending[0].article_id == article.id:
            event, place, claim = pending
            reports.append(report(article, event.number, event, place, claim))
            pending = next(events, None)
        yield article_facts(article, reports)
