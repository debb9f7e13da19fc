"""Entities: the mentions of one article grouped into people, groups, forces and places.

Grouping is per article and deliberately conservative: a later "Mujahid" joins an earlier
"Zabihullah Mujahid", an all-capitals acronym joins the organisation whose initials it
spells, and ruler-tagged aliases ("ISIL", "Daesh") join their canonical name. Role and
affiliation come from the parse: appositions ("X, the Taliban's spokesman"), titles before
a name ("Taliban spokesman X") and `of`/`for` phrases ("head of ... for a coalition ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pycountry
from spacy.tokens import Doc, Span, Token

from fogmap.names import by_canonical
from fogmap.records import Entity, EntityType, Mention

LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}
_GOVERNMENT = re.compile(
    r"\b(ministry|ministries|government|army|armed forces|police|military|navy|air force|"
    r"security forces|national guard|gendarmerie|defen[cs]e|interior|cabinet|parliament|"
    r"presidency|embassy|state department|pentagon|kremlin|border guards?|"
    r"intelligence service|council of ministers)\b",
    re.IGNORECASE,
)
_ARMED_GROUP = re.compile(
    r"\b(militias?|rebels?|insurgents?|insurgency|brigades?|battalions?|jihad\w*|"
    r"mujahideen|liberation (army|front)|resistance|guerrillas?|fighters|"
    r"paramilitar\w*|death squad|armed group)\b",
    re.IGNORECASE,
)
_TITLES = re.compile(
    r"^(mr|mrs|ms|dr|gen|general|col|colonel|maj|major|capt|captain|lt|sgt|president|"
    r"prime minister|minister|commander|sheikh|mullah|mawlawi|maulvi|sir)\.?\s+",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")


def clean_name(text: str) -> str:
    text = re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
    return _POSSESSIVE.sub("", text).strip(" ,.;:")


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'-]*", name))


@dataclass(slots=True)
class _Group:
    name: str
    label: str
    canonical: str | None
    mentions: list[Span] = field(default_factory=list)
    surfaces: dict[str, None] = field(default_factory=dict)


def _country(name: str) -> bool:
    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return False
    return True


def entity_type(name: str, label: str, canonical: str | None) -> EntityType:
    known = by_canonical().get(canonical) if canonical else None
    if known:
        return known.type  # type: ignore[return-value]
    if label == "PERSON":
        return "person"
    if label == "GPE":
        return "country" if _country(name) else "place"
    if label in ("LOC", "FAC"):
        return "place"
    if label == "ORG":
        if _GOVERNMENT.search(name):
            return "government"
        if _ARMED_GROUP.search(name):
            return "armed_group"
        return "organisation"
    return "other"


class _Groups(list[_Group]):
    """The article's entity groups in order of first mention, indexed so that finding the
    group of a new mention costs the same however many there are (an article of
    thousands of names must not take minutes)."""

    def __init__(self) -> None:
        super().__init__()
        self._canonical: dict[str, int] = {}
        self._names: dict[str, list[int]] = {}
        self._person_parts: dict[tuple[str, ...], list[int]] = {}
        self._initials: dict[str, list[int]] = {}

    def add(self, group: _Group) -> None:
        position = len(self)
        self.append(group)
        if group.canonical:
            self._canonical.setdefault(group.canonical, position)
        self._names.setdefault(group.name.casefold(), []).append(position)
        words = tuple(group.name.split())
        if group.label == "PERSON":
            # the shorter names it may be called by: its first or last words
            for size in range(1, len(words)):
                for part in {words[:size], words[-size:]}:
                    self._person_parts.setdefault(part, []).append(position)
        if group.label == "ORG":
            self._initials.setdefault(_initials(group.name), []).append(position)

    def find(self, name: str, label: str, canonical: str | None) -> _Group | None:
        """The group a mention belongs to: the first of its canonical entity or of its
        name; else the nearest earlier person it shortens ("Massoud" after "Ahmad
        Massoud"; a lone surname the NER mislabelled too) or organisation whose initials
        it is ("NRF")."""
        same = [
            p for p in self._names.get(name.casefold(), ()) if self[p].label == label or canonical
        ][:1]
        if canonical and canonical in self._canonical:
            same.append(self._canonical[canonical])
        if same:
            return self[min(same)]
        earlier: list[int] = []
        if label == "PERSON" or (canonical is None and " " not in name):
            earlier += self._person_parts.get(tuple(name.split()), ())
        if label == "ORG" and name.isupper() and len(name) >= 2:
            earlier += self._initials.get(name, ())
        return self[max(earlier)] if earlier else None


def _whole_name(person: Span) -> Span:
    """A name the tagger cut short: "Jihadi John" tagged as "Jihadi"; the capitalised
    proper nouns right after it, in no other entity, are the rest of it."""
    doc, end = person.doc, person.end
    while (
        end < len(doc)
        and end < person.sent.end
        and doc[end].pos_ == "PROPN"
        and doc[end].text.istitle()
        and doc[end].ent_type_ == ""
    ):
        end += 1
    return person if end == person.end else Span(doc, person.start, end, label="PERSON")


def _spelled_out(doc: Doc, name: Span, acronym: Span) -> bool:
    """An acronym in brackets right after the name it abbreviates: "… Agency (UNRWA)"."""
    return (
        name.label_ in ("ORG", "NORP", "GPE")
        and acronym.start == name.end + 1
        and doc[name.end].text == "("
    )


def _objects(token: Token, preps: tuple[str, ...]) -> list[tuple[Token, Token]]:
    """(preposition, object) pairs hanging off `token`: "head [of] [relations]"."""
    return [
        (prep, obj)
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def _text(tokens: list[Token], keep_determiner: bool = False) -> str:
    """The words as written (original spacing), without a leading determiner."""
    ordered = sorted(tokens, key=lambda t: t.i)
    while ordered and ordered[0].dep_ == "det" and not keep_determiner:
        ordered.pop(0)
    return "".join(t.text_with_ws for t in ordered).strip()


def describe(
    head: Token, spans: dict[int, Span], names: dict[int, str]
) -> tuple[str | None, str | None]:
    """Role and affiliation from the noun that describes a person ("spokesman", "head").

    The affiliation is the first entity that owns the role ("the Taliban's spokesman",
    "leader of the NRF") or, failing one, the body the role is held for ("head of the
    foreign relations for a coalition of anti-Taliban groups").
    """
    if head.pos_ not in ("NOUN", "PROPN") or head.i in spans:
        return None, None
    affiliation: str | None = None
    # The parser splits "vice-president" into sibling tokens: the role runs to its end.
    pieces = [head]
    doc = head.doc
    while (
        pieces[-1].i + 2 < len(doc)
        and not pieces[-1].whitespace_
        and doc[pieces[-1].i + 1].text == "-"
        and not doc[pieces[-1].i + 1].whitespace_
    ):
        pieces += [doc[pieces[-1].i + 1], doc[pieces[-1].i + 2]]
    role = list(pieces)
    for child in head.children:
        span = spans.get(child.i)
        if child.dep_ in ("poss", "compound") and span is not None:
            affiliation = affiliation or names.get(span.start)
        elif child.dep_ in ("amod", "compound") and child.i < head.i and span is None:
            if child.ent_type_ == "NORP" and child.dep_ == "amod":
                continue  # a nationality is no part of a role: "a British aid worker"
            role.append(child)
            # a modifier hyphenated to what stands before it is kept whole:
            # "Britain-based monitor", not "based monitor"
            at = child.i
            while at >= 2 and doc[at - 1].text == "-" and not doc[at - 2].whitespace_:
                role += [doc[at - 1], doc[at - 2]]
                at -= 2
    first = min(t.i for t in role)
    role += [
        t for t in doc[first : head.i] if t.text == "-" and t not in role
    ]  # "commissioner-general"
    role_text = _text(role)
    objects = [pair for piece in pieces for pair in _objects(piece, ("of", "for", "at", "with"))]
    for prep, obj in objects:
        span = spans.get(obj.i)
        if span is not None:
            affiliation = affiliation or names.get(span.start)
        elif prep.lower_ == "of":
            # "head of the foreign relations [for a coalition ...]": the nested `for`
            # phrase names the body, the rest belongs to the role.
            nested = _objects(obj, ("for",))
            hidden = {t.i for p, _ in nested for t in p.subtree}
            # a role is a short noun phrase: "son of the late commander", not "… of the
            # militias that fought the Taliban in 2001"
            hidden |= {
                t.i
                for c in obj.children
                if c.dep_ in ("relcl", "acl", "appos", "prep")
                for t in c.subtree
            }
            role_text += " of " + _text([t for t in obj.subtree if t.i not in hidden], True)
            for _, body in nested:
                body_span = spans.get(body.i)
                described = names.get(body_span.start) if body_span else _text(list(body.subtree))
                affiliation = affiliation or described
        else:
            affiliation = affiliation or _text(list(obj.subtree))
    return role_text, affiliation


def _role_for(
    mention: Span, spans: dict[int, Span], names: dict[int, str]
) -> tuple[str | None, str | None]:
    root = mention.root
    # "the Taliban's spokesman, X": the noun the name stands beside describes it first
    # ("a British aid worker, David Haines, a video released on Saturday shows")
    if root.dep_ == "appos":
        role, affiliation = describe(root.head, spans, names)
        if role:
            return role, affiliation
    # "X, the Taliban's spokesman" / "X, head of ..."; not "X of the Syrian Observatory,
    # a Britain-based monitor", where the appositive describes the body just named
    bodies = [spans[obj.i] for _, obj in _objects(root, ("of",)) if obj.i in spans]
    for child in root.children:
        if child.dep_ == "appos" and not any(body.end <= child.i for body in bodies):
            role, affiliation = describe(child, spans, names)
            if role:
                return role, affiliation
    role, affiliation = _title(mention, spans, names)
    # "said Rami Abdel Rahman of the Syrian Observatory"
    for _, obj in _objects(root, ("of",)):
        span = spans.get(obj.i)
        if span is not None and affiliation is None:
            affiliation = names.get(span.start)
    return role, affiliation


_TITLE_DEPS = {"compound", "amod", "nmod", "punct"}


def _title(
    mention: Span, spans: dict[int, Span], names: dict[int, str]
) -> tuple[str | None, str | None]:
    """ "Taliban spokesman X", "former vice-president X": the words compounded onto the
    name, back to an entity (the affiliation) or to anything else."""
    doc, root = mention.doc, mention.root
    i = mention.start - 1
    while i >= mention.sent.start and i not in spans and doc[i].text not in ",;:()\"'“”":
        token = doc[i]
        glued = not token.whitespace_  # part of a hyphenated word the parser split
        attached = token.dep_ in _TITLE_DEPS and (
            root in token.ancestors or i < token.head.i < mention.start
        )
        if not (glued or attached):
            break
        i -= 1
    words = doc[i + 1 : mention.start]
    if not any(t.pos_ in ("NOUN", "PROPN") for t in words):  # "spokesman", "Prime Minister"
        return None, None
    owner = spans.get(i) if i >= mention.sent.start and root in doc[i].ancestors else None
    return words.text, names.get(owner.start) if owner is not None else None


def _add_surname_mentions(doc: Doc, groups: list[_Group], group_of: dict[int, _Group]) -> None:
    """A surname the NER missed ("Nazary of the NRF said…") after its full name was seen."""
    surnames: dict[str, _Group] = {}
    for group in groups:
        words = group.name.split()
        if group.label == "PERSON" and len(words) > 1 and len(words[-1]) > 2:
            surnames.setdefault(words[-1], group)
    if not surnames:
        return
    tagged = {t.i for ent in doc.ents if ent.label_ in LABELS for t in ent}
    grown: dict[int, _Group] = {}
    for token in doc:
        named = surnames.get(token.text)
        if named is None or token.i in tagged or token.pos_ != "PROPN":
            continue
        first = named.mentions[0]
        if token.i < first.start:
            continue  # only after the full name has introduced the person
        named.mentions.append(Span(doc, token.i, token.i + 1, label="PERSON"))
        grown[id(named)] = named
        group_of[token.i] = named
    for named in grown.values():
        named.mentions.sort(key=lambda m: m.start)


def extract_entities(doc: Doc) -> list[Entity]:
    groups = _Groups()
    group_of: dict[int, _Group] = {}
    last: Span | None = None
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        canonical = ent.ent_id_ or None
        if ent.label_ == "PERSON":
            ent = _whole_name(ent)
        if ent.label_ == "NORP" and canonical is None:
            continue  # demonyms and creeds: not actors by themselves
        name = clean_name(ent.text)
        if ent.label_ == "PERSON":
            name = _TITLES.sub("", name)
        if not name:
            continue
        group = groups.find(name, ent.label_, canonical)
        if group is None and name.isupper() and last is not None and _spelled_out(doc, last, ent):
            group = group_of[last.start]  # "UN Relief and Works Agency (UNRWA)"
        if group is None:
            group = _Group(canonical or name, ent.label_, canonical)
            groups.add(group)
        group.mentions.append(ent)
        group.surfaces[name] = None
        group_of[ent.start] = group
        last = ent

    _add_surname_mentions(doc, groups, group_of)
    spans = {t.i: m for g in groups for m in g.mentions for t in m}
    names = {start: group.name for start, group in group_of.items()}
    entities = []
    for number, group in enumerate(groups):
        role = affiliation = None
        for mention in group.mentions:
            if group.label == "PERSON" and role is None:
                # a later mention may give the role; the body an earlier one named stays
                role, found = _role_for(mention, spans, names)
                affiliation = affiliation or found
        if affiliation == group.name:
            affiliation = None
        entities.append(
            Entity(
                id=number,
                name=group.name,
                type=entity_type(group.name, group.label, group.canonical),
                aliases=[s for s in group.surfaces if s != group.name],
                role=role,
                affiliation=affiliation,
                mentions=[
                    Mention(m.start_char, m.end_char, m.text, m.label_) for m in group.mentions
                ],
            )
        )
    return entities
