"""Fatalities: how many people a sentence says were killed, by ACLED's conventions.

A count is read from the dependency parse around a death word ("killed", "died", "dead",
"deaths", "fatalities", "bodies", "death toll", "shot dead", "lost their lives"): the
number on the people who died ("three soldiers were killed", "killing 18 people", "left
five dead"), one for a singular noun ("a man was killed", "killed a civilian"), each
conjunct counted ("a civilian and his son were killed" → 2). The injured and wounded are
never counted, even when they share the number ("3 killed and 5 injured" → 3).

Vague quantities follow ACLED's codebook: "dozens" → 12, "scores" → 20, "hundreds" →
100, "thousands" → 1000, "several", "some" and unnumbered plurals → 3; "at least 5" → 5,
"more than 30" → 30, "up to 9" → 9, "around 40" → 40. A coder's own statement in an
ACLED-style summary ("4 fatalities.", "Unclear fatalities coded as 10") is the figure.

Several counts in one event add up when they count different people ("6 VDP and 1
civilian were killed … Nine militants were killed" → 16); figures that disagree about
the same toll keep the lowest and note the others (`event_fatalities`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from fogmap.extract._speakers import words

VAGUE = {
    "dozen": 12, "dozens": 12, "score": 20, "scores": 20, "tens": 10, "hundred": 100,
    "hundreds": 100, "thousand": 1000, "thousands": 1000, "several": 3, "some": 3,
    "many": 3, "numerous": 3, "few": 3, "multiple": 3, "couple": 2, "both": 2,
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
DEATH_VERBS = words("kill die murder massacre execute behead lynch slaughter assassinate")
DEATH_NOUNS = words("death deaths fatality fatalities body bodies corpse corpses toll")
DEATH_ADJECTIVES = words("dead")
KILLING_VERBS = DEATH_VERBS - {"die"}
NOT_DEATHS = words("injure wound hurt injured wounded")
NOBODY = words("no nobody none noone")
ANIMALS = words(
    "cattle cow cows goat goats sheep donkey donkeys camel camels livestock dog dogs horse "
    "horses head"
)
_NONE_KILLED = re.compile(r"\bno (?:fatalities|casualties|deaths|one (?:was|were) killed)\b", re.I)
_CODED = re.compile(
    r"\b(?:fatalit\w*|deaths|casualties)\b[^.;]{0,60}?\bcoded\s+(?:as|to)\s+(\d+)"
    r"|\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+fatalit(?:y|ies)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Count:
    """One figure of dead: its value, the words it came from, whom it counts."""

    value: int
    text: str
    start: int
    end: int
    victims: str | None  # the noun counted ("soldiers"), None when the text gives none
    stated_total: bool = False  # a coder's "4 fatalities." or "coded as 10"
    word: int | None = None  # the death word's token ("killed", "deaths") in its Doc


def number_value(token: Token) -> int | None:
    """The value of a number word or figure ("18", "1,200", "five", "dozens")."""
    lower = token.lower_.replace(",", "")
    if lower.isdigit():
        return int(lower)
    if lower in NUMBER_WORDS:
        return NUMBER_WORDS[lower]
    if lower in VAGUE:
        return VAGUE[lower]
    parts = lower.split("-")  # "twenty-one"
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def _quantity(noun: Token) -> int | None:
    """How many of `noun` the text says: its number, 1 for a singular noun, 3 for a
    plural without one."""
    for child in noun.children:
        numeric = child.dep_ in ("nummod", "quantmod")
        if numeric or (child.dep_ in ("amod", "det") and child.lower_ in VAGUE):
            value = number_value(child)
            if value is not None:
                return value
    if noun.pos_ in ("NUM", "NOUN", "PRON", "ADJ") and noun.lower_ not in ("a", "an"):
        value = number_value(noun)  # "three were killed", "dozens died"
        if value is not None:
            return value
    if noun.pos_ in ("NOUN", "PROPN") and noun.tag_ in ("NN", "NNP"):
        return 1
    if noun.tag_ in ("NNS", "NNPS"):
        return VAGUE["several"]
    return None


def _group_count(noun: Token) -> tuple[int, list[Token]] | None:
    """The count of a noun and its conjuncts ("a civilian and his son")."""
    total, counted = 0, []
    for member in [noun, *noun.conjuncts]:
        value = None if member.lemma_ in NOT_DEATHS else _quantity(member)
        if value is not None:
            total += value
            counted.append(member)
    return (total, counted) if counted else None


def _victim(verb: Token) -> Token | None:
    """The people a death word is about: the object of "killed", the subject of "died"
    or of "were killed", the noun a participle describes ("two soldiers killed")."""
    wanted = ("nsubjpass", "dobj") if verb.lemma_ in KILLING_VERBS else ("nsubj", "nsubjpass")
    victim = next((c for c in verb.children if c.dep_ in wanted), None)
    if victim is not None:
        return victim
    if verb.dep_ in ("acl", "amod") and verb.head.pos_ in ("NOUN", "PROPN", "NUM"):
        return verb.head  # "two soldiers killed in the attack", "five dead"
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        # "were shot and killed", "killing and injuring tens of fighters"
        shared = next((c for c in verb.head.children if c.dep_ in ("nsubjpass", "dobj")), None)
        if shared is not None or verb.head.lemma_ not in DEATH_VERBS | NOT_DEATHS:
            return shared
        return _victim(verb.head)
    return None


GENERIC_VICTIMS = words("people person persons individual individuals other others one")


def _victims(noun: Token) -> str | None:
    """Whom a count counts ("soldier"), None for anyone ("13 people"): a count of anyone
    restates the toll rather than adding to it."""
    if noun.lower_ in VAGUE:  # "dozens of fighters"
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        return _victims(counted) if counted is not None else None
    if noun.pos_ not in ("NOUN", "PROPN") or noun.lemma_.lower() in GENERIC_VICTIMS:
        return None
    return noun.lemma_.lower()


def _span_of(tokens: Iterable[Token]) -> tuple[int, int, str]:
    ordered = sorted(tokens, key=lambda t: t.i)
    start, end = ordered[0].idx, ordered[-1].idx + len(ordered[-1])
    return start, end, ordered[0].doc[ordered[0].i : ordered[-1].i + 1].text


def _dead_of(death: Token) -> Token | None:
    """Who a death verb or "dead" is about ("left five dead", "were found dead")."""
    if death.lower_ not in DEATH_ADJECTIVES:
        return _victim(death)
    numbered = next((c for c in death.children if c.dep_ == "nummod"), None)
    if numbered is not None:
        return numbered  # "left five dead"
    if death.dep_ not in ("oprd", "acomp", "xcomp"):
        return _victim(death)
    verb = death.head  # "were found dead", "left a man dead"
    return next(
        (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")),
        next((c for c in verb.children if c.dep_ == "nsubj"), None),
    )


def _count_of_dead(death: Token) -> Count | None:
    victim = _dead_of(death)
    if victim is not None and victim.lower_ in ("who", "that", "which") and death.dep_ == "relcl":
        victim = death.head
    if victim is None or victim.lower_ in NOBODY:
        return None
    if any(c.lower_ in NOBODY for c in victim.children) or victim.lemma_.lower() in ANIMALS:
        return None  # "no one was killed", "no civilians died", "25 head of cattle"
    counted = _group_count(victim)
    if counted is None:
        return None
    value, members = counted
    numbers = [c for m in members for c in m.children if c.dep_ in ("nummod", "det", "quantmod")]
    start, end, text = _span_of([*members, *numbers])
    return Count(value, text, start, end, _victims(members[0]))


def _count_of_deaths(noun: Token) -> Count | None:
    """ "18 deaths", "the bodies of four men", "the death toll rose to 21"."""
    for child in noun.children:
        if child.dep_ == "nummod" or child.lower_ in VAGUE:
            value = number_value(child)
            if value is not None:
                return Count(value, child.text, child.idx, child.idx + len(child), None)
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                counted = _group_count(obj)
                if counted is not None:
                    start, end, text = _span_of(counted[1])
                    return Count(counted[0], text, start, end, _victims(obj))
    if noun.lower_ == "toll":
        for token in noun.head.subtree:
            value = number_value(token) if token.like_num and token.i > noun.i else None
            if value is not None:
                return Count(value, token.text, token.idx, token.idx + len(token), None)
    return None


def sentence_counts(sentence: Span) -> list[Count]:
    """The counts of dead one sentence gives, in order."""
    coded = _CODED.search(sentence.text)
    if coded:
        figure = coded.group(1) or coded.group(2)
        value = int(figure) if figure.isdigit() else NUMBER_WORDS[figure.casefold()]
        at = sentence.start_char + coded.start()
        return [Count(value, coded.group(0), at, at + len(coded.group(0)), None, True)]
    counts: list[Count] = []
    for token in sentence:
        if token.lemma_ in DEATH_VERBS or token.lower_ in DEATH_NOUNS | DEATH_ADJECTIVES:
            if any(c.dep_ == "neg" for c in token.children):
                continue
            if token.lower_ in DEATH_NOUNS:
                count = _count_of_deaths(token)
            else:
                count = _count_of_dead(token)
            if count is not None and all(count.start != c.start for c in counts):
                counts.append(replace(count, word=token.i))
    none = _NONE_KILLED.search(sentence.text) if not counts else None
    if none is not None:  # "There were no fatalities.": a toll of nought, stated
        at = sentence.start_char + none.start()
        return [Count(0, none.group(0), at, at + len(none.group(0)), None, True)]
    return counts


@dataclass(frozen=True, slots=True)
class Toll:
    """An event's fatalities: the figure coded and the figures that disagreed with it."""

    fatalities: int | None
    disagreement: list[int]


def event_fatalities(counts_by_sentence: list[list[Count]]) -> Toll:
    """One event's toll from the counts of its sentences.

    A coder's stated total wins. Within a sentence counts of different people add up;
    a later sentence adds the people it is the first to count, and where it counts the
    same people (or gives a bare toll) again with another figure, the lowest figure is
    kept and the others are noted.
    """
    stated = [c.value for counts in counts_by_sentence for c in counts if c.stated_total]
    if stated:
        return Toll(min(stated), sorted(set(stated) - {min(stated)}))
    by_victims: dict[str | None, list[int]] = {}
    for counts in counts_by_sentence:
        sentence_total: dict[str | None, int] = {}
        for count in counts:
            sentence_total[count.victims] = sentence_total.get(count.victims, 0) + count.value
        for victims, value in sentence_total.items():
            by_victims.setdefault(victims, []).append(value)
    if not by_victims:
        return Toll(None, [])
    totals = {victims: min(values) for victims, values in by_victims.items()}
    general = totals.pop(None, None)
    named = sum(totals.values())
    disagreement = sorted(
        {v for values in by_victims.values() for v in values} - set(totals.values()) - {general}
    )
    if general is not None and named:
        # a bare toll ("18 deaths") restates the people already counted
        fatalities = min(general, named) if general != named else general
        if general != named:
            disagreement = sorted(set(disagreement) | {max(general, named)})
        return Toll(fatalities, disagreement)
    return Toll(general if general is not None else named, disagreement)
