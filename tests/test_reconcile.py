"""Entities and places settle the names both readers claim, one record per name."""

from __future__ import annotations

from fogmap.extract._reconcile import reconcile
from fogmap.records import Entity, Mention, Place


def _mention(start: int, text: str, label: str) -> Mention:
    return Mention(start, start + len(text), text, label)


def test_a_curated_group_wins_over_a_place_and_a_resolved_place_over_a_guessed_name() -> None:
    # "The People's Protection Units (YPG) … in Kobane"
    group = Entity(
        0,
        "People's Protection Units",
        "armed_group",
        aliases=["YPG"],
        mentions=[_mention(4, "People's Protection Units", "ORG"), _mention(31, "YPG", "ORG")],
    )
    kobane_org = Entity(1, "Kobane", "organisation", mentions=[_mention(50, "Kobane", "ORG")])
    ypg_place = Place(
        0, "Portage la Prairie", gazetteer_id=1, mentions=[_mention(31, "YPG", "ORG")]
    )
    kobane = Place(1, "‘Ayn al ‘Arab", gazetteer_id=2, mentions=[_mention(50, "Kobane", "ORG")])
    entities, places = reconcile([group, kobane_org], [ypg_place, kobane])
    assert [e.name for e in entities] == ["People's Protection Units"]
    assert [(p.id, p.name) for p in places] == [(0, "‘Ayn al ‘Arab")]


def test_a_name_with_a_role_stays_a_person_and_unresolved_places_stay() -> None:
    person = Entity(
        0, "Jordan", "person", role="spokesman", mentions=[_mention(0, "Jordan", "PERSON")]
    )
    jordan = Place(0, "Jordan", gazetteer_id=3, mentions=[_mention(0, "Jordan", "GPE")])
    village = Place(1, "Tel Shair", mentions=[_mention(20, "Tel Shair", "GPE")])
    entities, places = reconcile([person], [jordan, village])
    assert [e.name for e in entities] == ["Jordan"]
    assert [p.name for p in places] == ["Jordan", "Tel Shair"]
