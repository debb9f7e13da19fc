"""Exports of stored events or incidents: ACLED-compatible CSV, GeoJSON, JSON Lines and
Parquet, streamed row by row.

The CSV carries ACLED's column names, so tools written for ACLED's data read fogmap's;
`notes` is written from the evidence the way ACLED's coders write theirs ("On 5
September 2021, …"), with the claim an event rests on and any disagreement over its toll.
`geo_precision` follows ACLED: 1 a town or village, 2 a district or a named area near
one, 3 a province or a country.

Coders' reviews (`fogmap serve`) are applied: a corrected value replaces fogmap's, a
rejected value is emptied, a rejected event is left out, and `reviewed` names every
reviewed field with its verdict ("fatalities:correct; actor1:confirm").
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from functools import cache
from itertools import islice
from typing import Any, BinaryIO, TextIO

from fogmap.errors import UsageError
from fogmap.extract.events import acled_country
from fogmap.fuse.incidents import Incident
from fogmap.geo import Gazetteer
from fogmap.records import json_line
from fogmap.store.queries import EventSummary
from fogmap.store.reviews import Review

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "location",
    "latitude", "longitude", "geo_precision", "source", "source_url", "notes", "fatalities",
    "mode", "reviewed",
)  # fmt: skip
# A reviewed field's column.
REVIEWED_COLUMNS = {"event_type": "event_type", "sub_event_type": "sub_event_type",
                    "actor1": "actor1", "actor2": "actor2", "date": "event_date",
                    "place": "location", "admin1": "admin1", "country": "country",
                    "fatalities": "fatalities", "mode": "mode"}  # fmt: skip
_PROVINCE_LEVEL = {"ADM1", "PCLI", "CONT", "RGN"}


def geo_precision(feature_code: str | None) -> int | None:
    if feature_code is None:
        return None
    if feature_code.startswith("PPL"):
        return 1
    return 3 if feature_code in _PROVINCE_LEVEL else 2


def _shortened(evidence: str, most: int = 600) -> str:
    return evidence if len(evidence) <= most else evidence[: most - 3].rstrip() + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def notes(row: EventSummary) -> str:
    """ACLED-style notes: the day, the evidence, whose claim it is, what disagreed."""
    event = row.event
    text = _shortened(row.evidence)
    day = event.event_date
    if day:
        when = date.fromisoformat(day)
        opening = "On" if event.time_precision == 1 else "Around"
        text = f"{opening} {when.day} {when:%B %Y}: {text}"
    if row.claim is not None and event.mode != "asserted":
        speaker = row.claim.speaker_name or row.claim.speaker_text or "an unnamed source"
        text += f" [{event.mode} by {speaker}]"
    if event.fatalities_note:
        text += f" [fatalities: {event.fatalities_note}]"
    return text


def acled_row(row: EventSummary, country_name: Callable[[str], str | None]) -> dict[str, Any]:
    event, place = row.event, row.place
    return {
        "event_id_cnty": f"{row.article_id[:12]}-{event.id}",
        "event_date": event.event_date or "",
        "time_precision": event.time_precision or "",
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type or "",
        "actor1": event.actor1 or "",
        "assoc_actor_1": event.assoc_actor_1 or "",
        "actor2": event.actor2 or "",
        "assoc_actor_2": event.assoc_actor_2 or "",
        **_where(place.name if place else None, place, country_name),
        "source": row.outlet or "",
        "source_url": row.url or "",
        "notes": notes(row),
        "fatalities": event.fatalities if event.fatalities is not None else "",
        "mode": event.mode,
        "reviewed": "",
    }


def reviewed_row(cells: dict[str, Any], verdicts: dict[str, Review]) -> dict[str, Any] | None:
    """A row with coders' verdicts applied (None when the record itself was rejected)."""
    if not verdicts:
        return cells
    if verdicts.get("event") and verdicts["event"].action == "reject":
        return None
    cells = dict(cells)
    for field, verdict in verdicts.items():
        column = REVIEWED_COLUMNS.get(field)
        if column is None or verdict.action == "confirm":
            continue
        value: Any = verdict.value if verdict.action == "correct" else ""
        if column == "fatalities" and value != "":
            value = int(value)
        cells[column] = value
    cells["reviewed"] = "; ".join(f"{f}:{v.action}" for f, v in sorted(verdicts.items()))
    return cells


def _where(
    name: str | None, place: Any, country_name: Callable[[str], str | None]
) -> dict[str, Any]:
    """ACLED's place columns, from a `Place` or an incident's `Report` (both carry
    country, admin1, lat, lon and feature_code)."""
    return {
        "country": (country_name(place.country) if place and place.country else None) or "",
        "admin1": (place.admin1 if place else None) or "",
        "location": name or "",
        "latitude": place.lat if place and place.lat is not None else "",
        "longitude": place.lon if place and place.lon is not None else "",
        "geo_precision": geo_precision(place.feature_code if place else None) or "",
    }


def _country_names(gazetteer: Gazetteer) -> Callable[[str], str | None]:
    """Country codes to the names ACLED's data uses ("Palestine", "Czech Republic")."""

    @cache
    def name(code: str) -> str | None:
        entry = gazetteer.country(code)
        return acled_country(entry.name) if entry else code

    return name


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert by a leading quote
    ("=HYPERLINK(…)" → "'=HYPERLINK(…)"); numbers are left alone ("-12.5" longitudes
    are written as numbers, not text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def incident_row(incident: Incident, country_name: Callable[[str], str | None]) -> dict[str, Any]:
    """One incident as one ACLED row: merged fields, every source named (ACLED separates
    sources with "; "), the notes saying how many reports and independent origins stand
    behind it, the toll's range and whether it is contested."""
    place = incident.place
    told = incident.happened
    lead = place if place is not None else told[0]
    day = incident.date_start
    text = _shortened(lead.evidence)
    if day:
        precise = any(r.date_start == day and r.time_precision == 1 for r in told)
        text = f"{'On' if precise else 'Around'} {date.fromisoformat(day):%-d %B %Y}: {text}"
    outlets = list(dict.fromkeys(r.outlet or "unnamed outlet" for r in incident.reports))
    text += f" [{_count(len(incident.reports), 'report')}, "
    text += _count(incident.origins, "independent source")
    if incident.fatalities_low != incident.fatalities_high:
        text += f"; fatalities reported {incident.fatalities_low}-{incident.fatalities_high}"
    if incident.contested:
        refusing = [r for r in incident.reports if r.mode not in ("asserted", "claimed")]
        text += "; contested: " + ", ".join(
            f"{r.mode} by {r.speaker or r.outlet or 'an unnamed source'}" for r in refusing
        )
    modes = {r.mode for r in told}
    return {
        "event_id_cnty": incident.id,
        "event_date": day or "",
        "time_precision": next((r.time_precision for r in told if r.date_start == day), "") or "",
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type or "",
        "actor1": incident.actor1 or "",
        "assoc_actor_1": "",
        "actor2": incident.actor2 or "",
        "assoc_actor_2": "",
        **_where(place.place if place else None, place, country_name),
        "source": "; ".join(outlets),
        "source_url": " ".join(dict.fromkeys(r.url for r in incident.reports if r.url)),
        "notes": text + "]",
        "fatalities": incident.fatalities if incident.fatalities is not None else "",
        "mode": "contested"
        if incident.contested
        else ("asserted" if "asserted" in modes else min(modes)),
        "reviewed": "",
    }


def event_rows(
    rows: Iterable[EventSummary],
    gazetteer: Gazetteer,
    verdicts: Mapping[tuple[str, int], dict[str, Review]] | None = None,
) -> Iterator[dict[str, Any]]:
    """Events as rows, with the coders' `verdicts` (by article id and event number)."""
    country_name = _country_names(gazetteer)
    for row in rows:
        cells = acled_row(row, country_name)
        kept = reviewed_row(cells, (verdicts or {}).get((row.article_id, row.event.id), {}))
        if kept is not None:
            yield kept


def incident_rows(
    incidents: Iterable[Incident],
    gazetteer: Gazetteer,
    verdicts: Mapping[str, dict[str, Review]] | None = None,
) -> Iterator[dict[str, Any]]:
    """Incidents as rows, with the coders' `verdicts` (by incident id)."""
    country_name = _country_names(gazetteer)
    for incident in incidents:
        cells = incident_row(incident, country_name)
        kept = reviewed_row(cells, (verdicts or {}).get(incident.id, {}))
        if kept is not None:
            yield kept


def write_acled_csv(rows: Iterable[dict[str, Any]], handle: TextIO) -> int:
    """ACLED's columns, one row per event or incident; every text cell neutralised against
    formula injection, since outlets, places and evidence come from pages anyone can write."""
    # Rows end in CRLF, as RFC 4180 has them: the csv module then quotes any cell holding
    # a carriage return, which with a bare LF ending it writes as it is, and a reader
    # takes for the end of a row (a page's text could add rows to the export).
    writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    written = 0
    for cells in rows:
        writer.writerow({column: neutralise(value) for column, value in cells.items()})
        written += 1
    return written


def write_geojson(rows: Iterable[dict[str, Any]], handle: TextIO) -> int:
    """A FeatureCollection, one feature per row, its properties as in JSON Lines; a row
    with no coordinates has a null geometry, as RFC 7946 allows, so nothing is silently
    dropped."""
    handle.write('{"type": "FeatureCollection", "features": [\n')
    written = 0
    for cells in rows:
        properties = _json_record(cells)
        lat, lon = properties["latitude"], properties["longitude"]
        geometry = {"type": "Point", "coordinates": [lon, lat]} if None not in (lat, lon) else None
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        handle.write(("," if written else "") + json_line(feature))
        written += 1
    handle.write("]}\n")
    return written


def write_jsonl(rows: Iterable[dict[str, Any]], handle: TextIO) -> int:
    """One JSON object per line with ACLED's column names, for tools that read records
    one at a time; numbers stay numbers, missing values are null."""
    written = 0
    for cells in rows:
        handle.write(json_line(_json_record(cells)))
        written += 1
    return written


def _json_record(cells: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON writes it (schema/export.schema.json): a missing value is null."""
    return {column: (None if value == "" else value) for column, value in cells.items()}


PARQUET_BATCH = 2000  # rows held in memory at a time while a Parquet file is written
_NUMBERS = {"time_precision": "int64", "latitude": "float64", "longitude": "float64",
            "geo_precision": "int64", "fatalities": "int64"}  # fmt: skip


def write_parquet(rows: Iterable[dict[str, Any]], handle: BinaryIO) -> int:
    """ACLED's columns as a Parquet file (numbers typed, missing values null), written in
    row groups of PARQUET_BATCH rows so that memory stays flat however many there are.
    Needs pyarrow (`pip install 'fogmap[parquet]'`)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ModuleNotFoundError as exc:
        raise UsageError("Parquet needs pyarrow: pip install 'fogmap[parquet]'") from exc
    schema = pa.schema([(c, getattr(pa, _NUMBERS.get(c, "string"))()) for c in ACLED_COLUMNS])
    iterator = iter(rows)
    written = 0
    with pq.ParquetWriter(handle, schema) as writer:
        while chunk := list(islice(iterator, PARQUET_BATCH)):
            cleaned = [_json_record(row) for row in chunk]
            writer.write_table(pa.Table.from_pylist(cleaned, schema=schema))
            written += len(chunk)
    return written


WRITERS: dict[str, Callable[..., int]] = {
    "acled-csv": write_acled_csv,
    "geojson": write_geojson,
    "jsonl": write_jsonl,
    "parquet": write_parquet,
}
BINARY = frozenset({"parquet"})  # formats written as bytes, to a file only
