"""Reading an article's sentences into event tellings, and tellings into records.

See the package docstring for the steps; this module holds the reading (cues coded
per sentence, modes, places, dates) and the making of records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from spacy.tokens import Doc, Span, Token

from fogmap.extract.dates import DateMention, find_dates, parse_iso
from fogmap.extract.events._actors import (
    ARMED_WORDS,
    BELLIGERENTS,
    CIVILIAN_WORDS,
    Names,
    acled_country,
    acled_territory,
    agent,
    patient,
)
from fogmap.extract.events._cues import Cue, find_cues, form
from fogmap.extract.events._incidents import (
    EVENT_NOUNS,
    HAPPENED,
    OUTCOMES,
    POLITICAL_VIOLENCE,
    SPECIFICITY,
)
from fogmap.extract.events._lexicon import word_list
from fogmap.extract.events._types import (
    PROTEST_RANK,
    SUB_EVENT_TYPES,
    TOLD_OF_A_PROTEST,
    classify,
    label_of,
    protest_kind,
)
from fogmap.extract.fatalities import Count, Toll, event_fatalities, sentence_counts
from fogmap.records import (
    Claim,
    Entity,
    Event,
    EventMention,
    EventType,
    Mention,
    Place,
    SubEventType,
)

MAIN_GROUP_MENTIONS = 3
SEPARATE = word_list("separate")
GENERIC = frozenset({"Attack", "Armed clash"})  # the sub-types of a bare "killed", "attack"
KILLINGS = word_list("killings")
COLLECTIVES = word_list("collectives")
REPORTING_VERBS = word_list("reporting_verbs")
CLAIMING_CUES = word_list("claiming_cues")
HEDGES = word_list("hedges")
DENIAL_CUES = word_list("denial_cues")
THREAT_VERBS = word_list("threat_verbs")
HYPOTHETICAL_AUX = word_list("hypothetical_aux")
FUTURE_AUX = word_list("future_aux")
DEFINITE = word_list("definite")
SCENE_PREPOSITIONS = word_list("scene_prepositions")
PLACE_PREPOSITIONS = word_list("place_prepositions")
PLACE_RANK = {
    "PPL": 0,
    "PPLA": 0,
    "PPLA2": 0,
    "PPLC": 0,
    "ADM2": 1,
    "ADM1": 2,
    "PCLI": 4,
    "CONT": 5,
}
BROAD_PLACES = {"PCLI", "CONT", "ADM1"}
DEMONYM_PENALTY = 6.0  # a nationality places an event only where nothing else does
UNHARMED = {"Peaceful protest", "Protest with intervention"}
CROWD_ACTORS = {
    "Peaceful protest": "Protesters",
    "Protest with intervention": "Protesters",
    "Excessive force against protesters": "Protesters",
    "Violent demonstration": "Rioters",
    "Mob violence": "Rioters",
}


def mode_of(trigger: Token, claim: Claim | None, entities: list[Entity]) -> str:
    """How the text presents the event: asserted, claimed, denied, negated, threatened,
    hypothetical or future."""
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head  # the verb of the trigger's clause
    # "no fighting"; "no visible protest activity": the noun the cue word qualifies
    nouns = [trigger, trigger.head] if trigger.dep_ in ("compound", "amod") else [trigger]
    negated = any(
        c.dep_ == "neg" or c.lower_ in ("no", "without") for n in nouns for c in n.children
    )
    negated |= trigger.dep_ == "pobj" and trigger.head.lower_ == "without"
    if negated or any(c.dep_ == "neg" for c in verb.children):
        return "negated"
    node = verb
    for _ in range(3):
        auxiliaries = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass")}
        if node.dep_ in ("xcomp", "ccomp", "advcl") and node.head.lemma_.lower() in THREAT_VERBS:
            return "threatened"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return "hypothetical"
        if auxiliaries & HYPOTHETICAL_AUX:
            return "hypothetical"
        if auxiliaries & FUTURE_AUX:
            return "future"
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            break
        node = node.head
    return claim_mode(claim, entities) if claim is not None else "asserted"


def claim_mode(claim: Claim, entities: list[Entity]) -> str:
    """How an event inside a claim is told: `denied` inside a denial; `claimed` when a
    party to the fighting says it ("the group said it had killed", "opposition fighters
    said"), when the claim is hedged ("reportedly", "allegedly", "it is believed") or
    its cue claims ("claimed", "alleged"); otherwise `asserted`, as ACLED codes what
    police, officials, witnesses, the press or a video report as fact ("the BBC
    reported", "a video showing the beheading")."""
    cue = (claim.cue or "").lower().split()
    if cue and cue[0] in DENIAL_CUES:
        return "denied"
    hedged = set((claim.hedge or "").lower().split()) & HEDGES
    if (cue and cue[0] in CLAIMING_CUES) or hedged:
        return "claimed"
    speaker = entities[claim.speaker] if claim.speaker is not None else None
    sides = {(claim.speaker_text or "").lower(), (claim.speaker_affiliation or "").lower()}
    party = speaker is not None and speaker.type == "armed_group"
    party |= any(set(side.split()) & BELLIGERENTS for side in sides)
    party |= any(e.type == "armed_group" and e.name.lower() in sides for e in entities)
    return "claimed" if party else "asserted"


def _is_headline(sentence: Span) -> bool:
    """The article's first line standing alone, with no full stop: its headline."""
    doc = sentence.doc
    after = doc[sentence.end].text_with_ws if sentence.end < len(doc) else ""
    ending = sentence.text_with_ws + after
    return (
        sentence.start == 0
        and not sentence.text.rstrip().endswith((".", "!", "?", '"', "”"))
        and "\n" in ending[len(sentence.text.rstrip()) :]
    )


def _anaphoric(trigger: Token) -> bool:
    """A definite event noun ("the fighting", "the attack") that points back to an event
    already told rather than telling a new one."""
    return trigger.pos_ == "NOUN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in DEFINITE for c in trigger.children
    )


def place_of(sentence: Span, trigger: Token, places: list[Place]) -> Place | None:
    """The place of this event: the resolved place nearest the trigger in its sentence,
    after a preposition of place, specific places before provinces before countries."""
    options: list[tuple[float, Place]] = []
    for place in places:
        for mention in place.mentions:
            if not sentence.start_char <= mention.start < sentence.end_char:
                continue
            span = sentence.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            before = span[0].nbor(-1).lower_ if span is not None and span.start > 0 else ""
            rank = PLACE_RANK.get(place.feature_code or "", 1 if place.lat is not None else 3)
            rank += 2 if place.lat is None else 0
            distance = abs(mention.start - trigger.idx) / 40
            after_preposition = 1.5 if before in PLACE_PREPOSITIONS else 0.0
            by_name = 0.0 if _names_the_scene(place, mention, span) else DEMONYM_PENALTY
            options.append((rank + distance - after_preposition + by_name, place))
    return min(options, key=lambda option: option[0])[1] if options else None


def _names_the_scene(place: Place, mention: Mention, span: Span | None) -> bool:
    """A place named as where things are, not a nationality or a party: "a Kurdish
    commander", "US-led", "Iraq's army", "America would not be intimidated" say whose
    forces, not where. A country is a scene after "in", "at", "near" …; a town or a
    province anywhere ("Chittagong city", "Kirkuk governorate")."""
    if mention.label == "NORP":
        return False
    if place.feature_code != "PCLI":
        return True
    before = span[0].nbor(-1).lower_ if span is not None and span.start > 0 else ""
    return before in SCENE_PREPOSITIONS  # not "attacks on America", "the people of Iraq"


def scene_weight(sentence: Span, place: Place) -> int:
    """How plainly a sentence names `place` as where things happen: 2 after "in", "at",
    "near" …; 1 named otherwise; 0 only as a nationality."""
    weight = 0
    for mention in place.mentions:
        if sentence.start_char <= mention.start < sentence.end_char:
            span = sentence.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if _names_the_scene(place, mention, span):
                before = span[0].nbor(-1).lower_ if span is not None and span.start > 0 else ""
                weight = max(weight, 2 if before in PLACE_PREPOSITIONS else 1)
    return weight


def named_scene(sentence: Span, place: Place) -> bool:
    """Whether the sentence names `place` as a scene rather than by a nationality."""
    for mention in place.mentions:
        if sentence.start_char <= mention.start < sentence.end_char:
            span = sentence.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if _names_the_scene(place, mention, span):
                return True
    return False


def _date_near(sentence: Span, at: int, dates: list[DateMention]) -> DateMention | None:
    """The date of what is told at `at`: the date the sentence opens with ("On 11 March
    2022, …", "Around 9 May …", "On Sunday, …"), else the nearest, a day before a year."""
    inside = [d for d in dates if sentence.start_char <= d.start < sentence.end_char]
    if not inside:
        return None
    opening = inside[0]
    lead = sentence.text[: opening.start - sentence.start_char]
    if len(lead) <= 40 and (not lead.strip() or lead.rstrip().endswith((":", "On", "on"))):
        return opening
    return min(inside, key=lambda d: (d.precision is None, abs(d.start - at)))


def _claim_holding(token: Token, claims: list[Claim]) -> Claim | None:
    holding = [c for c in claims if c.start <= token.idx < c.end]
    return min(holding, key=lambda c: c.end - c.start) if holding else None


@dataclass(slots=True)
class _Told:
    """An event as it is being read, before it becomes a record."""

    sub_event_type: str
    trigger: list[Token]
    sentences: list[Span]
    mode: str
    claim: Claim | None
    date: DateMention | None = None
    place: Place | None = None
    counts: list[list[Count]] = field(default_factory=list)
    actor1: str | None = None
    assoc_actor_1: str | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    headline: bool = False  # told in the article's headline
    refers_back: bool = False  # told only by its toll ("were killed") or as "the attack"
    timing: str = "current"
    own_date: DateMention | None = None  # a date given in its own sentence
    place_by_name: bool = False  # its place is named, not only implied by a nationality
    separate: bool = False  # told as another incident: "in a separate attack"
    cues: list[Cue] = field(default_factory=list)  # the cue of each of its sentences

    @property
    def event_type(self) -> str:
        return SUB_EVENT_TYPES[self.sub_event_type]

    @property
    def generic_reference(self) -> bool:
        """Told only as a toll or as "the attack": its sub-type says nothing of its own."""
        return self.refers_back and self.sub_event_type in GENERIC

    def day_key(self) -> object | None:
        """The day its own sentence names, where it names one to the day: the date, or
        its words where there is no publication date to resolve them against."""
        day = self.own_date
        if day is None or day.precision != 1:
            return None
        return day.date_start if day.date_start is not None else day.text.lower()

    def absorb(self, other: _Told) -> None:
        """Take in another telling of the same incident (`_incidents.merge`)."""
        if self.generic_reference != other.generic_reference:
            more_telling = self.generic_reference  # "killed", "the attack": the other says how
        else:
            rank = SPECIFICITY.get
            more_telling = rank(other.sub_event_type, 9) < rank(self.sub_event_type, 9)
        if more_telling:
            self.sub_event_type, self.trigger = other.sub_event_type, other.trigger
        self.refers_back = self.refers_back and other.refers_back
        self.sentences += other.sentences
        self.cues += other.cues
        self.counts += other.counts
        if other.place is not None and (self.place is None or _place_key(other) > _place_key(self)):
            self.place, self.place_by_name = other.place, other.place_by_name
        self.date = self.date or other.date
        self.own_date = self.own_date or other.own_date
        self.claim = self.claim or other.claim

    def next_to(self, sentence: Span, gap: int = 0) -> bool:
        """Whether `sentence` follows this event's last, with at most `gap` sentences
        between."""
        between = sentence.doc[self.sentences[-1].end : sentence.start]
        return sum(bool(t.is_sent_start) for t in between) <= gap

    def add(self, sentence: Span, counts: list[Count], cue: Cue | None = None) -> None:
        self.sentences.append(sentence)
        self.cues.append(cue or self.cues[0])
        self.counts.append(counts)

    def same_as(self, sub_event_type: str, day: DateMention | None, place: Place | None) -> bool:
        """Whether a sentence's event is this one told on: no other day, no other town,
        the same sub-type (or both protests, or both riots)."""
        if day is not None and self.date is not None and day.day != self.date.day:
            return False
        if place is not None and self.place is not None and place.id != self.place.id:
            kinds = {place.feature_code, self.place.feature_code}
            if not kinds & BROAD_PLACES:  # another town, not the province it lies in
                return False
        if sub_event_type == self.sub_event_type:
            return True
        kind = SUB_EVENT_TYPES[sub_event_type]
        return kind == self.event_type and kind in ("Protests", "Riots")


# Violence whose doer, where no one is named, is an armed group ACLED cannot identify (an
# air strike is a state's; a crowd's violence is a mob's).
UNSIGNED_ATTACKS = frozenset(
    {
        "Attack",
        "Suicide bomb",
        "Remote explosive/landmine/IED",
        "Grenade",
        "Abduction/forced disappearance",
    }
)


class Reader:
    """Reads an article sentence by sentence, starting events and adding to them."""

    def __init__(
        self,
        doc: Doc,
        places: list[Place],
        claims: list[Claim],
        names: Names,
        published: str | None,
    ) -> None:
        self.places, self.claims, self.names = places, claims, names
        text = doc.text  # built from the tokens on every access: once here
        self.dates = find_dates(text, published)
        self.label = label_of(text)
        self.told: list[_Told] = []
        counted = Counter(p.country for p in places for _ in p.mentions if p.country)
        self.article_country = counted.most_common(1)[0][0] if counted else None
        self.last_date: DateMention | None = None  # the latest date the article gave
        self.publication = parse_iso(published)

    def read_all(self, doc: Doc) -> list[_Told]:
        """Every telling of an event in the article, in the order read."""
        sentences = list(doc.sents)
        for sentence, following in zip(sentences, [*sentences[1:], None], strict=True):
            self.read(sentence, following)
        return self.told

    def read(self, sentence: Span, following: Span | None) -> None:
        cues = find_cues(sentence)
        scene = place_of(sentence, sentence[0], self.places)
        self.names.country_name, self.names.territory = self._country_of(scene)
        coded = classify(cues, sentence, self.names, following)
        if self.label is not None and not self.told:
            # an ACLED summary's opening label names the sub-type of its event
            opening = coded[1] if coded else cues[0] if cues else Cue("other", [sentence[0]])
            coded = (self.label, opening)
        counts = sentence_counts(sentence)
        last = self.told[-1] if self.told else None
        if last is not None and self._goes_on_protest(last, sentence, cues, coded, counts):
            return
        if coded is None:
            if counts and last is not None and last.sub_event_type != "Peaceful protest":
                last.counts.append(counts)
            self.last_date = _date_near(sentence, sentence.start_char, self.dates) or self.last_date
            return
        sub_event_type, cue = coded
        trigger = cue.head
        counts = [c for c in counts if _counts_for(c, trigger)]
        claim = _claim_holding(trigger, self.claims)
        mode = mode_of(trigger, claim, self.names.entities)
        if mode in HAPPENED and self._inside_a_denial(trigger):
            mode = "denied"  # "the ministry denied reports that its drones had struck …"
        day = _date_near(sentence, trigger.idx, self.dates)
        place = place_of(sentence, trigger, self.places)
        if _anaphoric(trigger) and day is None and place is None:
            kind = SUB_EVENT_TYPES[sub_event_type]
            earlier = next((t for t in reversed(self.told) if t.event_type == kind), None)
            if earlier is not None:
                earlier.counts.append(counts)  # "13 were killed in the fighting"
                return
        separate = any(t.lower_ in SEPARATE for t in sentence)
        if last is not None and last.next_to(sentence) and not separate:
            if mode == last.mode and last.same_as(sub_event_type, day, place):
                last.add(sentence, counts, cue)
                last.date, last.place = last.date or day, last.place or place
                return
            if counts and self._toll_of(last, sub_event_type, mode, day):
                last.add(sentence, counts, cue)
                return
        event = _Told(
            sub_event_type, cue.tokens, [sentence], mode, claim, day or self.last_date, place
        )
        event.counts.append(counts)
        event.cues.append(cue)
        event.own_date = _own_date(day, trigger, sentence)
        event.place_by_name = place is not None and named_scene(sentence, place)
        event.separate = separate
        event.refers_back = _refers_back(cue)
        event.timing = _timing(trigger, day, self.publication)
        event.headline = _is_headline(sentence)
        self.last_date = day or self.last_date
        if len(self.told) == 1 and self.told[0].headline and self._retells(self.told[0], event):
            # the story's first telling of its headline event: one event, told in both
            event.sentences.insert(0, self.told[0].sentences[0])
            event.cues.insert(0, self.told[0].cues[0])
            event.counts[:0] = self.told[0].counts
            self.told[0] = event
            return
        self.told.append(event)

    def _country_of(self, place: Place | None) -> tuple[str | None, str | None]:
        """The country of an event's place, else the one the article names most, as ACLED
        names it, and the territory ACLED names its actors by (Hong Kong in China)."""
        code = place.country if place is not None and place.country else self.article_country
        gazetteer = self.names.gazetteer
        entry = gazetteer.country(code) if code and gazetteer is not None else None
        if entry is None:
            return None, None
        return acled_country(entry.name), acled_territory(entry.name)

    def _goes_on_protest(
        self,
        last: _Told,
        sentence: Span,
        cues: list[Cue],
        coded: tuple[str, Cue] | None,
        counts: list[Count],
    ) -> bool:
        """ "Police dispersed them with tear gas.": what happened at the protest just told,
        which may change its sub-type; what a claim in it says does not."""
        if last.sub_event_type not in PROTEST_RANK or not cues or not last.next_to(sentence, 1):
            return False
        if coded is not None and coded[0] not in TOLD_OF_A_PROTEST:
            return False
        day = _date_near(sentence, sentence.start_char, self.dates)
        if day is not None and last.date is not None and day.day != last.date.day:
            return False  # another day's protest
        told = [c for c in cues if _claim_holding(c.head, self.claims) is None]
        kind = protest_kind(told, self.names)
        if PROTEST_RANK[kind] > PROTEST_RANK[last.sub_event_type]:
            last.sub_event_type = kind
        deadly = kind == "Excessive force against protesters"
        last.add(sentence, counts if deadly else [])
        return True

    @staticmethod
    def _retells(headline: _Told, event: _Told) -> bool:
        places = [p for p in (headline.place, event.place) if p is not None]
        same_place = (
            len(places) < 2
            or places[0].id == places[1].id
            or bool({p.feature_code for p in places} & BROAD_PLACES)
        )
        kinds = {headline.event_type, event.event_type}
        return same_place and (len(kinds) == 1 or kinds <= POLITICAL_VIOLENCE)

    @staticmethod
    def _toll_of(last: _Told, sub_event_type: str, mode: str, day: DateMention | None) -> bool:
        """A killing told right after a battle or an attack, with no date of its own, is
        that event's toll ("Two JeM militants were killed in the encounter.")."""
        return (
            sub_event_type == "Attack"
            and mode in HAPPENED
            and last.mode in HAPPENED
            and last.event_type != "Protests"
            and last.timing == "current"
            and day is None
        )

    def name_actors(self, event: _Told) -> None:
        """actor1 and actor2 of an incident: from the first of its tellings that names
        each, in the country of its final place."""
        self.names.country_name, self.names.territory = self._country_of(event.place)
        for cue in event.cues:
            actor1, assoc1, actor2, assoc2 = self._actors_told(event, cue)
            if event.actor1 is None and actor1 is not None:
                event.actor1, event.assoc_actor_1 = actor1, assoc1
            if event.actor2 is None and actor2 is not None and actor2 != event.actor1:
                event.actor2, event.assoc_actor_2 = actor2, assoc2
        if event.actor1 is None and event.event_type == "Violence against civilians":
            # one-sided violence whose doer no telling names: the armed group the whole
            # article is about ("the beheading of journalist Steven Sotloff" in a story
            # about the Islamic State), where it names one again and again
            event.actor1 = self._main_armed_group()
            if event.actor1 == event.actor2:
                event.actor2 = event.assoc_actor_2 = None
        if event.actor1 is None and event.sub_event_type in UNSIGNED_ATTACKS:
            # no one named for an attack no group claimed: ACLED's unidentified armed group
            where = self.names.territory or self.names.country_name
            event.actor1 = f"Unidentified Armed Group ({where})" if where else None
        if event.actor1 is None and event.actor2 is not None and event.event_type == "Battles":
            # a battle whose one named side stood as the object ("clashed with the
            # Taliban"): ACLED names the one side it knows first
            event.actor1, event.assoc_actor_1 = event.actor2, event.assoc_actor_2
            event.actor2 = event.assoc_actor_2 = None

    def _inside_a_denial(self, trigger: Token) -> bool:
        """Whether any claim around the trigger, not only the nearest, is a denial."""
        for claim in self.claims:
            cue = (claim.cue or "").lower().split()
            if claim.start <= trigger.idx < claim.end and cue and cue[0] in DENIAL_CUES:
                return True
        return False

    def _speaker_actor(self, claim: Claim, doc: Doc) -> str | None:
        """The actor a speaker's own words name: "Opposition fighters said they …"."""
        if claim.speaker_start is None or claim.speaker_end is None:
            return None
        span = doc.char_span(claim.speaker_start, claim.speaker_end, alignment_mode="expand")
        return self.names.actor(span.root)[0] if span is not None else None

    def _main_armed_group(self) -> str | None:
        groups = [e for e in self.names.entities if e.type == "armed_group"]
        counted = sorted(groups, key=lambda e: -len(e.mentions))
        if not counted or len(counted[0].mentions) < MAIN_GROUP_MENTIONS:
            return None
        if len(counted) > 1 and len(counted[1].mentions) * 2 > len(counted[0].mentions):
            return None  # two groups told alike: the doer is not clear
        return self.names.group_name(counted[0])

    def _actors_told(
        self, event: _Told, cue: Cue
    ) -> tuple[str | None, str | None, str | None, str | None]:
        names, trigger = self.names, cue.head
        doer = agent(trigger) or agent(cue.root) or _doer_above(trigger)
        other = patient(trigger, cue.tokens)
        actor1, assoc1 = names.actor(doer)
        crowd = CROWD_ACTORS.get(event.sub_event_type)
        if crowd is not None and not (actor1 or "").startswith(crowd):
            # ACLED names the crowd; who they are goes in the associated actor
            assoc1 = assoc1 or actor1
            where = names.territory or names.country_name
            actor1 = f"{crowd} ({where})" if where else crowd
            if assoc1 and assoc1.startswith("Civilians"):
                assoc1 = None
        claim = _claim_holding(trigger, self.claims)
        if doer is not None and doer.tag_ == "PRP" and claim is not None:
            # "the group said it had killed …": "it" is the speaker
            actor1 = actor1 or claim.speaker_affiliation or claim.speaker_name
            actor1 = actor1 or self._speaker_actor(claim, trigger.doc)
        actor2, assoc2 = names.actor(other)
        if actor2 == actor1:
            actor2 = assoc2 = None
        return actor1, assoc1, actor2, assoc2


def _doer_above(trigger: Token) -> Token | None:
    """The doer of what was done with the thing a cue word describes: "forces dropped
    barrels filled with chlorine gas"."""
    passed = False
    for verb in (a for a in trigger.ancestors if a.pos_ == "VERB"):
        if verb.dep_ == "acl":  # "barrels filled with …": on to what was done with them
            passed = True
            continue
        return agent(verb) if passed else None
    return None


# A clause that describes someone: a count in it tells of what that person did or
# suffered, not of the trigger's event ("the Briton who beheaded two hostages was injured
# in a strike", "the two journalists beheaded by ISIS"; not "shelled the town, as a result
# of which one civilian died").
DESCRIBING_CLAUSES = frozenset({"relcl", "acl", "appos"})


PEOPLE = CIVILIAN_WORDS | ARMED_WORDS


def _a_person(noun: Token) -> bool:
    return noun.ent_type_ in ("PERSON", "NORP") or form(noun) in PEOPLE


def _counts_for(count: Count, trigger: Token) -> bool:
    """Whether a count of the trigger's sentence may be the toll of the trigger's event:
    not when it is told in a clause describing someone."""
    if count.word is None:
        return True  # a coder's stated total is the event's
    node = trigger.doc[count.word]
    while node.head.i != node.i:
        if node.i == trigger.i or trigger.i in (t.i for t in node.subtree):
            return True
        if node.dep_ in DESCRIBING_CLAUSES and _a_person(node.head):
            return False
        node = node.head
    return True


def _one_killed(cue: Cue) -> bool:
    """A killing of one person told without a number: "Foley was beheaded", "the
    beheading of journalist Steven Sotloff", "militants killed a farmer"."""
    head = cue.head
    if head.lemma_.lower() not in KILLINGS:
        return False
    victim = patient(head, cue.tokens)
    if victim is None and head.pos_ == "NOUN":
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        victim = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
    return (
        victim is not None
        and victim.tag_ in ("NN", "NNP")
        and victim.lemma_.lower() not in COLLECTIVES
        and not any(c.dep_ in ("nummod", "conj") or c.lower_ == "no" for c in victim.children)
    )


def _place_key(told: _Told) -> tuple[bool, bool, float]:
    """The better of two tellings' places: resolved, named as the scene, specific."""
    assert told.place is not None
    return told.place.lat is not None, told.place_by_name, -_place_rank(told.place)


def _refers_back(cue: Cue) -> bool:
    """A cue that tells an incident only by what it did ("were killed", "casualties", "the
    strike wounded him") or by a definite reference ("the assault lasted ten hours"), not
    who did what ("militants killed a farmer"): it joins the incident it refers to."""
    if _anaphoric(cue.head):
        return True
    doer = agent(cue.head) if cue.head.pos_ == "VERB" else None
    told_as_act = doer is not None and doer.lemma_.lower() not in EVENT_NOUNS
    return not told_as_act and all(t.lemma_.lower() in OUTCOMES for t in cue.tokens)


def _place_rank(place: Place) -> float:
    rank = PLACE_RANK.get(place.feature_code or "", 1 if place.lat is not None else 3)
    return rank + (2 if place.lat is None else 0)


def main_place(places: list[Place], told: list[_Told], doc: Doc) -> Place | None:
    """The place an article's violence happens in, for its events that name none: the
    resolved place named most (as a scene, not by a nationality) in the sentences that
    tell its events, else in the whole article; the more specific on a tie. A story about
    a beheading in Syria names the United States often, but not where things happen."""
    scenes = [s for t in told if t.mode in HAPPENED for s in t.sentences]
    for sentences in (scenes, list(doc.sents)):
        counted = [
            (sum(scene_weight(s, p) for s in sentences), -_place_rank(p), p)
            for p in places
            if p.lat is not None and p.feature_code not in ("CONT", "RGN")
        ]
        counted = [c for c in counted if c[0]]
        if counted:
            return max(counted, key=lambda c: c[:2])[2]
    return None


def _own_date(day: DateMention | None, trigger: Token, sentence: Span) -> DateMention | None:
    """The date of the trigger's own clause: not the day someone said it ("officials said
    yesterday that he had been wounded")."""
    if day is None:
        return None
    span = sentence.doc.char_span(day.start, day.end, alignment_mode="expand")
    if span is None:
        return day
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    reporting = [a for a in verb.ancestors if a.lemma_.lower() in REPORTING_VERBS]
    inside_report = any(span.root in a.subtree and span.root not in verb.subtree for a in reporting)
    return None if inside_report else day


def _timing(trigger: Token, day: DateMention | None, publication: date | None) -> str:
    """Background: an incident the sentence dates more than a week before publication,
    or recalls as what someone is known for ("the SEAL who killed bin Laden", "beheaded
    hostage James Foley")."""
    if (
        day is not None
        and day.date_end is not None
        and publication is not None
        and (publication - day.date_end).days > 7
    ):
        return "background"
    if trigger.dep_ == "amod" or (trigger.dep_ == "relcl" and trigger.tag_ == "VBD"):
        return "background"
    return "current"


def _salience(event: _Told, order: int) -> float:
    """The main event first: early in the article, told at length, deadly, happened."""
    score = 3.0 / (1 + order) + len(event.sentences) * 0.5
    score += 2.0 if event.mode in HAPPENED else 0.0
    score += 1.0 if any(event.counts) else 0.0
    return round(score, 3)


def to_records(told: list[_Told], doc: Doc, publication: date | None) -> list[Event]:
    events: list[Event] = []
    for order, item in enumerate(told):
        start, end = item.trigger[0].idx, item.trigger[-1].idx + len(item.trigger[-1])
        mentions = sorted(
            (
                EventMention(
                    start=tokens[0].idx,
                    end=tokens[-1].idx + len(tokens[-1]),
                    trigger=doc[tokens[0].i : tokens[-1].i + 1].text,
                    sentence_start=sentence.start_char,
                    sentence_end=sentence.end_char,
                )
                for sentence, tokens in zip(
                    item.sentences, (c.tokens for c in item.cues), strict=True
                )
            ),
            key=lambda m: m.start,
        )
        toll = event_fatalities(item.counts)
        if toll.fatalities is None and any(_one_killed(c) for c in item.cues):
            toll = Toll(1, [])  # "the beheading of journalist Steven Sotloff"
        if item.sub_event_type in UNHARMED:
            toll = Toll(0, [])  # deaths a peaceful protest speaks of are its cause
        note = None
        if toll.disagreement:
            others = ", ".join(str(v) for v in toll.disagreement)
            note = f"other figures reported: {others}; the lowest is coded"
        date_start, date_end, precision, day, date_text = _dates(item.date, publication)
        events.append(
            Event(
                id=0,
                event_type=cast(EventType, item.event_type),
                sub_event_type=cast(SubEventType, item.sub_event_type),
                start=start,
                end=end,
                trigger=doc[item.trigger[0].i : item.trigger[-1].i + 1].text,
                sentence_start=mentions[0].sentence_start,
                sentence_end=mentions[-1].sentence_end,
                actor1=item.actor1,
                assoc_actor_1=item.assoc_actor_1,
                actor2=item.actor2,
                assoc_actor_2=item.assoc_actor_2,
                place=item.place.id if item.place else None,
                date_start=date_start,
                date_end=date_end,
                event_date=day,
                time_precision=precision,
                date_text=date_text,
                fatalities=toll.fatalities if toll.fatalities is not None else 0,
                fatalities_note=note,
                claim=item.claim.id if item.claim else None,
                mode=item.mode,  # type: ignore[arg-type]
                salience=_salience(item, order),
                timing=item.timing,  # type: ignore[arg-type]
                mentions=mentions,
            )
        )
    events.sort(key=lambda e: -e.salience)  # stable: ties keep the article's order
    for number, event in enumerate(events):
        event.id = number
    return events


def _dates(
    mention: DateMention | None, publication: date | None
) -> tuple[str | None, str | None, int | None, str | None, str | None]:
    """(start, end, precision, ACLED day, the words) of an event's date; with no date in
    the text the publication date stands in, at week precision, as ACLED codes events
    known only "as reported"."""
    if mention is not None and mention.resolved:
        assert mention.date_start is not None and mention.date_end is not None
        day = mention.day
        return (
            mention.date_start.isoformat(),
            mention.date_end.isoformat(),
            mention.precision,
            day.isoformat() if day else None,
            mention.text,
        )
    if mention is not None:
        return None, None, None, None, mention.text  # relative, with no publication date
    if publication is not None:
        iso = publication.isoformat()
        return iso, iso, 2, iso, None
    return None, None, None, None, None
