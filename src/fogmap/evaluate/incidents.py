"""`fogmap eval incidents`: do the reports of one story fall together, and apart from others?

Two gold clusterings: Emergent's article headlines grouped by the claim they report, and
FNC-1's article bodies grouped by story (bodies a headline of the same claim is related
to). Scored by B-cubed precision and recall (Bagga & Baldwin 1998): for each item, the
share of its predicted cluster that is truly its story, and the share of its story that
was put with it. Averaging over items, not clusters, keeps one giant or many singleton
clusters from scoring well.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scipy.cluster.hierarchy import DisjointSet

from fogmap.fuse.stories import cluster


@dataclass(frozen=True, slots=True)
class BCubed:
    items: int
    clusters: int
    gold_clusters: int
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(predicted: Sequence[Iterable[Hashable]], gold: Sequence[Iterable[Hashable]]) -> BCubed:
    """B-cubed of a clustering against the gold one, over the items both hold."""
    gold_of = {item: frozenset(group) for group in map(list, gold) for item in group}
    predicted_of = {item: frozenset(group) for group in map(list, predicted) for item in group}
    items = [item for item in gold_of if item in predicted_of]
    precision = recall = 0.0
    for item in items:
        shared = len(predicted_of[item] & gold_of[item])
        precision += shared / len(predicted_of[item])
        recall += shared / len(gold_of[item])
    n = len(items) or 1
    return BCubed(
        len(items),
        len(set(predicted_of.values())),
        len(set(gold_of.values())),
        precision / n,
        recall / n,
    )


def emergent_stories(folder: Path) -> tuple[dict[str, str], list[list[str]]]:
    """Article headlines by article id, and the ids grouped by the claim they report."""
    headlines: dict[str, str] = {}
    by_claim: dict[str, list[str]] = {}
    with next(folder.glob("*.csv")).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            headlines[row["articleId"]] = row["articleHeadline"]
            by_claim.setdefault(row["claimId"], []).append(row["articleId"])
    return headlines, [list(dict.fromkeys(ids)) for ids in by_claim.values()]


def fnc1_stories(folder: Path) -> tuple[dict[str, str], list[list[str]]]:
    """Article bodies by body id, grouped into stories: bodies joined by any headline
    that is related to both."""
    csv.field_size_limit(sys.maxsize)
    with (folder / "bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    joined = DisjointSet(bodies)
    with (folder / "stances.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Stance"] != "unrelated" and row["Body ID"] in bodies:
                joined.add("headline:" + row["Headline"])
                joined.merge("headline:" + row["Headline"], row["Body ID"])
    stories: dict[str, list[str]] = {}
    for body in bodies:
        stories.setdefault(joined[body], []).append(body)
    return bodies, list(stories.values())


def score_stories(texts: dict[str, str], gold: list[list[str]]) -> BCubed:
    return bcubed(cluster((key, text, None) for key, text in texts.items()), gold)
