"""The desk's HTTP API under /api/: JSON (OpenAPI at /api/openapi.json), GeoJSON for map
layers, CSV of the current filter; the same filters as the pages; cursor pagination."""

from __future__ import annotations

import csv
import functools
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from fogmap.errors import UsageError
from fogmap.web import _data
from fogmap.web._filters import MODES, Filters, Order

if TYPE_CHECKING:
    from spacy.language import Language

    from fogmap.web._app import Desk

router = APIRouter(prefix="/api", tags=["desk"])


def query_filters(
    since: Annotated[
        str | None, Query(description="Incidents from this day on (YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, Query(description="…up to this day (YYYY-MM-DD).")] = None,
    country: Annotated[str | None, Query(description="ISO country code: AF, SY …")] = None,
    admin1: Annotated[str | None, Query(description="Province, as the gazetteer names it.")] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type.")] = None,
    sub_event_type: Annotated[str | None, Query(description="ACLED sub-event type.")] = None,
    actor: Annotated[str | None, Query(description="Part of actor 1 or 2's name.")] = None,
    mode: Annotated[str | None, Query(description=f"A report told as: {', '.join(MODES)}.")] = None,
    outlet: Annotated[str | None, Query(description="Part of a reporting outlet's name.")] = None,
    contested: Annotated[
        str | None, Query(description="1: only incidents some report denies.")
    ] = None,
) -> Filters:
    """The filters every list, map, timeline and export takes (an empty value, as a
    page's form sends for a field left blank, is no filter)."""
    return Filters.from_query(locals())


FiltersParam = Annotated[Filters, Depends(query_filters)]


def _desk(request: Request) -> Desk:
    return request.app.state.desk


@router.get("/status")
def status(request: Request) -> dict[str, Any]:
    """What the store holds and whether fusion is up to date."""
    from fogmap.fuse.stored import fusion_state
    from fogmap.store.queries import counts

    desk = _desk(request)
    with desk.store.session() as session:
        state = fusion_state(session)
        held = counts(session)
    return {
        **held,
        "incidents": state.incidents,
        "fusion_stale": state.stale,
        "writable": desk.auth.token is not None,
    }


@router.get("/incidents")
def incidents(
    request: Request,
    filters: FiltersParam,
    sort: Annotated[str, Query(description="date, fatalities or reports; - descends.")] = "-date",
    cursor: Annotated[str | None, Query(description="next_cursor of the page before.")] = None,
    limit: Annotated[int, Query(ge=1, le=_data.MAX_PAGE)] = 50,
) -> dict[str, Any]:
    """Incidents across articles, one page at a time, with the total the filters keep."""
    order = Order.from_query({"sort": sort, "cursor": cursor})
    with _desk(request).store.session() as session:
        page = _data.incident_page(session, filters, order, limit)
    return {"items": page.items, "total": page.total, "next_cursor": page.next_cursor}


@router.get("/incidents.geojson", response_class=Response)
def incidents_geojson(request: Request, filters: FiltersParam) -> Response:
    """The located incidents as GeoJSON points (the newest 5,000): the map layer."""
    with _desk(request).store.session() as session:
        layer = _data.incident_features(session, filters)
    body = json.dumps(layer, ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type="application/geo+json")


CSV_COLUMNS = ("incident", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
               "country", "admin1", "location", "latitude", "longitude", "fatalities",
               "fatalities_low", "fatalities_high", "reports", "independent_sources",
               "contested", "reviewed")  # fmt: skip


@router.get("/incidents.csv", response_class=StreamingResponse)
def incidents_csv(request: Request, filters: FiltersParam) -> StreamingResponse:
    """The incidents the filters keep as CSV, reviewed values applied and the reviewed
    fields named, streamed a page at a time."""
    store = _desk(request).store

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        order = Order()
        with store.session() as session:
            while True:
                page = _data.incident_page(session, filters, order, _data.MAX_PAGE)
                verdicts = _data.incident_reviews(session, [i["id"] for i in page.items])
                for item in page.items:
                    writer.writerow(_csv_row(item, verdicts.get(item["id"], {})))
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
                if page.next_cursor is None:
                    return
                order = Order.from_query({"cursor": page.next_cursor})

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="incidents.csv"'},
    )


def _csv_row(item: dict[str, Any], verdicts: dict[str, dict[str, Any]]) -> list[object]:
    from fogmap.export import neutralise

    def value(field: str, key: str | None = None) -> Any:
        return verdicts[field]["value"] if field in verdicts else item[key or field]

    values = (
        item["id"], value("date", "date_start"), value("event_type"), value("sub_event_type"),
        value("actor1"), value("actor2"), value("country"), value("admin1"),
        value("place"), item["lat"], item["lon"], value("fatalities"),
        item["fatalities_low"], item["fatalities_high"], item["reports"],
        item["independent_sources"], "yes" if item["contested"] else "",
        "; ".join(f"{k}:{v['action']}" for k, v in sorted(verdicts.items())),
    )  # fmt: skip
    return [neutralise(v) for v in values]


@router.get("/incidents/{incident_id}")
def incident(request: Request, incident_id: str) -> dict[str, Any]:
    """One incident: merged fields (with reviews), every report, claims and relations."""
    with _desk(request).store.session() as session:
        view = _data.incident_view(session, incident_id)
    view["claims"] = list(view["claims"].values())
    return view


@router.get("/events")
def events(
    request: Request,
    filters: FiltersParam,
    cursor: Annotated[int | None, Query(description="next_cursor of the page before.")] = None,
    limit: Annotated[int, Query(ge=1, le=_data.MAX_PAGE)] = 50,
) -> dict[str, Any]:
    """Events as each article tells them (an incident's reports), newest stored first."""
    with _desk(request).store.session() as session:
        items, following = _data.event_page(session, filters, cursor, limit)
    return {"items": items, "next_cursor": following}


@router.get("/timeline")
def timeline(
    request: Request,
    filters: FiltersParam,
    bucket: Annotated[
        str, Query(description="day, week, or auto (by week where there are over 120 days)")
    ] = "day",
) -> dict[str, Any]:
    """Incidents per day or week, by event type."""
    return _desk(request).kept(
        ("timeline", filters, bucket), lambda session: _data.timeline(session, filters, bucket)
    )


@router.get("/articles")
def articles(
    request: Request,
    q: Annotated[str | None, Query(description="Full-text search.", max_length=500)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=_data.MAX_PAGE)] = 50,
) -> list[dict[str, Any]]:
    """Articles, newest first, or those matching a search."""
    from dataclasses import asdict

    from fogmap.store.queries import list_articles

    with _desk(request).store.session() as session:
        return [asdict(a) for a in list_articles(session, q, outlet, limit)]


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str) -> dict[str, Any]:
    """One article in `fogmap extract`'s shape, with its sources and its events'
    incidents."""
    with _desk(request).store.session() as session:
        view = _data.article_view(session, article_id)
    data = view["document"].to_dict()
    data["sources"] = view["sources"]
    for event in data["events"]:
        event["incident"] = view["incident_of"].get(event["id"])
    return data


@router.get("/entities/{name}")
def entity(request: Request, name: str) -> dict[str, Any]:
    """A person or group across articles: aliases, roles, claims made, events as actor."""
    with _desk(request).store.session() as session:
        return _data.entity_view(session, name)


@router.get("/search")
def search(request: Request, q: Annotated[str, Query(max_length=500)]) -> dict[str, Any]:
    """Articles, claims and names matching the words."""
    with _desk(request).store.session() as session:
        return _data.search(session, q)


class ReviewIn(BaseModel):
    target: str = Field(description="event or incident")
    id: str = Field(description="The event's row id or the incident's id.", max_length=40)
    field: str
    action: str = Field(description="confirm, correct or reject")
    value: str | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, max_length=500)
    reviewer: str | None = Field(default=None, max_length=100)


@router.post("/reviews", status_code=201)
def add_review(request: Request, review: ReviewIn) -> dict[str, Any]:
    """A coder's verdict on one field (needs the desk's token, or a session and its CSRF
    token)."""
    from fogmap.store.reviews import add_review as store_review

    desk = _desk(request)
    reviewer = desk.auth.writer(request, None, review.reviewer)
    if review.target not in ("event", "incident"):
        raise UsageError("target: event or incident")
    key: int | str = review.id
    if review.target == "event":
        if not review.id.isdigit():
            raise UsageError("an event's id is its row number")
        key = int(review.id)
    with desk.store.batch() as session:
        saved = store_review(
            session,
            review.target,  # type: ignore[arg-type]
            key,
            review.field,
            review.action,
            reviewer,
            review.value,
            review.note,
        )
    return saved.to_dict()


UPLOADED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz", ".txt.gz", ".html.gz")


@router.post("/articles", status_code=201)
def upload(request: Request, file: UploadFile) -> dict[str, Any]:
    """Ingest an uploaded article (.txt, .html) or batch (.jsonl), then fuse again."""
    desk = _desk(request)
    desk.auth.writer(request, None)
    return ingest_upload(desk, file)


def ingest_upload(desk: Desk, file: UploadFile) -> dict[str, Any]:
    """Store what was uploaded, as `fogmap ingest` would, and fuse the store again."""
    from fogmap import pipeline
    from fogmap.fuse.stored import update_fusion
    from fogmap.sources import read_sources

    name = Path(file.filename or "upload.txt").name
    suffix = next((s for s in UPLOADED_SUFFIXES if name.lower().endswith(s)), None)
    if suffix is None:
        raise UsageError(f"{name}: upload a {', '.join(UPLOADED_SUFFIXES)} file")
    limit = desk.settings.max_upload_bytes
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        size = 0
        with open(path, "wb") as out:
            while chunk := file.file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise UsageError(f"{name}: larger than {limit // (1 << 20)} MB")
                out.write(chunk)
        problems: list[str] = []
        with desk.writing:
            report = pipeline.ingest(
                read_sources([str(path)]),
                desk.store,
                _model,
                on_error=lambda e: problems.append(str(e).replace(str(path), name)),
            )
            if report.stored:
                with desk.store.batch() as session:
                    update_fusion(session)
    return {
        "stored": report.stored,
        "duplicates": report.duplicates,
        "unchanged": report.unchanged,
        "skipped": problems,
    }


@functools.cache
def _model() -> Language:
    """The spaCy pipeline, loaded at the first upload and kept."""
    from fogmap import nlp

    return nlp.load()
