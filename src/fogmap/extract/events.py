"""Events: ACLED-coded events read from news sentences and ACLED-style summaries.

Each sentence is searched for cues (`data/event_cues.tsv`: lemmas and lemma phrases, each
in one family such as `protest`, `intervention`, `clash`, `air`, `kill`, `arrest`). The
families a sentence holds are combined into one of ACLED's 25 sub-event types by the
rules of `_classify`, which follow the codebook: a protest met by lethal force is
"Excessive force against protesters", a demonstration whose participants burn tyres is a
"Violent demonstration", ground fighting outranks the shelling that came with it, a
killing is an "Armed clash" when both sides are armed and an "Attack" on civilians
otherwise. Cues inside what a protest is about ("protested against the killing of a
student") or inside a demand are topics, not events.

Arguments come from the parse around the trigger: actor1 is the agent, actor2 the other
side, named as a user would search for them (an entity of the article, else ACLED's
generic names: "Protesters (Albania)", "Military Forces of Myanmar", "Civilians
(Brazil)"); the place is the resolved place nearest the trigger in its sentence; the date
comes from `dates`, the toll from `fatalities`.

An event a claim carries ("the group said it had killed …") is linked to that claim and
marked `claimed` (or `denied`); an event that is negated ("there had been no fighting"),
threatened ("vowed to crush"), hypothetical ("would resist any attempt") or future ("will
march") is kept with that mode and is not counted as having happened. Consecutive
sentences about the same event are merged into it; events are listed most salient first.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Doc, Span, Token

from fogmap.extract._speakers import words
from fogmap.extract.dates import DateMention, find_dates, parse_iso
from fogmap.extract.fatalities import Count, event_fatalities, sentence_counts
from fogmap.extract.places import demonyms
from fogmap.geo import Gazetteer, name_key
from fogmap.records import Claim, Entity, Event, Place

SUB_EVENT_TYPES = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
}
EVENT_TYPES = tuple(dict.fromkeys(SUB_EVENT_TYPES.values()))

# The labels ACLED's summaries open strategic developments with ("Looting: On 3 May …").
STRATEGIC_LABELS = {
    "looting": "Looting/property destruction",
    "property destruction": "Looting/property destruction",
    "land seizure": "Looting/property destruction",
    "defusal": "Disrupted weapons use",
    "weapons seizure": "Disrupted weapons use",
    "interception": "Disrupted weapons use",
    "detonation": "Disrupted weapons use",
    "movement of forces": "Change to group/activity",
    "security measures": "Change to group/activity",
    "change to armed group": "Change to group/activity",
    "recruitment": "Change to group/activity",
    "headquarters or base established": "Headquarters or base established",
    "agreement": "Agreement",
    "arrests": "Arrests",
    "displacement": "Other",
    "mass grave": "Other",
    "non-violent activity": "Other",
    "other": "Other",
}
_LABEL = re.compile(r"^\s*([A-Z][a-z-]+(?: [a-z-]+){0,4}):\s")

HAPPENED = ("asserted", "claimed")
DENIAL_CUES = words("deny denied denies denying reject rejected dismiss dismissed refute refuted")
THREAT_VERBS = words("vow threaten pledge promise warn plan intend prepare vowed threatened")
HYPOTHETICAL_AUX = words("would could might may should")
FUTURE_AUX = words("will shall 'll wo")
TOPIC_VERBS = words(
    "demand denounce condemn call ask oppose reject mourn commemorate honour honor "
    "remember decry urge seek"
)
TOPIC_PREPOSITIONS = words("against over about regarding concerning following")
PURPOSE_VERBS = TOPIC_VERBS | words("protest complain request denounce express show support")

STATE_WORDS = words(
    "army military soldier soldiers troop troops police policeman policemen officer "
    "officers forces force regime government gendarmerie gendarme navy marines guard "
    "guards junta"
)
POLICE_WORDS = words("police policeman policemen gendarmerie gendarme officer officers cop")
ARMED_WORDS = STATE_WORDS | words(
    "militant militants rebel rebels fighter fighters insurgent insurgents militia "
    "militiaman militiamen jihadist jihadists gunman gunmen combatant combatants "
    "position positions base camp checkpoint patrol convoy outpost post "
    "unit units faction brigade battalion terrorist terrorists bandit "
    "bandits armed gang gangs trafficker traffickers cartel dissident dissidents"
)
CIVILIAN_WORDS = words(
    "civilian civilians man men woman women child children boy girl people person "
    "villager villagers resident residents farmer farmers trader traders student "
    "students teacher journalist worker workers driver family leader leaders doctor "
    "nurse teenager boy youth youths individual individuals passenger passengers "
    "shopkeeper herder herders miner miners merchant businessman pastor priest imam "
    "activist activists lawyer son daughter wife husband father mother body bodies "
    "victim victims local locals citizen citizens elder elders"
)
PROTESTER_WORDS = words(
    "protester protesters protestor protestors demonstrator demonstrators marcher "
    "marchers people residents students workers teachers farmers supporters members "
    "activists women"
)
UNIDENTIFIED_WORDS = words("unidentified unknown suspected armed gunman gunmen assailant assailants")
GROUPS_OF_PROTESTERS = {
    "student": "Students", "teacher": "Teachers", "worker": "Labour Group",
    "farmer": "Farmers", "lawyer": "Lawyers", "journalist": "Journalists",
    "woman": "Women", "doctor": "Health Workers", "nurse": "Health Workers",
    "driver": "Labour Group", "employee": "Labour Group", "trader": "Traders",
    "resident": "Residents", "villager": "Villagers",
}  # fmt: skip


@lru_cache(maxsize=1)
def cue_table() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First lemma → (lemma phrase, family), longest phrases first."""
    text = files("fogmap").joinpath("data/event_cues.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for row in rows:
        phrase = tuple(row["cue"].split())
        table.setdefault(phrase[0], []).append((phrase, row["family"]))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


@dataclass(slots=True)
class _Cue:
    family: str
    tokens: list[Token]

    @property
    def head(self) -> Token:
        return self.tokens[0] if len(self.tokens) == 1 else max(
            self.tokens, key=lambda t: (t.pos_ in ("VERB", "NOUN"), -t.i)
        )


def _form(token: Token) -> str:
    return token.lemma_.lower()


def _cues(sentence: Span) -> list[_Cue]:
    table = cue_table()
    found: list[_Cue] = []
    tokens = list(sentence)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        matched = None
        if token.ent_type_ in ("DATE", "TIME", "PERSON", "WORK_OF_ART") or (
            token.pos_ == "PROPN" and token.i != sentence.start and not token.is_upper
        ):
            i += 1  # "March", "the Fight Committee", "Operation Storm" are names
            continue
        for key in (_form(token), token.lower_):
            for phrase, family in table.get(key, ()):
                window = tokens[i : i + len(phrase)]
                if len(window) == len(phrase) and all(
                    p in (_form(t), t.lower_) for p, t in zip(phrase, window, strict=True)
                ):
                    matched = _Cue(family, window)
                    break
            if matched:
                break
        if matched and len(matched.tokens) == 1 and (
            token.dep_ == "amod"
            or (matched.family == "burn" and (token.pos_ != "VERB" or _burns_a_symbol(token)))
        ):
            matched = None  # "a detained officer", "carrying torches", "burning the flag"
        if matched is None and _form(token) == "fire":
            if _sets_on_fire(token):
                matched = _Cue("burn", [token])  # "setting obstacles on fire"
            elif token.pos_ == "VERB":
                matched = _Cue("fire", [token])  # "fired six shots at the soldiers"
        if matched:
            found.append(matched)
            i += len(matched.tokens)
        else:
            i += 1
    return found


SYMBOLS = words("flag flags effigy effigies poster posters banner banners picture pictures photo photos portrait portraits copy copies candle candles")


def _burns_a_symbol(token: Token) -> bool:
    return any(c.dep_ == "dobj" and _form(c) in SYMBOLS for c in token.children)


def _sets_on_fire(token: Token) -> bool:
    head = token.head
    if head.lower_ == "on":
        head = head.head
    return _form(head) == "set" and head.i != token.i


def _is_topic(token: Token, sentence: Span, cue_heads: set[int]) -> bool:
    """A cue that is what someone protests about or demands, not an event itself."""
    node = token
    while node.head.i != node.i and sentence.start <= node.head.i < sentence.end:
        parent = node.head
        if parent.dep_ == "prep" and parent.lower_ in TOPIC_PREPOSITIONS:
            return True
        if parent.lemma_.lower() in TOPIC_VERBS and parent.i not in cue_heads:
            if node.dep_ in ("dobj", "pobj", "prep", "ccomp", "xcomp", "attr", "oprd"):
                return True
        if parent.i != token.i and parent.lemma_.lower() in ("protest", "justice"):
            return node.dep_ in ("dobj", "prep", "pobj", "xcomp", "advcl", "acl")
        node = parent
    return False


def _words_near(token: Token) -> set[str]:
    """The lemmas of a token's phrase: itself, its modifiers and compounds."""
    return {_form(t) for t in token.subtree} | {token.lower_}


def _agent(trigger: Token) -> Token | None:
    """Who did it: the subject, the passive's "by" phrase, or the subject of the verb a
    noun trigger is the object of ("carried out an airstrike")."""
    verb = trigger
    if trigger.pos_ in ("NOUN", "PROPN"):
        for child in trigger.children:
            if child.dep_ == "poss":
                return child
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if trigger.dep_ in ("dobj", "attr") and trigger.head.pos_ in ("VERB", "AUX"):
            verb = trigger.head
        elif trigger.dep_ == "pobj" and trigger.head.head.pos_ in ("VERB", "AUX"):
            verb = trigger.head.head
        else:
            return None
    for candidate in (verb, *(c for c in verb.children if c.dep_ == "conj")):
        for child in candidate.children:
            if child.dep_ == "agent":  # "was beaten up and injured by residents"
                return next((c for c in child.children if c.dep_ == "pobj"), None)
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.dep_ == "nsubj":
            return child
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return _agent(verb.head)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head  # "protesters demanding …", "militants belonging to …"
    return None


def _patient(trigger: Token, cue: Iterable[Token] = ()) -> Token | None:
    """The other side: object, passive subject, or "with/against/on" phrase, looked for
    around every word of the cue ("opened fire on a man") and on conjoined verbs ("shot
    and killed a police officer")."""
    words_of_cue = {t.i for t in cue} | {trigger.i}
    heads = [t for t in (trigger, *cue) if t.i in words_of_cue]
    heads += [c for c in trigger.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    children = [c for head in dict.fromkeys(heads) for c in head.children if c.i not in words_of_cue]
    for child in children:
        if child.dep_ in ("dobj", "nsubjpass", "pobj"):
            return child
    for child in children:
        if child.dep_ == "prep" and child.lower_ in _SIDE_PREPOSITIONS and child.i > trigger.i:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if child.lower_ == "in" and (obj is None or _form(obj) not in ("direction", "vicinity")):
                continue  # "clashed in Kabul" names a place, not a side
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME", "CARDINAL"):
                return _through_direction(obj)
    if trigger.dep_ == "conj" and trigger.head.pos_ == "VERB":
        return _patient(trigger.head)
    return None


def _through_direction(obj: Token) -> Token:
    """"in the direction of the positions" → the positions."""
    if _form(obj) in ("direction", "vicinity", "area"):
        for prep in obj.children:
            if prep.lower_ == "of":
                return next((c for c in prep.children if c.dep_ == "pobj"), obj)
    return obj


_SIDE_PREPOSITIONS = words("with against on at between targeting towards toward in")


@dataclass(slots=True)
class _Names:
    """Turns a phrase into an actor name an analyst would search for."""

    entities: list[Entity]
    gazetteer: Gazetteer | None
    country_name: str | None
    by_char: dict[int, Entity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entity in self.entities:
            for mention in entity.mentions:
                for at in range(mention.start, mention.end):
                    self.by_char[at] = entity

    def entity(self, head: Token) -> Entity | None:
        """The entity named in a phrase's head or its left modifiers ("Al Shabaab
        militants", "the Taliban's fighters")."""
        for token in [head, *sorted(head.lefts, key=lambda t: -t.i), *head.rights]:
            if token.dep_ in ("det", "punct", "cc", "amod", "nummod") and token is not head:
                if token.dep_ != "amod":
                    continue
            entity = self.by_char.get(token.idx)
            if entity is not None and entity.type != "place":
                return entity
            if token is not head and token.dep_ == "prep":
                break
        return None

    def country(self, head: Token) -> str | None:
        """The country a phrase names by demonym ("Turkish army") or else the event's."""
        table = demonyms()
        for token in head.subtree:
            code = table.get(name_key(token.text))
            if code and len(code) == 2 and self.gazetteer is not None:
                entry = self.gazetteer.country(code)
                if entry is not None:
                    return entry.name
        return self.country_name

    def actor(self, head: Token | None) -> tuple[str | None, str | None]:
        """(actor, associated actor) for the phrase headed by `head`."""
        if head is None:
            return None, None
        if head.lower_ in ("who", "that", "which") and head.head.dep_ == "relcl":
            head = head.head.head
        entity = self.entity(head)
        lemma = _form(head)
        phrase = _words_near(head)
        country = self.country(head)
        place = f" ({country})" if country else ""
        of = f" of {country}" if country else ""
        if lemma in ("protester", "protestor", "demonstrator", "marcher"):
            return f"Protesters{place}", entity.name if entity else None
        if lemma in ("rioter", "mob"):
            return f"Rioters{place}", entity.name if entity else None
        if entity is not None and entity.type not in ("country",):
            if entity.type == "government" and phrase & POLICE_WORDS:
                return f"Police Forces{of}", None
            return entity.name, None
        if phrase & POLICE_WORDS:
            return f"Police Forces{of}", None
        if phrase & STATE_WORDS or (entity is not None and entity.type == "country"):
            return f"Military Forces{of}", None
        if lemma in GROUPS_OF_PROTESTERS and head.tag_ in ("NNS", "NNPS"):
            return None, f"{GROUPS_OF_PROTESTERS[lemma]}{place}"
        if phrase & UNIDENTIFIED_WORDS or lemma in ("militant", "gunman", "assailant", "attacker"):
            return f"Unidentified Armed Group{place}", None
        if lemma in CIVILIAN_WORDS:
            return f"Civilians{place}", None
        return None, None


def _armed(head: Token | None, names: _Names) -> bool:
    """Whether a side is armed: an armed group or state force, or described as armed
    ("armed men", "a police officer", "members of the gang")."""
    if head is None:
        return False
    for member in [head, *head.conjuncts]:
        entity = names.entity(member)
        if entity is not None and entity.type in ("armed_group", "government"):
            return True
        if _words_near(member) & ARMED_WORDS:
            return True
    return False


def _purpose(sentence: Span) -> Token | None:
    """The verb of a sentence done "to demand", "to denounce", "demanding" something: a
    protest by what it is for. A gathering followed by "They denounced …" is one too."""
    for token in sentence:
        if _form(token) in PURPOSE_VERBS and (
            (
                token.dep_ in ("advcl", "xcomp", "relcl")
                and (token.tag_ == "VBG" or any(c.lower_ == "to" for c in token.children))
            )
            or (token.dep_ == "conj" and _form(token.head) in ASSEMBLY_VERBS)
        ):
            return token.head
    gathering = next((t for t in sentence if _form(t) in ASSEMBLY_VERBS), None)
    doc = sentence.doc
    if gathering is not None and sentence.end < len(doc):
        following = doc[sentence.end].sent
        root = following.root
        if _form(root) in PURPOSE_VERBS and any(
            c.dep_ == "nsubj" and c.lower_ == "they" for c in root.children
        ):
            return gathering
    return None


ASSEMBLY_VERBS = words("gather assemble occupy block surround cut march rally meet")


def _first(cues: list[_Cue], *families: str) -> _Cue | None:
    return next((c for c in cues if c.family in families), None)


def _classify(cues: list[_Cue], sentence: Span, names: _Names) -> tuple[str, _Cue] | None:
    """One sub-event type for a sentence's cues, with the cue that triggers it."""
    families = {c.family for c in cues}
    protest = _first(cues, "protest")
    if protest is None and "strike" in families:
        strike = _first(cues, "strike")
        assert strike is not None
        if _words_near(strike.head) & words("air drone missile aerial airstrike"):
            cues = [_Cue("air", c.tokens) if c is strike else c for c in cues]
            families.add("air")
        elif "on" in {t.lower_ for t in strike.head.lefts} or strike.head.head.lemma_ == "go":
            protest = strike
    if protest is None and "gathering" in families:
        gathering = _first(cues, "gathering")
        assert gathering is not None
        if any(_form(t) in TOPIC_VERBS or t.lower_ in TOPIC_PREPOSITIONS for t in gathering.head.subtree):
            protest = gathering
    if protest is None and "protest_light" in families and "rioter" not in families:
        protest = _first(cues, "protest_light")
    if protest is None and not families & VIOLENT_FAMILIES:
        verb = _purpose(sentence)
        if verb is not None:
            protest = _Cue("protest", [verb])
    if "suicide" in families:
        return "Suicide bomb", _first(cues, "suicide")  # type: ignore[return-value]
    if "chemical" in families:
        return "Chemical weapon", _first(cues, "chemical")  # type: ignore[return-value]
    rioter = _first(cues, "rioter")
    if protest is not None:
        return _protest_kind(cues, names), protest
    if rioter is not None:
        return "Mob violence", rioter
    if "mob" in families:
        return "Mob violence", _first(cues, "mob")  # type: ignore[return-value]
    riot = _first(cues, "riot")
    if riot is not None and not families & (VIOLENT_FAMILIES - {"burn", "harm"}):
        if not _armed(_agent(riot.head), names):
            return "Violent demonstration", riot
    regain, overtake = _first(cues, "regain"), _first(cues, "overtake", "seize")
    if regain or overtake:
        trigger = regain or overtake
        assert trigger is not None
        agent = _agent(trigger.head)
        state = agent is not None and bool(_words_near(agent) & STATE_WORDS)
        if not _territory(trigger.head):
            pass  # "seized weapons", "captured 43 migrants" are not territory
        elif regain or state:
            return "Government regains territory" if (state or agent is None) else "Non-state actor overtakes territory", trigger  # noqa: E501
        else:
            return "Non-state actor overtakes territory", trigger
    clash = _first(cues, "clash")
    if clash is not None:
        sides = [s for s in (_agent(clash.head), _patient(clash.head)) if s is not None]
        if (
            sides
            and _form(clash.head) in MOB_CLASHES
            and not any(_armed(s, names) for s in sides)
            and any(_words_near(s) & MOB_SIDES for s in sides)
        ):
            return "Mob violence", clash  # activists, youths, party supporters
        return "Armed clash", clash
    for family, sub_event_type in (
        ("air", "Air/drone strike"),
        ("shelling", "Shelling/artillery/missile attack"),
        ("grenade", "Grenade"),
        ("ied", "Remote explosive/landmine/IED"),
    ):
        cue = _first(cues, family)
        if cue is not None:
            if family == "ied" and "disrupted" in families:
                return "Disrupted weapons use", _first(cues, "disrupted")  # type: ignore[return-value]
            if family == "shelling" and "disrupted" in families:
                return "Disrupted weapons use", _first(cues, "disrupted")  # type: ignore[return-value]
            return sub_event_type, cue
    if "sexual" in families:
        return "Sexual violence", _first(cues, "sexual")  # type: ignore[return-value]
    if "abduction" in families:
        return "Abduction/forced disappearance", _first(cues, "abduction")  # type: ignore[return-value]
    arrest = _first(cues, "arrest")
    if arrest is not None and not {"kill", "fire", "harm", "assault"} & families:
        agent = _agent(arrest.head)
        entity = names.entity(agent) if agent is not None else None
        nonstate = agent is not None and _armed(agent, names) and not (
            _words_near(agent) & words("police military army soldier soldiers troops government")
        )
        if (entity is not None and entity.type == "armed_group") or nonstate:
            return "Abduction/forced disappearance", arrest  # detained by a non-state group
        return "Arrests", arrest
    violent = _first(cues, "assault", "raid", "kill", "fire", "harm", "body")
    if violent is not None:
        trigger = _first(cues, "assault", "raid", "kill", "fire", "harm") or violent
        agent, patient = _agent(trigger.head), _patient(trigger.head, trigger.tokens)
        if _crowd(agent, names):
            return "Mob violence", trigger  # residents beat a suspected thief
        victims = [_patient(c.head, c.tokens) for c in cues if c.family == "kill"]
        if _armed(patient, names) or any(_armed(v, names) for v in victims):
            return "Armed clash", trigger  # an attack on soldiers or police is a battle
        if trigger.family == "raid" and patient is None:
            return "Armed clash", trigger
        return "Attack", trigger
    for family, sub_event_type in (
        ("looting", "Looting/property destruction"),
        ("burn", "Looting/property destruction"),
        ("destruction", "Looting/property destruction"),
        ("disrupted", "Disrupted weapons use"),
        ("seize", "Disrupted weapons use"),
        ("agreement", "Agreement"),
        ("base", "Headquarters or base established"),
        ("transfer", "Non-violent transfer of territory"),
        ("change", "Change to group/activity"),
        ("displacement", "Other"),
        ("other", "Other"),
    ):
        cue = _first(cues, family)
        if cue is not None:
            if sub_event_type == "Looting/property destruction" and _crowd(_agent(cue.head), names):
                return "Mob violence", cue  # settlers vandalised cars, youths burned vehicles
            return sub_event_type, cue
    return None


_TOLD_OF_A_PROTEST = {
    "Arrests", "Armed clash", "Mob violence", "Attack", "Looting/property destruction",
    "Peaceful protest", "Protest with intervention", "Violent demonstration",
    "Excessive force against protesters",
}  # fmt: skip
PROTEST_RANK = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Violent demonstration": 2,
    "Excessive force against protesters": 3,
}
PROTEST_VIOLENCE = frozenset("riot burn riot_noun looting destruction clash rioter".split())
PROTESTER_LEMMAS = words("protester protestor demonstrator marcher participant")


def _protest_kind(cues: list[_Cue], names: _Names | None = None) -> str:
    """A protest's sub-type by what happened at it: lethal force against the protesters,
    violence by them, an intervention (dispersal, arrests, tear gas), or none. Words that
    only describe someone ("owners of buildings demolished in 2019") tell nothing."""
    cues = [c for c in cues if c.head.dep_ not in ("acl", "amod", "compound", "relcl")]
    if names is not None:
        state = [
            c for c in cues if c.family in PROTEST_VIOLENCE and _armed(_agent(c.head), names)
        ]  # "police erected barricades": an intervention, not the protesters' violence
        cues = [_Cue("intervention", c.tokens) if c in state else c for c in cues]
    families = {c.family for c in cues}
    for cue in cues:
        if cue.family == "force" or (
            cue.family in ("kill", "fire")
            and (victim := _patient(cue.head)) is not None
            and _words_near(victim) & PROTESTER_LEMMAS
        ):
            return "Excessive force against protesters"
    if families & PROTEST_VIOLENCE:
        return "Violent demonstration"
    if families & {"intervention", "arrest", "fire"}:
        return "Protest with intervention"
    return "Peaceful protest"


def _crowd(agent: Token | None, names: _Names) -> bool:
    """Whether the doers are an unorganised crowd (residents, villagers, settlers, party
    supporters): ACLED's mob violence, not an armed group's attack."""
    if agent is None or _armed(agent, names):
        return False
    entity = names.entity(agent)
    if entity is not None and entity.type in ("armed_group", "government"):
        return False
    return bool(_words_near(agent) & CROWD_WORDS)


MOB_CLASHES = words("clash fight fighting skirmish brawl scuffle")
MOB_SIDES = words(
    "youth youths supporter supporters activist activists villager villagers resident "
    "residents student students people community communities fan fans cadre cadres "
    "worker workers family families group groups village villages local locals member "
    "members parliamentarian parliamentarians merchant merchants"
)
CROWD_WORDS = words(
    "mob crowd settler settlers resident residents villager villagers local locals people "
    "youth youths supporter supporters cadre cadres student students merchant merchants "
    "community neighbour neighbours neighbor neighbors vigilante vigilantes"
)
VIOLENT_FAMILIES = frozenset(
    "clash kill fire harm assault raid air shelling ied grenade suicide chemical abduction "
    "sexual burn riot rioter mob looting destruction".split()
)
_TERRITORY = words(
    "town city village area district region province territory base position hill "
    "airport port control checkpoint camp outpost county municipality neighborhood "
    "neighbourhood locality settlement road bridge"
)


def _territory(token: Token) -> bool:
    obj = next((c for c in token.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if obj is None:
        return False
    return obj.ent_type_ in ("GPE", "LOC", "FAC") or _form(obj) in _TERRITORY


def _clause_verb(token: Token) -> Token:
    """The verb whose clause a trigger belongs to."""
    node = token
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node


def _mode(trigger: Token, claim: Claim | None) -> str:
    """How the text presents the event: asserted, claimed, denied, negated, threatened,
    hypothetical or future."""
    negations = [c for c in trigger.children if c.dep_ == "neg" or c.lower_ in ("no", "without")]
    verb = _clause_verb(trigger)
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "without":
        negations.append(trigger.head)
    if negations or any(c.dep_ == "neg" for c in verb.children if verb is not trigger):
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
    if claim is not None:
        cue = (claim.cue or "").lower().split()
        return "denied" if cue and cue[0] in DENIAL_CUES else "claimed"
    return "asserted"


@dataclass(slots=True)
class _Found:
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


_EVENT_PREPOSITIONS = words("in at near of outside around inside from into across on")
_PLACE_RANK = {"PPL": 0, "PPLA": 0, "PPLA2": 0, "PPLC": 0, "ADM2": 1, "ADM1": 2, "PCLI": 4, "CONT": 5}


def _place_for(sentence: Span, trigger: Token, places: list[Place]) -> Place | None:
    """The place of this event: the resolved place nearest the trigger in its sentence,
    specific places before provinces before countries."""
    options: list[tuple[float, Place]] = []
    for place in places:
        for mention in place.mentions:
            if sentence.start_char <= mention.start < sentence.end_char:
                tokens = sentence.doc.char_span(mention.start, mention.end, alignment_mode="expand")
                before = tokens[0].nbor(-1).lower_ if tokens is not None and tokens.start > 0 else ""
                distance = abs(mention.start - trigger.idx) / 40
                rank = _PLACE_RANK.get(place.feature_code or "", 1 if place.lat is not None else 3)
                if place.lat is None:
                    rank += 2
                score = rank + distance - (1.5 if before in _EVENT_PREPOSITIONS else 0)
                options.append((score, place))
    return min(options, key=lambda option: option[0])[1] if options else None


def _date_for(sentence: Span, trigger: Token, dates: list[DateMention]) -> DateMention | None:
    inside = [d for d in dates if sentence.start_char <= d.start < sentence.end_char]
    if not inside:
        return None
    return min(inside, key=lambda d: abs(d.start - trigger.idx))


def _claim_for(trigger: Token, claims: list[Claim]) -> Claim | None:
    holding = [c for c in claims if c.start <= trigger.idx < c.end]
    return min(holding, key=lambda c: c.end - c.start) if holding else None


def _same_event(found: _Found, sub_event_type: str, date: DateMention | None, place: Place | None) -> bool:
    if date is not None and found.date is not None and date.day != found.date.day:
        return False
    if (
        place is not None
        and found.place is not None
        and place.id != found.place.id
        and not {place.feature_code, found.place.feature_code} & {"PCLI", "CONT", "ADM1"}
    ):
        return False
    if sub_event_type == found.sub_event_type:
        return True
    same_type = SUB_EVENT_TYPES[sub_event_type] == SUB_EVENT_TYPES[found.sub_event_type]
    return same_type and SUB_EVENT_TYPES[sub_event_type] in ("Protests", "Riots")


def _label_of(doc: Doc) -> str | None:
    m = _LABEL.match(doc.text)
    return STRATEGIC_LABELS.get(m.group(1).lower()) if m else None


def extract_events(
    doc: Doc,
    entities: list[Entity],
    places: list[Place],
    claims: list[Claim],
    published: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Event]:
    """The events of one article, most salient first."""
    dates = find_dates(doc.text, published)
    names = _Names(entities, gazetteer, None)
    label = _label_of(doc)
    found: list[_Found] = []
    previous_date: DateMention | None = None
    for sentence in doc.sents:
        cues = _cues(sentence)
        heads = {c.head.i for c in cues}
        cues = [c for c in cues if not _is_topic(c.head, sentence, heads)]
        classified = _classify(cues, sentence, names)
        counts = sentence_counts(sentence)
        if label is not None and not found:
            anchor = cues[0] if cues else _Cue("other", [sentence[0]])
            classified = (label, classified[1] if classified else anchor)
        sentence_date = _date_for(sentence, sentence[0], dates)
        last = found[-1] if found else None
        if (
            last is not None
            and last.sub_event_type in PROTEST_RANK
            and cues
            and (classified is None or classified[0] in _TOLD_OF_A_PROTEST)
            and last.sentences[-1].end >= sentence.start - 1
            and (sentence_date is None or last.date is None or sentence_date.day == last.date.day)
        ):
            # "Police dispersed them with tear gas.": what happened at the protest just told
            told = [c for c in cues if _claim_for(c.head, claims) is None]
            kind = _protest_kind(told, names)
            if PROTEST_RANK[kind] > PROTEST_RANK[last.sub_event_type]:
                last.sub_event_type = kind
            last.sentences.append(sentence)
            last.counts.append(counts if kind == "Excessive force against protesters" else [])
            continue
        if classified is None:
            if counts and found and found[-1].sub_event_type != "Peaceful protest":
                found[-1].counts.append(counts)
            previous_date = sentence_date or previous_date
            continue
        sub_event_type, cue = classified
        trigger = cue.head
        claim = _claim_for(trigger, claims)
        mode = _mode(trigger, claim)
        date = _date_for(sentence, trigger, dates)
        place = _place_for(sentence, trigger, places)
        if _anaphoric(trigger) and date is None and place is None:
            # "13 people were killed in the fighting": the fighting already told
            earlier = next(
                (f for f in reversed(found) if SUB_EVENT_TYPES[f.sub_event_type] == SUB_EVENT_TYPES[sub_event_type]),  # noqa: E501
                None,
            )
            if earlier is not None:
                earlier.counts.append(counts)
                continue
        if last is not None and last.sentences[-1].end >= sentence.start - 1 and _same_event(last, sub_event_type, date, place) and mode == last.mode:  # noqa: E501
            last.sentences.append(sentence)
            last.counts.append(counts)
            last.date = last.date or date
            last.place = last.place or place
            continue
        if last is not None and mode in HAPPENED and SUB_EVENT_TYPES[sub_event_type] == "Violence against civilians" and last.mode in HAPPENED and SUB_EVENT_TYPES[last.sub_event_type] != "Protests" and last.sentences[-1].end >= sentence.start - 1 and date is None:  # noqa: E501
            last.counts.append(counts)  # the toll of the event just told
            last.sentences.append(sentence)
            continue
        event = _Found(sub_event_type, cue.tokens, [sentence], mode, claim, date or previous_date, place)
        event.counts.append(counts)
        names.country_name = _country_name(place, gazetteer)
        agent, patient = _agent(trigger), _patient(trigger, cue.tokens)
        if SUB_EVENT_TYPES[sub_event_type] == "Protests" and agent is not None:
            event.actor1, event.assoc_actor_1 = names.actor(agent)
            if event.actor1 is None or not event.actor1.startswith("Protesters"):
                event.assoc_actor_1 = event.assoc_actor_1 or event.actor1
                event.actor1 = f"Protesters ({names.country_name})" if names.country_name else "Protesters"
            if event.assoc_actor_1 and event.assoc_actor_1.startswith("Civilians"):
                event.assoc_actor_1 = None
        else:
            event.actor1, event.assoc_actor_1 = names.actor(agent)
        if agent is not None and agent.tag_ == "PRP" and claim is not None:
            # "the group said it had killed …": "it" is the speaker
            event.actor1 = event.actor1 or claim.speaker_affiliation or claim.speaker_name
        event.actor2, event.assoc_actor_2 = names.actor(patient)
        if event.actor2 == event.actor1:
            event.actor2 = None
        found.append(event)
        previous_date = date or previous_date
    return _records(found, doc, published)


DEFINITE = words("the this that these those its their his her")


def _anaphoric(trigger: Token) -> bool:
    """A definite event noun ("the fighting", "the attack") that points back to an event
    already told rather than telling a new one."""
    return trigger.pos_ == "NOUN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in DEFINITE for c in trigger.children
    )


def _country_name(place: Place | None, gazetteer: Gazetteer | None) -> str | None:
    if place is None or place.country is None or gazetteer is None:
        return None
    entry = gazetteer.country(place.country)
    return entry.name if entry else None


def _salience(event: _Found, order: int) -> float:
    """The main event first: early in the article, told at length, deadly, happened."""
    score = 3.0 / (1 + order) + len(event.sentences) * 0.5
    if event.mode in HAPPENED:
        score += 2.0
    if any(event.counts):
        score += 1.0
    return round(score, 3)


def _records(found: Iterable[_Found], doc: Doc, published: str | None) -> list[Event]:
    publication = parse_iso(published)
    events: list[tuple[float, Event]] = []
    for order, item in enumerate(found):
        first = item.sentences[0]
        start, end = item.trigger[0].idx, item.trigger[-1].idx + len(item.trigger[-1])
        toll = event_fatalities(item.counts)
        note = None
        if toll.disagreement:
            others = ", ".join(str(v) for v in toll.disagreement)
            note = f"other figures reported: {others}; the lowest is coded"
        date_start, date_end, precision, day, date_text = _dates(item.date, publication)
        event = Event(
            id=0,
            event_type=SUB_EVENT_TYPES[item.sub_event_type],
            sub_event_type=item.sub_event_type,
            start=start,
            end=end,
            trigger=doc.text[start:end],
            sentence_start=first.start_char,
            sentence_end=item.sentences[-1].end_char,
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
            mode=item.mode,
            salience=_salience(item, order),
        )
        events.append((event.salience, event))
    events.sort(key=lambda pair: -pair[0])
    for number, (_, event) in enumerate(events):
        event.id = number
    return [event for _, event in events]


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
        return publication.isoformat(), publication.isoformat(), 2, publication.isoformat(), None
    return None, None, None, None, None
