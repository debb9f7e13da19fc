"""Who took part in an event: the sides found around a trigger in the parse, whether they
are armed or a crowd, and the names an analyst would search them by.

A side that is an entity of the article keeps its name ("Taliban", "Ansar"); otherwise
it gets ACLED's generic name, with the country of the demonym it carries ("Turkish
troops" → "Military Forces of Turkey") or of the event's place: "Police Forces of X",
"Military Forces of X", "Protesters (X)", "Rioters (X)", "Civilians (X)",
"Unidentified Armed Group (X)". Who protested ("teachers", a union) becomes the
associated actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Token

from fogmap.extract.events._cues import form, forms, words_near
from fogmap.extract.events._lexicon import word_list
from fogmap.extract.places import demonyms
from fogmap.geo import Gazetteer, name_key
from fogmap.records import Entity

STATE_WORDS = word_list("state_words")
AIR_WEAPONS = word_list("air_weapons")
POLICE_WORDS = word_list("police_words")
ARMED_WORDS = STATE_WORDS | word_list("armed_besides_state")
# The words of a party to the fighting speaking: its claims are claims, not reports.
BELLIGERENTS = (ARMED_WORDS - STATE_WORDS - POLICE_WORDS) | word_list("belligerent_speakers")
CIVILIAN_WORDS = word_list("civilian_words")
CROWD_WORDS = word_list("crowd_words")
OFF_DUTY = word_list("off_duty")
UNIDENTIFIED_WORDS = word_list("unidentified_words")
ATTACKERS = word_list("attackers")
MEMBERS = word_list("members")
QUANTITY_HEADS = word_list("quantity_heads")
GROUPS_OF_PROTESTERS = {
    "student": "Students", "teacher": "Teachers", "worker": "Labour Group",
    "farmer": "Farmers", "lawyer": "Lawyers", "journalist": "Journalists",
    "woman": "Women", "doctor": "Health Workers", "nurse": "Health Workers",
    "driver": "Labour Group", "employee": "Labour Group", "trader": "Traders",
    "resident": "Residents", "villager": "Villagers",
}  # fmt: skip
# Where ACLED names a country otherwise than GeoNames does.
ACLED_COUNTRIES = {
    "Palestinian Territory": "Palestine",
    "The Netherlands": "Netherlands",
    "Czechia": "Czech Republic",
    "Democratic Republic of the Congo": "Democratic Republic of Congo",
    "Republic of the Congo": "Republic of Congo",
    "Timor Leste": "East Timor",
    "Cabo Verde": "Cape Verde",
    "Eswatini": "eSwatini",
    "Hong Kong": "China",  # ACLED codes Hong Kong and Macao as provinces of China
    "Macao": "China",
}
TERRITORIES = frozenset({"Hong Kong", "Macao"})
# Countries ACLED names with the article: "Military Forces of the United States".
WITH_THE = frozenset(
    {
        "United States",
        "United Kingdom",
        "United Arab Emirates",
        "Democratic Republic of Congo",
        "Central African Republic",
        "Philippines",
        "Republic of Congo",
        "Netherlands",
    }
)
# Groups ACLED names by the country they act in.
BY_COUNTRY = frozenset({"Islamic State"})
_SIDE_PREPOSITIONS = word_list("side_prepositions")


def acled_territory(name: str) -> str | None:
    """A territory ACLED codes as a province of a country but names its actors by:
    "Protesters (Hong Kong)" in China."""
    return name if ACLED_COUNTRIES.get(name, name) != name and name in TERRITORIES else None


def acled_country(name: str) -> str:
    """A country's name as ACLED writes it."""
    return ACLED_COUNTRIES.get(name, name)


def agent(trigger: Token) -> Token | None:
    """Who did it: the subject, the passive's "by" phrase, or the subject of the verb a
    noun trigger is the object of ("carried out an airstrike")."""
    verb = trigger
    if trigger.pos_ in ("NOUN", "PROPN"):
        sides = _between(trigger)
        if sides:
            return sides[0]  # "fighting between Taliban fighters and the front"
        if trigger.dep_ == "nsubj":
            return trigger  # the doer named by its weapon: "the Burkinabe air force carried out"
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
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None:
        return subject
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        return agent(verb.head)
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head  # "protesters demanding …", "militants belonging to …"
    return None


def patient(trigger: Token, cue: Iterable[Token] = ()) -> Token | None:
    """The other side: object, passive subject, or "with/against/on" phrase, looked for
    around every word of the cue ("opened fire on a man") and on conjoined verbs ("shot
    and killed a police officer")."""
    sides = _between(trigger)
    if len(sides) > 1:
        return sides[1]
    in_cue = {t.i for t in cue} | {trigger.i}
    heads = [trigger, *cue, *(c for c in trigger.children if c.dep_ == "conj" and c.pos_ == "VERB")]
    children = [c for h in dict.fromkeys(heads) for c in h.children if c.i not in in_cue]
    for child in children:
        if child.dep_ in ("dobj", "nsubjpass", "pobj"):
            return child
        if child.dep_ == "acl" and form(child) == "target":  # "an attack targeting troops"
            target = next((c for c in child.children if c.dep_ == "dobj"), None)
            if target is not None:
                return target
    for child in children:
        if child.dep_ != "prep" or child.lower_ not in _SIDE_PREPOSITIONS or child.i < trigger.i:
            continue
        obj = next((c for c in child.children if c.dep_ == "pobj"), None)
        if obj is None or obj.ent_type_ in ("DATE", "TIME", "CARDINAL"):
            continue
        if child.lower_ == "in" and form(obj) not in ("direction", "vicinity"):
            continue  # "clashed in Kabul" names a place, not a side
        return _through_direction(obj)
    if trigger.dep_ == "conj" and trigger.head.pos_ == "VERB":
        return patient(trigger.head)
    return None


def _between(trigger: Token) -> list[Token]:
    """The sides of "clashes between X and Y", the phrase on the event noun or on the
    verb it is the subject of ("fighting broke out between X and Y")."""
    holders = [trigger]
    if trigger.dep_ == "nsubj":  # "a clash took place between …", "clashes erupted between …"
        holders += [trigger.head, *(c for c in trigger.head.children if c.dep_ == "dobj")]
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ == "between":
                first = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if first is not None:
                    return [first, *first.conjuncts]
    return []


def _through_direction(obj: Token) -> Token:
    """ "in the direction of the positions" → the positions."""
    if form(obj) in ("direction", "vicinity", "area"):
        for prep in obj.children:
            if prep.lower_ == "of":
                return next((c for c in prep.children if c.dep_ == "pobj"), obj)
    return obj


@dataclass(slots=True)
class Names:
    """Turns a phrase into an actor name an analyst would search for."""

    entities: list[Entity]
    gazetteer: Gazetteer | None
    country_name: str | None = None  # of the event being read
    territory: str | None = None  # a territory ACLED codes in that country (Hong Kong)
    by_char: dict[int, Entity] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entity in self.entities:
            for mention in entity.mentions:
                for at in range(mention.start, mention.end):
                    self.by_char[at] = entity

    def entity(self, head: Token) -> Entity | None:
        """The entity named in a phrase's head or its modifiers ("Al Shabaab militants",
        "the Taliban's fighters"), up to its first preposition."""
        for token in [head, *sorted(head.lefts, key=lambda t: -t.i), *head.rights]:
            if token is not head and token.dep_ in ("det", "punct", "cc", "nummod"):
                continue
            entity = self.by_char.get(token.idx)
            if entity is not None and entity.type != "place":
                return entity
            if token is not head and token.dep_ == "prep":
                break
        return self._of_whom(head) if set(forms(head)) & MEMBERS else None

    def _of_whom(self, head: Token) -> Entity | None:
        """The body a member belongs to: "members of the front", also where the parser
        hung "of the front" on the word before."""
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is None and head.i + 1 < len(head.doc) and head.nbor(1).lower_ == "of":
            of = head.nbor(1)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        return self.entity(obj) if obj is not None else None

    def country(self, head: Token) -> str | None:
        """The country a phrase names by demonym ("Turkish army") or else the event's."""
        return self.named_country(head) or self.country_name

    def group_name(self, entity: Entity) -> str:
        """A group's name as ACLED writes it: by the country it acts in where ACLED does
        ("Islamic State (Syria)")."""
        if entity.name in BY_COUNTRY and self.country_name:
            return f"{entity.name} ({self.country_name})"
        return entity.name

    def named_country(self, head: Token) -> str | None:
        """The country a phrase names by a demonym or a name: "Turkish army", "a US air
        strike", "Iraq's army"."""
        if self.gazetteer is None:
            return None
        table = demonyms()
        for token in head.subtree:
            code = table.get(name_key(token.text))
            entry = self.gazetteer.country(code) if code and len(code) == 2 else None
            if entry is None and token.ent_type_ == "GPE" and token.i != head.i:
                entry = next(
                    (e for e in self.gazetteer.lookup(token.text) if e.feature_code == "PCLI"),
                    None,
                )
            if entry is not None:
                return acled_country(entry.name)
        return None

    def actor(self, head: Token | None) -> tuple[str | None, str | None]:
        """(actor, associated actor) for the phrase headed by `head`."""
        if head is None:
            return None, None
        if head.lower_ in ("who", "that", "which") and head.head.dep_ == "relcl":
            head = head.head.head
        if form(head) in QUANTITY_HEADS:  # "hundreds of teachers", "a group of villagers"
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            head = next((c for c in of.children if c.dep_ == "pobj"), head) if of else head
        entity, lemma, phrase = self.entity(head), form(head), words_near(head)
        country = self.country(head)
        where = self.territory if self.territory and country == self.country_name else country
        within = f" ({where})" if where else ""
        of_country = f" of {'the ' if country in WITH_THE else ''}{country}" if country else ""
        if where != country:
            of_country += f" ({where})"  # "Police Forces of China (Hong Kong)"
        if lemma in ("protester", "protestor", "demonstrator", "marcher"):
            return f"Protesters{within}", entity.name if entity else None
        if lemma in ("rioter", "mob"):
            return f"Rioters{within}", entity.name if entity else None
        if entity is not None and entity.type != "country":
            if entity.type == "government" and phrase & POLICE_WORDS:
                return f"Police Forces{of_country}", None
            return self.group_name(entity), None
        if phrase & POLICE_WORDS:
            return f"Police Forces{of_country}", None
        if phrase & STATE_WORDS or entity is not None:
            return f"Military Forces{of_country}", None
        if lemma in AIR_WEAPONS and self.named_country(head):
            return f"Military Forces{of_country}", None  # "a US air strike": an air force
        if lemma in GROUPS_OF_PROTESTERS and head.tag_ in ("NNS", "NNPS"):
            return None, f"{GROUPS_OF_PROTESTERS[lemma]}{within}"
        if phrase & UNIDENTIFIED_WORDS or lemma in ATTACKERS:
            return f"Unidentified Armed Group{within}", None
        if lemma in CIVILIAN_WORDS:
            return f"Civilians{within}", None
        return None, None


def armed(head: Token | None, names: Names) -> bool:
    """Whether a side is armed: an armed group or state force, or described as armed
    ("armed men", "a police officer", "gang members")."""
    if head is None:
        return False
    for member in [head, *head.conjuncts]:
        entity = names.entity(member)
        if entity is not None and entity.type in ("armed_group", "government"):
            return True
        described = _described_by(member)
        if described & ARMED_WORDS and not described & OFF_DUTY:
            return True
    return False


def _described_by(head: Token) -> set[str]:
    """The words of a phrase up to its prepositions and clauses ("two children of a
    militiaman" are children), except what a member belongs to ("members of the gang")."""
    found = {f for t in head.lefts for w in t.subtree for f in forms(w)} | set(forms(head))
    if set(forms(head)) & MEMBERS:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                found |= words_near(prep)
    return found


def state_force(head: Token | None) -> bool:
    return head is not None and bool(words_near(head) & STATE_WORDS)


def crowd(head: Token | None, names: Names) -> bool:
    """Whether the doers are an unorganised crowd (residents, villagers, settlers, party
    supporters): ACLED's mob violence, not an armed group's attack."""
    if head is None or armed(head, names):
        return False
    return bool(words_near(head) & CROWD_WORDS)
