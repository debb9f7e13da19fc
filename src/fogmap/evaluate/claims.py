"""`fogmap eval claims`: attributions against PolNeAR (US political news, BRAT standoff).

Scores follow BBC News Labs' Citron on PARC 3.0, so the figures can be set side by side:

- exact: a predicted cue matches a gold cue with the same span; a source (or content)
  matches when its spans equal a gold attribution's and the two cues overlap;
- overlap: token level, per role — the share of predicted source/cue/content tokens that
  fall inside gold spans of that role (precision) and of gold tokens covered (recall);
- attribution: a predicted claim whose source and content both share a token with one
  gold attribution (an unsourced gold attribution needs an unsourced prediction).

PolNeAR gives some articles to several annotators; the first annotation (by file name) is
the gold one, so each article counts once. Attributions that PolNeAR marks but that have
no content (a bare "she said") are left out: fogmap only records claims with content.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice, tee
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from fogmap.evaluate.metrics import Score
from fogmap.extract.claims import Attribution, find_attributions

ROLES = ("source", "cue", "content")
CharSpans = tuple[tuple[int, int], ...]
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    source: CharSpans
    cue: CharSpans
    content: CharSpans


@dataclass(slots=True)
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]


def _spans(offsets: str) -> CharSpans:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in offsets.split(";") if part))


def read_annotation(path: Path) -> list[GoldAttribution]:
    """The attributions of one BRAT .ann file (events may name spans defined later)."""
    spans: dict[str, CharSpans] = {}
    events: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if bound := _TEXT_BOUND.match(line):
            spans[bound[1]] = _spans(bound[3])
        elif found_event := _EVENT.match(line):
            events.append(found_event[2])
    found = []
    for event in events:
        parts = dict(item.split(":", 1) for item in event.split())
        roles = {role: spans.get(parts.get(role.capitalize(), ""), ()) for role in ROLES}
        if roles["content"] and roles["cue"]:
            found.append(GoldAttribution(**roles))
    return found


def read_polnear(folder: Path, split: str = "dev") -> Iterator[GoldArticle]:
    base = folder / "data" / split
    for text_path in sorted((base / "text").glob("*.txt")):
        annotations = sorted((base / "attributions").glob(f"{text_path.stem}_*.ann"))
        if annotations:
            text = text_path.read_text(encoding="utf-8")
            yield GoldArticle(text_path.stem, text, read_annotation(annotations[0]))


def _predicted_spans(attribution: Attribution) -> dict[str, CharSpans]:
    return {
        "source": (attribution.source,) if attribution.source else (),
        "cue": (attribution.cue,) if attribution.cue else (),
        "content": tuple(attribution.content),
    }


def _gold_spans(attribution: GoldAttribution) -> dict[str, CharSpans]:
    return {role: getattr(attribution, role) for role in ROLES}


class _Tokens:
    """Character spans as sets of token positions, so overlap counts words, not letters."""

    def __init__(self, doc: Doc) -> None:
        self.starts = [t.idx for t in doc if not t.is_space]
        self.ends = [t.idx + len(t) for t in doc if not t.is_space]

    def of(self, spans: CharSpans) -> set[int]:
        found: set[int] = set()
        for start, end in spans:
            first = bisect_right(self.ends, start)  # the first token ending after `start`
            found.update(range(first, bisect_left(self.starts, end)))
        return found


def _overlap(a: CharSpans, b: CharSpans) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _strip(spans: CharSpans, text: str) -> CharSpans:
    """Spans without surrounding spaces and commas, which annotators include at will."""
    out = []
    for start, end in spans:
        while start < end and text[start] in " \n\t,":
            start += 1
        while end > start and text[end - 1] in " \n\t,":
            end -= 1
        out.append((start, end))
    return tuple(out)


@dataclass(slots=True)
class ClaimScores:
    articles: int = 0
    exact: dict[str, Score] = field(default_factory=lambda: {r: Score() for r in ROLES})
    overlap: dict[str, Score] = field(default_factory=lambda: {r: Score() for r in ROLES})
    attribution: Score = field(default_factory=Score)
    kinds: dict[str, int] = field(default_factory=dict)


def score_article(
    doc: Doc, predicted: list[Attribution], gold: list[GoldAttribution], scores: ClaimScores
) -> None:
    text = doc.text
    tokens = _Tokens(doc)
    pred = [{r: _strip(s, text) for r, s in _predicted_spans(p).items()} for p in predicted]
    gold_spans = [{r: _strip(s, text) for r, s in _gold_spans(g).items()} for g in gold]
    scores.articles += 1
    for claim in predicted:
        scores.kinds[claim.kind] = scores.kinds.get(claim.kind, 0) + 1

    for role in ROLES:
        exact = scores.exact[role]

        def same(a: dict[str, CharSpans], b: dict[str, CharSpans], role: str = role) -> bool:
            if not a[role] or a[role] != b[role]:
                return False
            return role == "cue" or _overlap(a["cue"], b["cue"])

        with_role = [p for p in pred if p[role]]
        gold_with_role = [g for g in gold_spans if g[role]]
        exact.predicted += len(with_role)
        exact.gold += len(gold_with_role)
        exact.predicted_matched += sum(any(same(p, g) for g in gold_with_role) for p in with_role)
        exact.gold_matched += sum(any(same(p, g) for p in with_role) for g in gold_with_role)

        overlap = scores.overlap[role]
        gold_tokens = tokens.of(tuple(s for g in gold_spans for s in g[role]))
        predicted_tokens = tokens.of(tuple(s for p in pred for s in p[role]))
        for p in pred:
            mine = tokens.of(p[role])
            overlap.predicted += len(mine)
            overlap.predicted_matched += len(mine & gold_tokens)
        for g in gold_spans:
            theirs = tokens.of(g[role])
            overlap.gold += len(theirs)
            overlap.gold_matched += len(theirs & predicted_tokens)

    def linked(p: dict[str, CharSpans], g: dict[str, CharSpans]) -> bool:
        if not _overlap(p["content"], g["content"]):
            return False
        if not g["source"]:
            return not p["source"]
        return _overlap(p["source"], g["source"])

    attribution = scores.attribution
    attribution.predicted += len(pred)
    attribution.gold += len(gold_spans)
    attribution.predicted_matched += sum(any(linked(p, g) for g in gold_spans) for p in pred)
    attribution.gold_matched += sum(any(linked(p, g) for p in pred) for g in gold_spans)


def evaluate(
    folder: Path, nlp: Language, split: str = "dev", limit: int | None = None
) -> ClaimScores:
    scores = ClaimScores()
    articles = islice(read_polnear(folder, split), limit)
    first, second = tee(articles)
    docs = nlp.pipe((a.text for a in first), batch_size=16)
    for article, doc in zip(second, docs, strict=True):
        score_article(doc, find_attributions(doc), article.attributions, scores)
    return scores
