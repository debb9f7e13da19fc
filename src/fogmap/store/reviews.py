"""Coders' reviews of events and incidents, stored apart from what fogmap extracted.

A review never changes an extracted row: it sits beside it, with who and when, and what
the record says is the machine's value with the reviews over it (the latest review of a
field wins). Exports and the desk show both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fogmap.errors import UsageError
from fogmap.store.schema import (
    EventRow,
    IncidentReportRow,
    IncidentRow,
    PlaceRow,
    ReviewRow,
)

ACTIONS = ("confirm", "correct", "reject")
# The fields a coder may review; `event` stands for the whole record (rejecting it says
# it is no event at all).
FIELDS = ("event", "event_type", "sub_event_type", "actor1", "actor2", "date", "place",
          "admin1", "country", "fatalities", "mode")  # fmt: skip
MAX_VALUE = 500
MAX_REVIEWER = 100

Target = Literal["event", "incident"]


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    target: str
    event_id: int | None
    incident_id: str | None
    anchor_event_id: int | None
    field: str
    action: str
    value: str | None
    machine_value: str | None
    reviewer: str
    note: str | None
    created_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "target": self.target,
            "event_id": self.event_id,
            "incident_id": self.incident_id,
            "field": self.field,
            "action": self.action,
            "value": self.value,
            "machine_value": self.machine_value,
            "reviewer": self.reviewer,
            "note": self.note,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


def _review(row: ReviewRow) -> Review:
    return Review(
        row.id,
        row.target,
        row.event_id,
        row.incident_id,
        row.anchor_event_id,
        row.field,
        row.action,
        row.value,
        row.machine_value,
        row.reviewer,
        row.note,
        row.created_at,
    )


def machine_values(row: EventRow | IncidentRow, place: PlaceRow | None = None) -> dict[str, Any]:
    """The reviewable fields of an event (with its place) or an incident, as extracted."""
    if isinstance(row, IncidentRow):
        where: Any = row
        name, day, mode = row.place, row.date_start, None
    else:
        where, name, day, mode = place, place.name if place else None, row.event_date, row.mode
    return {
        "event": "yes",
        "event_type": row.event_type,
        "sub_event_type": row.sub_event_type,
        "actor1": row.actor1,
        "actor2": row.actor2,
        "date": day,
        "place": name,
        "admin1": where.admin1 if where is not None else None,
        "country": where.country if where is not None else None,
        "fatalities": row.fatalities,
        "mode": mode,
    }


def add_review(
    session: Session,
    target: Target,
    key: int | str,
    field: str,
    action: str,
    reviewer: str,
    value: str | None = None,
    note: str | None = None,
) -> Review:
    """Record one coder's verdict on one field; a bad request is a `UsageError`."""
    if field not in FIELDS:
        raise UsageError(f"field: {field!r} is not one of {', '.join(FIELDS)}")
    if action not in ACTIONS:
        raise UsageError(f"action: {action!r} is not one of {', '.join(ACTIONS)}")
    reviewer = " ".join(reviewer.split())
    if not reviewer or len(reviewer) > MAX_REVIEWER:
        raise UsageError(f"reviewer: a name of 1 to {MAX_REVIEWER} characters")
    value = value.strip() if value else None
    if action == "correct" and not value:
        raise UsageError("a correction needs the right value")
    if action != "correct":
        value = None
    for given, name in ((value, "value"), (note, "note")):
        if given and len(given) > MAX_VALUE:
            raise UsageError(f"{name}: at most {MAX_VALUE} characters")
    if field == "fatalities" and value is not None and not value.isdigit():
        raise UsageError("fatalities: a whole number")
    if field == "event" and action == "correct":
        raise UsageError("an event as a whole is confirmed or rejected, not corrected")
    if value is not None:
        _check_value(field, value)
    row = ReviewRow(
        target=target, field=field, action=action, value=value, reviewer=reviewer, note=note
    )
    if target == "event":
        event = session.get(EventRow, int(key))
        if event is None:
            raise UsageError(f"no event {key}")
        place = session.get(PlaceRow, event.place_id) if event.place_id is not None else None
        machine = machine_values(event, place)[field]
        row.event_id = event.id
    elif target == "incident":
        incident = session.get(IncidentRow, str(key))
        if incident is None:
            raise UsageError(f"no incident {key}")
        machine = machine_values(incident)[field]
        row.incident_id = incident.id
        row.anchor_event_id = session.scalar(
            select(IncidentReportRow.event_id)
            .where(IncidentReportRow.incident_id == incident.id)
            .order_by(IncidentReportRow.event_id)
            .limit(1)
        )
    else:
        raise UsageError(f"target: {target!r} is not event or incident")
    row.machine_value = None if machine is None else str(machine)
    session.add(row)
    session.flush()
    return _review(row)


def _check_value(field: str, value: str) -> None:
    from datetime import date

    from fogmap.extract.events import EVENT_TYPES
    from fogmap.records import EVENT_MODES

    if field == "event_type" and value not in EVENT_TYPES:
        raise UsageError(f"event_type: one of {', '.join(EVENT_TYPES)}")
    if field == "mode" and value not in EVENT_MODES:
        raise UsageError(f"mode: one of {', '.join(EVENT_MODES)}")
    if field == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise UsageError("date: a day as YYYY-MM-DD") from None


def latest_verdicts(
    session: Session,
) -> tuple[dict[tuple[str, int], dict[str, Review]], dict[str, dict[str, Review]]]:
    """Every reviewed field's latest verdict: of events by (article id, event number), of
    incidents by id; for exports, which apply them."""
    events: dict[tuple[str, int], dict[str, Review]] = {}
    incidents: dict[str, dict[str, Review]] = {}
    query = (
        select(ReviewRow, EventRow.article_id, EventRow.number)
        .outerjoin(EventRow, EventRow.id == ReviewRow.event_id)
        .order_by(ReviewRow.id)
    )
    for row, article, number in session.execute(query):
        if row.target == "event" and article is not None:
            events.setdefault((article, number), {})[row.field] = _review(row)
        elif row.target == "incident" and row.incident_id:
            incidents.setdefault(row.incident_id, {})[row.field] = _review(row)
    return events, incidents


def reviews_of_events(session: Session, event_ids: Iterable[int]) -> dict[int, list[Review]]:
    """Each event's reviews, oldest first."""
    wanted = list(event_ids)
    found: dict[int, list[Review]] = {}
    if not wanted:
        return found
    query = select(ReviewRow).where(ReviewRow.event_id.in_(wanted)).order_by(ReviewRow.id)
    for row in session.scalars(query):
        found.setdefault(row.event_id or 0, []).append(_review(row))
    return found


def reviews_of_incident(
    session: Session, incident_id: str, event_ids: Iterable[int]
) -> list[Review]:
    """An incident's reviews, oldest first: those made on it, and those made on an earlier
    fusion's incident anchored on one of its reports."""
    return all_incident_reviews(session, [incident_id], list(event_ids))


def all_incident_reviews(
    session: Session, incident_ids: list[str], event_ids: list[int]
) -> list[Review]:
    """The reviews of incidents with these ids or anchored on these events, oldest first."""
    query = select(ReviewRow).where(
        ReviewRow.target == "incident",
        or_(ReviewRow.incident_id.in_(incident_ids), ReviewRow.anchor_event_id.in_(event_ids)),
    )
    return [_review(row) for row in session.scalars(query.order_by(ReviewRow.id))]


def reviewed(values: dict[str, Any], reviews: Iterable[Review]) -> dict[str, dict[str, Any]]:
    """Per reviewed field, the latest verdict and the value it leaves: `{field: {action,
    value, machine_value, reviewer, at}}`."""
    latest: dict[str, Review] = {}
    for review in reviews:
        latest[review.field] = review
    out = {}
    for name, review in latest.items():
        if review.action == "correct":
            value: Any = review.value
        elif review.action == "reject":
            value = None
        else:
            value = values.get(name)
        out[name] = {
            "action": review.action,
            "value": value,
            "machine_value": values.get(name),
            "reviewer": review.reviewer,
            "at": review.created_at.isoformat() if review.created_at else None,
        }
    return out
