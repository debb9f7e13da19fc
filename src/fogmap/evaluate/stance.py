"""`fogmap eval stance`: the stance of a text towards a claim, on FNC-1 and Emergent.

FNC-1 (development half): a headline and an article body, labelled agree, disagree,
discuss or unrelated; scored by the challenge's weighted score (0.25 for telling related
from unrelated, 0.75 more for the right label of a related pair, over the best possible)
and per-class F1. Emergent: a claim and an article's headline, labelled for, against or
observing (mapped to agree, disagree, discuss); scored by accuracy.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fogmap.fuse.stance import stance

LABELS = ("agree", "disagree", "discuss", "unrelated")
EMERGENT_LABELS = {"for": "agree", "against": "disagree", "observing": "discuss"}


@dataclass(slots=True)
class StanceScores:
    pairs: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted)

    def add(self, gold: str, predicted: str) -> None:
        self.pairs += 1
        self.confusion[(gold, predicted)] += 1

    def f1(self, label: str) -> float:
        right = self.confusion[(label, label)]
        predicted = sum(n for (_, p), n in self.confusion.items() if p == label)
        gold = sum(n for (g, _), n in self.confusion.items() if g == label)
        if not right:
            return 0.0
        precision, recall = right / predicted, right / gold
        return 2 * precision * recall / (precision + recall)

    @property
    def accuracy(self) -> float:
        right = sum(n for (g, p), n in self.confusion.items() if g == p)
        return right / self.pairs if self.pairs else 0.0

    @property
    def fnc_score(self) -> float:
        """FNC-1's weighted score, relative to the best possible on these pairs."""
        got = best = 0.0
        for (gold, predicted), n in self.confusion.items():
            best += n * (0.25 + (0.75 if gold != "unrelated" else 0.0))
            got += n * 0.25 * ((gold == "unrelated") == (predicted == "unrelated"))
            got += n * 0.75 * (gold != "unrelated" and gold == predicted)
        return got / best if best else 0.0


def fnc1_pairs(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(headline, body, stance) of every FNC-1 row, one body read once."""
    csv.field_size_limit(sys.maxsize)
    with (folder / "bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with (folder / "stances.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["Headline"], bodies[row["Body ID"]], row["Stance"]


def emergent_pairs(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(claim, article headline, stance) of every Emergent row."""
    path = next(folder.glob("*.csv"))
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            label = EMERGENT_LABELS.get(row["articleHeadlineStance"])
            if label is not None:
                yield row["claimHeadline"], row["articleHeadline"], label


def evaluate(pairs: Iterator[tuple[str, str, str]], limit: int | None = None) -> StanceScores:
    scores = StanceScores()
    for number, (claim, text, gold) in enumerate(pairs):
        if limit is not None and number >= limit:
            break
        scores.add(gold, stance(claim, text).stance)
    return scores
