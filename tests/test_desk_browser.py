"""The desk in a real browser (Chromium driven by Playwright) against `fogmap serve`'s
application on a loopback port: every page loads with no script error and no request to
another host, the map follows the table's filter, a marker opens its incident, an article
highlights its records, reviews need a sign-in, brushing the timeline filters by date,
and hostile article text stays text.

Chromium comes from the system (Debian: `apt install chromium`; or name a binary in
FOGMAP_CHROMIUM): Playwright's own browser download needs the internet.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from .test_web import TOKEN, build_desk_store

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
CHROMIUM = os.environ.get("FOGMAP_CHROMIUM") or shutil.which("chromium") or ""
if not CHROMIUM:
    pytest.skip(
        "no Chromium for the browser tests: apt install chromium (or set FOGMAP_CHROMIUM)",
        allow_module_level=True,
    )
pytestmark = pytest.mark.slow
# As a root process in a sandboxed machine, and without the calls home that a closed
# network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory, nlp) -> Iterator[str]:
    import uvicorn

    from fogmap.web import DeskSettings, create_app

    db = tmp_path_factory.mktemp("browser") / "desk.db"
    build_desk_store(f"sqlite:///{db}", nlp)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(DeskSettings(db=str(db), token=TOKEN))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the desk did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with what it asked for and what went wrong in it."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base = base
        self.hosts: set[str] = set()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.hosts.add(r.url.split("/")[2]))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

        def dismiss(dialog) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        self.page.on("dialog", dismiss)

    def open(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def markers(self) -> int:
        self.page.wait_for_selector("#map[data-markers]", timeout=10_000)
        return int(self.page.get_attribute("#map", "data-markers") or 0)


@pytest.fixture
def watched(browser, desk_url: str) -> Iterator[Watched]:
    opened = Watched(browser, desk_url)
    yield opened
    opened.context.close()


def _first(page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


def test_every_page_loads_with_no_error_and_no_other_host(watched: Watched) -> None:
    page = watched.open("/")
    assert watched.markers() > 0
    page.wait_for_selector("#timeline svg rect")
    incident = _first(page, "#incidents tbody a")
    page = watched.open(incident)
    article = _first(page, "#reports tbody a")
    page = watched.open(article)
    entity = _first(page, ".entities a")
    for path in (entity, "/events", "/search?q=Kandahar", "/login", "/upload"):
        assert watched.open(path).locator("main").is_visible()
    assert watched.errors == []
    assert watched.hosts == {watched.base.removeprefix("http://")}


def test_filtering_the_table_moves_the_map(watched: Watched, desk_url: str) -> None:
    import httpx

    page = watched.open("/")
    everywhere = watched.markers()
    page.select_option("select[name=event_type]", "Battles")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**event_type=Battles**")
    battles = watched.markers()
    rows = page.locator("#incidents tbody tr").count()
    kept = httpx.get(f"{desk_url}/api/incidents?event_type=Battles&limit=500").json()["items"]
    assert rows == len(kept)
    assert battles == sum(1 for i in kept if i["lat"] is not None) < everywhere


def test_a_marker_opens_its_incident(watched: Watched) -> None:
    page = watched.open("/?outlet=reuters")
    assert watched.markers() == 1
    page.locator("#map path.leaflet-interactive").first.click()
    page.wait_for_url("**/incidents/inc-*")
    assert page.locator("#reports tbody tr").count() == 3


def test_an_article_highlights_its_records_at_their_words(watched: Watched) -> None:
    page = watched.open("/search?q=checkpoint")
    page.locator("#found-articles a", has_text="Taliban attack kills five police").click()
    places = page.locator("#text span.hl-place").all_inner_texts()
    assert "Arghandab" in places and "Kandahar" in " ".join(places)
    claims = " ".join(page.locator("#text span.hl-claim").all_inner_texts())
    assert "killing five policemen" in claims
    shown = "e => getComputedStyle(e).display"
    assert page.locator("#removed").evaluate(shown) == "none"
    page.click("label[for=show-removed]")
    assert page.locator("#removed").evaluate(shown) == "block"


def test_a_review_needs_a_sign_in_and_shows_once_made(watched: Watched) -> None:
    page = watched.open("/?outlet=reuters")
    page.locator("#incidents tbody a").first.click()
    incident = page.url.removeprefix(watched.base)
    assert page.locator("form.review").count() == 0
    status = page.evaluate(
        """async (id) => (await fetch('/api/reviews', {method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({target: 'incident', id, field: 'fatalities',
                                  action: 'correct', value: '6'})})).status""",
        incident.removeprefix("/incidents/"),
    )
    assert status == 403
    page.click("text=Sign in")
    page.fill("input[name=name]", "Ana")
    page.fill("input[name=token]", TOKEN)
    page.click("form.stacked button")
    page.wait_for_url(f"**{incident}")
    row = page.locator("tr[data-field=fatalities]")
    row.locator("select[name=action]").select_option("correct")
    row.locator("input[name=value]").fill("6")
    row.locator("button").click()
    page.wait_for_url(f"**{incident}")
    assert "corrected: 6 · Ana" in page.locator("tr[data-field=fatalities]").inner_text()


def test_brushing_the_timeline_filters_by_date(watched: Watched) -> None:
    page = watched.open("/")
    page.wait_for_selector("#timeline svg rect")
    box = page.locator("#timeline svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 40, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 10, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**since=**")
    assert "until=" in page.url
    assert page.locator("input[name=since]").input_value()


def test_hostile_article_text_stays_text(watched: Watched) -> None:
    page = watched.open("/search?q=shopkeepers")
    page.locator("#found-articles a").first.click()
    page.wait_for_selector("#text")
    text = page.locator("#text").inner_text()
    assert "<script>alert('text')</script>" in text and "<img src=x" in text
    assert page.locator("#text script, #text img, #text a").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert "<script>alert('title')</script>" in page.locator("h1").inner_text()
    watched.open("/")
    watched.markers()
    page.wait_for_timeout(300)
    assert watched.dialogs == [] and watched.errors == []


def test_the_basemap_is_served_from_the_package(watched: Watched) -> None:
    page = watched.open("/")
    watched.markers()
    page.wait_for_selector("#map img.leaflet-tile-loaded", timeout=10_000)
    tile = page.locator("#map img.leaflet-tile-loaded").first.get_attribute("src")
    assert tile.startswith("/tiles/")  # and no other host was asked (first test)
    assert page.locator("#map path").count() > 100  # the country outlines
