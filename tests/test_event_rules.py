"""The event rules on hand-made parses: no model is loaded, each test runs in milliseconds.

A parse is written one token a line: word, tag, part of speech, dependency, the index of
its head, lemma and entity (IOB). They were written from the parses the pipeline gives
these sentences, so each test pins one rule, not the parser.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from spacy.lang.en import English
from spacy.tokens import Doc, Span

from fogmap.extract.events import _cues, _incidents
from fogmap.extract.events._cues import cue_table, find_cues, tells_no_event
from fogmap.extract.events._lexicon import word_list, word_lists
from fogmap.records import Place

VOCAB = English().vocab  # the language's word attributes (lower case, shape), no model


def parse(*sentences: list[str]) -> Doc:
    """A Doc from token lines "word TAG POS dep head lemma ent"; heads count from the
    start of their own sentence."""
    words, tags, pos, deps, heads, lemmas, ents, starts = [], [], [], [], [], [], [], []
    for sentence in sentences:
        offset = len(words)
        for number, line in enumerate(sentence):
            word, tag, part, dep, head, lemma, ent = line.split()
            words.append(word)
            tags.append(tag)
            pos.append(part)
            deps.append(dep)
            heads.append(offset + int(head))
            lemmas.append(lemma)
            ents.append(ent)
            starts.append(number == 0)
    return Doc(
        VOCAB,
        words=words,
        tags=tags,
        pos=pos,
        deps=deps,
        heads=heads,
        lemmas=lemmas,
        ents=ents,
        sent_starts=starts,
    )


def last_sentence(doc: Doc) -> Span:
    return list(doc.sents)[-1]


LEAD = ["It PRP PRON nsubj 1 it O", "rained VBD VERB ROOT 1 rain O", ". . PUNCT punct 1 . O"]

ATTACK_IN_KUNDUZ = [
    "Taliban NNP PROPN compound 1 Taliban B-ORG",
    "fighters NNS NOUN nsubj 2 fighter O",
    "attacked VBD VERB ROOT 2 attack O",
    "a DT DET det 5 a O",
    "police NN NOUN compound 5 police O",
    "post NN NOUN dobj 2 post O",
    "in IN ADP prep 2 in O",
    "Kunduz NNP PROPN pobj 6 Kunduz B-GPE",
    "on IN ADP prep 2 on O",
    "Sunday NNP PROPN pobj 8 Sunday B-DATE",
    ". . PUNCT punct 2 . O",
]


def test_an_attack_told_as_done_is_an_event() -> None:
    (cue,) = find_cues(last_sentence(parse(LEAD, ATTACK_IN_KUNDUZ)))
    assert (cue.family, cue.head.text) == ("assault", "attacked")


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        (
            "modifier",  # "assault rifles"
            [
                "Police NNS NOUN nsubj 1 Police O",
                "found VBD VERB ROOT 1 find O",
                "assault NN NOUN compound 3 assault O",
                "rifles NNS NOUN dobj 1 rifle O",
                ". . PUNCT punct 1 . O",
            ],
        ),
        (
            "description",  # "the militia battling ISIS"
            [
                "Supporters NNS NOUN nsubj 6 supporter O",
                "of IN ADP prep 0 of O",
                "the DT DET det 3 the O",
                "militia NN NOUN pobj 1 militia O",
                "battling VBG VERB acl 3 battle O",
                "ISIS NNP PROPN dobj 4 ISIS B-ORG",
                "denied VBD VERB ROOT 6 deny O",
                "it PRP PRON dobj 6 it O",
                ". . PUNCT punct 6 . O",
            ],
        ),
        (
            "description",  # "famed for killing fighters"
            [
                "She PRP PRON nsubjpass 2 she O",
                "is VBZ AUX auxpass 2 be O",
                "famed VBN VERB ROOT 2 fame O",
                "for IN ADP prep 2 for O",
                "killing VBG VERB pcomp 3 kill O",
                "fighters NNS NOUN dobj 4 fighter O",
                ". . PUNCT punct 2 . O",
            ],
        ),
        (
            "habitual",  # "Militants attack the town."
            [
                "Militants NNS NOUN nsubj 1 militant O",
                "attack VBP VERB ROOT 1 attack O",
                "the DT DET det 3 the O",
                "town NN NOUN dobj 1 town O",
                ". . PUNCT punct 1 . O",
            ],
        ),
        (
            "habitual",  # "Airstrikes are launched only in the north."
            [
                "Airstrikes NNS NOUN nsubjpass 2 airstrike O",
                "are VBP AUX auxpass 2 be O",
                "launched VBN VERB ROOT 2 launch O",
                "only RB ADV advmod 4 only O",
                "in IN ADP prep 2 in O",
                "the DT DET det 6 the O",
                "north NN NOUN pobj 4 north O",
                ". . PUNCT punct 2 . O",
            ],
        ),
        (
            "habitual",  # "Militants attack the town daily." (how often, not when)
            [
                "Militants NNS NOUN nsubj 1 militant O",
                "attack VBP VERB ROOT 1 attack O",
                "the DT DET det 3 the O",
                "town NN NOUN dobj 1 town O",
                "daily RB ADV advmod 1 daily B-DATE",
                ". . PUNCT punct 1 . O",
            ],
        ),
        (
            "purpose",  # "Troops were sent to help battle the militants."
            [
                "Troops NNS NOUN nsubjpass 2 troop O",
                "were VBD AUX auxpass 2 be O",
                "sent VBN VERB ROOT 2 send O",
                "to TO PART aux 4 to O",
                "help VB VERB advcl 2 help O",
                "battle VB VERB xcomp 4 battle O",
                "the DT DET det 7 the O",
                "militants NNS NOUN dobj 5 militant O",
                ". . PUNCT punct 2 . O",
            ],
        ),
        (
            "an aircraft",  # "Militants received aid dropped by aircraft."
            [
                "Militants NNS NOUN nsubj 1 militant O",
                "received VBD VERB ROOT 1 receive O",
                "aid NN NOUN dobj 1 aid O",
                "dropped VBN VERB acl 2 drop O",
                "by IN ADP agent 3 by O",
                "aircraft NN NOUN pobj 4 aircraft O",
                ". . PUNCT punct 1 . O",
            ],
        ),
        (
            "generic",  # "Airstrikes have come under criticism."
            [
                "Airstrikes NNS NOUN nsubj 2 airstrike O",
                "have VBP AUX aux 2 have O",
                "come VBN VERB ROOT 2 come O",
                "under IN ADP prep 2 under O",
                "criticism NN NOUN pobj 3 criticism O",
                ". . PUNCT punct 2 . O",
            ],
        ),
        (
            "attempt",  # "The gunmen tried to attack the post."
            [
                "The DT DET det 1 the O",
                "gunmen NNS NOUN nsubj 2 gunman O",
                "tried VBD VERB ROOT 2 try O",
                "to TO PART aux 4 to O",
                "attack VB VERB xcomp 2 attack O",
                "the DT DET det 6 the O",
                "post NN NOUN dobj 4 post O",
                ". . PUNCT punct 2 . O",
            ],
        ),
        (
            "suicide",  # "He killed himself."
            [
                "He PRP PRON nsubj 1 he O",
                "killed VBD VERB ROOT 1 kill O",
                "himself PRP PRON dobj 1 himself O",
                ". . PUNCT punct 1 . O",
            ],
        ),
        (
            "a suicide",  # "The officer committed suicide."
            [
                "The DT DET det 1 the O",
                "officer NN NOUN nsubj 2 officer O",
                "committed VBD VERB ROOT 2 commit O",
                "suicide NN NOUN dobj 2 suicide O",
                ". . PUNCT punct 2 . O",
            ],
        ),
        (
            "an animal",  # "The man was attacked by a bear."
            [
                "The DT DET det 1 the O",
                "man NN NOUN nsubjpass 3 man O",
                "was VBD AUX auxpass 3 be O",
                "attacked VBN VERB ROOT 3 attack O",
                "by IN ADP agent 3 by O",
                "a DT DET det 6 a O",
                "bear NN NOUN pobj 4 bear O",
                ". . PUNCT punct 3 . O",
            ],
        ),
        (
            "a total",  # "790 people were killed in January alone."
            [
                "790 CD NUM nummod 1 790 B-CARDINAL",
                "people NNS NOUN nsubjpass 3 people O",
                "were VBD AUX auxpass 3 be O",
                "killed VBN VERB ROOT 3 kill O",
                "in IN ADP prep 3 in O",
                "January NNP PROPN pobj 4 January B-DATE",
                "alone RB ADV advmod 5 alone O",
                ". . PUNCT punct 3 . O",
            ],
        ),
        (
            "an aircraft",  # "Jets delivered aid to the town."
            [
                "Jets NNS NOUN nsubj 1 jet O",
                "delivered VBD VERB ROOT 1 deliver O",
                "aid NN NOUN dobj 1 aid O",
                "to IN ADP prep 1 to O",
                "the DT DET det 5 the O",
                "town NN NOUN pobj 3 town O",
                ". . PUNCT punct 1 . O",
            ],
        ),
        (
            "over a period",  # "Militants killed 100 soldiers over the past few weeks."
            [
                "Militants NNS NOUN nsubj 1 militant O",
                "killed VBD VERB ROOT 1 kill O",
                "100 CD NUM nummod 3 100 B-CARDINAL",
                "soldiers NNS NOUN dobj 1 soldier O",
                "over IN ADP prep 1 over O",
                "the DT DET det 8 the B-DATE",
                "past JJ ADJ amod 8 past I-DATE",
                "few JJ ADJ amod 8 few I-DATE",
                "weeks NNS NOUN pobj 4 week I-DATE",
                ". . PUNCT punct 1 . O",
            ],
        ),
        (
            "a campaign",  # "the fight against terror continues"
            [
                "The DT DET det 1 the O",
                "fight NN NOUN nsubj 4 fight O",
                "against IN ADP prep 1 against O",
                "terror NN NOUN pobj 2 terror O",
                "continued VBD VERB ROOT 4 continue O",
                ". . PUNCT punct 4 . O",
            ],
        ),
    ],
)
def test_words_that_tell_no_incident(reason: str, sentence: list[str]) -> None:
    doc = parse(LEAD, sentence)
    told = last_sentence(doc)
    listed = [
        cue
        for i in range(len(told))
        if (cue := _cues._listed(list(told), i)) is not None and len(cue.tokens) == 1
    ]
    assert listed, "the sentence holds a cue word"
    assert reason in {tells_no_event(cue, told) for cue in listed}
    assert not [c for c in find_cues(told) if c.head.i in {cue.head.i for cue in listed}]


def test_jets_that_bomb_are_an_air_strike() -> None:
    doc = parse(
        LEAD,
        [
            "Iraqi JJ ADJ amod 1 iraqi B-NORP",
            "jets NNS NOUN nsubj 2 jet O",
            "bombed VBD VERB ROOT 2 bomb O",
            "the DT DET det 4 the O",
            "town NN NOUN dobj 2 town O",
            ". . PUNCT punct 2 . O",
        ],
    )
    assert {c.family for c in find_cues(last_sentence(doc))} >= {"air"}


# The merge of tellings into incidents, on plain tellings.


@dataclass
class Telling:
    sub_event_type: str
    mode: str = "asserted"
    timing: str = "current"
    place: Place | None = None
    refers_back: bool = False
    separate: bool = False
    day: object | None = None
    told: list[str] = field(default_factory=list)

    @property
    def event_type(self) -> str:
        from fogmap.extract.events import SUB_EVENT_TYPES

        return SUB_EVENT_TYPES[self.sub_event_type]

    def day_key(self) -> object | None:
        return self.day

    def absorb(self, other: Telling) -> None:
        self.told += [other.sub_event_type, *other.told]


def town(number: int, name: str) -> Place:
    return Place(id=number, name=name, feature_code="PPL", country="AF", lat=1.0, lon=1.0)


KUNDUZ, HERAT = town(0, "Kunduz"), town(1, "Herat")
AFGHANISTAN = Place(id=2, name="Afghanistan", feature_code="PCLI", country="AF", lat=1, lon=1)


def test_tellings_of_one_incident_merge_wherever_they_stand() -> None:
    tellings = [
        Telling("Armed clash", place=KUNDUZ),
        Telling("Peaceful protest", place=HERAT),
        Telling("Armed clash", place=AFGHANISTAN),  # the province or country it lies in
        Telling("Attack", refers_back=True),  # "13 were killed"
    ]
    incidents = _incidents.merge(tellings)
    assert [i.sub_event_type for i in incidents] == ["Armed clash", "Peaceful protest"]
    assert incidents[0].told == ["Armed clash", "Attack"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Telling("Armed clash", place=KUNDUZ), Telling("Armed clash", place=HERAT)),
        (Telling("Armed clash", day=1), Telling("Armed clash", day=2)),
        (Telling("Attack"), Telling("Attack", timing="background")),
        (Telling("Attack", mode="claimed"), Telling("Attack", mode="denied")),
        (Telling("Air/drone strike"), Telling("Attack")),  # a killing by other hands
        (Telling("Arrests"), Telling("Agreement")),
    ],
)
def test_tellings_the_text_keeps_apart_stay_apart(first: Telling, second: Telling) -> None:
    assert len(_incidents.merge([first, second])) == 2


def test_an_outcome_joins_the_strike_that_caused_it() -> None:
    strike, wounded = Telling("Air/drone strike"), Telling("Attack", refers_back=True)
    assert _incidents.merge([strike, wounded]) == [strike]


# The cue table and the rules name the same families.

RULES = Path(_cues.__file__).parent


def _family_names_in_rules() -> set[str]:
    """Every string a rule compares a cue's family with or asks `_first` for."""
    named: set[str] = set()
    for path in RULES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            left = node.left if isinstance(node, ast.Compare) else None
            if isinstance(left, ast.Attribute) and left.attr == "family":
                named |= {
                    c.value
                    for comparator in node.comparators
                    for c in ast.walk(comparator)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                }
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_first", "Cue"):
                args = node.args[1:] if node.func.id == "_first" else node.args[:1]  # type: ignore[attr-defined]
                named |= {a.value for a in args if isinstance(a, ast.Constant)}
    return named


def _strings_in_rules() -> set[str]:
    found: set[str] = set()
    for path in RULES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found |= set(node.value.split())
    return found


def test_every_family_of_the_cue_table_is_used_by_a_rule() -> None:
    table = {family for entries in cue_table().values() for _, family in entries}
    unused = table - _strings_in_rules()
    assert not unused, f"families no rule reads: {sorted(unused)}"


def test_every_family_a_rule_names_is_in_the_cue_table_or_built_by_the_parse() -> None:
    table = {family for entries in cue_table().values() for _, family in entries}
    built = {"base", "burn", "fire"}  # `_cues._constructed`: "set up a base", "set on fire"
    unknown = _family_names_in_rules() - table - built
    assert not unknown, f"families named by rules but in no table: {sorted(unknown)}"


def _word_lists_read_by_rules() -> set[str]:
    return {
        node.args[0].value
        for path in RULES.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "word_list"
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_word_list_of_the_data_is_read_by_a_rule_and_every_list_read_is_there() -> None:
    in_data, read = set(word_lists()), _word_lists_read_by_rules()
    assert not in_data - read, f"lists no rule reads: {sorted(in_data - read)}"
    assert not read - in_data, f"lists read but not in event_words.tsv: {sorted(read - in_data)}"


def test_a_word_list_that_is_not_in_the_data_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="no list 'tolls_words'"):
        word_list("tolls_words")


def test_the_typed_records_name_acled_s_types_exactly() -> None:
    from typing import get_args

    from fogmap.extract.events import EVENT_TYPES, SUB_EVENT_TYPES
    from fogmap.records import EventType, SubEventType

    assert set(get_args(SubEventType)) == set(SUB_EVENT_TYPES)
    assert set(get_args(EventType)) == set(EVENT_TYPES)
