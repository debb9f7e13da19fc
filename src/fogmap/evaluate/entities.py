"""`fogmap eval entities`: entity mentions against re3d (Dstl), Syria/Iraq documents.

re3d marks people, organisations and locations (and more types fogmap does not produce)
with character offsets. fogmap's entity types map onto its three: person → Person;
organisation, armed group, government → Organisation; country, place → Location. A span
re3d labels twice ("Syria" as Location and as Organisation) counts once and is matched by
either type. Mentions are scored exact (same span and type) and overlapping (any shared
character, same type). The stock spaCy NER, with its labels mapped the same way, is scored
in the same run as the baseline.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from fogmap.evaluate.metrics import Score
from fogmap.extract.entities import extract_entities
from fogmap.nlp import MODEL

TYPES = ("Person", "Organisation", "Location")
FOGMAP_TYPES = {
    "person": "Person",
    "organisation": "Organisation",
    "armed_group": "Organisation",
    "government": "Organisation",
    "country": "Location",
    "place": "Location",
}
SPACY_LABELS = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
}

Span = tuple[int, int, str]


@dataclass(slots=True)
class GoldDocument:
    id: str
    source: str
    text: str
    spans: dict[tuple[int, int], set[str]] = field(default_factory=dict)


def read_re3d(folder: Path) -> Iterator[GoldDocument]:
    for source in sorted(p for p in folder.iterdir() if (p / "documents.json").is_file()):
        documents: dict[str, GoldDocument] = {}
        with (source / "documents.json").open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    documents[record["_id"]] = GoldDocument(
                        record["_id"], source.name, record["text"]
                    )
        with (source / "entities.json").open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                if record["type"] in TYPES and record["documentId"] in documents:
                    spans = documents[record["documentId"]].spans
                    spans.setdefault((record["begin"], record["end"]), set()).add(record["type"])
        yield from documents.values()


def _match(predicted: Span, gold: tuple[int, int], types: set[str], mode: str) -> bool:
    if predicted[2] not in types:
        return False
    if mode == "exact":
        return (predicted[0], predicted[1]) == gold
    return predicted[0] < gold[1] and gold[0] < predicted[1]


def score(gold: dict[tuple[int, int], set[str]], predicted: set[Span]) -> dict[str, Score]:
    """Exact and overlap scores, overall and per type, for one document."""
    out = {f"{mode}:{kind}": Score() for mode in ("exact", "overlap") for kind in ("all", *TYPES)}
    for kind in ("all", *TYPES):
        gold_spans = [(s, e) for (s, e), types in gold.items() if kind == "all" or kind in types]
        mine = [(s, e, t) for s, e, t in predicted if kind in ("all", t)]
        for mode in ("exact", "overlap"):
            result = out[f"{mode}:{kind}"]
            result.predicted += len(mine)
            result.gold += len(gold_spans)
            result.predicted_matched += sum(
                1 for p in mine if any(_match(p, g, gold[g], mode) for g in gold_spans)
            )
            result.gold_matched += sum(
                1 for g in gold_spans if any(_match(p, g, gold[g], mode) for p in mine)
            )
    return out


def fogmap_spans(doc) -> set[Span]:
    return {
        (m.start, m.end, FOGMAP_TYPES[e.type])
        for e in extract_entities(doc)
        if e.type in FOGMAP_TYPES
        for m in e.mentions
    }


def spacy_spans(doc) -> set[Span]:
    return {
        (e.start_char, e.end_char, SPACY_LABELS[e.label_])
        for e in doc.ents
        if e.label_ in SPACY_LABELS
    }


def evaluate(
    folder: Path, nlp: Language, baseline: Language | None = None
) -> dict[str, dict[str, Score]]:
    """Scores of fogmap (and of the stock pipeline, if given) over every re3d document."""
    documents = list(read_re3d(folder))
    systems = {"fogmap": (nlp, fogmap_spans)}
    if baseline is not None:
        systems["spaCy en_core_web_sm"] = (baseline, spacy_spans)
    results: dict[str, dict[str, Score]] = {}
    for name, (pipeline, spans_of) in systems.items():
        totals: dict[str, Score] = {}
        for gold, doc in zip(documents, pipeline.pipe(d.text for d in documents), strict=True):
            for key, value in score(gold.spans, spans_of(doc)).items():
                totals.setdefault(key, Score()).add(value)
        results[name] = totals
    return results


def stock_pipeline() -> Language:
    return spacy.load(MODEL)
