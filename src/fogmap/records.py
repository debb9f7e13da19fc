"""The data model of DESIGN.md: plain dataclasses that every stage passes along.

Every extracted thing carries character offsets (`start`, `end`) into the cleaned
article text, so each row can be traced back to the words that produced it.
Field names are part of the `extract` output contract (see schema/extract.schema.json).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal[
    "person", "organisation", "armed_group", "government", "country", "place", "other"
]
ENTITY_TYPES: tuple[str, ...] = EntityType.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input item before any processing: what a source yields.

    `locator` says where it came from (a path, `path:line`, `path#record-id`) so that an
    error about it can name it. Exactly one of `text` and `html` is set.
    """

    locator: str
    text: str | None = None
    html: str | None = None
    source_id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    fixed: bool = False  # the locator names content that never changes (a crawl's record id)


@dataclass(slots=True)
class Fetched:
    """What fogmap knows of a URL it fetched: enough to ask a feed only what is new and
    never to fetch a page again."""

    url: str
    kind: str  # "feed", "page" or "failed"
    etag: str | None = None
    last_modified: str | None = None
    status: int | None = None  # HTTP status of the last answer; None: no answer at all
    note: str | None = None  # why a fetch gave nothing

    @property
    def settled(self) -> bool:
        """A page read (or refused for good) is never fetched again; a network failure,
        a 429 or a server error may pass, so that URL is tried again in a later round."""
        if self.kind == "feed":
            return False
        return self.status is not None and self.status != 429 and self.status < 500


@dataclass(slots=True)
class Removed:
    """A span taken out of the body by the cleaner, kept so a user can audit it."""

    start: int  # offsets into the text *before* cleaning
    end: int
    text: str
    reason: str


@dataclass(slots=True)
class Article:
    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601, date or datetime with offset when known
    language: str = "en"
    captions: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    near_duplicate_group: str | None = None


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    label: str  # the spaCy entity label the mention came with


@dataclass(slots=True)
class Entity:
    id: int  # position within the article; stable for one text
    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Place:
    id: int
    name: str
    geonames_id: int | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    gazetteer_id: int | None = None  # GeoNames id, or negative for fogmap's curated features
    confidence: float | None = None  # the chosen entry's share among the name's candidates
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Claim:
    id: int
    kind: Literal["direct", "indirect", "according_to", "unattributed"]
    cue: str | None
    content: str
    start: int  # content span
    end: int
    speaker: int | None = None  # Entity.id
    speaker_text: str | None = None  # the source's words as written ("he", "the group")
    speaker_name: str | None = None  # the entity they resolve to ("Ahmad Massoud")
    speaker_role: str | None = None
    speaker_affiliation: str | None = None
    hedge: str | None = None  # "reportedly", "it is believed", "sources said"
    channel: str | None = None  # "a statement", "Twitter", "the Financial Times"
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_start: int | None = None  # the source's words, not the resolved entity
    speaker_end: int | None = None


EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]
SubEventType = Literal[
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Mob violence",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
]
EventMode = Literal[
    "asserted", "claimed", "denied", "negated", "threatened", "hypothetical", "future"
]
EVENT_MODES: tuple[str, ...] = EventMode.__args__  # type: ignore[attr-defined]
EventTiming = Literal["current", "background"]


@dataclass(slots=True)
class EventMention:
    """One telling of an event: the trigger word and the sentence it stands in."""

    start: int  # trigger span
    end: int
    trigger: str
    sentence_start: int
    sentence_end: int


@dataclass(slots=True)
class Event:
    """One incident as the article tells it, tied to every sentence that reports it."""

    id: int  # rank within the article: 0 is its main event
    event_type: EventType
    sub_event_type: SubEventType | None
    start: int  # trigger span
    end: int
    trigger: str = ""
    sentence_start: int = 0  # the sentences the event is told in
    sentence_end: int = 0
    actor1: str | None = None
    assoc_actor_1: str | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    place: int | None = None  # Place.id
    date_start: str | None = None
    date_end: str | None = None
    event_date: str | None = None  # the one day ACLED codes: the middle of a week or month
    time_precision: int | None = None  # ACLED: 1 day, 2 week, 3 month
    date_text: str | None = None  # the words the date comes from; None: publication date
    fatalities: int | None = None
    fatalities_note: str | None = None  # the figures that disagreed with the one coded
    claim: int | None = None  # Claim.id when the event rests on a claim
    mode: EventMode = "asserted"
    salience: float = 0.0
    timing: EventTiming = "current"  # background: an earlier incident recalled for context
    mentions: list[EventMention] = field(default_factory=list)  # every telling, in text order


@dataclass(slots=True)
class Document:
    """Everything fogmap knows about one article: the unit of `extract` output."""

    article: Article
    source_id: str | None = None
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.source_id}
        out.update(asdict(self))
        del out["source_id"]
        return out


# Characters JSON leaves as they are but some readers take for a line end (Python's
# str.splitlines, JavaScript before ES2019): escaped, so one record is one line for all.
_LINE_ENDS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def json_line(value: object) -> str:
    """One JSON Lines record, newline included, text kept readable (not ASCII-escaped)."""
    import json

    return json.dumps(value, ensure_ascii=False).translate(_LINE_ENDS) + "\n"


def output_schema() -> dict[str, Any]:
    """The JSON Schema of `Document.to_dict()`, shipped in the package."""
    import json
    from importlib.resources import files

    return json.loads(files("fogmap").joinpath("schema/extract.schema.json").read_text())
