"""Fusion over a store: its input read (each article's reports, its people and groups,
streamed in article order), and its result kept (`save_fusion`: the incidents with their
reports and the relations, so that the desk lists incidents without fusing per request)."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from fogmap.extract.events import HAPPENED
from fogmap.fuse.entities import GROUPS, PEOPLE, Mention
from fogmap.fuse.fusion import FUSED_MODES, ArticleFacts, Fusion, article_facts, fuse, report
from fogmap.fuse.incidents import Incident, Report
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


def stored(
    session: Session,
    published: tuple[str, str] | None = None,
    only: Collection[str] | None = None,
) -> Iterator[ArticleFacts]:
    """Every stored article's contribution to fusion, or those published between two
    dates, or `only` those. Articles and their events come as two streams in the same
    order, merged as they go, so memory holds one article."""
    if only is not None:
        return (
            facts
            for chunk in _chunks(sorted(only))
            for facts in _stored(session, ArticleRow.id.in_(chunk))
        )
    if published is not None:
        first, last = published
        return _stored(session, func.substr(ArticleRow.published, 1, 10).between(first, last))
    return _stored(session, None)


def _stored(session: Session, where: Any) -> Iterator[ArticleFacts]:
    articles = select(ArticleRow)
    events = (
        select(EventRow, PlaceRow, ClaimRow)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
        .outerjoin(ClaimRow, ClaimRow.id == EventRow.claim_id)
        .where(EventRow.mode.in_(FUSED_MODES))
    )
    if where is not None:
        articles, events = articles.where(where), events.where(where)
    rows = session.scalars(articles.order_by(ArticleRow.id).execution_options(yield_per=200))
    told = iter(
        session.execute(
            events.order_by(EventRow.article_id, EventRow.number).execution_options(yield_per=1000)
        )
    )
    return _merged(rows, told)


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


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
    by type or sub-type, country, first date; denied-only incidents only with all_modes.
    They are the kept fusion's where it is up to date; else the store is fused now (a
    read cannot keep it), as it is where nothing was ever fused."""
    if not fusion_state(session).stale:
        return list(
            kept_incidents(session, event_type, country, since, until, all_modes, contested)
        )
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


def kept_incidents(
    session: Session,
    event_type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    all_modes: bool = True,
    contested: bool = False,
    only: list[str] | None = None,
) -> Iterator[Incident]:
    """The kept fusion's incidents (`stored_incidents`' filters, or `only` these ids),
    newest first, each with its reports read back from the store, as fusion made them."""
    query = select(IncidentRow)
    if only is not None:
        query = query.where(IncidentRow.id.in_(only))
    if event_type:
        wanted = event_type.lower()
        query = query.where(
            (func.lower(IncidentRow.event_type) == wanted)
            | (func.lower(IncidentRow.sub_event_type) == wanted)
        )
    if country:
        query = query.where(func.upper(IncidentRow.country) == country.upper())
    if since:
        query = query.where(IncidentRow.date_start >= since)
    if until:
        query = query.where(IncidentRow.date_start <= until)
    if contested:
        query = query.where(IncidentRow.contested.is_(True))
    if not all_modes:
        query = query.where(IncidentRow.happened.is_(True))
    query = query.order_by(
        func.coalesce(IncidentRow.date_start, "").desc(), IncidentRow.reports.desc(), IncidentRow.id
    )
    rows = iter(session.scalars(query).all())
    while chunk := list(islice(rows, 200)):
        told: dict[str, list[Report]] = {}
        for incident_id, event, article, place, claim in session.execute(
            select(IncidentReportRow.incident_id, EventRow, ArticleRow, PlaceRow, ClaimRow)
            .join(EventRow, EventRow.id == IncidentReportRow.event_id)
            .join(ArticleRow, ArticleRow.id == EventRow.article_id)
            .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
            .outerjoin(ClaimRow, ClaimRow.id == EventRow.claim_id)
            .where(IncidentReportRow.incident_id.in_([row.id for row in chunk]))
        ):
            told.setdefault(incident_id, []).append(
                report(article, event.number, event, place, claim)
            )
        for row in chunk:
            yield _incident(row, told.get(row.id, []))


def kept_fusion_of(session: Session, article_id: str) -> Fusion:
    """The kept fusion as far as one article is concerned: the incidents its events report
    (with every report) and the relations that touch its events or claims."""
    incident_of = {
        (article_id, number): incident
        for number, incident in session.execute(
            select(EventRow.number, IncidentReportRow.incident_id)
            .join(IncidentReportRow, IncidentReportRow.event_id == EventRow.id)
            .where(EventRow.article_id == article_id)
        )
    }
    ids = sorted(set(incident_of.values()))
    incidents = list(kept_incidents(session, only=ids)) if ids else []
    ends = {
        "events": select(EventRow.id).where(EventRow.article_id == article_id),
        "claims": select(ClaimRow.id).where(ClaimRow.article_id == article_id),
    }
    rows = session.scalars(
        select(RelationRow).where(
            or_(
                *(
                    (getattr(RelationRow, f"{side}_table") == table)
                    & getattr(RelationRow, f"{side}_id").in_(query)
                    for table, query in ends.items()
                    for side in ("source", "target")
                )
            )
        )
    ).all()
    keys = _row_keys(session, [(r.source_table, r.source_id) for r in rows]
                     + [(r.target_table, r.target_id) for r in rows])  # fmt: skip
    relations = []
    for row in rows:
        source, target = (
            keys.get((row.source_table, row.source_id)),
            keys.get((row.target_table, row.target_id)),
        )
        if source is not None and target is not None:
            relations.append(
                Relation(row.kind, source, target, row.score or 0.0, row.evidence or {})  # type: ignore[arg-type]
            )
    return Fusion(incidents, relations, [], incident_of)


def _row_keys(
    session: Session, ends: list[tuple[str, int]]
) -> dict[tuple[str, int], dict[str, Any]]:
    """A relation's ends as `Relation` names them: {"article": id, "event"|"claim": n}."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for table, row_type, name in (("events", EventRow, "event"), ("claims", ClaimRow, "claim")):
        wanted = sorted({key for kind, key in ends if kind == table})
        for chunk in _chunks(wanted):
            query = select(row_type.id, row_type.article_id, row_type.number).where(
                row_type.id.in_(chunk)
            )
            for key, article, number in session.execute(query):
                found[(table, key)] = {"article": article, name: number}
    return found


def _incident(row: IncidentRow, reports: list[Report]) -> Incident:
    reports.sort(key=lambda r: (r.published or "", r.article, r.event))
    place = next(
        (r for r in reports if r.place == row.place and (r.lat, r.lon) == (row.lat, row.lon)),
        None,
    )
    return Incident(
        id=row.id,
        reports=reports,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        date_start=row.date_start,
        date_end=row.date_end,
        place=place,
        fatalities=row.fatalities,
        fatalities_low=row.fatalities_low,
        fatalities_high=row.fatalities_high,
        actor1=row.actor1,
        actor2=row.actor2,
        origins=row.origins,
        contested=row.contested,
    )


@dataclass(frozen=True, slots=True)
class FusionState:
    """How the kept fusion stands against the store: `stale` while some article was
    stored after the last run read the store (or no run ever did)."""

    pending: int  # articles no run has fused yet
    stored_articles: int
    incidents: int

    @property
    def stale(self) -> bool:
        return self.pending > 0


def fusion_state(session: Session) -> FusionState:
    def count(query: Any) -> int:
        return session.scalar(query) or 0

    return FusionState(
        count(select(func.count()).select_from(ArticleRow).where(ArticleRow.fused.is_(None))),
        count(select(func.count()).select_from(ArticleRow)),
        count(select(func.count()).select_from(IncidentRow)),
    )


def save_fusion(session: Session) -> FusionState:
    """Fuse every stored article and keep the result in place of the last one (in the
    caller's transaction: readers see the old fusion until it commits)."""
    started = time.perf_counter()
    read: list[str] = []
    fusion = fuse(_noting(stored(session), read))
    for table in (IncidentReportRow, IncidentRow, RelationRow):
        session.execute(delete(table))
    return _keep(session, fusion, read, started)


# Articles published this many days either side of the new ones are fused again with
# them: stories join texts up to 14 days apart, and an incident's reports are published
# within days of each other.
REFUSED_DAYS = 21


def update_fusion(session: Session) -> FusionState:
    """Fusion brought up to date with the articles stored since it last ran, without
    fusing the whole store again: the articles published within REFUSED_DAYS of the new
    ones, and every article of an incident any of them reports, are fused again and their
    incidents and relations replaced. Where no run fused anything yet, or a new article
    has no date, the whole store is fused."""
    day = func.substr(ArticleRow.published, 1, 10)
    new = ArticleRow.fused.is_(None)
    first, final, count, dated = session.execute(
        select(func.min(day), func.max(day), func.count(), func.count(ArticleRow.published)).where(
            new
        )
    ).one()
    if not count:
        return fusion_state(session)
    ever = session.scalar(select(func.count()).select_from(FusionRunRow))
    if not ever or dated < count or not _is_day(first) or not _is_day(final):
        return save_fusion(session)
    started = time.perf_counter()
    reach = timedelta(days=REFUSED_DAYS)
    window = (
        (date.fromisoformat(first) - reach).isoformat(),
        (date.fromisoformat(final) + reach).isoformat(),
    )
    articles = set(session.scalars(select(ArticleRow.id).where(day.between(*window))))
    articles, incidents = _closure(session, articles)
    read: list[str] = []
    fusion = fuse(_noting(stored(session, only=articles), read))
    for chunk in _chunks(sorted(incidents)):
        session.execute(delete(IncidentReportRow).where(IncidentReportRow.incident_id.in_(chunk)))
        session.execute(delete(IncidentRow).where(IncidentRow.id.in_(chunk)))
    for chunk in _chunks(sorted(articles)):
        events = select(EventRow.id).where(EventRow.article_id.in_(chunk))
        claims = select(ClaimRow.id).where(ClaimRow.article_id.in_(chunk))
        session.execute(
            delete(RelationRow).where(
                ((RelationRow.source_table == "events") & RelationRow.source_id.in_(events))
                | ((RelationRow.source_table == "claims") & RelationRow.source_id.in_(claims))
            )
        )
    return _keep(session, fusion, read, started)


def _noting(facts: Iterable[ArticleFacts], read: list[str]) -> Iterator[ArticleFacts]:
    """The facts, each article's id noted as it passes."""
    for item in facts:
        read.append(item.provenance.article)
        yield item


def _is_day(value: str | None) -> bool:
    try:
        date.fromisoformat(value or "")
    except ValueError:
        return False
    return True


def _closure(session: Session, articles: set[str]) -> tuple[set[str], set[str]]:
    """The articles with every article of an incident one of them reports, again and
    again until no incident reaches outside; and those incidents."""
    incidents: set[str] = set()
    frontier = set(articles)
    while frontier:
        touched: set[str] = set()
        for chunk in _chunks(sorted(frontier)):
            touched.update(
                session.scalars(
                    select(IncidentReportRow.incident_id).where(
                        IncidentReportRow.article_id.in_(chunk)
                    )
                )
            )
        touched -= incidents
        incidents |= touched
        members: set[str] = set()
        for chunk in _chunks(sorted(touched)):
            members.update(
                session.scalars(
                    select(IncidentReportRow.article_id).where(
                        IncidentReportRow.incident_id.in_(chunk)
                    )
                )
            )
        frontier = members - articles
        articles |= frontier
    return articles, incidents


def _keep(session: Session, fusion: Fusion, read: list[str], started: float) -> FusionState:
    """Write a fusion's incidents, their reports and relations, the run, and which
    articles it read."""
    keys = {r.key for incident in fusion.incidents for r in incident.reports}
    event_ids = _row_ids(session, EventRow, keys)
    claimed = {
        (r.article, r.claim)
        for incident in fusion.incidents
        for r in incident.reports
        if r.claim is not None
    }
    claim_ids = _row_ids(session, ClaimRow, claimed)
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
    run = FusionRunRow(
        articles=len(read),
        events=len(event_ids),
        incidents=len(fusion.incidents),
        seconds=round(time.perf_counter() - started, 3),
    )
    session.add(run)
    session.flush()
    for chunk in _chunks(sorted(read)):
        session.execute(update(ArticleRow).where(ArticleRow.id.in_(chunk)).values(fused=run.id))
    session.flush()
    return fusion_state(session)


def _row_ids(
    session: Session, table: Any, keys: set[tuple[str, int]]
) -> dict[tuple[str, int], int]:
    """Row ids of events or claims by (article id, number in the article)."""
    found: dict[tuple[str, int], int] = {}
    by_article: dict[str, set[int]] = {}
    for article, number in keys:
        by_article.setdefault(article, set()).add(number)
    for chunk in _chunks(sorted(by_article)):
        query = select(table.id, table.article_id, table.number).where(table.article_id.in_(chunk))
        for key, article, number in session.execute(query):
            if number in by_article[article]:
                found[(article, number)] = key
    return found


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
        "outlets": "\n".join(sorted({(r.outlet or "").lower() for r in incident.reports} - {""})),
        "modes": "," + ",".join(sorted({r.mode for r in incident.reports})) + ",",
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
