"""The store on SQLite and PostgreSQL: migrations, idempotent ingest, dedupe, search."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from fogmap import pipeline
from fogmap.errors import StoreError, UsageError
from fogmap.records import RawDocument
from fogmap.settings import Settings
from fogmap.store import Store, database_url
from fogmap.store.queries import (
    counts,
    iter_events,
    list_articles,
    list_claims,
    load_document,
    resolve_id,
)
from fogmap.store.schema import ArticleRow, Base, EntityRow, SourceRow

FIXTURES = Path(__file__).parent / "fixtures"
WIRE = (FIXTURES / "wire-clash.txt").read_text()


def _ingest(store: Store, nlp, raws, settings: Settings | None = None):
    errors = []
    report = pipeline.ingest(
        raws, store, lambda: nlp, settings=settings or Settings(), on_error=errors.append
    )
    return report, errors


def _raw(text: str, locator: str, **meta) -> RawDocument:
    return RawDocument(locator=locator, text=text, **meta)


def _ignore_search_objects(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(("article_search", "ix_articles_search"))


def test_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    assert store.revision() == Store.head_revision()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": _ignore_search_objects}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_opening_twice_migrates_once(store: Store) -> None:
    again = Store.open(str(store.engine.url.render_as_string(hide_password=False)))
    assert again.revision() == Store.head_revision()
    again.close()


def test_ingest_stores_articles_with_entities_and_mentions(store: Store, nlp) -> None:
    report, errors = _ingest(store, nlp, [_raw(WIRE, "wire.txt", url="https://w.example/1")])
    assert (report.stored, errors) == (1, [])
    with store.session() as session:
        (summary,) = list_articles(session)
        document, sources = load_document(session, summary.id)
    assert document.article.title == "Clashes reported near Charikar"
    assert [s.locator for s in sources] == ["wire.txt"]
    mujahid = next(e for e in document.entities if e.name == "Zabihullah Mujahid")
    assert (mujahid.role, mujahid.affiliation) == ("spokesman", "Taliban")
    assert len(mujahid.mentions) == 2
    for entity in document.entities:
        for mention in entity.mentions:
            assert document.article.text[mention.start : mention.end] == mention.text


def test_reingesting_adds_nothing_and_a_new_source_of_the_same_text_is_kept(
    store: Store, nlp
) -> None:
    _ingest(store, nlp, [_raw(WIRE, "a.txt")])
    again, _ = _ingest(store, nlp, [_raw(WIRE, "a.txt")])
    assert (again.stored, again.unchanged, again.duplicates) == (0, 1, 0)
    respaced = WIRE.replace("\n\n", "\n\n\n").upper()
    copy, _ = _ingest(store, nlp, [_raw(respaced, "b.txt", url="https://b.example/x")])
    assert (copy.stored, copy.duplicates) == (0, 1)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 1
        urls = session.scalars(select(SourceRow.url).order_by(SourceRow.id)).all()
    assert urls == [None, "https://b.example/x"]


def test_exact_duplicates_within_one_batch_are_stored_once(store: Store, nlp) -> None:
    report, _ = _ingest(store, nlp, [_raw(WIRE, "a.txt"), _raw(WIRE, "b.txt")])
    assert (report.stored, report.duplicates) == (1, 1)
    with store.session() as session:
        assert counts(session)["sources"] == 2


@pytest.mark.parametrize("batch_size", [1, 8])
def test_near_duplicates_are_grouped_across_batches_and_runs(
    store: Store, nlp, batch_size: int
) -> None:
    settings = replace(Settings(), batch_size=batch_size)
    edited = WIRE.replace("residents said.", "residents told Example Wire.") + "\nEditing by desk."
    other = "Floods closed the main road to the north on Tuesday, officials in Salang said."
    _ingest(store, nlp, [_raw(WIRE, "a.txt"), _raw(other, "c.txt")], settings)
    _ingest(store, nlp, [_raw(edited, "b.txt")], settings)
    with store.session() as session:
        rows = dict(
            session.execute(
                select(SourceRow.locator, ArticleRow.near_duplicate_group).join(
                    ArticleRow, ArticleRow.id == SourceRow.article_id
                )
            ).all()
        )
    assert rows["a.txt"] == rows["b.txt"] != rows["c.txt"]


def test_bad_inputs_are_reported_and_the_rest_is_stored(store: Store, nlp) -> None:
    from fogmap.errors import InputError

    raws = [
        InputError("broken.txt", "empty file"),
        _raw(WIRE, "a.txt"),
        _raw("x", "bad-date.txt", published="last Tuesday"),
    ]
    report, errors = _ingest(store, nlp, raws)
    assert report.stored == 1 and report.skipped == 2
    assert [e.locator for e in errors] == ["broken.txt", "bad-date.txt"]


def test_full_text_search_and_id_prefixes(store: Store, nlp) -> None:
    other = "Floods closed the main road to the north on Tuesday, officials said."
    _ingest(store, nlp, [_raw(WIRE, "a.txt"), _raw(other, "b.txt", outlet="Road News")])
    with store.session() as session:
        found = list_articles(session, search="checkpoints")  # stemmed: checkpoint
        assert [a.title for a in found] == ["Clashes reported near Charikar"]
        assert list_articles(session, search='"quoted" AND (weird') == []
        assert [a.outlet for a in list_articles(session, outlet="road news")] == ["Road News"]
        full = found[0].id
        assert resolve_id(session, full[:6]) == full
        with pytest.raises(UsageError):
            resolve_id(session, "ffff0000")


def test_deleting_an_article_removes_its_rows(store: Store, nlp) -> None:
    _ingest(store, nlp, [_raw(WIRE, "a.txt")])
    with store.batch() as session:
        session.delete(session.scalars(select(ArticleRow)).one())
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(EntityRow)) == 0


def test_database_urls() -> None:
    assert database_url(None) == "sqlite:///fogmap.db"
    assert database_url("data/x.db") == "sqlite:///data/x.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(StoreError, match="bad database URL"):
        Store.open("nosuchdb://x")
    with pytest.raises(StoreError, match="no folder"):
        Store.open("/definitely/not/here/x.db")


def test_show_json_round_trips_what_extract_prints(store: Store, nlp) -> None:
    raw = _raw(WIRE, "a.txt", published="2021-09-05")
    (printed,) = pipeline.extract([raw], nlp)
    _ingest(store, nlp, [raw])
    with store.session() as session:
        loaded, _ = load_document(session, printed.article.id)
    loaded.source_id = printed.source_id
    assert json.dumps(loaded.to_dict(), sort_keys=True) == json.dumps(
        printed.to_dict(), sort_keys=True
    )


def test_claims_are_stored_and_filtered(store: Store, nlp) -> None:
    _ingest(store, nlp, [_raw(WIRE, "a.txt", published="2021-09-05", outlet="Global Wire")])
    with store.session() as session:
        nrf = list_claims(session, affiliation="national resistance")
        taliban_calm = list_claims(session, speaker="mujahid", topic="calm")
        elsewhere = list_claims(session, outlet="Other Paper")
        later = list_claims(session, since="2021-09-06")
        that_day = list_claims(session, since="2021-09-05", until="2021-09-05")
        every = list_claims(session)
    assert nrf and {c.claim.speaker_name for c in nrf} == {"Ali Nazary"}
    assert [c.claim.content for c in taliban_calm] == ["the area was calm"]
    assert taliban_calm[0].sentence == "Mujahid later said the area was calm."
    assert taliban_calm[0].claim.speaker is not None  # linked to the stored entity
    assert (elsewhere, later) == ([], [])
    assert len(that_day) == len(every) >= 5


def test_events_are_stored_with_their_place_and_claim_and_filtered(store: Store, nlp) -> None:
    _ingest(store, nlp, [_raw(WIRE, "a.txt", published="2021-09-05", outlet="Global Wire")])
    with store.session() as session:
        happened = list(iter_events(session))
        every = list(iter_events(session, all_modes=True))
        battles = list(iter_events(session, event_type="battles", country="af"))
        clashes = list(iter_events(session, event_type="Armed clash", since="2021-09-05"))
        later = list(iter_events(session, since="2021-09-06", all_modes=True))
        elsewhere = list(iter_events(session, country="IQ", all_modes=True))
        document, _ = load_document(session, happened[0].article_id)
    # "Fighting broke out …, residents said": witnesses report it as fact, so it is
    # asserted (ACLED's reading), still linked to the claim it is told in
    assert [row.event.mode for row in happened] == ["asserted"]
    assert {row.event.mode for row in every} == {"asserted", "negated"}
    fight = happened[0]
    assert (fight.event.sub_event_type, fight.event.fatalities) == ("Armed clash", 5)
    assert fight.place is not None and (fight.place.name, fight.place.country) == (
        "Charikar",
        "AF",
    )
    assert fight.claim is not None and fight.claim.cue == "said"
    # every telling of the incident, each once: the headline and the story
    tellings = fight.evidence.split(" … ")
    assert tellings[0] == "Clashes reported near Charikar"
    assert tellings[1].startswith("Fighting broke out on Sunday between Taliban fighters")
    assert [m.trigger for m in fight.event.mentions][:2] == ["Clashes", "Fighting"]
    assert fight.event.timing == "current"
    assert [r.event.trigger for r in battles] == [r.event.trigger for r in clashes] == ["Fighting"]
    assert (later, elsewhere) == ([], [])
    assert [e.sub_event_type for e in document.events] == ["Armed clash", "Armed clash"]
    assert document.events[0].claim is not None and document.events[0].place is not None
