"""One name, one record: the entity and place readers settle the words both claim.

spaCy's labels and the gazetteer disagree on some names: "Kobane" labelled an
organisation and resolved as the Syrian town, "People's Protection Units" (or its acronym
"YPG", an airport's code) looked up as a place while fogmap's names table knows the armed
group. Where every mention of a record overlaps the other reader's mentions, one record
is kept: fogmap's curated groups and governments over any place, a place the gazetteer
resolved over an organisation, person or other name the tagger guessed (unless the text
gives that name a role or an affiliation, which places do not have).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from fogmap.records import Entity, Mention, Place

CURATED = frozenset({"armed_group", "government"})  # typed from fogmap's names table
GUESSED = frozenset({"person", "organisation", "other"})  # typed from the tagger's label


def _covered(mentions: list[Mention], by: frozenset[int]) -> bool:
    """Whether every mention shares characters with the mentions `by` covers ("The
    People's Protection Units" and "People's Protection Units" are one name)."""
    return bool(mentions) and all(any(i in by for i in range(m.start, m.end)) for m in mentions)


def _characters(mentions: Iterable[Mention]) -> frozenset[int]:
    """The character offsets the mentions cover: a lookup that stays linear in a long
    article, where comparing every mention with every other would not."""
    return frozenset(i for m in mentions for i in range(m.start, m.end))


def reconcile(entities: list[Entity], places: list[Place]) -> tuple[list[Entity], list[Place]]:
    """The entities and places with each shared name kept once, ids renumbered."""
    curated = _characters(m for e in entities if e.type in CURATED for m in e.mentions)
    kept_places = [p for p in places if not _covered(p.mentions, curated)]
    resolved = _characters(m for p in kept_places if p.gazetteer_id is not None for m in p.mentions)
    kept_entities = [
        e
        for e in entities
        if e.type not in GUESSED
        or e.role is not None
        or e.affiliation is not None
        or not _covered(e.mentions, resolved)
    ]
    if len(kept_places) == len(places) and len(kept_entities) == len(entities):
        return entities, places
    return (
        [replace(e, id=number) for number, e in enumerate(kept_entities)],
        [replace(p, id=number) for number, p in enumerate(kept_places)],
    )
