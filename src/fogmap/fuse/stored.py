"""Fusion over a store: its input read (each article's reports, its people and groups,
streamed in article order), and its result kept (`save_fusion`: the incidents with their
reports and the relations, so that the desk lists incidents without fusing per request)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from fogmap.extract.events import HAPPENED
from fogmap.fuse.entities import GROUPS, PEOPLE, Mention
from fogmap.fuse.fusion import FUSED_MODES, ArticleFacts, Fusion, article_facts, fuse, report
from fogmap.fuse.incidents import Incident
from fogmap.fuse.relations import Relation
from fogmap.store.schema import (
    ArticleRow,
    ClaimRow,
    EntityRow,
    EventRow,
    FusionRunRow,
    IncidentReportRow,
    IncidentRow,
    PlaceRow,
    RelationRow,
)

INSERTED_AT_ONCE = 1000  # rows per INSERT while fusion is saved


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


@dataclass(frozen=True, slots=True)
class FusionState:
    """How the kept fusion stands against the store: `stale` when articles were stored
    after it ran (or it never ran)."""

    fused_articles: int | None
    stored_articles: int
    incidents: int

    @property
    def stale(self) -> bool:
        return self.fused_articles != self.stored_articles


def fusion_state(session: Session) -> FusionState:
    last = session.scalars(select(FusionRunRow).order_by(FusionRunRow.id.desc()).limit(1)).first()
    stored_articles = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
    return FusionState(
        last.articles if last else None, stored_articles, last.incidents if last else 0
    )


def save_fusion(session: Session) -> FusionState:
    """Fuse every stored article and keep the result in place of the last one (in the
    caller's transaction: readers see the old fusion until it commits)."""
    started = time.perf_counter()
    fusion = fuse(stored(session))
    event_ids = {
        (article, number): key
        for key, article, number in session.execute(
            select(EventRow.id, EventRow.article_id, EventRow.number).where(
                EventRow.mode.in_(FUSED_MODES)
            )
        )
    }
    claim_ids = {
        (article, number): key
        for key, article, number in session.execute(
            select(ClaimRow.id, ClaimRow.article_id, ClaimRow.number).where(
                ClaimRow.id.in_(select(EventRow.claim_id).where(EventRow.claim_id.is_not(None)))
            )
        )
    }
    for table in (IncidentReportRow, IncidentRow, RelationRow):
        session.execute(delete(table))
    _insert(session, IncidentRow, (_incident_row(i) for i in fusion.incidents))
    _insert(
        session,
        IncidentReportRow,
        (
            {"incident_id": i.id, "event_id": event_ids[r.key], "article_id": r.article}
            for i in fusion.incidents
            for r in i.reports
        ),
    )
    _insert(session, RelationRow, _relation_rows(fusion, event_ids, claim_ids))
    articles = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
    session.add(
        FusionRunRow(
            articles=articles,
            events=len(event_ids),
            incidents=len(fusion.incidents),
            seconds=round(time.perf_counter() - started, 3),
        )
    )
    session.flush()
    return FusionState(articles, articles, len(fusion.incidents))


def _insert(session: Session, table: Any, rows: Iterable[dict[str, Any]]) -> None:
    iterator = iter(rows)
    while chunk := list(islice(iterator, INSERTED_AT_ONCE)):
        session.execute(insert(table), chunk)


def _incident_row(incident: Incident) -> dict[str, Any]:
    place = incident.place
    return {
        "id": incident.id,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "date_start": incident.date_start,
        "date_end": incident.date_end,
        "place": place.place if place else None,
        "feature_code": place.feature_code if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "fatalities": incident.fatalities,
        "fatalities_low": incident.fatalities_low,
        "fatalities_high": incident.fatalities_high,
        "actor1": incident.actor1,
        "actor2": incident.actor2,
        "reports": len(incident.reports),
        "origins": incident.origins,
        "contested": incident.contested,
        "happened": any(r.mode in HAPPENED for r in incident.reports),
        "first_published": min(
            (r.published for r in incident.reports if r.published), default=None
        ),
    }


def _relation_rows(
    fusion: Fusion,
    event_ids: dict[tuple[str, int], int],
    claim_ids: dict[tuple[str, int], int],
) -> Iterator[dict[str, Any]]:
    def end(point: dict[str, Any]) -> tuple[str, int | None]:
        if "event" in point:
            return "events", event_ids.get((point["article"], point["event"]))
        return "claims", claim_ids.get((point["article"], point["claim"]))

    relation: Relation
    for relation in fusion.relations:
        (source_table, source_id), (target_table, target_id) = (
            end(relation.source),
            end(relation.target),
        )
        if source_id is None or target_id is None:
            continue
        yield {
            "kind": relation.kind,
            "source_table": source_table,
            "source_id": source_id,
            "target_table": target_table,
            "target_id": target_id,
            "score": relation.score,
            "evidence": relation.evidence,
        }
