"""The desk's filters, one set for the pages, the API and the exports: read from a query
string, checked, and applied to the stored incidents and events.

Pages are cut by a cursor (the last row's sort key and id), not an offset, so the next
page costs the same however deep one reads and a row stored meanwhile neither repeats
nor vanishes.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, and_, func, or_, select

from fogmap.errors import UsageError
from fogmap.records import EVENT_MODES as MODES
from fogmap.store.schema import ArticleRow, EventRow, IncidentReportRow, IncidentRow, PlaceRow

SORTS: dict[str, tuple[Any, type]] = {
    "date": (func.coalesce(IncidentRow.date_start, ""), str),
    "fatalities": (func.coalesce(IncidentRow.fatalities, -1), int),
    "reports": (IncidentRow.reports, int),
}
MAX_TEXT = 200  # the longest filter value taken


@dataclass(frozen=True, slots=True)
class Filters:
    """What an analyst narrows the record to. Text filters match case aside; `actor`
    and `outlet` anywhere in the name."""

    since: str | None = None
    until: str | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    mode: str | None = None
    outlet: str | None = None
    contested: bool = False

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        """From a request's query parameters; a bad value is a `UsageError` naming it."""
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = query.get(spec.name)
            if raw is None or str(raw).strip() == "":
                continue
            value = str(raw).strip()
            if len(value) > MAX_TEXT:
                raise UsageError(f"{spec.name}: at most {MAX_TEXT} characters")
            if spec.name == "contested":
                values[spec.name] = value.lower() in ("1", "true", "yes", "on")
            elif spec.name in ("since", "until"):
                try:
                    values[spec.name] = date.fromisoformat(value).isoformat()
                except ValueError:
                    raise UsageError(f"{spec.name}: {value!r} is not a date (YYYY-MM-DD)") from None
            elif spec.name == "mode" and value not in MODES:
                raise UsageError(f"mode: {value!r} is not one of {', '.join(MODES)}")
            elif spec.name == "country" and not re.fullmatch(r"[A-Za-z]{2,3}", value):
                raise UsageError(f"country: {value!r} is not a country code (AF, SY …)")
            else:
                values[spec.name] = value
        return cls(**values)

    def query_string(self, **changes: Any) -> str:
        """These filters (with `changes`) as a query string, for links that keep them."""
        values = {**asdict(self), **changes}
        return urlencode({k: ("1" if v is True else v) for k, v in values.items() if v})

    @property
    def active(self) -> bool:
        return any(asdict(self).values())


def _lower_contains(column: Any, words: str) -> Any:
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def _where_when_what(
    query: Select, f: Filters, day: Any, where: Any, kind: Any, actors: tuple[Any, Any]
) -> Select:
    """The filters an incident and an event share, on the columns each keeps them in:
    `where` a row with `country` and `admin1`, `kind` one with the event types."""
    if f.since:
        query = query.where(day >= f.since)
    if f.until:
        query = query.where(day <= f.until)
    if f.country:
        query = query.where(where.country == f.country.upper())
    if f.admin1:
        query = query.where(func.lower(where.admin1) == f.admin1.lower())
    if f.event_type:
        query = query.where(func.lower(kind.event_type) == f.event_type.lower())
    if f.sub_event_type:
        query = query.where(func.lower(kind.sub_event_type) == f.sub_event_type.lower())
    if f.actor:
        query = query.where(
            or_(*(_lower_contains(func.coalesce(actor, ""), f.actor) for actor in actors))
        )
    return query


def filter_incidents(query: Select, filters: Filters) -> Select:
    """Incidents the filters keep: merged fields for where, when and what; a report for
    the outlet and the mode (an incident some outlet reported, or someone denied).
    Without a mode, the incidents some report tells as having happened."""
    f = filters
    actors = (IncidentRow.actor1, IncidentRow.actor2)
    query = _where_when_what(query, f, IncidentRow.date_start, IncidentRow, IncidentRow, actors)
    if f.contested:
        query = query.where(IncidentRow.contested.is_(True))
    if f.outlet:
        query = query.where(_lower_contains(IncidentRow.outlets, f.outlet))
    if f.mode:
        return query.where(IncidentRow.modes.like(f"%,{f.mode},%"))
    return query.where(IncidentRow.happened.is_(True))


def filter_events(query: Select, filters: Filters) -> Select:
    """Events (one article's telling each) the filters keep; `query` joins the event's
    article and place. Without a mode, the events told as having happened."""
    f = filters
    actors = (EventRow.actor1, EventRow.actor2)
    query = _where_when_what(query, f, EventRow.event_date, PlaceRow, EventRow, actors)
    if f.outlet:
        query = query.where(_lower_contains(func.coalesce(ArticleRow.outlet, ""), f.outlet))
    if f.contested:
        contested = (
            select(IncidentReportRow.event_id)
            .join(IncidentRow, IncidentRow.id == IncidentReportRow.incident_id)
            .where(IncidentRow.contested.is_(True))
        )
        query = query.where(EventRow.id.in_(contested))
    modes = (f.mode,) if f.mode else ("asserted", "claimed")
    return query.where(EventRow.mode.in_(modes))


@dataclass(frozen=True, slots=True)
class Order:
    """A sort (`date`, `fatalities`, `reports`; `-` first for descending) and where the
    page starts."""

    key: str = "date"
    descending: bool = True
    after: tuple[Any, str] | None = None  # the last row's sort value and id

    @classmethod
    def from_query(cls, query: Any) -> Order:
        raw = str(query.get("sort") or "-date")
        key = raw.removeprefix("-")
        if key not in SORTS:
            raise UsageError(f"sort: {raw!r} is not one of {', '.join(SORTS)} (- for descending)")
        after = decode_cursor(query.get("cursor"), SORTS[key][1])
        return cls(key, raw.startswith("-"), after)

    @property
    def name(self) -> str:
        return ("-" if self.descending else "") + self.key

    def apply(self, query: Select) -> Select:
        column = SORTS[self.key][0]
        if self.after is not None:
            value, last = self.after
            if self.descending:
                query = query.where(
                    or_(column < value, and_(column == value, IncidentRow.id > last))
                )
            else:
                query = query.where(
                    or_(column > value, and_(column == value, IncidentRow.id > last))
                )
        return query.order_by(column.desc() if self.descending else column, IncidentRow.id)

    def cursor_of(self, row: IncidentRow) -> str:
        value = {
            "date": row.date_start or "",
            "fatalities": -1 if row.fatalities is None else row.fatalities,
            "reports": row.reports,
        }[self.key]
        raw = json.dumps([value, row.id]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(raw: str | None, kind: type) -> tuple[Any, str] | None:
    if not raw:
        return None
    try:
        padded = raw + "=" * (-len(raw) % 4)
        value, last = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(value, kind) or not isinstance(last, str):
            raise ValueError
    except (ValueError, TypeError):
        raise UsageError("cursor: not one this desk gave out") from None
    return value, last
