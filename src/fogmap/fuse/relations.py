"""Claims that support or contradict each other, read off the incidents they are about.

Two claims are related when the events they carry are reports of one incident (within
one article or across several). The relation rests on structure one can show:
- one says the incident happened, the other denies it or says it did not happen →
  `contradicts` (reason `denial` or `negation`);
- both say it happened with different tolls → `contradicts` (reason `conflicting
  numbers`), the figures given as evidence;
- otherwise both tell it the same way → `supports`.
Claims about no incident are left unrelated: a topic in common is not a relation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from fogmap.extract.events import HAPPENED
from fogmap.fuse.incidents import DENIED, Incident, Link, Report

RelationKind = Literal["same_incident", "supports", "contradicts"]


@dataclass(frozen=True, slots=True)
class Relation:
    kind: RelationKind
    source: dict[str, Any]  # {"article": id, "event"|"claim": number}
    target: dict[str, Any]
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "target": self.target,
            "score": self.score,
            "evidence": self.evidence,
        }

    def touches(self, article: str) -> bool:
        return article in (self.source["article"], self.target["article"])


def same_incident(link: Link) -> Relation:
    return Relation(
        "same_incident",
        {"article": link.a.article, "event": link.a.event},
        {"article": link.b.article, "event": link.b.event},
        link.comparison.score,
        link.comparison.evidence(),
    )


def _claim_end(report: Report) -> dict[str, Any]:
    return {"article": report.article, "claim": report.claim}


def _between(a: Report, b: Report) -> Relation:
    evidence: dict[str, Any] = {
        "incident_events": [
            {"article": a.article, "event": a.event, "mode": a.mode},
            {"article": b.article, "event": b.event, "mode": b.mode},
        ]
    }
    happened_a, happened_b = a.mode in HAPPENED, b.mode in HAPPENED
    if happened_a != happened_b:
        refusal = b.mode if happened_a else a.mode
        evidence["reason"] = "denial" if refusal == "denied" else "negation"
        return Relation("contradicts", _claim_end(a), _claim_end(b), 0.9, evidence)
    if a.fatalities and b.fatalities and a.fatalities != b.fatalities:
        evidence["reason"] = "conflicting numbers"
        evidence["fatalities"] = [a.fatalities, b.fatalities]
        return Relation("contradicts", _claim_end(a), _claim_end(b), 0.7, evidence)
    evidence["reason"] = "same incident, told alike"
    return Relation("supports", _claim_end(a), _claim_end(b), 0.6, evidence)


def claim_relations(incident: Incident) -> Iterator[Relation]:
    """Every pair of distinct claims resting on reports of the incident."""
    claimed = [r for r in incident.reports if r.claim is not None and r.mode in HAPPENED | DENIED]
    for x, a in enumerate(claimed):
        for b in claimed[x + 1 :]:
            if (a.article, a.claim) != (b.article, b.claim):
                yield _between(a, b)
