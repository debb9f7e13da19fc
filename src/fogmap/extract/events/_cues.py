"""The words that signal events: cue lookup in a sentence, and the cues that are only the
topic of a protest or a demand ("protested against the killing of a student").

Cues come from `data/event_cues.tsv` (lemmas and lemma phrases, each in one family), plus
three constructions a word list cannot hold: "set up a base", "set … on fire" and "fired
(shots) at". Names are never cues ("March", "the Fight Committee"), nor are adjectives
that only describe someone ("a detained officer").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from fogmap.extract.events._incidents import EVENT_NOUNS  # an incident named: "… in an attack"
from fogmap.extract.events._lexicon import read_table, word_list
from fogmap.extract.fatalities import number_value
from fogmap.records import Entity

TOPIC_VERBS = word_list("topic_verbs")
TOPIC_PREPOSITIONS = word_list("topic_prepositions")
SYMBOLS = word_list("symbols")
BASES = word_list("bases")
FOUNDING_VERBS = word_list("founding_verbs")
_NAMES = ("DATE", "TIME", "PERSON", "WORK_OF_ART")


@lru_cache(maxsize=1)
def cue_table() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First lemma → (lemma phrase, family), longest phrases first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for row in read_table("event_cues.tsv"):
        phrase = tuple(row["cue"].split())
        table.setdefault(phrase[0], []).append((phrase, row["family"]))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


@dataclass(slots=True)
class Cue:
    family: str
    tokens: list[Token]

    @property
    def head(self) -> Token:
        """The word of the cue the rules read: its first verb or noun."""
        if len(self.tokens) == 1:
            return self.tokens[0]
        return max(self.tokens, key=lambda t: (t.pos_ in ("VERB", "NOUN"), -t.i))

    @property
    def root(self) -> Token:
        """The word of the cue whose own head lies outside it, where the parse attaches
        its arguments: "strike" in "air strike" (`head` is "air")."""
        inside = {t.i for t in self.tokens}
        return next((t for t in self.tokens if t.head.i not in inside), self.head)


def form(token: Token) -> str:
    return token.lemma_.lower()


def forms(token: Token) -> tuple[str, ...]:
    """The forms a cue may match: lemma, lower case, and the singular of a plural the
    tagger left unlemmatised ("Drones" as a proper noun)."""
    lower = token.lower_
    if token.pos_ in ("NOUN", "PROPN") and lower.endswith("s"):
        return (form(token), lower, lower[:-1])
    return (form(token), lower)


def words_near(token: Token) -> set[str]:
    """The forms of a token's phrase: itself, its modifiers and compounds."""
    return {f for t in token.subtree for f in forms(t)}


def _is_name(token: Token, sentence: Span) -> bool:
    proper = token.pos_ == "PROPN" and token.i != sentence.start and not token.is_upper
    return token.ent_type_ in _NAMES or proper


def _burns_a_symbol(token: Token) -> bool:
    return any(c.dep_ == "dobj" and form(c) in SYMBOLS for c in token.children)


def _sets_on_fire(token: Token) -> bool:
    """ "set the house on fire", "setting obstacles on fire", "set fire to": a "set" among
    the word's nearest heads."""
    node = token
    for _ in range(3):
        if node.head.i == node.i:
            return False
        node = node.head
        if form(node) == "set":
            return True
    return False


def _describes_only(token: Token, cue: Cue) -> bool:
    """ "a detained officer", "carrying torches", "burning the flag": no event told."""
    if token.dep_ == "amod":
        return True
    return cue.family == "burn" and (token.pos_ != "VERB" or _burns_a_symbol(token))


_ENTS = "fogmap.ents"  # where `ents_of` keeps a document's entities, in order


def ents_of(sentence: Span) -> list[Span]:
    """The named entities inside a sentence. spaCy's `Span.ents` walks every entity of
    the document at each call, which made a long article's events quadratic (a 240,000-
    character bulletin: 67 s); this reads the document's entities once."""
    doc = sentence.doc
    if _ENTS not in doc.user_data:
        ents = list(doc.ents)
        doc.user_data[_ENTS] = ([e.start for e in ents], ents)
    starts, ents = doc.user_data[_ENTS]
    found = []
    for ent in ents[bisect_left(starts, sentence.start) :]:
        if ent.start >= sentence.end:
            break
        if ent.end <= sentence.end:
            found.append(ent)
    return found


def tells_no_event(cue: Cue, sentence: Span) -> str | None:
    """Why a cue found in news prose tells no incident, or None where it may tell one.

    Generic and habitual statements ("U.S. airstrikes have forced it to hide", "girls
    fighting for the militia", "ISIS uses the money"), a word in another sense ("assault
    rifles", "the combat mission", "it demonstrates that …", "a body bag"), what someone
    is known for ("famed for killing 100 fighters"), a plan or an attempt, a suicide, an
    animal's attack. A sentence that names its date is never habitual.
    """
    head = cue.head
    dated = any(
        e.label_ in ("DATE", "TIME") and not FREQUENCY.search(e.text.lower())
        for e in ents_of(sentence)
    )
    single = len(cue.tokens) == 1
    if single and head.dep_ in ("compound", "amod", "nmod") and cue.family not in DESCRIBING:
        return "modifier"  # "assault rifles", "combat mission", "battle-hardened"
    if head.pos_ == "ADJ" and cue.family not in DESCRIBING:
        return "modifier"  # "offensive cartoons"; not "chlorine gas"
    if head.tag_ == "VBG" and head.dep_ in ("acl", "relcl", "amod") and cue.family != "protest":
        return "description"  # "the militia battling ISIS", "girls fighting for"
    if head.dep_ == "pcomp" and head.head.lower_ in ("for", "of", "in", "about", "against"):
        return "description"  # "famed for killing", "serious in fighting against ISIL"
    if not dated and sentence.start != 0 and _habitual(head):
        return "habitual"  # "ISIS uses …", "they are fighting for …", "missiles continue"
    if head.tag_ == "NNS" and _bare(head) and head.head.tag_ != "VBD" and not _anchored(sentence):
        return "generic"  # "airstrikes have come under criticism", "have escalated attacks"
    if head.dep_ == "xcomp" and form(head.head) in ATTEMPT_VERBS:
        return "attempt"  # "tried to attack"
    if cue.family in PLANNED_FAMILIES and _for_a_purpose(head):
        return "purpose"  # "a strategy to combat ISIS", "troops to help battle the militants"
    if form(head) in CAMPAIGN_NOUNS and head.pos_ == "NOUN" and _for_a_cause(head):
        return "a campaign"  # "the fight against terror", "the militia's battle for freedom"
    if form(head) == "engage" and not _child(head, "prep", "with"):
        return "another sense"  # "engaged in the joint exercise"
    if form(head) == "demonstrate" and any(c.dep_ in ("ccomp", "dobj") for c in head.children):
        return "another sense"  # "it demonstrates that anyone is vulnerable"
    if cue.family == "body" and form(head.head) not in FINDING_VERBS:
        return "another sense"  # "his body", "a body bag"; bodies found are an event
    if form(head) == "hostage" and form(head.head) not in HOSTAGE_TAKING:
        return "a victim named"  # "beheaded hostage James Foley", "a British hostage"
    if form(head) == "march" and _marchers(head) & MILITARY:
        return "an advance"  # "the fighters marched through", "their march towards Baghdad"
    if cue.family in ("kill", "harm", "fire") and any(
        c.dep_ == "dobj" and c.lower_ in REFLEXIVES for c in head.children
    ):
        return "suicide"  # "killed himself", "shot himself"
    if (_doer_words(head) | _modifier_words(head)) & ANIMALS:
        return "an animal"  # "attacked by a bear", "a bear attack", "dog fights"
    if cue.family == "suicide" and single and form(head.head) not in SUICIDE_ATTACKS:
        return "a suicide"  # "committed suicide", "a suicide note"
    if form(head) in AIRCRAFT and single and not _air_attack(head):
        return "an aircraft"  # "aid from unidentified fighter jets"
    if cue.family == "seize" and not (_object_words(head) & (WEAPONS | TERRITORY_SEIZED)):
        return "nothing held"  # "livestock seized", "seized the money"
    if cue.family in ("displacement", "change") and not (
        _plural_doers(head) or form(head) in DEFECTIONS
    ):
        return "one person"  # "he fled to Turkey", "a recruit with a British accent"
    if form(head) in ("fly", "airlift", "airdrop") and not (
        {form(t) for t in head.subtree} & SUPPLIES
    ):
        return "travel"  # "Obama flew in on Sunday"; supplies flown in are an event
    if form(head) == "disappear" and not any(c.dep_ == "auxpass" for c in head.children):
        return "another sense"  # "trainees have disappeared": gone, not taken
    if cue.family == "burn" and any(c.dep_ == "prt" and c.lower_ == "out" for c in head.children):
        return "another sense"  # "burn out"
    if form(head) in TOLL_WORDS and PERIOD_TOTAL.search(sentence.text):
        return "a total"  # "790 people were killed in January alone", "died since June"
    if not dated and _a_tally(head):
        return "a tally"  # "Rehana has killed more than 100 jihadists"
    if _over_a_period(head, sentence):
        return "over a period"  # "the territory ISIS has seized in the past year"
    if head.lower_ == "grad":
        return "another sense"  # "an FSU grad"; the rocket is "Grad"
    if head.dep_ == "relcl" and head.head.tag_ == "NNS" and _bare(head.head) and _suffered(head):
        return "generic"  # "individuals who were kidnapped", "people it has killed"
    return None


# Families that code nothing alone: a blockade goes on with a protest already told
# ("They blocked the main road") but is no riot (`_reading.Reader._goes_on_protest`).
ACCOMPANYING = frozenset({"riot_light"})
# Families whose word may stand before another and still tell the event ("suicide
# attack", "air strike", "protest march").
DESCRIBING = frozenset({"suicide", "air", "ied", "chemical", "shelling", "grenade", "protest"})
SUICIDE_ATTACKS = word_list("suicide_attacks")
AIRCRAFT = word_list("aircraft")
AIR_ATTACK_VERBS = word_list("air_attack_verbs")
TERRITORY_SEIZED = word_list("territory_seized")
SUPPLIES = word_list("supplies")
DEFECTIONS = word_list("defections")
WEAPONS = word_list("weapons")
TOLL_WORDS = word_list("toll_words")
PERFECT = ("has", "have", "'ve", "'s")
_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
# A toll over a period: a total, not an incident.
PERIOD_TOTAL = re.compile(
    rf"\b(?:alone|so far|since|this year|last year|per (?:day|week|month)|every (?:day|week|"
    rf"month)|monthly|a month|in (?:{_MONTH})(?! \d)|during (?:{_MONTH}))\b"
)
# A date that says how often, not when: "daily", "every week".
FREQUENCY = re.compile(r"\b(?:daily|nightly|weekly|monthly|every|each)\b")
# Weeks, months or years: what happened over them is a tally or a campaign, no incident.
PERIOD = re.compile(
    r"\b(?:past|recent|last|several|many)\b.*\b(?:weeks|months|years|decades)\b"
    r"|\b(?:the|this) past year\b"
)
PLANNED_FAMILIES = frozenset({"clash", "kill", "harm", "assault", "ground", "air", "raid"})
CAMPAIGN_NOUNS = word_list("campaign_nouns")
HOSTAGE_TAKING = word_list("hostage_taking")
ANIMALS = word_list("animals")
MILITARY = word_list("military")
# Verbs whose infinitive still tells an event, as done or as threatened.
KEEPS_THE_EVENT = word_list("keeps_the_event")
ATTEMPT_VERBS = word_list("attempt_verbs")
REFLEXIVES = word_list("reflexives")
FINDING_VERBS = word_list("finding_verbs")
SCOPE_MARKERS = 2  # words of conflict or protest an article in ACLED's scope has at least
WHOLE_ARTICLE = 10  # sentences: a shorter text is a snippet, too short to judge its scope
_ANCHORS = ("DATE", "TIME", "GPE", "LOC", "FAC")


def _child(token: Token, dep: str, lower: str) -> bool:
    return any(c.dep_ == dep and c.lower_ == lower for c in token.children)


def _present(verb: Token) -> bool:
    """A verb in the simple present, present progressive or present passive: what
    habitually happens ("airstrikes are launched only where …")."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VBN":  # "are launched"; not "has killed", "has been launched"
        return any(a.dep_ == "auxpass" and a.tag_ in ("VBZ", "VBP") for a in auxiliaries)
    return verb.tag_ == "VBG" and any(a.tag_ in ("VBZ", "VBP") for a in auxiliaries)


def _habitual(head: Token) -> bool:
    """A verb in the present, or a noun that is the subject of one."""
    if head.pos_ == "VERB":
        return _present(head)
    return head.pos_ == "NOUN" and head.dep_ in ("nsubj", "nsubjpass") and _present(head.head)


def _for_a_cause(noun: Token) -> bool:
    """ "The fight against terror", "the battle for freedom": a campaign, not fighting
    somewhere ("the battle for Kobane" is fought over a place)."""
    if _child(noun, "prep", "against"):
        return True
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"):
        aims = [c for c in prep.children if c.dep_ == "pobj"]
        if aims and not any(a.ent_type_ in _ANCHORS or form(a) in TERRITORY_SEIZED for a in aims):
            return True
    return False


def _a_tally(verb: Token) -> bool:
    """A killing in the present perfect of ten or more, with no incident named in the
    clause: a count over time ("she has killed more than 100 jihadists", "the group has
    killed thousands"), not one incident ("has killed 12 in an attack on a market")."""
    if form(verb) not in TOLL_WORDS or verb.pos_ != "VERB":
        return False
    perfect = any(c.dep_ == "aux" and c.lower_ in PERFECT for c in verb.children)
    victims = [c for c in verb.children if c.dep_ == "dobj"]
    many = any((number_value(t) or 0) >= 10 for v in victims for t in v.subtree)
    told = {form(t) for t in verb.subtree} & EVENT_NOUNS
    return perfect and many and not told


def _over_a_period(head: Token, sentence: Span) -> bool:
    """Whether the cue's verb (or the verb it is joined to, or the noun's verb) is told
    over weeks, months or years: "has seized in the past year", "defended Kobani over the
    past few weeks and killed over 100", "have been battling each other this past year"."""
    verbs = {head.i, head.head.i}
    for span in ents_of(sentence):
        if span.label_ != "DATE" or not PERIOD.search(span.text.lower()):
            continue
        attached = span.root.head
        if attached.dep_ == "prep" or attached.pos_ == "ADP":
            attached = attached.head
        if attached.i in verbs or span.root.head.i in verbs:
            return True
    return False


def _for_a_purpose(verb: Token) -> bool:
    """An infinitive of purpose, or a verb it governs through a chain of complements and
    conjuncts: "send troops to help battle the militants", "to encourage them to join up
    and continue fighting"."""
    for _ in range(PURPOSE_CHAIN):
        if _purpose(verb):
            return True
        if verb.dep_ not in ("xcomp", "conj") or verb.head.pos_ not in ("VERB", "AUX"):
            return False
        verb = verb.head
    return False


PURPOSE_CHAIN = 4  # verbs walked up from a cue to the infinitive that sets its purpose


def _purpose(verb: Token) -> bool:
    """An infinitive of purpose, not something done: "a strategy to combat ISIS", "join
    forces to fight", "recruiting fighters to fight in Syria". (A vow or a plan is kept, as
    a threat: see `_reading.mode_of`; "continued to clash" and "claimed to have killed"
    tell what was done.)"""
    infinitive = [c.lower_ for c in verb.children if c.dep_ == "aux"]
    if "to" not in infinitive or "have" in infinitive:
        return False
    if verb.dep_ == "xcomp":
        return form(verb.head) not in KEEPS_THE_EVENT
    return verb.dep_ in ("advcl", "acl", "relcl")


def _marchers(march: Token) -> set[str]:
    """Who marches: the verb's subject or the noun's possessor; "their march towards the
    capital" is an armed advance."""
    doers = [c for c in march.children if c.dep_ in ("nsubj", "poss")]
    found = {form(t) for d in doers for t in d.subtree}
    advancing = any(_child(march, "prep", p) for p in ("toward", "towards"))
    return found | ({"armed"} if advancing and found & {"their", "its"} else set())


def _doer_words(head: Token) -> set[str]:
    """The words of a verb's doer: its subject, or the object of its "by"."""
    doers = [c for c in head.children if c.dep_ == "nsubj"]
    for agent in (c for c in head.children if c.dep_ == "agent"):
        doers += [c for c in agent.children if c.dep_ == "pobj"]
    return {form(t) for d in doers for t in d.subtree}


def _modifier_words(noun: Token) -> set[str]:
    return {form(c) for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}


def _object_words(verb: Token) -> set[str]:
    """The words of what a verb acts on: its object, or its subject in the passive, or
    the noun it describes ("weapons seized", "the territory ISIS seized")."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if verb.dep_ in ("acl", "relcl"):
        objects.append(verb.head)
    return {form(t) for o in objects for t in o.subtree}


def _plural_doers(verb: Token) -> bool:
    """Whether those who did it are many: a plural subject, several joined, or a number."""
    doers = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(
        d.tag_ in ("NNS", "NNPS") or any(c.dep_ in ("conj", "nummod") for c in d.children)
        for d in doers
    ) or (verb.pos_ == "NOUN" and verb.tag_ == "NNS")


def _air_attack(aircraft: Token) -> bool:
    """Whether an aircraft word tells a strike: the doer or instrument of an attack verb
    ("helicopters targeted", "bombed by jets") or part of a strike's name ("drone strike");
    not what aircraft drop when it is aid ("aid dropped by unidentified aircraft")."""
    head = aircraft.head
    if aircraft.dep_ == "pobj" and head.dep_ in ("agent", "prep"):
        head = head.head
    if form(head) == "drop" and _object_words(head) & SUPPLIES:
        return False
    return form(head) in AIR_ATTACK_VERBS or aircraft.dep_ == "compound"


def _suffered(relative: Token) -> bool:
    """Whether a relative clause tells what was done to its antecedent: passive ("who
    were kidnapped") or with a subject of its own ("the people it has killed")."""
    subjects = [c for c in relative.children if c.dep_ in ("nsubj", "nsubjpass")]
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in relative.children)
    return passive or any(c.tag_ not in ("WP", "WDT") for c in subjects)


def _bare(noun: Token) -> bool:
    """A plural with no determiner, possessive or number: attacks in general."""
    return not any(c.dep_ in ("det", "poss", "nummod") for c in noun.children)


def _anchored(sentence: Span) -> bool:
    """Whether a sentence places what it tells: a date, or a place it is "in" or "at" (not
    a nationality: "U.S. airstrikes")."""
    return any(
        e.label_ in ("DATE", "TIME") or (e.label_ in _ANCHORS and e.root.dep_ == "pobj")
        for e in ents_of(sentence)
    )


def _listed(tokens: list[Token], i: int) -> Cue | None:
    """The longest phrase of the table starting at `tokens[i]`."""
    for key in forms(tokens[i]):
        for phrase, family in cue_table().get(key, ()):
            window = tokens[i : i + len(phrase)]
            if len(window) == len(phrase) and all(
                p in forms(t) for p, t in zip(phrase, window, strict=True)
            ):
                return Cue(family, window)
    return None


def _constructed(token: Token) -> Cue | None:
    """Cues made by the parse, not by a phrase of the table."""
    if form(token) in BASES and form(token.head) in FOUNDING_VERBS:
        return Cue("base", [token.head])  # "set up a base", "established a camp"
    if form(token) == "fire":
        if _sets_on_fire(token):
            return Cue("burn", [token])  # "setting obstacles on fire"
        if token.pos_ == "VERB":
            return Cue("fire", [token])  # "fired six shots at the soldiers"
    return None


def find_cues(sentence: Span) -> list[Cue]:
    """The cues of a sentence, in order, without the ones that are only a topic."""
    found: list[Cue] = []
    tokens = list(sentence)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        cue = None if _is_name(token, sentence) else _listed(tokens, i)
        if cue is not None and len(cue.tokens) == 1 and _describes_only(token, cue):
            cue = None
        if cue is not None and tells_no_event(cue, sentence) is not None:
            i += len(cue.tokens)
            continue
        if cue is None and not _is_name(token, sentence):
            cue = _constructed(token)
        if cue is not None:
            found.append(cue)
        i += len(cue.tokens) if cue is not None else 1
    heads = {c.head.i for c in found}
    return [c for c in found if not is_topic(c.head, sentence, heads)]


def is_topic(token: Token, sentence: Span, cue_heads: set[int]) -> bool:
    """A cue that is what someone protests about or demands, not an event itself: under
    "against", "over", "following", as the object of "demand" or "denounce", or of a
    protest ("protest the killing", "justice for the victims")."""
    node = token
    while node.head.i != node.i and sentence.start <= node.head.i < sentence.end:
        parent = node.head
        if parent.dep_ == "prep" and parent.lower_ in TOPIC_PREPOSITIONS:
            return True
        complement = node.dep_ in ("dobj", "pobj", "prep", "ccomp", "xcomp", "attr", "oprd")
        if form(parent) in TOPIC_VERBS and parent.i not in cue_heads and complement:
            return True
        if parent.i != token.i and form(parent) in ("protest", "justice"):
            return node.dep_ in ("dobj", "prep", "pobj", "xcomp", "advcl", "acl")
        node = parent
    return False


CONFLICT_WORDS = word_list("conflict_words")


def of_political_violence(doc: Doc, entities: list[Entity]) -> bool:
    """Whether an article is within ACLED's scope: it names an armed group, or speaks of
    armed conflict or protest. Violence in a whole article that does neither is private
    (a crime, an animal's attack, an illness), which ACLED does not code; a snippet or an
    ACLED note is too short to tell and is read as it is."""
    if any(e.type == "armed_group" for e in entities):
        return True
    if sum(1 for _ in doc.sents) < WHOLE_ARTICLE:
        return True
    return sum(form(t) in CONFLICT_WORDS for t in doc) >= SCOPE_MARKERS
