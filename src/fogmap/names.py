"""The name list behind the entity ruler: armed groups, state forces, places, countries.

Loaded once per process from data/names.tsv (curated; see its header) plus the country
names of ISO 3166 (pycountry), so that "Tajikistan" is a country however the stock model
labels it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import pycountry


@dataclass(frozen=True, slots=True)
class KnownName:
    canonical: str
    type: str  # an EntityType
    label: str  # the spaCy label the ruler assigns
    aliases: tuple[str, ...] = ()


# The names news uses for countries whose ISO 3166 names are formal or dated.
_NEWS_NAMES = {
    "Russian Federation": "Russia",
    "Syrian Arab Republic": "Syria",
    "Iran, Islamic Republic of": "Iran",
    "Korea, Republic of": "South Korea",
    "Korea, Democratic People's Republic of": "North Korea",
    "Congo, The Democratic Republic of the": "Democratic Republic of the Congo",
    "Congo": "Republic of the Congo",
    "Türkiye": "Turkey",
    "Palestine, State of": "Palestine",
    "Viet Nam": "Vietnam",
    "Venezuela, Bolivarian Republic of": "Venezuela",
    "Bolivia, Plurinational State of": "Bolivia",
    "Tanzania, United Republic of": "Tanzania",
    "Moldova, Republic of": "Moldova",
    "Lao People's Democratic Republic": "Laos",
    "Côte d'Ivoire": "Ivory Coast",
}
# Further spellings, keyed by the name fogmap uses.
_COUNTRY_ALIASES = {
    "Democratic Republic of the Congo": ("Democratic Republic of Congo", "DR Congo", "DRC"),
    "Republic of the Congo": ("Republic of Congo", "Congo-Brazzaville"),
    "Myanmar": ("Burma",),
    "Palestine": ("Palestinian territories",),
    "United States": ("US", "U.S.", "USA", "United States of America", "America"),
    "United Kingdom": ("UK", "U.K.", "Britain", "Great Britain"),
    "Ivory Coast": ("Cote d'Ivoire",),
}


def _countries() -> list[KnownName]:
    names = []
    for country in pycountry.countries:
        canonical = _NEWS_NAMES.get(country.name) or getattr(country, "common_name", None)
        canonical = canonical or country.name
        aliases = {country.name, *_COUNTRY_ALIASES.get(canonical, ())}
        aliases.discard(canonical)
        names.append(KnownName(canonical, "country", "GPE", tuple(sorted(aliases))))
    return names


@lru_cache(maxsize=1)
def known_names() -> tuple[KnownName, ...]:
    table = files("fogmap").joinpath("data/names.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(
        (line for line in table.splitlines() if not line.startswith("#")), delimiter="\t"
    )
    curated = [
        KnownName(
            row["canonical"],
            row["type"],
            row["label"],
            tuple(a for a in (row["aliases"] or "").split("|") if a),
        )
        for row in rows
    ]
    return (*curated, *_countries())


@lru_cache(maxsize=1)
def by_canonical() -> dict[str, KnownName]:
    return {name.canonical: name for name in known_names()}
