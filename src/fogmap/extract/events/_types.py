"""ACLED's event types, and the rules that turn a sentence's cues into one of them.

The rules follow ACLED's codebook. In order: a suicide or chemical attack is that,
whatever else happened; a protest is a protest, its sub-type set by what happened at it
(`protest_kind`); a mob, or a riot by people who are not armed, is mob violence or a
violent demonstration; a town taken is territory regained by the government or taken by
a non-state actor; ground fighting outranks the shelling or air strikes that came with
it; then remote violence by its weapon; sexual violence and abduction; arrests (by a
non-state group, an abduction); a killing or assault is an armed clash when the victims
are armed and an attack on civilians otherwise (mob violence when a crowd did it); the
strategic developments last.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from fogmap.extract.events._actors import Names, agent, armed, crowd, patient, state_force
from fogmap.extract.events._cues import (
    FINDING_VERBS,
    TOPIC_PREPOSITIONS,
    TOPIC_VERBS,
    Cue,
    form,
    words_near,
)
from fogmap.extract.events._lexicon import word_list

SUB_EVENT_TYPES: dict[str, str] = {
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

PROTEST_RANK = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Violent demonstration": 2,
    "Excessive force against protesters": 3,
}
# Sub-types a sentence after a protest may be telling of it ("Police arrested two").
TOLD_OF_A_PROTEST = {
    "Arrests", "Armed clash", "Mob violence", "Attack", "Looting/property destruction",
    *PROTEST_RANK, "Violent demonstration",
}  # fmt: skip
# Cue families, not words: what makes a protest violent, and what is no protest at all.
PROTEST_VIOLENCE = frozenset(
    {"riot", "burn", "riot_noun", "looting", "destruction", "clash", "rioter", "harm", "assault"}
)
VIOLENT_FAMILIES = frozenset(
    {
        "clash",
        "kill",
        "fire",
        "harm",
        "assault",
        "raid",
        "air",
        "shelling",
        "ied",
        "grenade",
        "suicide",
        "chemical",
        "abduction",
        "sexual",
        "burn",
        "riot",
        "rioter",
        "mob",
        "looting",
        "destruction",
    }
)
PROTESTERS = word_list("protesters")
PEACEFULLY = word_list("peacefully")
WEAPONS_FOUND = FINDING_VERBS | word_list("weapons_found")
PROTEST_SIGNS = word_list("protest_signs")
EXECUTIONS = word_list("executions")
MANNED_AIRCRAFT = word_list("manned_aircraft")
PURPOSE_VERBS = TOPIC_VERBS | word_list("purpose_verbs")
# Aims that make whatever is done for them a protest ("… to demand higher pay"); the
# others ("to urge", "to request", "to show") only when a crowd does it.
PROTEST_AIMS = word_list("protest_aims")
# Verbs whose purpose clause is no protest: "believed to show", "purports to show",
# "uses the money to support", "published a video showing".
NOT_PROTESTING = word_list("not_protesting")
ASSEMBLY_VERBS = word_list("assembly_verbs")
MOB_CLASHES = word_list("mob_clashes")
MOB_SIDES = word_list("mob_sides")
AIR_WORDS = word_list("air_words")
TERRITORY = word_list("territory")
REMOTE = (
    ("air", "Air/drone strike"),
    ("shelling", "Shelling/artillery/missile attack"),
    ("grenade", "Grenade"),
    ("ied", "Remote explosive/landmine/IED"),
)
STRATEGIC = (
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
)

Coded = tuple[str, Cue]


def label_of(text: str) -> str | None:
    """The sub-type an ACLED summary's opening label names ("Looting: On 3 May …")."""
    match = _LABEL.match(text)
    return STRATEGIC_LABELS.get(match.group(1).lower()) if match else None


def _first(cues: list[Cue], *families: str) -> Cue | None:
    return next((c for c in cues if c.family in families), None)


def classify(
    cues: list[Cue], sentence: Span, names: Names, following: Span | None = None
) -> Coded | None:
    """One sub-event type for a sentence's cues, with the cue that triggers it;
    `following` is the next sentence, which may say what a gathering was for."""
    cues = _read_strikes(cues)
    families = {c.family for c in cues}
    for family, sub_event_type in (("suicide", "Suicide bomb"), ("chemical", "Chemical weapon")):
        if (cue := _first(cues, family)) is not None:
            return sub_event_type, cue
    protest = _protest_cue(cues, sentence, following)
    if protest is not None:
        return protest_kind(cues, names), protest
    if (cue := _first(cues, "rioter", "mob")) is not None:
        return "Mob violence", cue
    riot = _first(cues, "riot")
    others = families & (VIOLENT_FAMILIES - {"burn", "harm", "riot"})
    if riot is not None and not others and not armed(agent(riot.head), names):
        return "Violent demonstration", riot
    return (
        _territory_taken(cues, sentence, names)
        or _fighting(cues, names)
        or _remote(cues)
        or _against_people(cues, names)
        or _strategic(cues, names)
    )


def _read_strikes(cues: list[Cue]) -> list[Cue]:
    """ "Strike" is an air strike near "drone" or "missile", a labour strike when people go
    on it, and nothing otherwise."""
    read = []
    for cue in cues:
        if cue.family == "strike":
            head = cue.head
            if words_near(head) & AIR_WORDS:
                cue = Cue("air", cue.tokens)
            elif "on" in {t.lower_ for t in head.lefts} or form(head.head) == "go":
                cue = Cue("protest", cue.tokens)
            else:
                continue
        read.append(cue)
    return read


def _protest_cue(cues: list[Cue], sentence: Span, following: Span | None) -> Cue | None:
    """The cue of a protest: a protest word; a gathering for a cause; a press conference
    or banner; or, in a sentence with no violence, anything done "to demand" something."""
    families = {c.family for c in cues}
    protest = _first(cues, "protest")
    gathering = _first(cues, "gathering")
    if protest is None and gathering is not None:
        cause = (
            form(t) in TOPIC_VERBS or t.lower_ in TOPIC_PREPOSITIONS for t in gathering.head.subtree
        )
        protest = gathering if any(cause) else None
    if protest is None and "rioter" not in families:
        light = _first(cues, "protest_light")
        # a press conference held with banners, or to demand something, is a protest;
        # one where officials answer questions is not
        shown = any(form(t) in PROTEST_SIGNS for t in sentence)
        protest = light if light and (shown or _purpose(sentence, following)) else None
    if protest is None and not families & VIOLENT_FAMILIES:
        verb = _purpose(sentence, following)
        protest = Cue("protest", [verb]) if verb is not None else None
    return protest


def _purpose(sentence: Span, following: Span | None) -> Token | None:
    """The verb of a sentence done "to demand", "to denounce", "demanding" something: a
    protest by what it is for. A gathering followed by "They denounced …" is one too."""
    for token in sentence:
        if form(token) not in PURPOSE_VERBS:
            continue
        purpose = (
            token.dep_ in ("advcl", "xcomp", "relcl")
            and (token.tag_ == "VBG" or any(c.lower_ == "to" for c in token.children))
            and form(token.head) not in NOT_PROTESTING
            and (form(token) in PROTEST_AIMS or _by_a_crowd(token.head))
        )
        if purpose or (token.dep_ == "conj" and form(token.head) in ASSEMBLY_VERBS):
            return token.head
    gathering = next((t for t in sentence if form(t) in ASSEMBLY_VERBS), None)
    if gathering is not None and following is not None:
        root = following.root
        they = any(c.dep_ == "nsubj" and c.lower_ == "they" for c in root.children)
        if form(root) in PURPOSE_VERBS and they:
            return gathering
    return None


def _by_a_crowd(verb: Token) -> bool:
    """Whether those who do it are a crowd or an assembly: residents, students, workers,
    or any plural of people gathered, marched, blocked …"""
    doer = agent(verb)
    if form(verb) in ASSEMBLY_VERBS:
        return True
    return doer is not None and (bool(words_near(doer) & MOB_SIDES) or doer.tag_ == "NNS")


def _aimed_at(cue: Cue) -> list[Token]:
    """Whom a shot or a killing was aimed at: its object, or the object of "at" or "on"
    ("fired live rounds at demonstrators")."""
    aimed = [t for t in (patient(cue.head),) if t is not None]
    for prep in (c for c in cue.head.children if c.dep_ == "prep" and c.lower_ in ("at", "on")):
        aimed += [c for c in prep.children if c.dep_ == "pobj"]
    return aimed


def protest_kind(cues: list[Cue], names: Names | None = None) -> str:
    """A protest's sub-type by what happened at it: lethal force against the protesters,
    violence by them, an intervention (dispersal, arrests, tear gas), or none. Words that
    only describe someone ("owners of buildings demolished in 2019") tell nothing, and
    barricades the police put up are an intervention."""
    cues = [
        c
        for c in cues
        if c.head.dep_ not in ("acl", "amod", "compound", "relcl") and not _after(c.head)
    ]
    if names is not None:
        cues = [
            Cue("intervention", c.tokens)
            if c.family in PROTEST_VIOLENCE and armed(agent(c.head), names)
            else c
            for c in cues
        ]
    for cue in cues:
        if cue.family == "force" or (
            cue.family in ("kill", "fire")
            and any(words_near(v) & PROTESTERS for v in _aimed_at(cue))
        ):
            return "Excessive force against protesters"
    families = {c.family for c in cues}
    if families & PROTEST_VIOLENCE:
        return "Violent demonstration"
    if families & {"intervention", "arrest", "fire"}:
        return "Protest with intervention"
    return "Peaceful protest"


def _after(token: Token) -> bool:
    """Under "after" or "since": what led to a protest ("after the arrest of …")."""
    return any(t.dep_ == "prep" and t.lower_ in ("after", "since") for t in token.ancestors)


def _holds_territory(cue: Cue) -> bool:
    """Whether what was taken is a place: "took over Al Fulayhah", "took control of the
    town", "established control over Serednie", "the town the rebels seized"."""
    for token in cue.tokens:
        objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "pobj")]
        if token.dep_ == "relcl":  # not "the areas liberated from ISIL": a description
            objects.append(token.head)
        for obj in objects:
            if form(obj) == "control":
                of = [c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("of", "over")]
                obj = next((c for p in of for c in p.children if c.dep_ == "pobj"), obj)
            if obj.ent_type_ in ("GPE", "LOC", "FAC") or form(obj) in TERRITORY:
                return True
        for prep in (c for c in token.children if c.dep_ == "prep"):
            if any(c.ent_type_ in ("GPE", "LOC", "FAC") for c in prep.children):
                return True  # "took over in Shika"
    return False


def _territory_taken(cues: list[Cue], sentence: Span, names: Names) -> Coded | None:
    """A town taken back by the state, or taken by anyone else; "seized weapons" or
    "captured 43 migrants" take no territory."""
    cue = _first(cues, "regain") or _first(cues, "overtake", "seize")
    if cue is None or not _holds_territory(cue):
        return None
    families = {c.family for c in cues}
    peaceful = "transfer" in families or any(form(t) in PEACEFULLY for t in sentence)
    if peaceful and "clash" not in families:
        return "Non-violent transfer of territory", cue  # handed over, taken peacefully
    doer = agent(cue.head)
    doer_country = names.country(doer) if doer is not None else None
    abroad = doer_country is not None and doer_country != names.country_name
    if (state_force(doer) and not abroad) or (cue.family == "regain" and doer is None):
        return "Government regains territory", cue
    return "Non-state actor overtakes territory", cue  # rebels, or a foreign army


def _fighting(cues: list[Cue], names: Names) -> Coded | None:
    """Ground fighting; a clash of a crowd (activists, villagers, party cadres) with
    another or with the police, and no armed group, is mob violence."""
    clash = _first(cues, "clash")
    if clash is None:
        return None
    sides = [s for s in (agent(clash.head), patient(clash.head)) if s is not None]
    armed_group = any(armed(s, names) and not state_force(s) for s in sides)
    crowd_side = any(words_near(s) & MOB_SIDES and not armed(s, names) for s in sides)
    if form(clash.head) in MOB_CLASHES and crowd_side and not armed_group:
        return "Mob violence", clash
    return "Armed clash", clash


def _remote(cues: list[Cue]) -> Coded | None:
    """Remote violence by its weapon; explosives or shells defused or shot down are
    disrupted weapons use; shelling along with small arms or return fire is a battle."""
    for family, sub_event_type in REMOTE:
        if (cue := _first(cues, family)) is not None:
            found = {form(a) for a in list(cue.head.ancestors)[:3]} & WEAPONS_FOUND
            if family in ("ied", "shelling") and found:
                return "Disrupted weapons use", cue  # "soldiers found a cache of explosives"
            disrupted = _first(cues, "disrupted")
            if disrupted is not None and family in ("ied", "shelling"):
                return "Disrupted weapons use", disrupted
            if (ground := _first(cues, "ground")) is not None and family != "air":
                return "Armed clash", ground  # shells and small arms: a ground battle
            return sub_event_type, cue
    return None


def _against_people(cues: list[Cue], names: Names) -> Coded | None:
    families = {c.family for c in cues}
    if (cue := _first(cues, "sexual")) is not None:
        return "Sexual violence", cue
    abduction = _first(cues, "abduction")
    if abduction is not None and not {"kill", "harm"} & families:
        return "Abduction/forced disappearance", abduction  # killed or tortured: an attack
    arrest = _first(cues, "arrest")
    if arrest is not None and not {"kill", "fire", "harm", "assault"} & families:
        doer = agent(arrest.head)
        if armed(doer, names) and not state_force(doer):
            return "Abduction/forced disappearance", arrest  # detained by a non-state group
        return "Arrests", arrest
    if _first(cues, "assault", "raid", "kill", "fire", "harm", "body") is None:
        return None
    trigger = _first(cues, "assault", "raid", "kill", "fire", "harm") or _first(cues, "body")
    assert trigger is not None
    if any(form(c.head) in EXECUTIONS for c in cues):
        return "Attack", trigger  # killing a captive is an attack, whoever the captive was
    if trigger.family != "fire" and crowd(agent(trigger.head), names):
        return "Mob violence", trigger  # residents beat a suspected thief
    victims = [patient(c.head, c.tokens) for c in cues if c is trigger or c.family == "kill"]
    if any(armed(v, names) for v in victims):
        return "Armed clash", trigger  # an attack on soldiers or police is a battle
    if trigger.family == "raid" and patient(trigger.head, trigger.tokens) is None:
        return "Armed clash", trigger
    return "Attack", trigger


def _downs_aircraft(cue: Cue) -> bool:
    """ "shot down two British planes": not a drone or a missile intercepted."""
    shot = form(cue.head) == "shoot"
    downed = (c for c in cue.head.children if c.dep_ in ("dobj", "nsubjpass"))
    return shot and any(words_near(c) & MANNED_AIRCRAFT for c in downed)


def _strategic(cues: list[Cue], names: Names) -> Coded | None:
    for family, sub_event_type in STRATEGIC:
        if (cue := _first(cues, family)) is not None:
            if family == "disrupted" and _downs_aircraft(cue):
                return "Armed clash", cue  # a manned aircraft shot down is a battle
            if sub_event_type.startswith("Looting") and crowd(agent(cue.head), names):
                return "Mob violence", cue  # settlers vandalised cars, youths burned vehicles
            return sub_event_type, cue
    return None
