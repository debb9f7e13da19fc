"""Entity records a user would accept: a hand-checked count on fogmap's own articles.

re3d scores mention spans; an analyst sees records. `data/entity_records.jsonl` holds
articles written for fogmap in the styles it reads (wire copy, scraped tabloid text with a
teaser run, statements with titles and acronyms), each with the records a careful reader
lists: every person, organisation, armed group and government, its type, and the role
and affiliation where the text gives one. Each record fogmap makes of those types (places
and countries are scored by `fogmap eval places`) is one of:

- right: it names a listed entity (by its name or an alias), with the listed type, role
  and affiliation;
- junk: it names nothing listed (a fragment, a name from residue, a place taken for a
  person, a demonym);
- a duplicate of a record already matched to the same entity;
- mistyped, or with a wrong role or affiliation.

The junk share is everything but right over the records made; recall is the share of
listed entities some record names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from spacy.language import Language

from fogmap import pipeline
from fogmap.records import Document, Entity, RawDocument

JUDGED = frozenset({"person", "organisation", "armed_group", "government", "other"})
PUBLISHED = "2024-05-01"
VERDICTS = ("right", "junk", "duplicate", "mistyped", "wrong role", "wrong affiliation")


def read_articles() -> list[dict[str, Any]]:
    text = files("fogmap").joinpath("data/entity_records.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _fold(text: str | None) -> str | None:
    return text.casefold() if text is not None else None


def judge(record: Entity, listed: list[dict[str, Any]], matched: set[int]) -> str:
    """The verdict on one record; `matched` collects the listed entities already named."""
    names = {_fold(name) for name in [record.name, *record.aliases]}
    index = next(
        (i for i, entity in enumerate(listed) if names & {_fold(n) for n in entity["names"]}),
        None,
    )
    if index is None:
        return "junk"
    if index in matched:
        return "duplicate"
    matched.add(index)
    entity = listed[index]
    if record.type != entity["type"]:
        return "mistyped"
    if "role" in entity and _fold(record.role) != _fold(entity["role"]):
        return "wrong role"
    affiliations = {_fold(name) for name in entity.get("affiliation", [])}
    if affiliations and _fold(record.affiliation) not in affiliations:
        return "wrong affiliation"
    return "right"


@dataclass(slots=True)
class RecordScores:
    articles: int = 0
    listed: int = 0
    named: int = 0  # listed entities some record names
    verdicts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # (article, verdict, record)

    @property
    def records(self) -> int:
        return sum(self.verdicts.values())

    @property
    def junk_share(self) -> float:
        return 1 - self.verdicts["right"] / self.records if self.records else 0.0

    @property
    def recall(self) -> float:
        return self.named / self.listed if self.listed else 0.0


def evaluate(nlp: Language) -> RecordScores:
    """Every article through the whole pipeline (cleaning included), each record judged."""
    scores = RecordScores()
    articles = read_articles()
    raws = (RawDocument(locator=a["id"], source_id=a["id"], text=a["text"]) for a in articles)
    for article, document in zip(articles, pipeline.extract(raws, nlp, PUBLISHED), strict=True):
        assert isinstance(document, Document), document
        matched: set[int] = set()
        for record in document.entities:
            if record.type not in JUDGED:
                continue
            verdict = judge(record, article["entities"], matched)
            scores.verdicts[verdict] += 1
            if verdict != "right":
                described = f"{record.name} ({record.type}; role {record.role!r})"
                scores.wrong.append((article["id"], verdict, described))
        scores.articles += 1
        scores.listed += len(article["entities"])
        scores.named += len(matched)
    return scores
