"""Stance of a text towards a claim: agree, disagree, discuss or unrelated (FNC-1's labels).

A text is about a claim when it uses enough of the claim's content words (lower case,
function words out, plural and verb endings cut); the claim's words the text shares are
weighted by how rare they are in the text itself, so a name counts for more than "said".
Of a related text, the sentences that share words with the claim are read for what the
text does with it, by words whose sense one can show:

- it refutes it: denial and debunking ("hoax", "fake", "denied", "no evidence", "not
  true", "rumour put to rest"), or, in a headline-length text, a negation the claim does
  not have ("No, Banksy hasn't been arrested"), or a claim's negation ("X did not adopt
  …") that no sentence of a body telling it repeats → `disagree`;
- it reports it at a distance: hedges and attribution ("reportedly", "allegedly",
  "claims", "according to", "unconfirmed", "could"), or asks it ("… for real?") →
  `discuss`;
- it states it in its own voice → `agree`.

No model is learned: every label rests on words the text shows. `score` is the rule's
confidence, in [0, 1].
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from fogmap.text import stopwords

StanceLabel = Literal["agree", "disagree", "discuss", "unrelated"]

RELATED = 0.22  # share of the claim's (weighted) content words the text must use
# A headline-length text shares few words with a claim even when it is about it: one rare
# word in common (a name, a place) is already a sign.
SHORT_TEXT, RELATED_SHORT = 25, 0.12
EVIDENCE_WORDS = 2  # a sentence sharing this many claim words speaks of the claim
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
REFUTING = re.compile(
    r"\b(?:hoax(?:es)?|fake[ds]?|false(?:ly)?|untrue|debunk\w*|den(?:y|ies|ied|ying|ial)|"
    r"refut\w*|dismiss\w*|fabricat\w*|doctored|photoshopped|satir\w*|baseless|bogus|"
    r"myth|not true|no evidence|never happened|did not happen|didn't happen|"
    r"misleading|made up|rumou?rs? (?:are|is|were|was) (?:false|untrue)|no truth|"
    r"not (?:real|genuine|authentic)|incorrect|wrong(?:ly)?|put to rest|retract\w*|"
    r"(?:kill|quash|squash|shoot down|shot down)\w* (?:the |that |this )?\w* ?rumou?rs?)\b",
    re.IGNORECASE,
)
# A headline that negates what the claim asserts ("No, Banksy hasn't been arrested",
# "Woman detained in Lebanon is not al-Baghdadi's wife") refutes it.
NEGATION = re.compile(r"\b(?:not|never|no|nope)\b|n[’']t\b", re.IGNORECASE)
HEDGING = re.compile(
    r"\b(?:reported(?:ly)?|alleged(?:ly)?|purported(?:ly)?|claim(?:s|ed|ing)?|"
    r"according to|unconfirmed|unverified|rumou?r(?:s|ed)?|believed|appears?|apparently|"
    r"suggest(?:s|ed)?|may|might|could|possibly|supposedly|said to|thought to|"
    r"speculat\w*|if true|it is not clear|unclear|cannot confirm|could not confirm|"
    r"(?:would|will) not confirm|investigat\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Stance:
    stance: StanceLabel
    score: float
    relatedness: float  # the weighted share of the claim's content words the text uses


def _stem(word: str) -> str:
    """A crude stem: enough to meet "strike"/"strikes", "behead"/"beheaded"."""
    word = word.lower().replace("’", "'")
    for suffix in ("'s", "ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str, function_words: frozenset[str]) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text) if w.lower() not in function_words]


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def stance(claim: str, text: str) -> Stance:
    """The stance of `text` (an article body or a headline) towards `claim`."""
    function_words = stopwords(_WORD.findall(f"{claim} {text}")) | {"said", "says"}
    claimed = set(content_words(claim, function_words))
    if not claimed:
        return Stance("unrelated", 1.0, 0.0)
    counts = Counter(content_words(text, function_words))
    total = sum(counts.values()) or 1

    def weight(word: str) -> float:
        return math.log(1 + total / (1 + counts[word])) if counts[word] else math.log(1 + total)

    shared = {w for w in claimed if counts[w]}
    relatedness = sum(weight(w) for w in shared) / sum(weight(w) for w in claimed)
    threshold = RELATED_SHORT if total < SHORT_TEXT else RELATED
    if relatedness < threshold:
        return Stance("unrelated", round(1 - relatedness / threshold, 3), round(relatedness, 3))
    evidence = [
        s
        for s in sentences(text)
        if len(claimed & set(content_words(s, function_words))) >= EVIDENCE_WORDS
    ] or sentences(text)[:3]
    refuting = sum(bool(REFUTING.search(s)) for s in evidence)
    hedging = sum(bool(HEDGING.search(s)) or s.rstrip().endswith("?") for s in evidence)
    if total < SHORT_TEXT and NEGATION.search(text) and not NEGATION.search(claim):
        refuting = max(refuting, 1)  # a headline denying what the claim says
        hedging = 0
    elif (
        total >= SHORT_TEXT
        and NEGATION.search(claim)
        and not any(NEGATION.search(s) for s in evidence)
    ):
        refuting = max(refuting, 1)  # "X did not happen" against a body telling it did
    if refuting and refuting >= hedging / 2:
        label: StanceLabel = "disagree"
        confidence = refuting / len(evidence)
    elif hedging:
        label, confidence = "discuss", hedging / len(evidence)
    else:
        label, confidence = "agree", relatedness
    return Stance(label, round(min(1.0, 0.5 + confidence / 2), 3), round(relatedness, 3))
