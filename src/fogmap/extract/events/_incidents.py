"""The merge of an article's event mentions into incidents: one event per incident.

News tells one incident many times: a lede, the detailed telling, the toll given later, a
quote about it, "the attack" further down. The reader (`events`) codes each telling it
meets; this step joins the tellings of one incident, whether or not they are next to each
other, and keeps apart the ones the text keeps apart.

Two tellings are one incident when all of these hold:
- **compatible kinds**: the same sub-event type; or the same event type, strategic
  developments apart (a protest told first as peaceful, then with tear gas; an abduction
  and the killing of the hostage); or
  political violence where one telling only refers back to it, by its outcome ("the
  strike wounded al-Baghdadi", "13 were killed") or as "the attack", "the assault";
- **no other place**: not two different towns (a town and the province or country it lies
  in do not conflict);
- **no other day**: not two different explicit days;
- **not another**: the text does not call it "a separate attack", "another incident";
- **the same footing**: both happened (asserted or claimed), or both in the same other
  mode (a denial is not merged with the claim it denies);
- **the same timing**: news is not merged with background (an incident dated more than a
  week before publication, or recalled as what someone did: "the SEAL who killed bin
  Laden").

The merged incident takes the most specific sub-type its tellings give (an air strike over
the killing it caused, a battle over killings in it, a killing over the abduction before
it), the most specific place, the first date, the actors of its first telling that names
them, and every telling as evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from fogmap.extract.events._lexicon import word_list
from fogmap.records import Place

# Words that only tell what political violence did to people, not what was done.
OUTCOMES = word_list("outcomes")
# The doers of an outcome that are themselves events: "the strike wounded al-Baghdadi".
EVENT_NOUNS = word_list("event_nouns")
POLITICAL_VIOLENCE = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians"}
)
# Lower is more specific: the sub-type a merged incident keeps.
SPECIFICITY = {
    "Suicide bomb": 0,
    "Chemical weapon": 0,
    "Air/drone strike": 0,
    "Shelling/artillery/missile attack": 0,
    "Remote explosive/landmine/IED": 0,
    "Grenade": 0,
    "Government regains territory": 0,
    "Non-state actor overtakes territory": 0,
    "Excessive force against protesters": 0,
    "Sexual violence": 2,
    "Armed clash": 1,
    "Violent demonstration": 2,
    "Protest with intervention": 1,
    "Attack": 2,
    "Mob violence": 2,
    "Abduction/forced disappearance": 3,
    "Peaceful protest": 3,
}
HAPPENED = frozenset({"asserted", "claimed"})
BROAD_PLACES = frozenset({"PCLI", "CONT", "ADM1", "ADM2", "RGN"})


class Telling(Protocol):
    """What the merge needs to know of an event as read (events._Told)."""

    sub_event_type: str
    refers_back: bool  # told only by its toll ("were killed") or as "the attack"
    separate: bool  # the text says it is another incident
    mode: str
    timing: str
    place: Place | None

    @property
    def event_type(self) -> str: ...

    def day_key(self) -> object | None: ...

    def absorb(self, other: Any) -> None: ...  # another telling of its own kind


def kinds_compatible(a: Telling, b: Telling) -> bool:
    if a.sub_event_type == b.sub_event_type:
        return True
    if a.event_type == b.event_type and a.event_type != "Strategic developments":
        return True  # a strategic development is as many kinds as its sub-types
    violent = a.event_type in POLITICAL_VIOLENCE and b.event_type in POLITICAL_VIOLENCE
    return violent and (a.refers_back or b.refers_back)


def places_compatible(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or a.id == b.id:
        return True
    if a.gazetteer_id is not None and a.gazetteer_id == b.gazetteer_id:
        return True
    if {a.feature_code, b.feature_code} & BROAD_PLACES:
        # a town and its province or country; two countries are two places
        both_broad = a.feature_code in BROAD_PLACES and b.feature_code in BROAD_PLACES
        one_is_a_country = "PCLI" in (a.feature_code, b.feature_code)
        return not both_broad or (a.country == b.country and one_is_a_country)
    return False


def one_incident(a: Telling, b: Telling) -> bool:
    """Whether `b` tells the incident `a` tells (see the module's rules)."""
    if b.separate:
        return False
    footing = (a.mode in HAPPENED and b.mode in HAPPENED) or a.mode == b.mode
    day_a, day_b = a.day_key(), b.day_key()
    same_day = day_a is None or day_b is None or day_a == day_b
    return (
        footing
        and a.timing == b.timing
        and same_day
        and kinds_compatible(a, b)
        and places_compatible(a.place, b.place)
    )


T = TypeVar("T", bound=Telling)


def merge(tellings: list[T], same: Callable[[T, T], bool] = one_incident) -> list[T]:
    """Join each telling to the latest earlier incident it tells, else start a new one."""
    incidents: list[T] = []
    for telling in tellings:
        target = next((i for i in reversed(incidents) if same(i, telling)), None)
        if target is None:
            incidents.append(telling)
        else:
            target.absorb(telling)
    return incidents
