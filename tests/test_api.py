"""The public Python API: what a researcher types in a notebook."""

from __future__ import annotations

import pytest

import fogmap
from fogmap.errors import InputError

pytestmark = pytest.mark.slow  # the spaCy model and the gazetteer

TEXT = (
    "Taliban fighters attacked a police post in Kunduz province on Sunday, killing three "
    "policemen, officials said."
)


@pytest.fixture(scope="module")
def extractor() -> fogmap.Extractor:
    return fogmap.Extractor()


def test_three_lines_give_the_records_fogmap_extract_prints(extractor) -> None:
    document = extractor.extract(TEXT, published="2021-09-06")
    assert isinstance(document, fogmap.Document)
    (event,) = document.events
    assert (event.sub_event_type, event.fatalities, event.event_date) == (
        "Armed clash",
        3,
        "2021-09-05",
    )
    assert set(document.to_dict()) >= {"article", "entities", "claims", "places", "events"}


def test_a_page_is_read_as_html_and_bad_input_raises_with_its_reason(extractor) -> None:
    page = f"<html><body><article><p>{TEXT}</p></article></body></html>"
    assert extractor.extract(page, published="2021-09-06").events
    with pytest.raises(InputError, match="no text left"):
        extractor.extract("   ")


def test_many_items_stream_in_order_and_a_bad_one_takes_its_place(extractor) -> None:
    items = [TEXT, "", {"id": "b", "text": TEXT.replace("Kunduz", "Baghlan")}]
    results = list(extractor.extract_many(items, published="2021-09-06"))
    assert [type(r).__name__ for r in results] == ["Document", "InputError", "Document"]
    assert results[2].source_id == "b"  # type: ignore[union-attr]


def test_import_fogmap_stays_light() -> None:
    import subprocess
    import sys

    code = "import sys, fogmap; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"


def test_a_database_reads_as_records(tmp_path, nlp) -> None:
    """What `fogmap ingest` stored, read back in a notebook with nothing but the README."""
    from fogmap import pipeline
    from fogmap.records import RawDocument
    from fogmap.store import Store as Database

    path = tmp_path / "notebook.db"
    database = Database.open(str(path))
    raws = [
        RawDocument(locator="a", text=TEXT, outlet="Kabul Ledger", published="2021-09-06"),
        RawDocument(
            locator="b",
            text=TEXT.replace("three", "four").replace("officials said", "a spokesman said"),
            outlet="Valley Herald",
            published="2021-09-06",
        ),
    ]
    pipeline.ingest(raws, database, lambda: nlp)
    database.close()

    with fogmap.Store(str(path)) as store:
        articles = store.articles()
        assert {a.outlet for a in articles} == {"Kabul Ledger", "Valley Herald"}
        document = store.document(articles[0].id[:8])
        assert isinstance(document, fogmap.Document) and document.events
        events = list(store.events(country="AF"))
        assert len(events) == 2 and all(e.event.event_type == "Battles" for e in events)
        (incident,) = store.incidents(country="AF")
        assert len(incident.reports) == 2
        assert (incident.fatalities_low, incident.fatalities_high) == (3, 4)
        assert any(place.country == "AF" for place in store.places())
    with pytest.raises(fogmap.errors.StoreError):
        fogmap.Store(str(tmp_path / "missing.db"))
