"""Who a claim's source is: the entity of the article its words name or point back to.

The resolver prefers, in order: the entity on the source's head word ("Nazary"); a person
named in the source phrase ("the Taliban's chief spokesman, Zabihullah Mujahid"); for a
relative pronoun, the entity it modifies; for a pronoun or a definite description ("he",
"they", "the group", "the front", "the spokesman"), the nearest compatible earlier
mention, a clause's subject first. An indefinite description ("a Taliban commander")
brings in someone new, and keeps its role and the body it speaks for.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from fogmap.records import Entity


def words(text: str) -> frozenset[str]:
    """A word list written as one string, for the lexicons here and in `claims`."""
    return frozenset(text.split())


PRONOUNS_PERSON = words("he she him her")
PRONOUNS_GROUP = words("they them")
RELATIVE = words("who which that")
GROUP_NOUNS = {
    "group": ("armed_group", "organisation"),
    "movement": ("armed_group", "organisation"),
    "militia": ("armed_group",),
    "militant": ("armed_group",),
    "rebel": ("armed_group",),
    "insurgent": ("armed_group",),
    "fighter": ("armed_group",),
    "organisation": ("organisation", "armed_group"),
    "organization": ("organisation", "armed_group"),
    "ministry": ("government",),
    "government": ("government", "country"),
    "army": ("government", "armed_group"),
    "military": ("government", "armed_group"),
    "authority": ("government",),
    "administration": ("government",),
    "agency": ("organisation", "government"),
    "company": ("organisation",),
    "campaign": ("organisation",),
    "party": ("organisation",),
    "country": ("country",),
}
# Descriptions that refer back only to a body with the word in its name: "the front" is
# the National Resistance Front, never the nearest armed group.
NAMED_GROUP_NOUNS = words("front resistance alliance coalition council union")


@dataclass(slots=True)
class Mentioned:
    """An entity named at these offsets; a pronoun resolved to it joins as one more."""

    start: int
    end: int
    entity: Entity


def mentions_of(entities: list[Entity]) -> list[Mentioned]:
    found = [Mentioned(m.start, m.end, e) for e in entities for m in e.mentions]
    return sorted(found, key=lambda m: m.start)


def _compatible(word: str, entity: Entity) -> bool:
    if word in PRONOUNS_PERSON:
        return entity.type == "person"
    if word in PRONOUNS_GROUP:
        return entity.type in ("armed_group", "government", "organisation", "country")
    if word in NAMED_GROUP_NOUNS:
        return word in entity.name.lower().split()
    types = GROUP_NOUNS.get(word)
    if types is not None:
        return entity.type in types
    # A description by role: "the spokesman", "the commander".
    role = (entity.role or "").lower()
    return entity.type == "person" and bool(role) and word in role.split()


@dataclass(slots=True)
class Speaker:
    entity: Entity | None = None
    role: str | None = None
    affiliation: str | None = None


_SPEAKING_FOR = ("organisation", "armed_group", "government", "country")


def _on(token: Token, mentions: list[Mentioned]) -> Mentioned | None:
    return next((m for m in mentions if m.start <= token.idx < m.end), None)


def resolve_speaker(
    doc: Doc, source: tuple[int, int] | None, source_token: int | None, mentions: list[Mentioned]
) -> Speaker:
    """Who a source is: the entity its head word names ("Nazary"), a person named beside a
    description ("the Taliban's spokesman, Zabihullah Mujahid"), or for a pronoun or a
    description the nearest compatible earlier mention; failing that, a description keeps
    its role and the body it speaks for ("a Taliban commander in Parwan")."""
    if source is None or source_token is None:
        return Speaker()
    start, end = source
    head = doc[source_token]
    named = [m for m in mentions if m.start < end and start < m.end]
    on_head = _on(head, named)
    if on_head is not None:
        return _as_speaker(on_head.entity)
    people = [m for m in named if m.entity.type == "person"]
    if people:
        return _as_speaker(people[0].entity)
    if head.lower_ in RELATIVE and head.head.dep_ == "relcl":
        antecedent = head.head.head
        found = _on(antecedent, mentions)
        return _as_speaker(found.entity) if found else Speaker()
    word = head.lower_ if head.pos_ == "PRON" else head.lemma_.lower()
    if head.pos_ == "PRON":
        if word not in PRONOUNS_PERSON | PRONOUNS_GROUP:
            return Speaker()
        return _as_speaker(_nearest(doc, start, word, mentions))
    # A definite description refers back ("the group", "the spokesman"); an indefinite one
    # ("a Taliban commander") brings in someone new.
    definite = not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children)
    known = word in GROUP_NOUNS or word in NAMED_GROUP_NOUNS
    by_role = any(word in (m.entity.role or "").lower().split() for m in mentions)
    if definite and (known or by_role):
        nearest = _nearest(doc, start, word, mentions)
        if nearest is not None:
            return _as_speaker(nearest)
    # … or what it says about the speaker: "a Taliban commander in Parwan".
    body = next(
        (
            m.entity.name
            for m in named
            if m.entity.type in _SPEAKING_FOR and _describes(head, doc, m)
        ),
        None,
    )
    if body is None or head.pos_ != "NOUN":
        return Speaker()
    return Speaker(None, head.text, body)


def _describes(head: Token, doc: Doc, mention: Mentioned) -> bool:
    """Whether a name modifies the description itself: "a [Taliban] commander", "a
    spokesman for [the ministry]" — not "the son of [Afghanistan]'s commander"."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.head.i == head.i or (root.dep_ == "pobj" and root.head.head.i == head.i)


def _as_speaker(entity: Entity | None) -> Speaker:
    if entity is None:
        return Speaker()
    return Speaker(entity, entity.role, entity.affiliation)


def _nearest(doc: Doc, before: int, word: str, mentions: list[Mentioned]) -> Entity | None:
    """The nearest compatible earlier mention, a clause's subject first: in "Massoud, the
    son of the late commander Ahmad Shah Massoud, said … He denied …", "he" is the son."""
    earlier = [m for m in mentions if m.end <= before and _compatible(word, m.entity)]
    if not earlier:
        return None
    sentence = doc.char_span(before, before, alignment_mode="expand")
    horizon = 0
    if sentence is not None and sentence.sent.start > 0:
        previous = doc[sentence.sent.start - 1].sent
        horizon = previous.start_char
    for mention in reversed(earlier):
        if mention.start < horizon:
            break
        token = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if token is not None and token.root.dep_ in ("nsubj", "nsubjpass"):
            return mention.entity
    return earlier[-1].entity
