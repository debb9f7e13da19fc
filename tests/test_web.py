"""The desk's HTTP API and pages through an HTTP client, against a real store made by
ingesting the fixture articles (the fusion fixtures: one incident told by three outlets,
a claimed battle and its denial; and an article whose every field is hostile markup)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fogmap import pipeline
from fogmap.fuse.stored import save_fusion
from fogmap.sources import read_sources
from fogmap.store import Store
from fogmap.store.queries import iter_events
from fogmap.web import DeskSettings, create_app

from .conftest import FIXTURES

pytestmark = pytest.mark.slow
TOKEN = "test-token-of-the-operator-0123"
ARTICLES = [
    FIXTURES / "fusion" / "kandahar-and-others.jsonl",
    FIXTURES / "fusion" / "panjshir-claim-and-denial.jsonl",
    FIXTURES / "web" / "hostile-article.jsonl",
]


def build_desk_store(url: str, nlp) -> None:
    store = Store.open(url)
    try:
        pipeline.ingest(read_sources([str(p) for p in ARTICLES]), store, lambda: nlp)
        with store.batch() as session:
            save_fusion(session)
    finally:
        store.close()


@pytest.fixture(scope="module")
def desk_db(tmp_path_factory, nlp) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('desk') / 'desk.db'}"
    build_desk_store(url, nlp)
    return url


@pytest.fixture
def client(desk_db: str, tmp_path: Path) -> Iterator[TestClient]:
    """A desk with writing on, over a copy of the store (reviews stay in the test)."""
    copy = tmp_path / "desk.db"
    copy.write_bytes(Path(desk_db.removeprefix("sqlite:///")).read_bytes())
    app = create_app(DeskSettings(db=str(copy), token=TOKEN))
    with TestClient(app, base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.fixture
def reader(desk_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(DeskSettings(db=desk_db))) as test_client:
        yield test_client


def _all_pages(client: TestClient, query: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = client.get(
            f"/api/incidents?{query}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        )
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_the_desk_fuses_a_store_whose_articles_came_after_its_fusion(tmp_path: Path) -> None:
    from .conftest import run_fogmap

    db = str(tmp_path / "bulk.db")
    loaded = run_fogmap("ingest", str(ARTICLES[0]), "--no-fuse", "--db", db)
    assert loaded.returncode == 0 and b"incidents across" not in loaded.stdout
    with TestClient(create_app(DeskSettings(db=db))) as desk:
        status = desk.get("/api/status").json()
    assert not status["fusion_stale"] and status["incidents"] > 0
    again = run_fogmap("fuse", "--db", db)
    assert (
        again.returncode == 0 and f"{status['incidents']} incidents across" in again.stdout.decode()
    )


def test_incidents_page_by_cursor_without_repeats_and_filter_as_asked(reader: TestClient) -> None:
    everything = reader.get("/api/incidents?limit=500").json()
    paged = _all_pages(reader, "sort=-date")
    assert [i["id"] for i in paged] == [i["id"] for i in everything["items"]]
    assert len(paged) == everything["total"] >= 5
    dates = [i["date_start"] or "" for i in paged]
    assert dates == sorted(dates, reverse=True)
    by_toll = _all_pages(reader, "sort=fatalities")
    tolls = [-1 if i["fatalities"] is None else i["fatalities"] for i in by_toll]
    assert tolls == sorted(tolls) and len(by_toll) == len(paged)
    nigeria = reader.get("/api/incidents?country=ng").json()
    assert nigeria["total"] == 1 and nigeria["items"][0]["event_type"] == "Protests"
    contested = reader.get("/api/incidents?contested=true").json()["items"]
    assert len(contested) == 1 and contested[0]["contested"]
    reuters = reader.get("/api/incidents?outlet=reuters").json()["items"]
    assert [i["reports"] for i in reuters] == [3]
    assert reuters[0]["independent_sources"] == 2


def test_event_filters_agree_with_the_events_command(reader: TestClient, desk_db: str) -> None:
    store = Store.open(desk_db, read_only=True)
    with store.session() as session:
        expected = {(e.article_id, e.event.id) for e in iter_events(session, country="AF")}
    store.close()
    found = reader.get("/api/events?country=AF&limit=500").json()["items"]
    assert {(e["article"], e["event"]) for e in found} == expected
    denied = reader.get("/api/events?mode=negated").json()["items"]
    assert denied and all(e["mode"] == "negated" for e in denied)
    page = reader.get("/events?country=AF&mode=&outlet=").text  # a form's blank fields
    assert page.count("<tr>") - 1 == len(expected)  # and its header row


def test_map_layer_and_timeline_follow_the_filter(reader: TestClient) -> None:
    kept = reader.get("/api/incidents?event_type=Battles&limit=500").json()["items"]
    layer = reader.get("/api/incidents.geojson?event_type=Battles").json()
    located = {i["id"] for i in kept if i["lat"] is not None}
    assert {f["id"] for f in layer["features"]} == located and located
    lon, lat = layer["features"][0]["geometry"]["coordinates"]
    assert 60 < lon < 75 and 29 < lat < 39  # Afghanistan
    days = reader.get("/api/timeline?event_type=Battles").json()
    assert set(days["series"]) == {"Battles"}
    assert sum(days["series"]["Battles"]) == sum(1 for i in kept if i["date_start"])
    weeks = reader.get("/api/timeline?bucket=week").json()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", b) for b in weeks["buckets"])


def test_an_incident_lists_every_report_and_the_claims_against_each_other(
    reader: TestClient,
) -> None:
    contested = reader.get("/api/incidents?contested=1").json()["items"][0]
    view = reader.get(f"/api/incidents/{contested['id']}").json()
    assert {r["mode"] for r in view["reports"]} >= {"claimed", "negated"}
    assert any(r["kind"] == "contradicts" and r["reason"] for r in view["relations"])
    assert all(r["evidence"] for r in view["reports"])
    page = reader.get(f"/incidents/{contested['id']}")
    assert page.status_code == 200 and "contradicts" in page.text and "contested" in page.text
    assert reader.get("/api/incidents/inc-000000000000").status_code == 400


def test_article_entity_and_search(reader: TestClient) -> None:
    found = reader.get("/api/search?q=Arghandab").json()
    assert found["articles"] and all("id" in a for a in found["articles"])
    article = reader.get(f"/api/articles/{found['articles'][0]['id'][:10]}").json()
    assert article["article"]["text"] and article["events"]
    assert all("incident" in e for e in article["events"])
    page = reader.get(f"/articles/{found['articles'][0]['id']}")
    assert page.status_code == 200 and re.search(r'class="[^"]*hl-place', page.text)
    people = reader.get("/api/entities/Taliban").json()
    assert people["known"] and people["events"]
    assert "Taliban" in reader.get("/entities/Taliban").text
    assert reader.get("/search?q=Kandahar").status_code == 200


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("since=yesterday", "since"),
        ("mode=rumoured", "mode"),
        ("country=Afghanistan", "country"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("sort=loudest", "sort"),
    ],
)
def test_a_bad_filter_is_refused_with_one_line(reader: TestClient, query: str, named: str) -> None:
    answer = reader.get(f"/api/incidents?{query}")
    assert answer.status_code in (400, 422)
    assert named in answer.text
    page = reader.get(f"/?{query}")
    assert page.status_code in (400, 422) and "Traceback" not in page.text


def test_writing_needs_the_token_and_reviews_stay_apart(client: TestClient, reader) -> None:
    incident = client.get("/api/incidents?outlet=reuters").json()["items"][0]
    review = {"target": "incident", "id": incident["id"], "field": "fatalities"}
    review |= {"action": "correct", "value": "6", "reviewer": "Ana"}
    assert client.post("/api/reviews", json=review).status_code == 403  # no token
    wrong = {"Authorization": "Bearer not-the-token"}
    assert client.post("/api/reviews", json=review, headers=wrong).status_code == 403
    assert reader.post("/api/reviews", json=review).status_code == 403  # a read-only desk
    right = {"Authorization": f"Bearer {TOKEN}"}
    saved = client.post("/api/reviews", json=review, headers=right)
    assert saved.status_code == 201, saved.text
    assert saved.json()["machine_value"] == str(incident["fatalities"])
    view = client.get(f"/api/incidents/{incident['id']}").json()["incident"]
    assert view["fatalities"] == incident["fatalities"]  # what fogmap found is kept
    assert view["reviewed"]["fatalities"]["value"] == "6"
    assert view["reviewed"]["fatalities"]["reviewer"] == "Ana"
    rows = list(csv.DictReader(io.StringIO(client.get("/api/incidents.csv?outlet=reuters").text)))
    assert rows[0]["fatalities"] == "6" and rows[0]["reviewed"] == "fatalities:correct"
    bad = review | {"field": "mood"}
    assert client.post("/api/reviews", json=bad, headers=right).status_code == 400


def test_exports_apply_reviews_and_name_the_reviewed_fields(client: TestClient) -> None:
    import json

    import jsonschema

    from .conftest import run_fogmap
    from .test_export import export_schema

    events = client.get("/api/events?country=AF&limit=500").json()["items"]
    corrected, rejected = events[0], events[1]
    headers = {"Authorization": f"Bearer {TOKEN}"}
    for review in (
        {
            "id": str(corrected["event_id"]),
            "field": "fatalities",
            "action": "correct",
            "value": "9",
        },
        {"id": str(rejected["event_id"]), "field": "event", "action": "reject"},
    ):
        answer = client.post("/api/reviews", json=review | {"target": "event"}, headers=headers)
        assert answer.status_code == 201, answer.text
    db = client.app.state.desk.settings.db
    result = run_fogmap("export", "--format", "jsonl", "--db", db)
    assert result.returncode == 0, result.stderr
    rows = {r["event_id_cnty"]: r for r in map(json.loads, result.stdout.decode().splitlines())}
    key = f"{corrected['article'][:12]}-{corrected['event']}"
    assert rows[key]["fatalities"] == 9 and rows[key]["reviewed"] == "fatalities:correct"
    assert f"{rejected['article'][:12]}-{rejected['event']}" not in rows
    schema = export_schema()
    for row in rows.values():
        jsonschema.validate(row, schema)


def test_a_signed_in_coder_writes_only_with_the_sessions_csrf_token(client: TestClient) -> None:
    incident = client.get("/api/incidents?outlet=reuters").json()["items"][0]
    form = {"target": "incident", "id": incident["id"], "field": "actor1", "action": "confirm"}
    assert client.post("/reviews", data=form, follow_redirects=False).status_code == 403
    refused = client.post("/login", data={"token": "guess", "name": "Ana"})
    assert refused.status_code == 403 and "wrong token" in refused.text
    signed = client.post(
        "/login", data={"token": TOKEN, "name": "Ana", "next": "//evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert signed.status_code == 303 and signed.headers["location"] == "/"
    assert "httponly" in signed.headers["set-cookie"].lower()
    assert "samesite=strict" in signed.headers["set-cookie"].lower()
    page = client.get(f"/incidents/{incident['id']}").text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    assert client.post("/reviews", data=form, follow_redirects=False).status_code == 403
    foreign = {"Origin": "https://evil.example"}
    answer = client.post("/reviews", data=form | {"csrf": csrf}, headers=foreign)
    assert answer.status_code == 403
    done = client.post(
        "/reviews", data=form | {"csrf": csrf, "next": f"/incidents/{incident['id']}"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    shown = client.get(f"/incidents/{incident['id']}").text
    assert "confirmed" in shown and "Ana" in shown
    report = client.get(f"/api/incidents/{incident['id']}").json()["reports"][0]
    article = f"/articles/{report['article']}"
    assert 'name="target" value="event"' in client.get(article).text
    event = {"target": "event", "id": str(report["event_id"]), "field": "event"}
    done = client.post("/reviews", data=event | {"action": "reject", "csrf": csrf, "next": article})
    assert done.status_code == 200 and "rejected · Ana" in done.text


def test_every_answer_forbids_inline_script_and_other_hosts(reader: TestClient) -> None:
    for path in ("/", "/search?q=Herat", "/api/incidents", "/login"):
        policy = reader.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
    assert reader.get("/static/../../pyproject.toml").status_code == 404
    assert reader.get("/static/%2e%2e/_app.py").status_code == 404
    assert reader.get("/static/desk.js").status_code == 200
    assert reader.get("/tiles/9/0/0.png").status_code == 404


def test_hostile_markup_is_shown_as_text(reader: TestClient) -> None:
    found = reader.get("/api/search?q=shopkeepers").json()["articles"][0]
    page = reader.get(f"/articles/{found['id']}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;text&#39;)" in page
    assert "<img src=x" not in page and 'href="javascript:' not in page
    listing = reader.get("/").text
    assert "<img src=x" not in listing and "<script>alert" not in listing
    incident = reader.get("/api/incidents?actor=unidentified").json()["items"]
    shown = reader.get(f"/incidents/{incident[0]['id']}").text
    assert 'href="javascript:' not in shown and "<img src=x" not in shown


def test_upload_ingests_an_article_and_fuses_again(client: TestClient) -> None:
    before = client.get("/api/status").json()
    text = (
        "Taliban fighters attacked a police checkpoint in the Arghandab district of "
        "Kandahar province on Tuesday, killing five policemen, officials said."
    )
    files = {"file": ("report.txt", text.encode(), "text/plain")}
    assert client.post("/api/articles", files=files).status_code == 403
    headers = {"Authorization": f"Bearer {TOKEN}"}
    stored = client.post("/api/articles", files=files, headers=headers)
    assert stored.status_code == 201 and stored.json()["stored"] == 1
    after = client.get("/api/status").json()
    assert after["articles"] == before["articles"] + 1 and not after["fusion_stale"]
    wrong = {"file": ("tool.exe", b"MZ", "application/octet-stream")}
    assert client.post("/api/articles", files=wrong, headers=headers).status_code == 400


def test_the_api_is_described_by_openapi(reader: TestClient) -> None:
    spec = reader.get("/api/openapi.json").json()
    assert {"/api/incidents", "/api/incidents/{incident_id}", "/api/reviews"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/incidents"]["get"]["parameters"]}
    assert {"since", "country", "outlet", "mode", "cursor", "sort"} <= names


@pytest.mark.postgres
def test_the_desk_reads_and_reviews_a_postgresql_store(postgres_url: str, nlp) -> None:
    build_desk_store(postgres_url, nlp)
    app = create_app(DeskSettings(db=postgres_url, token=TOKEN))
    with TestClient(app) as client:
        paged = _all_pages(client, "sort=-fatalities")
        assert len(paged) == client.get("/api/incidents").json()["total"] >= 5
        contested = client.get("/api/incidents?contested=1&country=af").json()["items"]
        assert len(contested) == 1
        review = {"target": "incident", "id": contested[0]["id"], "field": "event"}
        review |= {"action": "confirm", "reviewer": "Ana"}
        headers = {"Authorization": f"Bearer {TOKEN}"}
        assert client.post("/api/reviews", json=review, headers=headers).status_code == 201
        view = client.get(f"/api/incidents/{contested[0]['id']}").json()
        assert view["incident"]["reviewed"]["event"]["action"] == "confirm"
