"""Exports of stored events: ACLED-compatible CSV and GeoJSON, streamed row by row.

The CSV carries ACLED's column names, so tools written for ACLED's data read fogmap's;
`notes` is written from the evidence the way ACLED's coders write theirs ("On 5
September 2021, …"), with the claim an event rests on and any disagreement over its toll.
`geo_precision` follows ACLED: 1 a town or village, 2 a district or a named area near
one, 3 a province or a country.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from typing import Any, TextIO

from fogmap.extract.events import acled_country
from fogmap.geo import Gazetteer
from fogmap.store.queries import EventSummary

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "location",
    "latitude", "longitude", "geo_precision", "source", "source_url", "notes", "fatalities",
    "mode",
)  # fmt: skip
_PROVINCE_LEVEL = {"ADM1", "PCLI", "CONT", "RGN"}


def geo_precision(feature_code: str | None) -> int | None:
    if feature_code is None:
        return None
    if feature_code.startswith("PPL"):
        return 1
    return 3 if feature_code in _PROVINCE_LEVEL else 2


def notes(row: EventSummary) -> str:
    """ACLED-style notes: the day, the evidence, whose claim it is, what disagreed."""
    event = row.event
    text = row.evidence if len(row.evidence) <= 600 else row.evidence[:597].rstrip() + "…"
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
        "country": (country_name(place.country) if place and place.country else None) or "",
        "admin1": (place.admin1 if place else None) or "",
        "location": place.name if place else "",
        "latitude": place.lat if place and place.lat is not None else "",
        "longitude": place.lon if place and place.lon is not None else "",
        "geo_precision": geo_precision(place.feature_code if place else None) or "",
        "source": row.outlet or "",
        "source_url": row.url or "",
        "notes": notes(row),
        "fatalities": event.fatalities if event.fatalities is not None else "",
        "mode": event.mode,
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


def write_acled_csv(rows: Iterable[EventSummary], handle: TextIO, gazetteer: Gazetteer) -> int:
    """ACLED's columns, one row per event; every text cell neutralised against formula
    injection, since outlets, places and evidence come from pages anyone can write."""
    writer = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    country_name = _country_names(gazetteer)
    written = 0
    for row in rows:
        cells = acled_row(row, country_name)
        writer.writerow({column: neutralise(value) for column, value in cells.items()})
        written += 1
    return written


def write_geojson(rows: Iterable[EventSummary], handle: TextIO, gazetteer: Gazetteer) -> int:
    """A FeatureCollection, one feature per event; an event with no coordinates has a null
    geometry, as RFC 7946 allows, so nothing is silently dropped."""
    country_name = _country_names(gazetteer)
    handle.write('{"type": "FeatureCollection", "features": [\n')
    written = 0
    for row in rows:
        properties = acled_row(row, country_name)
        place = row.place
        geometry = (
            {"type": "Point", "coordinates": [place.lon, place.lat]}
            if place is not None and place.lat is not None and place.lon is not None
            else None
        )
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        handle.write(("," if written else "") + json.dumps(feature, ensure_ascii=False) + "\n")
        written += 1
    handle.write("]}\n")
    return written


WRITERS = {"acled-csv": write_acled_csv, "geojson": write_geojson}
