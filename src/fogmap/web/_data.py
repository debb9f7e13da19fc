"""What the desk's pages and API read from the store, as plain JSON-ready values: pages of
incidents, their map points and timeline, one incident with every report and the claims
for and against, one article with its records at their offsets, one actor, a search."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fogmap.errors import UsageError
from fogmap.records import Document
from fogmap.store.queries import (
    SEARCHED_CHARS,
    list_articles,
    list_claims,
    load_document,
    resolve_id,
    told_in,
)
from fogmap.store.reviews import (
    Review,
    all_incident_reviews,
    machine_values,
    reviewed,
    reviews_of_events,
    reviews_of_incident,
)
from fogmap.store.schema import (
    ArticleRow,
    ClaimRow,
    EntityRow,
    EventRow,
    IncidentReportRow,
    IncidentRow,
    PlaceRow,
    RelationRow,
)
from fogmap.web._filters import Filters, Order, filter_events, filter_incidents

MAX_PAGE = 500  # rows a page or an API call gives at most
MAX_POINTS = 5_000  # incidents a map layer carries at most (the newest)
# What a marker shows (its tooltip) and is coloured and sized by.
MARKER_FIELDS = ("event_type", "sub_event_type", "date_start", "place", "admin1", "country",
                 "fatalities", "reports", "contested")  # fmt: skip

__all__ = [
    "MAX_PAGE",
    "MAX_POINTS",
    "Page",
    "article_view",
    "entity_view",
    "event_page",
    "facets",
    "incident_features",
    "incident_page",
    "incident_reviews",
    "incident_view",
    "search",
    "timeline",
]


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    next_cursor: str | None


def incident_dict(row: IncidentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "event_type": row.event_type,
        "sub_event_type": row.sub_event_type,
        "date_start": row.date_start,
        "date_end": row.date_end,
        "place": row.place,
        "country": row.country,
        "admin1": row.admin1,
        "lat": row.lat,
        "lon": row.lon,
        "fatalities": row.fatalities,
        "fatalities_low": row.fatalities_low,
        "fatalities_high": row.fatalities_high,
        "actor1": row.actor1,
        "actor2": row.actor2,
        "reports": row.reports,
        "independent_sources": row.origins,
        "contested": row.contested,
    }


def incident_page(session: Session, filters: Filters, order: Order, limit: int) -> Page:
    """One page of the incidents the filters keep, in the order asked, with the total."""
    limit = max(1, min(limit, MAX_PAGE))
    base = filter_incidents(select(IncidentRow), filters)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = list(session.scalars(order.apply(base).limit(limit + 1)))
    following = order.cursor_of(rows[limit - 1]) if len(rows) > limit else None
    return Page([incident_dict(r) for r in rows[:limit]], total, following)


def incident_reviews(
    session: Session, incident_ids: list[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    """The reviewed fields of each of these incidents (`reviewed`'s shape), in three
    queries however many incidents."""
    if not incident_ids:
        return {}
    rows = {
        r.id: r
        for r in session.scalars(select(IncidentRow).where(IncidentRow.id.in_(incident_ids)))
    }
    events: dict[str, list[int]] = {}
    for incident_id, event_id in session.execute(
        select(IncidentReportRow.incident_id, IncidentReportRow.event_id).where(
            IncidentReportRow.incident_id.in_(incident_ids)
        )
    ):
        events.setdefault(incident_id, []).append(event_id)
    anchored = {e: i for i, found in events.items() for e in found}
    found: dict[str, list[Review]] = {}
    for review in all_incident_reviews(session, incident_ids, list(anchored)):
        owner = review.incident_id if review.incident_id in rows else None
        owner = owner or anchored.get(review.anchor_event_id or -1)
        if owner is not None:
            found.setdefault(owner, []).append(review)
    return {i: reviewed(machine_values(rows[i]), found[i]) for i in found}


def incident_features(session: Session, filters: Filters) -> dict[str, Any]:
    """The located incidents the filters keep as GeoJSON points (the newest
    `MAX_POINTS`), with what a marker shows; read as plain rows, not records, as there
    are thousands."""
    columns = [getattr(IncidentRow, name) for name in MARKER_FIELDS]
    query = filter_incidents(
        select(IncidentRow.id, IncidentRow.lon, IncidentRow.lat, IncidentRow.origins, *columns),
        filters,
    ).where(IncidentRow.lat.is_not(None), IncidentRow.lon.is_not(None))
    rows = session.execute(Order().apply(query).limit(MAX_POINTS + 1)).all()
    features = [
        {
            "type": "Feature",
            "id": key,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": dict(zip(MARKER_FIELDS, values, strict=True))
            | {"independent_sources": origins},
        }
        for key, lon, lat, origins, *values in rows[:MAX_POINTS]
    ]
    return {"type": "FeatureCollection", "features": features, "truncated": len(rows) > MAX_POINTS}


MOST_DAYS = 120  # an "auto" timeline of more days is drawn by week


def timeline(session: Session, filters: Filters, bucket: str = "day") -> dict[str, Any]:
    """Incidents per day (or per week, from Monday; or `auto`: by day unless there are
    more than MOST_DAYS) and event type."""
    if bucket not in ("day", "week", "auto"):
        raise UsageError(f"bucket: {bucket!r} is not day, week or auto")
    query = filter_incidents(
        select(IncidentRow.date_start, IncidentRow.event_type, func.count()),
        filters,
    ).where(IncidentRow.date_start.is_not(None))
    counted: Counter[tuple[str, str]] = Counter()
    grouped = session.execute(query.group_by(IncidentRow.date_start, IncidentRow.event_type))
    rows = [(d, t, n) for d, t, n in grouped if _is_day(d)]
    if bucket == "auto":
        bucket = "week" if len({d for d, _, _ in rows}) > MOST_DAYS else "day"
    for day, event_type, count in rows:
        when = date.fromisoformat(day)
        if bucket == "week":
            when -= timedelta(days=when.weekday())
        counted[(when.isoformat(), event_type)] += count
    buckets = sorted({d for d, _ in counted})
    types = sorted({t for _, t in counted})
    return {
        "bucket": bucket,
        "buckets": buckets,
        "series": {t: [counted[(d, t)] for d in buckets] for t in types},
    }


def _is_day(value: str | None) -> bool:
    try:
        date.fromisoformat(value or "")
    except ValueError:
        return False
    return True


def facets(session: Session) -> dict[str, list[str]]:
    """The values the filter form offers: countries, event types and sub-types present."""

    def distinct(column: Any) -> list[str]:
        query = select(column).where(column.is_not(None)).distinct().order_by(column)
        return [str(v) for v in session.scalars(query)]

    return {
        "country": distinct(IncidentRow.country),
        "event_type": distinct(IncidentRow.event_type),
        "sub_event_type": distinct(IncidentRow.sub_event_type),
    }


def _report(event: EventRow, article: ArticleRow, place: PlaceRow | None) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "article": article.id,
        "event": event.number,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url,
        "title": article.title,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "mode": event.mode,
        "date": event.event_date,
        "place": place.name if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "fatalities": event.fatalities,
        "evidence": told_in(article.text, event),
    }


def incident_view(session: Session, incident_id: str) -> dict[str, Any]:
    """One incident: merged fields with the reviews over them, every report, and the
    claims its reports rest on with the relations between them."""
    row = session.get(IncidentRow, incident_id)
    if row is None:
        raise UsageError(f"no incident {incident_id}")
    told = session.execute(
        select(EventRow, ArticleRow, PlaceRow)
        .join(IncidentReportRow, IncidentReportRow.event_id == EventRow.id)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
        .where(IncidentReportRow.incident_id == incident_id)
        .order_by(ArticleRow.published, ArticleRow.id, EventRow.number)
    ).all()
    event_ids = [event.id for event, _, _ in told]
    event_reviews = reviews_of_events(session, event_ids)
    reports = []
    for event, article, place in told:
        report = _report(event, article, place)
        report["reviewed"] = reviewed(machine_values(event, place), event_reviews.get(event.id, []))
        reports.append(report)
    claim_ids = [event.claim_id for event, _, _ in told if event.claim_id is not None]
    claims = _claims(session, claim_ids)
    relations = [
        {
            "kind": relation.kind,
            "source": relation.source_id,
            "target": relation.target_id,
            "reason": (relation.evidence or {}).get("reason"),
            "evidence": relation.evidence,
        }
        for relation in session.scalars(
            select(RelationRow)
            .where(
                RelationRow.source_table == "claims",
                RelationRow.source_id.in_(claim_ids),
            )
            .order_by(RelationRow.id)
        )
    ]
    incident = incident_dict(row)
    incident["reviewed"] = reviewed(
        machine_values(row), reviews_of_incident(session, incident_id, event_ids)
    )
    outlets = Counter(r["outlet"] or "?" for r in reports)
    return {
        "incident": incident,
        "reports": reports,
        "outlets": dict(outlets),
        "claims": claims,
        "relations": relations,
    }


def _claims(session: Session, claim_ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    if not claim_ids:
        return found
    query = (
        select(ClaimRow, ArticleRow.outlet, ArticleRow.published)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .where(ClaimRow.id.in_(claim_ids))
    )
    for claim, outlet, published in session.execute(query):
        found[claim.id] = {
            "id": claim.id,
            "article": claim.article_id,
            "speaker": claim.speaker_name or claim.speaker_text,
            "affiliation": claim.speaker_affiliation,
            "cue": claim.cue,
            "kind": claim.kind,
            "content": claim.content,
            "hedge": claim.hedge,
            "outlet": outlet,
            "published": published,
        }
    return found


def event_page(
    session: Session, filters: Filters, after: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """Events (each one article's telling) the filters keep, newest stored first; the
    cursor is the last event's row id."""
    limit = max(1, min(limit, MAX_PAGE))
    query = filter_events(
        select(EventRow, ArticleRow, PlaceRow, IncidentReportRow.incident_id)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
        .outerjoin(IncidentReportRow, IncidentReportRow.event_id == EventRow.id),
        filters,
    )
    if after is not None:
        query = query.where(EventRow.id < after)
    rows = session.execute(query.order_by(EventRow.id.desc()).limit(limit + 1)).all()
    items = []
    for event, article, place, incident in rows[:limit]:
        item = _report(event, article, place)
        item["incident"] = incident
        items.append(item)
    following = rows[limit - 1][0].id if len(rows) > limit else None
    return items, following


def article_view(session: Session, article_id: str) -> dict[str, Any]:
    """One article with its records, the spans to highlight, and its events' incidents."""
    document, sources = load_document(session, resolve_id(session, article_id))
    event_rows = session.execute(
        select(EventRow, PlaceRow, IncidentReportRow.incident_id)
        .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
        .outerjoin(IncidentReportRow, IncidentReportRow.event_id == EventRow.id)
        .where(EventRow.article_id == document.article.id)
    ).all()
    verdicts = reviews_of_events(session, [event.id for event, _, _ in event_rows])
    return {
        "document": document,
        "sources": [{"url": s.url, "outlet": s.outlet, "locator": s.locator} for s in sources],
        "segments": segments(document),
        "incident_of": {event.number: incident for event, _, incident in event_rows},
        "event_ids": {event.number: event.id for event, _, _ in event_rows},
        "reviewed": {
            event.number: reviewed(machine_values(event, place), verdicts.get(event.id, []))
            for event, place, _ in event_rows
        },
    }


def segments(document: Document) -> list[dict[str, Any]]:
    """The article's text cut at every record's edge: each piece with the kinds of record
    that cover it (entity, place, claim, cue, speaker, event) and their ids, so that
    overlapping records highlight without nesting markup."""
    text = document.article.text
    spans: list[tuple[int, int, str, str]] = []
    for entity in document.entities:
        spans += [(m.start, m.end, "entity", entity.name) for m in entity.mentions]
    for place in document.places:
        spans += [(m.start, m.end, "place", place.name) for m in place.mentions]
    for claim in document.claims:
        spans.append((claim.start, claim.end, "claim", str(claim.id)))
        if claim.cue_start is not None and claim.cue_end is not None:
            spans.append((claim.cue_start, claim.cue_end, "cue", str(claim.id)))
    for event in document.events:
        for mention in event.mentions or []:
            spans.append((mention.start, mention.end, "event", str(event.id)))
        if not event.mentions:
            spans.append((event.start, event.end, "event", str(event.id)))
    spans = [(max(0, s), min(len(text), e), k, n) for s, e, k, n in spans if e > s]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    pieces = []
    for start, end in pairwise(cuts):
        covering = [(k, n) for s, e, k, n in spans if s <= start and end <= e]
        kinds = sorted({k for k, _ in covering})
        pieces.append(
            {
                "start": start,
                "end": end,
                "text": text[start:end],
                "kinds": kinds,
                "titles": sorted({f"{k}: {n}" for k, n in covering}),
            }
        )
    return pieces


def entity_view(session: Session, name: str, limit: int = 100) -> dict[str, Any]:
    """A person or group across articles, by name: its aliases, roles and affiliations,
    the claims it made and the events it is an actor in."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise UsageError("an entity name of 1 to 200 characters")
    lowered = name.lower()
    rows = session.scalars(
        select(EntityRow).where(func.lower(EntityRow.name) == lowered).limit(2000)
    ).all()
    aliases = Counter(a for r in rows for a in (r.aliases or []) if a != r.name)
    claims = session.execute(
        select(ClaimRow, ArticleRow.outlet, ArticleRow.published)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .where(
            or_(
                func.lower(ClaimRow.speaker_name) == lowered,
                ClaimRow.speaker_entity_id.in_([r.id for r in rows]),
            )
        )
        .order_by(ArticleRow.published.desc())
        .limit(limit)
    ).all()
    events = session.execute(
        select(EventRow, ArticleRow, PlaceRow)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
        .where(or_(func.lower(EventRow.actor1) == lowered, func.lower(EventRow.actor2) == lowered))
        .order_by(EventRow.event_date.desc())
        .limit(limit)
    ).all()
    return {
        "name": rows[0].name if rows else name,
        "types": sorted({r.type for r in rows}),
        "articles": len({r.article_id for r in rows}),
        "aliases": [a for a, _ in aliases.most_common(20)],
        "roles": sorted({r.role for r in rows if r.role}),
        "affiliations": sorted({r.affiliation for r in rows if r.affiliation}),
        "claims": [
            {
                "article": claim.article_id,
                "outlet": outlet,
                "published": published,
                "cue": claim.cue,
                "kind": claim.kind,
                "content": claim.content,
            }
            for claim, outlet, published in claims
        ],
        "events": [_report(event, article, place) for event, article, place in events],
        "known": bool(rows or claims or events),
    }


def search(session: Session, words: str, limit: int = 20) -> dict[str, Any]:
    """Articles by full-text search, claims whose content holds the words, and people
    and groups whose name does."""
    words = " ".join(words.split())
    if not words:
        raise UsageError("the search has no words")
    articles = list_articles(session, search=words[:SEARCHED_CHARS], limit=limit)
    claims = list_claims(session, topic=words, limit=limit)
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    names = session.execute(
        select(EntityRow.name, EntityRow.type, func.count())
        .where(func.lower(EntityRow.name).like(f"%{escaped}%", escape="\\"))
        .group_by(EntityRow.name, EntityRow.type)
        .order_by(func.count().desc())
        .limit(limit)
    ).all()
    return {
        "articles": [
            {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published}
            for a in articles
        ],
        "claims": [
            {
                "article": c.article_id,
                "outlet": c.outlet,
                "published": c.published,
                "speaker": c.claim.speaker_name or c.claim.speaker_text,
                "content": c.claim.content,
            }
            for c in claims
        ],
        "entities": [{"name": n, "type": t, "articles": count} for n, t, count in names],
    }
