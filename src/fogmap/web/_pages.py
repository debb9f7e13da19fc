"""The desk's pages: rendered on the server with every value escaped, enhanced by the
scripts in static/ (the map and the timeline), which read the same API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from fogmap.errors import UsageError
from fogmap.store.reviews import FIELDS
from fogmap.web import _data
from fogmap.web._api import FiltersParam, ingest_upload
from fogmap.web._app import Desk, page_context
from fogmap.web._filters import MODES, Order
from fogmap.web._security import SESSION_COOKIE, SESSION_SECONDS, Forbidden

router = APIRouter(include_in_schema=False)


def _desk(request: Request) -> Desk:
    return request.app.state.desk


def _render(request: Request, template: str, **values: Any) -> HTMLResponse:
    return _desk(request).templates.TemplateResponse(
        request, template, {**page_context(request), **values}
    )


def _back(target: str | None) -> str:
    """Where a form sends the coder back to: a path on this desk only."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/", response_class=HTMLResponse)
def desk(
    request: Request,
    filters: FiltersParam,
    sort: str = "-date",
    cursor: str | None = None,
) -> HTMLResponse:
    """Incidents: filters, map, timeline and table, all of one filter."""
    order = Order.from_query({"sort": sort, "cursor": cursor})
    with _desk(request).store.session() as session:
        page = _data.incident_page(session, filters, order, 50)
    query = filters.query_string()
    return _render(
        request,
        "desk.html",
        filters=filters,
        order=order,
        page=page,
        query=query,
        facets=_desk(request).facets(),
        modes=MODES,
        tiles=_tile_url(request),
    )


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, filters: FiltersParam, cursor: str | None = None) -> HTMLResponse:
    """Events as each article tells them, under the same filters."""
    if cursor is not None and not cursor.isdigit():
        raise UsageError("cursor: not one this desk gave out")
    with _desk(request).store.session() as session:
        items, following = _data.event_page(session, filters, int(cursor) if cursor else None, 100)
    return _render(
        request,
        "events.html",
        filters=filters,
        items=items,
        next_cursor=following,
        query=filters.query_string(),
        facets=_desk(request).facets(),
        modes=MODES,
    )


def _tile_url(request: Request) -> str:
    desk = _desk(request)
    if desk.settings.tile_url:
        return desk.settings.tile_url
    return "/tiles/{z}/{x}/{y}.png" if desk.basemap is not None else ""


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident(request: Request, incident_id: str) -> HTMLResponse:
    with _desk(request).store.session() as session:
        view = _data.incident_view(session, incident_id)
    claims = view["claims"]
    relations = [
        {**r, "a": claims.get(r["source"]), "b": claims.get(r["target"])}
        for r in view["relations"]
        if r["kind"] in ("supports", "contradicts")
    ]
    return _render(
        request,
        "incident.html",
        view=view,
        incident=view["incident"],
        relations=relations,
        fields=REVIEWED_FIELDS,
    )


REVIEWED_FIELDS = (
    ("event_type", "event type", "event_type"),
    ("sub_event_type", "sub-event type", "sub_event_type"),
    ("actor1", "actor 1", "actor1"),
    ("actor2", "actor 2", "actor2"),
    ("date", "date", "date_start"),
    ("place", "place", "place"),
    ("admin1", "admin1", "admin1"),
    ("country", "country", "country"),
    ("fatalities", "fatalities", "fatalities"),
)  # (review field, label, incident key)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str) -> HTMLResponse:
    with _desk(request).store.session() as session:
        view = _data.article_view(session, article_id)
    return _render(
        request, "article.html", view=view, document=view["document"], review_fields=FIELDS
    )


@router.get("/entities/{name}", response_class=HTMLResponse)
def entity(request: Request, name: str) -> HTMLResponse:
    with _desk(request).store.session() as session:
        view = _data.entity_view(session, name)
    return _render(request, "entity.html", entity=view)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "") -> HTMLResponse:
    found = None
    if q.strip():
        if len(q) > 500:
            raise UsageError("a search of at most 500 characters")
        with _desk(request).store.session() as session:
            found = _data.search(session, q)
    return _render(request, "search.html", q=q, found=found)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return _render(request, "login.html", next=_back(next), problem=None)


@router.post("/login", response_model=None)
def login(
    request: Request,
    token: Annotated[str, Form(max_length=500)],
    name: Annotated[str, Form(max_length=100)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Sign a coder in with the operator's token; the session names them in reviews."""
    desk = _desk(request)
    name = " ".join(name.split())
    if desk.auth.token is None:
        raise Forbidden("this desk only reads: its operator started it without a token")
    if not desk.auth.token_matches(token) or not name:
        page = _render(request, "login.html", next=_back(next), problem="wrong token or no name")
        page.status_code = 403
        return page
    response = RedirectResponse(_back(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        desk.auth.session_cookie(name),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    _desk(request).auth.writer(request, csrf)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/reviews")
def review(
    request: Request,
    target: Annotated[str, Form()],
    id: Annotated[str, Form(max_length=40)],
    field: Annotated[str, Form(max_length=40)],
    action: Annotated[str, Form(max_length=10)],
    csrf: Annotated[str, Form()] = "",
    value: Annotated[str, Form(max_length=500)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> RedirectResponse:
    """A review from the incident page's forms; back to the page it came from."""
    from fogmap.store.reviews import add_review

    desk = _desk(request)
    reviewer = desk.auth.writer(request, csrf)
    if target not in ("event", "incident"):
        raise UsageError("target: event or incident")
    if target == "event" and not id.isdigit():
        raise UsageError("an event's id is its row number")
    with desk.store.batch() as session:
        add_review(
            session,
            target,  # type: ignore[arg-type]
            int(id) if target == "event" else id,
            field,
            action,
            reviewer,
            value or None,
            note or None,
        )
    return RedirectResponse(_back(next), status_code=303)


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    return _render(request, "upload.html", result=None)


@router.post("/upload", response_class=HTMLResponse)
def upload(request: Request, file: UploadFile, csrf: Annotated[str, Form()] = "") -> HTMLResponse:
    desk = _desk(request)
    desk.auth.writer(request, csrf)
    return _render(request, "upload.html", result=ingest_upload(desk, file))
