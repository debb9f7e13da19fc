"""`fogmap eval events`: event coding against ACLED's own coding of its summaries.

Each ACLED row's `notes` (the coder's summary of the reports) is read as an article with
no publication date; fogmap's main event for it (the most salient) is compared with the
row: event type and sub-event type (accuracy and macro-F1), the ACLED day
(`event_date`), fatalities, admin1 (the same province, by any of its gazetteer names or
a close spelling: ACLED writes "Idleb" and "Donetsk", GeoNames "Idlib" and "Donetska
oblast"),
location within 25 km of ACLED's point, and actor1 (names compared without case,
accents or ACLED's date suffixes: "Military Forces of Myanmar (2021-)" = "Military
Forces of Myanmar"). A row fogmap finds no event in counts as wrong on every measure.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice, tee
from pathlib import Path

from rapidfuzz.distance import JaroWinkler
from spacy.language import Language

from fogmap.evaluate.places import km
from fogmap.extract.events import EVENT_TYPES, SUB_EVENT_TYPES
from fogmap.geo import Gazetteer, name_key
from fogmap.records import Article, Document

DEV_FILE = "acled_dev.csv"
ADMIN_WORDS = frozenset(
    {
        "oblast",
        "oblasti",
        "province",
        "region",
        "governorate",
        "state",
        "do",
        "kray",
        "krai",
        "respublika",
        "republic",
        "district",
        "division",
        "prefecture",
        "department",
        "county",
        "special",
        "autonomous",
        "city",
        "al",
        "ar",
        "as",
        "ash",
        "ad",
        "an",
        "el",
    }
)
_SUFFIX = re.compile(r"\s*\((?:\d{4}-?\d{0,4}|[^)]*\d{4}[^)]*)\)\s*$")


@dataclass(frozen=True, slots=True)
class GoldEvent:
    notes: str
    event_type: str
    sub_event_type: str
    event_date: str
    fatalities: int
    actor1: str
    admin1: str
    lat: float | None
    lon: float | None


def read_rows(folder: Path) -> Iterator[GoldEvent]:
    with (folder / DEV_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield GoldEvent(
                notes=row["notes"],
                event_type=row["event_type"],
                sub_event_type=row["sub_event_type"],
                event_date=row["event_date"],
                fatalities=int(row["fatalities"] or 0),
                actor1=row["actor1"],
                admin1=row["admin1"],
                lat=float(row["latitude"]) if row["latitude"] else None,
                lon=float(row["longitude"]) if row["longitude"] else None,
            )


def actor_key(name: str | None) -> str:
    """An actor's name as compared: no date suffix, case, accents or punctuation."""
    return name_key(_SUFFIX.sub("", name or ""))


@dataclass(slots=True)
class Labels:
    """Gold and predicted labels of one classification, for accuracy and macro-F1."""

    pairs: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(g == p for g, p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def macro_f1(self) -> float:
        """F1 averaged over the gold classes."""
        scores = []
        for label in sorted({g for g, _ in self.pairs}):
            tp = sum(g == p == label for g, p in self.pairs)
            predicted = sum(p == label for _, p in self.pairs)
            gold = sum(g == label for g, _ in self.pairs)
            precision = tp / predicted if predicted else 0.0
            recall = tp / gold if gold else 0.0
            scores.append(2 * precision * recall / (precision + recall) if tp else 0.0)
        return sum(scores) / len(scores) if scores else 0.0

    def confusion(self) -> Counter[tuple[str, str | None]]:
        return Counter(self.pairs)


@dataclass(slots=True)
class EventScores:
    rows: int = 0
    found: int = 0  # rows with an event
    types: Labels = field(default_factory=Labels)
    sub_types: Labels = field(default_factory=Labels)
    dates: int = 0
    fatalities: int = 0
    admin1: int = 0
    located: int = 0  # within 25 km
    actor1: int = 0

    def share(self, count: int) -> float:
        return count / self.rows if self.rows else 0.0


def _name_words(name: str) -> list[str]:
    return [w for w in name_key(name).split() if w not in ADMIN_WORDS]


def similar_names(a: str, b: str) -> bool:
    """Two spellings of one province: every word of the shorter name close to a word of
    the longer (Jaro-Winkler ≥ 0.9) once words like "oblast" or "governorate" are left
    out: "Idleb" = "Idlib", "Donetska oblast" = "Donetsk", "Al Hasakeh" = "Al Ḩasakah",
    "Shan" = "Shan-South"; "Sud-Kivu" ≠ "Nord-Kivu"."""
    words_a, words_b = _name_words(a), _name_words(b)
    if not words_a or not words_b:
        return False
    shorter, longer = sorted((words_a, words_b), key=len)
    return all(any(JaroWinkler.similarity(s, w) >= 0.9 for w in longer) for s in shorter)


def same_admin1(ours: str | None, gold: str, gazetteer: Gazetteer) -> bool:
    """Whether fogmap's province is ACLED's: the same name spelled alike or otherwise
    (`similar_names`), or a gazetteer name of the same province ("Chittagong" for
    Chattogram)."""
    if not ours or not gold:
        return False
    if similar_names(ours, gold):
        return True
    key = name_key(ours)
    return any(e.feature_code == "ADM1" and name_key(e.name) == key for e in gazetteer.lookup(gold))


def score_row(
    scores: EventScores, gold: GoldEvent, document: Document, gazetteer: Gazetteer
) -> None:
    scores.rows += 1
    event = document.events[0] if document.events else None
    scores.types.pairs.append((gold.event_type, event.event_type if event else None))
    scores.sub_types.pairs.append((gold.sub_event_type, event.sub_event_type if event else None))
    if event is None:
        return
    scores.found += 1
    scores.dates += event.event_date == gold.event_date
    scores.fatalities += event.fatalities == gold.fatalities
    scores.actor1 += actor_key(event.actor1) == actor_key(gold.actor1)
    place = document.places[event.place] if event.place is not None else None
    if place is None:
        return
    scores.admin1 += same_admin1(place.admin1, gold.admin1, gazetteer)
    lat, lon = place.lat, place.lon
    if lat is not None and lon is not None and gold.lat is not None and gold.lon is not None:
        scores.located += km(lat, lon, gold.lat, gold.lon) <= 25


def evaluate(
    folder: Path, nlp: Language, gazetteer: Gazetteer, limit: int | None = None
) -> EventScores:
    from fogmap.pipeline import extract_document

    scores = EventScores()
    first, second = tee(islice(read_rows(folder), limit))
    docs = nlp.pipe((row.notes for row in first), batch_size=64)
    for number, (gold, doc) in enumerate(zip(second, docs, strict=True)):
        article = Article(id=str(number), text=gold.notes)
        score_row(scores, gold, extract_document(doc, article, gazetteer), gazetteer)
    return scores


__all__ = ["EVENT_TYPES", "SUB_EVENT_TYPES", "EventScores", "evaluate", "read_rows"]
