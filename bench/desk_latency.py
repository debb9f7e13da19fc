"""How fast the desk answers on a large store: list, map, incident and article requests,
and the first load of the incidents page in a browser, against `fogmap serve` on loopback.

The store is built once (then reused) from real articles: the demo corpus and FNC-1's
bodies are extracted by fogmap, and each extracted article is written again and again as
another article (its text marked, published a week later each time, its outlet drawn
from a pool, its events' dates moved with it) until the store holds `--articles`; then
fusion runs over all of it. Every figure is a p50 / p95 over repeated requests with
assorted filters; the goals are p95 < 200 ms for list and map requests, < 300 ms for an
incident page, < 1 s for the first page load.

The framework's own cost is measured too: the same list query through FastAPI's route and
through a bare Starlette route, alternated in one process.

    .venv/bin/python bench/desk_latency.py --data ../shared/data [--articles 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from importlib.resources import as_file, files
from pathlib import Path

import httpx

from fogmap import nlp, pipeline
from fogmap.fuse.stored import save_fusion
from fogmap.records import Document, RawDocument
from fogmap.sources import read_sources
from fogmap.store import Store, write_document
from fogmap.text.dedupe import Grouping, signature

OUTLETS = [f"Outlet {n}" for n in range(40)] + ["Reuters", "AFP", "AP", "Al Jazeera"]


def source_documents(data: Path, bodies: int) -> list[Document]:
    """Real articles, extracted by fogmap: the demo corpus and FNC-1 bodies."""
    import csv

    csv.field_size_limit(sys.maxsize)
    raws: list[RawDocument] = []
    with as_file(files("fogmap").joinpath("demo/corpus")) as corpus:
        raws += [r for r in read_sources([str(corpus)]) if isinstance(r, RawDocument)]
    with (data / "fnc1" / "bodies.csv").open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            if number >= bodies:
                break
            raws.append(
                RawDocument(
                    f"fnc1-{row['Body ID']}", text=row["articleBody"], published="2021-01-04"
                )
            )
    model = nlp.load()
    found = [d for d in pipeline.extract(raws, model, None) if isinstance(d, Document)]
    return [d for d in found if d.events] or found


def _moved(day: str | None, by: timedelta) -> str | None:
    try:
        return (date.fromisoformat(day[:10]) + by).isoformat() if day else day
    except ValueError:
        return day


def build(path: Path, data: Path, articles: int, seed: int = 7) -> None:
    started = time.perf_counter()
    sources = source_documents(data, 1500)
    print(f"{len(sources)} source articles extracted in {time.perf_counter() - started:.0f} s")
    rng = random.Random(seed)
    store = Store.open(str(path))
    blank = signature("")
    start = date(2022, 1, 3)
    written = 0
    while written < articles:
        with store.batch() as session:
            for _ in range(min(2000, articles - written)):
                document = sources[written % len(sources)]
                article = document.article
                base = date.fromisoformat((article.published or "2021-01-04")[:10])
                published = start + timedelta(days=7 * (written // len(sources)) + rng.randrange(7))
                shift = published - base
                text = f"{article.text}\n\n[{written}]"
                copy = replace(
                    article,
                    id=hashlib.blake2b(text.encode(), digest_size=16).hexdigest(),
                    text=text,
                    published=published.isoformat(),
                    outlet=rng.choice(OUTLETS),
                    url=f"https://news.example/{written}",
                )
                events = [
                    replace(
                        e,
                        date_start=_moved(e.date_start, shift),
                        date_end=_moved(e.date_end, shift),
                        event_date=_moved(e.event_date, shift),
                    )
                    for e in document.events
                ]
                moved = Document(
                    copy, None, document.entities, document.places, document.claims, events
                )
                write_document(session, moved, Grouping(copy.id, blank, [], 1.0))
                written += 1
        print(f"\r{written} articles written", end="", flush=True)
    print()
    started = time.perf_counter()
    with store.batch() as session:
        state = save_fusion(session)
    print(f"fusion: {state.incidents} incidents in {time.perf_counter() - started:.0f} s")
    store.close()


def percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms · p95 {p95 * 1000:6.1f} ms"


def timed(client: httpx.Client, paths: list[str], rounds: int) -> list[float]:
    seconds = []
    for _ in range(rounds):
        for path in paths:
            began = time.perf_counter()
            answer = client.get(path)
            seconds.append(time.perf_counter() - began)
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
    return seconds


def serve(path: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fogmap = Path(sys.executable).with_name("fogmap")
    process = subprocess.Popen(
        [str(fogmap), "serve", "--db", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(base + "/api/status", timeout=1)
            return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the desk did not start")


FILTERS = ["", "country=AF", "event_type=Battles", "since=2022-03-01&until=2022-03-31",
           "actor=taliban", "outlet=reuters", "country=SY&event_type=Explosions/Remote violence",
           "contested=1", "mode=claimed", "sort=-fatalities"]  # fmt: skip


def measure(base: str, rounds: int) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        status = client.get("/api/status").json()
        print(f"store: {status['articles']} articles, {status['events']} events, "
              f"{status['incidents']} incidents")  # fmt: skip
        timed(client, ["/api/incidents", "/"], 2)  # warm the caches
        lists = [f"/api/incidents?{f}" for f in FILTERS] + [f"/?{f}" for f in FILTERS]
        second = client.get("/api/incidents?limit=50").json()["next_cursor"]
        lists.append(f"/api/incidents?cursor={second}")
        print(
            f"list (API and page, {len(lists)} kinds)  {percentiles(timed(client, lists, rounds))}"
        )
        maps = [f"/api/incidents.geojson?{f}" for f in FILTERS]
        maps += [f"/api/timeline?{f}" for f in FILTERS]
        print(f"map layer and timeline        {percentiles(timed(client, maps, rounds))}")
        ids = [
            i["id"] for i in client.get("/api/incidents?sort=-reports&limit=200").json()["items"]
        ]
        sample = random.Random(1).sample(ids, min(50, len(ids)))
        incidents = [f"/incidents/{i}" for i in sample]
        half = max(1, rounds // 2)
        shown = percentiles(timed(client, incidents, half))
        print(f"incident page ({len(sample)} incidents)  {shown}")
        articles = [a["id"] for a in client.get("/api/articles?limit=50").json()]
        pages = [f"/articles/{a}" for a in articles[:20]]
        print(f"article page                  {percentiles(timed(client, pages, half))}")


def first_load(base: str, runs: int) -> None:
    """The incidents page in a new browser context, from the start of navigation until
    the map holds its markers and the timeline is drawn (the page's own marks)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("first page load: skipped (no chromium)")
        return
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    seconds = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        for _ in range(runs + 1):  # the first warms the server's caches; not counted
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "/")
            page.wait_for_selector("#map[data-markers]", timeout=60_000)
            page.wait_for_selector("#timeline svg")
            drawn = page.evaluate(
                "() => Math.max(...['fogmap:map', 'fogmap:timeline'].map("
                "name => performance.getEntriesByName(name)[0].startTime))"
            )
            seconds.append(drawn / 1000)
            context.close()
        browser.close()
    print(f"first page load (map and timeline drawn) {percentiles(seconds[1:])}; "
          f"the server's very first {seconds[0] * 1000:.0f} ms")  # fmt: skip


def framework_cost(path: Path, rounds: int) -> None:
    """FastAPI's route against a bare Starlette route over the same query."""
    from fastapi.testclient import TestClient
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from fogmap.web import DeskSettings, create_app
    from fogmap.web._data import incident_page
    from fogmap.web._filters import Filters, Order

    app = create_app(DeskSettings(db=str(path)))
    store = app.state.desk.store

    def bare(request):  # the same work as the API's route, without FastAPI
        filters = Filters.from_query(request.query_params)
        with store.session() as session:
            page = incident_page(session, filters, Order.from_query(request.query_params), 50)
        return JSONResponse(
            {"items": page.items, "total": page.total, "next_cursor": page.next_cursor}
        )

    plain = Starlette(routes=[Route("/api/incidents", bare)])
    timings: dict[str, list[float]] = {"fastapi": [], "starlette": []}
    with TestClient(app) as fast, TestClient(plain) as slim:
        for _ in range(rounds):
            for name, client in (("fastapi", fast), ("starlette", slim)):
                for query in FILTERS[:5]:
                    began = time.perf_counter()
                    client.get(f"/api/incidents?{query}")
                    timings[name].append(time.perf_counter() - began)
    fast_median = statistics.median(timings["fastapi"])
    slim_median = statistics.median(timings["starlette"])
    ratio = fast_median / slim_median
    print(f"framework: FastAPI {fast_median * 1000:.1f} ms, bare Starlette "
          f"{slim_median * 1000:.1f} ms per list request ({ratio:.2f} ×)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="Where the store is built (and reused).")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/fogmap-desk-{args.articles}.db")
    if not path.exists():
        build(path, args.data, args.articles)
    process, base = serve(path)
    try:
        measure(base, args.rounds)
        first_load(base, 5)
    finally:
        process.terminate()
        process.wait()
    framework_cost(path, args.rounds)


if __name__ == "__main__":
    main()
