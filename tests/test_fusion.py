"""Fusion across articles: stories, incidents, independent origins, claim relations.

The rules are tested on reports built here; the whole path (extract several articles
together, or ingest them and ask the store) on the fixture articles in fixtures/fusion:
a wire story, its rewrite crediting the wire, an independent local report with another
toll, a like attack in another province, a protest elsewhere, and a claimed battle with
the other side's denial.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from fogmap import pipeline
from fogmap.evaluate.incidents import bcubed
from fogmap.fuse import fuse
from fogmap.fuse.entities import Mention, acronyms, resolve
from fogmap.fuse.incidents import Report, compare, link, merge
from fogmap.fuse.origins import Provenance, credits, origins
from fogmap.fuse.relations import claim_relations
from fogmap.fuse.stored import (
    fusion_state,
    kept_fusion_of,
    kept_incidents,
    save_fusion,
    stored,
    update_fusion,
)
from fogmap.fuse.stories import cluster
from fogmap.records import RawDocument, output_schema
from fogmap.sources import read_sources
from fogmap.store import Store

from .conftest import FIXTURES, run_fogmap

FUSION = FIXTURES / "fusion"
KANDAHAR = FUSION / "kandahar-and-others.jsonl"
PANJSHIR = FUSION / "panjshir-claim-and-denial.jsonl"


def _report(article: str, **fields) -> Report:
    values = {
        "event": 0,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "mode": "asserted",
        "published": "2020-03-04",
        "date_start": "2020-03-03",
        "date_end": "2020-03-03",
        "time_precision": 1,
        "place": "Arghandab",
        "feature_code": "ADM2",
        "country": "AF",
        "admin1": "Kandahar",
        "lat": 31.65,
        "lon": 65.70,
    }
    values.update(fields)
    return Report(article=article, **values)


# --- stories ---------------------------------------------------------------------------


def test_texts_of_one_story_cluster_and_other_stories_stay_apart() -> None:
    texts = [
        ("a", "Taliban fighters attacked a police checkpoint in Arghandab, Kandahar", None),
        ("b", "Police checkpoint in Arghandab district of Kandahar attacked by Taliban", None),
        ("c", "Traders protested in Lagos against the demolition of a market", None),
        ("d", "Lagos market traders protest demolition, block road", None),
        ("e", "Apple will sell nineteen million watches this year, analysts forecast", None),
    ]
    stories = cluster(texts)
    assert sorted(map(sorted, stories)) == [["a", "b"], ["c", "d"], ["e"]]


def test_texts_published_weeks_apart_are_different_stories() -> None:
    text = "Taliban fighters attacked a police checkpoint in Arghandab, Kandahar"
    stories = cluster([("a", text, "2020-03-04"), ("b", text, "2020-05-04")])
    assert len(stories) == 2


def test_bcubed_rewards_the_right_clustering_only() -> None:
    gold = [["a", "b"], ["c"]]
    assert bcubed([["a", "b"], ["c"]], gold).f1 == 1.0
    lumped = bcubed([["a", "b", "c"]], gold)
    assert lumped.recall == 1.0 and lumped.precision == pytest.approx(5 / 9)
    split = bcubed([["a"], ["b"], ["c"]], gold)
    assert split.precision == 1.0 and split.recall == pytest.approx(2 / 3)


# --- independent origins ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "credited"),
    [
        ("KABUL, Sept 5 (Reuters) - Taliban forces said", {"reuters"}),
        ("KABUL (AP) — Gunmen opened fire", {"associated press"}),
        ("The attack killed five people.\n— AFP", {"agence france-presse"}),
        ("A commander told the Financial Times the valley had fallen.", {"financial times"}),
        ("Five were killed, according to the Associated Press.", {"associated press"}),
        ("He told reporters that the attack was repelled.", set()),
        ("The toll rose, according to the Interior Ministry.", set()),
    ],
)
def test_credits_name_the_agency_or_outlet_a_report_comes_from(text: str, credited) -> None:
    assert credits(text) == credited


def test_copies_wire_rewrites_and_one_outlets_follow_ups_are_one_origin() -> None:
    articles = [
        Provenance("wire", "Reuters"),
        Provenance("rewrite", "Daily Example", credits=frozenset({"reuters"})),
        Provenance("copy", "Another Site", near_duplicate_group="rewrite"),
        Provenance("local", "Kandahar Voice"),
        Provenance("local-followup", "Kandahar Voice"),
        Provenance("elsewhere", "Herat News"),
    ]
    groups = sorted(map(sorted, origins(articles)))
    assert groups == [["copy", "rewrite", "wire"], ["elsewhere"], ["local", "local-followup"]]


# --- incidents -------------------------------------------------------------------------


def test_reports_of_one_place_day_and_kind_are_one_incident() -> None:
    seen = compare(_report("a"), _report("b", fatalities=7, actor1="Taliban"), same_story=False)
    assert seen.linked
    assert {"date", "place", "admin1", "sub_event_type"} <= set(seen.agreed)


@pytest.mark.parametrize(
    ("other", "conflict"),
    [
        ({"country": "PK", "admin1": "Punjab", "lat": 31.5, "lon": 74.3}, "country"),
        ({"place": "Shindand", "admin1": "Herat", "lat": 33.3, "lon": 62.1}, "place"),
        ({"date_start": "2020-02-20", "date_end": "2020-02-20"}, "date"),
        ({"event_type": "Protests", "sub_event_type": "Peaceful protest"}, "event_type"),
    ],
)
def test_another_country_place_day_or_kind_is_another_incident(other, conflict) -> None:
    seen = compare(_report("a"), _report("b", **other), same_story=True)
    assert conflict in seen.conflicted and not seen.linked


def test_one_story_on_the_same_days_links_reports_without_a_place() -> None:
    unplaced = {"place": None, "feature_code": None, "country": None, "admin1": None}
    a, b = _report("a", **unplaced), _report("b", **unplaced, sub_event_type="Attack")
    assert compare(a, b, same_story=True).linked
    assert not compare(a, b, same_story=False).linked


def test_two_incidents_of_one_article_are_never_joined_but_a_claim_and_its_denial_are() -> None:
    assert "article" in compare(_report("a"), _report("a", event=1), True).conflicted
    denied = _report("a", event=1, mode="denied")
    assert compare(_report("a", mode="claimed"), denied, True).linked


def test_clusters_do_not_chain_through_a_report_that_fits_both() -> None:
    # b is one day from a and c, but a and c are days apart: two incidents, not one chain
    a = _report("a", date_start="2020-03-01", date_end="2020-03-01")
    b = _report("b", date_start="2020-03-02", date_end="2020-03-02")
    c = _report("c", date_start="2020-03-06", date_end="2020-03-06")
    story = {"a": 0, "b": 0, "c": 0}
    groups, _ = link([a, b, c], story)
    assert sorted(len(g) for g in groups) == [1, 2]


def test_merged_incident_keeps_the_conservative_toll_with_its_range_and_the_best_place() -> None:
    province = {"place": "Kandahar", "feature_code": "ADM1", "lat": 31.0, "lon": 65.7}
    reports = [
        _report("wire", fatalities=5, date_start="2020-03-04", time_precision=2, **province),
        _report("local", fatalities=7),
        _report("rewrite", fatalities=0, published="2020-03-05"),
    ]
    incident = merge(reports)
    assert (incident.fatalities, incident.fatalities_low, incident.fatalities_high) == (5, 5, 7)
    assert incident.place is not None and incident.place.place == "Arghandab"
    assert incident.date_start == "2020-03-03"  # the earliest firm date
    assert len(incident.reports) == 3 and not incident.contested


def test_a_denial_contradicts_the_claim_and_another_toll_contradicts_too() -> None:
    claim = _report("nrf", mode="claimed", claim=0, fatalities=40)
    denial = _report("taliban", mode="negated", claim=2)
    other_toll = _report("local", mode="claimed", claim=1, fatalities=12)
    same_toll = _report("echo", mode="claimed", claim=0, fatalities=40)
    relations = {
        (r.source["article"], r.target["article"]): r
        for r in claim_relations(merge([claim, denial, other_toll, same_toll]))
    }
    by_pair = {frozenset(k): (r.kind, r.evidence["reason"]) for k, r in relations.items()}
    assert by_pair[frozenset({"nrf", "taliban"})] == ("contradicts", "negation")
    assert by_pair[frozenset({"nrf", "local"})] == ("contradicts", "conflicting numbers")
    assert by_pair[frozenset({"nrf", "echo"})] == ("supports", "same incident, told alike")


# --- the whole path --------------------------------------------------------------------


def _incidents_by_input(lines: list[str]) -> dict[str, list[str | None]]:
    found = {}
    for text in lines:
        document = json.loads(text)
        jsonschema.validate(document, output_schema())
        found[document["id"]] = [e["incident"] for e in document["events"]]
    return found


@pytest.mark.slow
def test_extract_links_one_incident_across_its_reports_and_keeps_others_apart() -> None:
    result = run_fogmap("extract", str(KANDAHAR), str(PANJSHIR), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    incidents = _incidents_by_input(lines)
    kandahar = incidents["wire-kandahar"][0]
    assert kandahar is not None
    assert incidents["rewrite-kandahar"][0] == kandahar
    assert incidents["local-kandahar"][0] == kandahar
    assert kandahar not in incidents["herat-post"] + incidents["lagos-protest"]
    assert incidents["resistance-claim"][0] == incidents["taliban-denial"][0]
    denial = next(json.loads(t) for t in lines if json.loads(t)["id"] == "taliban-denial")
    kinds = {(r["kind"], r["evidence"].get("reason")) for r in denial["relations"]}
    assert ("contradicts", "negation") in kinds and ("same_incident", None) in kinds


@pytest.mark.slow
def test_extract_no_fuse_streams_lines_without_incidents() -> None:
    result = run_fogmap("extract", str(PANJSHIR), "--format", "jsonl", "--no-fuse")
    documents = [json.loads(t) for t in result.stdout.decode().splitlines()]
    assert len(documents) == 2
    assert all("relations" not in d and "incident" not in d["events"][0] for d in documents)


@pytest.mark.slow
def test_stored_articles_fuse_into_contested_incidents_with_independent_sources(
    store: Store, nlp
) -> None:
    pipeline.ingest(read_sources([str(KANDAHAR), str(PANJSHIR)]), store, lambda: nlp)
    with store.session() as session:
        fusion = fuse(stored(session))
    by_size = sorted(fusion.incidents, key=lambda i: -len(i.reports))
    kandahar = by_size[0]
    assert {r.url for r in kandahar.reports} == {
        "https://wire.example/kandahar-checkpoint",
        "https://daily.example/news/police-killed-kandahar",
        "https://kandahar-voice.example/2020/03/arghandab",
    }
    assert kandahar.origins == 2  # the wire and its rewrite are one source
    assert (kandahar.fatalities_low, kandahar.fatalities_high) == (5, 7)
    contested = [i for i in fusion.incidents if i.contested]
    assert len(contested) == 1 and {r.mode for r in contested[0].reports} == {"claimed", "negated"}


@pytest.mark.slow
def test_saved_fusion_keeps_incidents_reports_and_relations_in_place_of_the_last(
    store: Store, nlp
) -> None:
    from sqlalchemy import select

    from fogmap.store.schema import IncidentReportRow, IncidentRow, RelationRow

    pipeline.ingest(read_sources([str(KANDAHAR)]), store, lambda: nlp)
    with store.session() as session:
        assert fusion_state(session).stale  # never fused
    with store.batch() as session:
        save_fusion(session)
    pipeline.ingest(read_sources([str(PANJSHIR)]), store, lambda: nlp)
    with store.session() as session:
        assert fusion_state(session).stale  # articles stored since
    for _ in range(2):  # fused again: the same rows, not twice as many
        with store.batch() as session:
            state = save_fusion(session)
    with store.session() as session:
        assert not fusion_state(session).stale and state.incidents > 0
        incidents = session.scalars(select(IncidentRow)).all()
        expected = fuse(stored(session))
        assert sorted(i.id for i in incidents) == sorted(i.id for i in expected.incidents)
        kandahar = max(incidents, key=lambda i: i.reports)
        assert (kandahar.reports, kandahar.origins) == (3, 2)
        assert (kandahar.fatalities_low, kandahar.fatalities_high) == (5, 7)
        reports = session.scalars(
            select(IncidentReportRow).where(IncidentReportRow.incident_id == kandahar.id)
        ).all()
        assert len({r.article_id for r in reports}) == 3
        kinds = [r.kind for r in session.scalars(select(RelationRow))]
        assert "contradicts" in kinds and "same_incident" in kinds
        assert len(kinds) == len(expected.relations)


@pytest.mark.slow
def test_kept_incidents_read_back_as_fusion_made_them(store: Store, nlp) -> None:
    pipeline.ingest(read_sources([str(KANDAHAR), str(PANJSHIR)]), store, lambda: nlp)
    with store.batch() as session:
        save_fusion(session)
    with store.session() as session:
        fused = {i.id: i for i in fuse(stored(session)).incidents}
        kept = list(kept_incidents(session))
        contested = list(kept_incidents(session, contested=True, country="af"))
    assert [i.id for i in kept] == [i.id for i in newest_first(fused.values())]
    for incident in kept:
        made = fused[incident.id]
        assert incident.reports == made.reports
        assert incident.place == made.place
        fields = ("fatalities_low", "fatalities_high", "origins", "contested", "actor1")
        assert all(getattr(incident, f) == getattr(made, f) for f in fields)
    assert [i.id for i in contested] == [i.id for i in kept if i.contested]
    with store.session() as session:
        whole = fuse(stored(session))
        for article in {r.article for i in kept for r in i.reports}:
            mine = kept_fusion_of(session, article)
            touching = [r.to_dict() for r in whole.relations if r.touches(article)]
            assert sorted(map(str, (r.to_dict() for r in mine.relations))) == sorted(
                map(str, touching)
            )
            assert mine.incident_of == {
                key: incident for key, incident in whole.incident_of.items() if key[0] == article
            }


def newest_first(incidents):
    by_id = sorted(incidents, key=lambda i: i.id)
    return sorted(by_id, key=lambda i: (i.date_start or "", len(i.reports)), reverse=True)


@pytest.mark.slow
def test_updated_fusion_refuses_only_the_new_articles_neighbourhood(store: Store, nlp) -> None:
    from sqlalchemy import select

    from fogmap.store.schema import ArticleRow, IncidentReportRow, IncidentRow

    pipeline.ingest(read_sources([str(KANDAHAR)]), store, lambda: nlp)
    with store.batch() as session:
        update_fusion(session)  # the first run fuses everything
    with store.session() as session:
        first = dict(session.execute(select(ArticleRow.id, ArticleRow.fused)).all())
    pipeline.ingest(read_sources([str(PANJSHIR)]), store, lambda: nlp)
    with store.batch() as session:
        state = update_fusion(session)
    assert not state.stale
    with store.session() as session:
        runs = dict(session.execute(select(ArticleRow.id, ArticleRow.fused)).all())
        kept = sorted(session.scalars(select(IncidentRow.id)))
        reports = session.execute(select(IncidentReportRow.event_id)).scalars().all()
        whole = sorted(i.id for i in fuse(stored(session)).incidents)
    assert all(runs[a] == run for a, run in first.items())  # 2020 was not fused again
    assert set(runs.values()) == {min(first.values()), min(first.values()) + 1}
    assert kept == whole  # the same incidents as fusing the whole store
    assert len(reports) == len(set(reports))
    # a new report of a kept incident: the incident is fused again, with it, once
    text = (
        "Taliban fighters attacked a police checkpoint in the Arghandab district of Kandahar "
        "province on Tuesday, killing five police officers, officials said."
    )
    late = RawDocument("late", text=text, published="2020-03-05", outlet="Late Outlet")
    pipeline.ingest([late], store, lambda: nlp)
    with store.batch() as session:
        update_fusion(session)
    with store.session() as session:
        reports = session.execute(select(IncidentReportRow.event_id)).scalars().all()
        kept = sorted(session.scalars(select(IncidentRow.id)))
        whole = fuse(stored(session)).incidents
        biggest = max(session.scalars(select(IncidentRow)), key=lambda i: i.reports)
    assert len(reports) == len(set(reports)) and kept == sorted(i.id for i in whole)
    assert biggest.reports == 4


@pytest.mark.slow
def test_incidents_command_lists_contested_incidents(tmp_path: Path) -> None:
    db = str(tmp_path / "fogmap.db")
    assert run_fogmap("ingest", str(KANDAHAR), str(PANJSHIR), "--db", db).returncode == 0
    result = run_fogmap("incidents", "--contested", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(t) for t in result.stdout.decode().splitlines()]
    assert len(rows) == 1 and rows[0]["contested"]
    assert rows[0]["independent_sources"] == 2
    assert any(c["kind"] == "contradicts" for c in rows[0]["claims"])
    shown = run_fogmap("incidents", "--country", "AF", "--db", db).stdout.decode()
    assert "CONTESTED" in shown and "3 reports, 2 independent" in shown
    assert run_fogmap("incidents", "--country", "NG", "--contested", "--db", db).returncode == 0
    denial = next(r for r in rows[0]["reports"] if r["mode"] == "negated")["article"]
    shown = json.loads(run_fogmap("show", denial[:10], "--json", "--db", db).stdout)
    assert shown["events"][0]["incident"] == rows[0]["incident"]
    assert {r["kind"] for r in shown["relations"]} == {"same_incident", "contradicts"}
    table = run_fogmap("show", denial[:10], "--db", db).stdout.decode()
    assert "incidents across articles" in table and "Valley Herald" in table


@pytest.mark.slow
def test_export_per_incident_names_every_source(tmp_path: Path) -> None:
    db = str(tmp_path / "fogmap.db")
    assert run_fogmap("ingest", str(KANDAHAR), "--db", db).returncode == 0
    result = run_fogmap("export", "--per", "incident", "--type", "Battles", "--db", db)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    kandahar = next(r for r in rows if r["admin1"].startswith("Kandah"))
    assert set(kandahar["source"].split("; ")) == {"Reuters", "Daily Example", "Kandahar Voice"}
    assert kandahar["fatalities"] == "5" and kandahar["event_id_cnty"].startswith("inc-")
    assert "3 reports, 2 independent sources; fatalities reported 5-7" in kandahar["notes"]
    assert len(rows) == 2  # and Herat's attack; the protest is not a battle


# --- actors across articles ------------------------------------------------------------


def _mention(article: str, name: str, kind: str = "armed_group", *aliases: str) -> Mention:
    return Mention(article, 0, name, kind, aliases)


def _actor_names(mentions: list[Mention]) -> list[set[str]]:
    return sorted(({m.article for m in a.mentions} for a in resolve(mentions)), key=sorted)


def test_full_names_aliases_and_one_acronym_join_across_articles() -> None:
    mentions = [
        _mention("a", "National Resistance Front of Afghanistan", "armed_group", "the front"),
        _mention("b", "National Resistance Front"),
        _mention("c", "NRF"),
        _mention("d", "Taliban"),
        _mention("e", "the Taliban"),
    ]
    assert _actor_names(mentions) == [{"a", "b", "c"}, {"d", "e"}]
    (front,) = [a for a in resolve(mentions) if "NRF" in a.names]
    assert front.name == "National Resistance Front of Afghanistan"


def test_namesakes_surnames_descriptions_and_ambiguous_acronyms_stay_apart() -> None:
    mentions = [
        _mention("a", "Ahmad Massoud", "person", "Massoud"),
        _mention("b", "Ahmad Shah Massoud", "person", "Massoud"),
        _mention("c", "Massoud", "person"),
        _mention("d", "the resistance", "armed_group"),
        _mention("e", "the resistance", "armed_group"),
        _mention("f", "National Revolutionary Front"),
        _mention("g", "National Resistance Front"),
        _mention("h", "NRF"),
    ]
    assert all(len(a.mentions) == 1 for a in resolve(mentions))


def test_acronyms_of_a_full_name() -> None:
    assert acronyms("National Resistance Front of Afghanistan") == {"NRFA", "NRF"}
    assert acronyms("Islamic State of Iraq and the Levant") == {"ISIL", "IS"}
    assert acronyms("Taliban") == set()


@pytest.mark.slow
def test_actors_command_lists_one_record_per_group(tmp_path: Path) -> None:
    db = str(tmp_path / "fogmap.db")
    assert run_fogmap("ingest", str(KANDAHAR), str(PANJSHIR), "--db", db).returncode == 0
    result = run_fogmap("actors", "Taliban", "--type", "armed_group", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(t) for t in result.stdout.decode().splitlines()]
    assert rows[0]["name"] == "Taliban" and len(rows[0]["articles"]) >= 4
    assert len([r for r in rows if r["name"] == "Taliban"]) == 1
