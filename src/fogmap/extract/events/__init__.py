"""Events: the incidents an article reports, ACLED-coded, each with every telling.

The steps, in order, each over the records the one before made:

0. **scope** (`_cues.of_political_violence`): a whole article that speaks of no armed
   conflict, armed group or protest tells no event ACLED would code.
1. **read** (`_reading.Reader`): each sentence is searched for cue words (`_cues`, from
   `data/event_cues.tsv`, in families such as `protest`, `intervention`, `clash`, `air`,
   `kill`, `arrest`); words that tell no incident (a modifier, a habit, a plan, another
   sense) are left out there. A sentence's cues are coded as one of ACLED's 25 sub-event
   types by the codebook's rules (`_types`), with the mode the text gives it, the claim
   it rests on, its date and its place: a telling.
2. **merge** (`_incidents.merge`): the tellings of one incident, anywhere in the
   article, become one event; the rules are in that module's docstring. An incident told
   only inside quoted words, with no place or date of its own, is rhetoric and goes.
3. **place**: an incident that names no place as its scene takes the article's scene of
   violence (`_reading.main_place`), not a nationality.
4. **actors** (`_actors`): actor1 the doer, actor2 the other side, named once the
   incident is whole, in its place's country, as an analyst would search for them.
5. **records** (`_reading.to_records`): every telling kept as a mention, the toll by
   ACLED's conventions (`fatalities`), the dates (`dates`), the timing (current news or a
   background incident), and the salience that orders them, main event first.

An event a claim carries ("the group said it had killed …") is linked to that claim and
marked `claimed` (or `denied`, when the claim is a denial); an event the text negates
("there had been no fighting"), threatens ("vowed to crush"), imagines ("would resist
any attempt") or announces ("will march") is kept with that mode and not counted as
having happened.
"""

from __future__ import annotations

from spacy.tokens import Doc

from fogmap.extract._quotes import Quotations
from fogmap.extract.events._actors import Names, acled_country
from fogmap.extract.events._cues import of_political_violence
from fogmap.extract.events._incidents import POLITICAL_VIOLENCE, SPECIFICITY, merge
from fogmap.extract.events._reading import HAPPENED, Reader, _Told, main_place, to_records
from fogmap.extract.events._types import EVENT_TYPES, SUB_EVENT_TYPES
from fogmap.geo import Gazetteer
from fogmap.records import Claim, Entity, Event, Place

__all__ = [
    "EVENT_TYPES",
    "HAPPENED",
    "POLITICAL_VIOLENCE",
    "SPECIFICITY",
    "SUB_EVENT_TYPES",
    "acled_country",
    "extract_events",
]


def extract_events(
    doc: Doc,
    entities: list[Entity],
    places: list[Place],
    claims: list[Claim],
    published: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Event]:
    """The incidents of one article, most salient first."""
    if not of_political_violence(doc, entities):
        return []
    reader = Reader(doc, places, claims, Names(entities, gazetteer), published)
    quotes = Quotations(doc.text)
    incidents = [i for i in merge(reader.read_all(doc)) if not _rhetoric(i, quotes)]
    scene = main_place(places, incidents, doc)
    for incident in incidents:
        if scene is not None and not incident.place_by_name:
            incident.place = scene
        reader.name_actors(incident)
    return to_records(incidents, doc, reader.publication)


def _rhetoric(incident: _Told, quotes: Quotations) -> bool:
    """An incident told only inside someone's quoted words, with no place or date of its
    own ("the coalition is 'not serious in fighting against ISIL'"): an opinion, not a
    report of an incident."""
    quoted = all(quotes.around(c.head.idx, c.head.idx + len(c.head)) for c in incident.cues)
    return quoted and not incident.place_by_name and incident.own_date is None
