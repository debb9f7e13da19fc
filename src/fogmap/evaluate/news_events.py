"""`fogmap eval news-events`: whole news articles, every event fogmap codes from them.

The gold (news-events/dev.jsonl) lists, for real FNC-1 news bodies, every event an ACLED
coder would code from the article, each with every sentence that reports it. fogmap's
events in mode asserted or claimed are the predictions. A prediction matches a gold event
when one of its sentences shares a run of five words with one of that event's evidence
sentences; each gold event is matched at most once, so a second prediction on it is a
duplicate (a false positive). Typed matching also needs the same event type. Recall counts
current gold events only (coding a background incident is right, missing one is not an
error); gold events marked uncertain are left out both ways, and a prediction on a denied
gold event is false. Fields are compared on the matched events.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from fogmap.evaluate.events import actor_key, same_admin1
from fogmap.evaluate.metrics import Score
from fogmap.extract.events import HAPPENED
from fogmap.geo import Gazetteer
from fogmap.records import Document, Event, RawDocument

GOLD_FILE = "dev.jsonl"
PUBLISHED = "2014-10-01"  # FNC-1 gives no dates; the set's README fixes this one
RUN = 5  # words in a row shared with an evidence sentence
FIELDS = ("sub_event_type", "mode", "country", "admin1", "fatalities", "actor1")
_WORD = re.compile(r"\w+")


def runs(text: str) -> set[tuple[str, ...]]:
    """The runs of RUN words of a text, compared without case or punctuation."""
    tokens = _WORD.findall(text.lower())
    return {tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)}


@dataclass(slots=True)
class GoldArticle:
    id: str
    text: str
    events: list[dict[str, Any]]


def read_gold(root: Path, fnc1: Path) -> Iterator[GoldArticle]:
    """The annotated articles with their bodies, in the gold file's order."""
    csv.field_size_limit(sys.maxsize)
    with (fnc1 / "bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with (root / GOLD_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                body_id = record["id"].removeprefix("fnc")
                yield GoldArticle(record["id"], bodies[body_id], record["events"])


@dataclass(slots=True)
class Matching(Score):
    """Predictions against gold events, typed or with the type ignored: `Score`'s counts
    (`gold` are the current gold events, which recall counts) and why the others missed."""

    duplicates: int = 0  # on a gold event another prediction matched already
    on_nothing: int = 0  # on no gold event at all
    on_denied: int = 0


@dataclass(slots=True)
class ArticleResult:
    id: str
    predicted: int
    false_positives: int
    missed: int  # current gold events not matched (typed)


@dataclass(slots=True)
class NewsEventScores:
    articles: int = 0
    typed: Matching = field(default_factory=Matching)
    detected: Matching = field(default_factory=Matching)
    fields: dict[str, list[bool]] = field(default_factory=lambda: {f: [] for f in FIELDS})
    per_article: list[ArticleResult] = field(default_factory=list)

    def field_score(self, name: str) -> float:
        values = self.fields[name]
        return sum(values) / len(values) if values else 0.0

    def worst(self, n: int = 10) -> list[ArticleResult]:
        return sorted(self.per_article, key=lambda a: -(a.false_positives + a.missed))[:n]


def _sentences(event: Event, text: str) -> list[str]:
    if event.mentions:
        return [text[m.sentence_start : m.sentence_end] for m in event.mentions]
    return [text[event.sentence_start : event.sentence_end]]


def match(
    predictions: list[Event], gold: list[dict[str, Any]], text: str, typed: bool
) -> tuple[Matching, list[tuple[Event, dict[str, Any]]]]:
    """Match one article's predictions to its gold events, in the order fogmap lists them
    (main event first); returns the counts and the matched pairs."""
    result = Matching()
    evidence = [set().union(*(runs(s) for s in g["evidence"])) for g in gold]
    taken: set[int] = set()
    pairs: list[tuple[Event, dict[str, Any]]] = []
    for event in predictions:
        mine = set().union(*(runs(s) for s in _sentences(event, text)))
        hits = [
            i
            for i, g in enumerate(gold)
            if mine & evidence[i] and (not typed or g["event_type"] == event.event_type)
        ]
        if hits and all(gold[i].get("uncertain") for i in hits):
            continue  # left out both ways
        hits = [i for i in hits if not gold[i].get("uncertain")]
        result.predicted += 1
        if not hits:
            result.on_nothing += 1
            continue
        if all(gold[i]["mode"] == "denied" for i in hits):
            result.on_denied += 1
            continue
        free = [i for i in hits if i not in taken and gold[i]["mode"] != "denied"]
        if not free:
            result.duplicates += 1
            continue
        chosen = min(free, key=lambda i: gold[i].get("timing") != "current")
        taken.add(chosen)
        result.predicted_matched += 1
        pairs.append((event, gold[chosen]))
    for i, g in enumerate(gold):
        if _scored_current(g):
            result.gold += 1
            result.gold_matched += i in taken
    return result, pairs


def _scored_current(gold: dict[str, Any]) -> bool:
    return (
        not gold.get("uncertain")
        and gold.get("timing") == "current"
        and gold["mode"] in ("asserted", "claimed")
    )


def _add(total: Matching, part: Matching) -> None:
    for name in Matching.__dataclass_fields__:
        setattr(total, name, getattr(total, name) + getattr(part, name))


def score_fields(
    scores: NewsEventScores,
    pairs: Iterable[tuple[Event, dict[str, Any]]],
    document: Document,
    gazetteer: Gazetteer,
) -> None:
    """Fields of matched events, each where the gold gives it (fatalities always: no
    number is nought)."""
    for event, gold in pairs:
        place = document.places[event.place] if event.place is not None else None
        entry = gazetteer.country(place.country) if place and place.country else None
        checks: dict[str, bool | None] = {
            "sub_event_type": event.sub_event_type == gold["sub_event_type"],
            "mode": event.mode == gold["mode"],
            "fatalities": (event.fatalities or 0) == (gold.get("fatalities") or 0),
        }
        if gold.get("country"):
            checks["country"] = entry is not None and same_country(entry.name, gold["country"])
        if gold.get("admin1"):
            checks["admin1"] = same_admin1(
                place.admin1 if place else None, gold["admin1"], gazetteer
            )
        if gold.get("actor1"):
            checks["actor1"] = actor_key(event.actor1) == actor_key(gold["actor1"])
        for name, value in checks.items():
            if value is not None:
                scores.fields[name].append(value)


def same_country(ours: str, gold: str) -> bool:
    from fogmap.extract.events import acled_country

    return actor_key(acled_country(ours)) == actor_key(gold) or actor_key(ours) == actor_key(gold)


def evaluate(
    root: Path, fnc1: Path, nlp: Language, gazetteer: Gazetteer, limit: int | None = None
) -> NewsEventScores:
    from itertools import islice

    from fogmap import pipeline

    scores = NewsEventScores()
    articles = list(islice(read_gold(root, fnc1), limit))
    raws = (RawDocument(locator=a.id, source_id=a.id, text=a.text) for a in articles)
    documents = pipeline.extract(raws, nlp, PUBLISHED)
    for gold, document in zip(articles, documents, strict=True):
        assert isinstance(document, Document), document
        text = document.article.text
        predictions = [e for e in document.events if e.mode in HAPPENED]
        typed, pairs = match(predictions, gold.events, text, typed=True)
        detected, _ = match(predictions, gold.events, text, typed=False)
        _add(scores.typed, typed)
        _add(scores.detected, detected)
        score_fields(scores, pairs, document, gazetteer)
        scores.articles += 1
        scores.per_article.append(
            ArticleResult(
                gold.id,
                typed.predicted,
                typed.predicted - typed.predicted_matched,
                typed.gold - typed.gold_matched,
            )
        )
    return scores
