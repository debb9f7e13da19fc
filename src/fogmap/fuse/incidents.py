"""Incidents across articles: the events of several reports that tell one real incident.

Each article's events are already one per incident (`extract.events`); here the events of
different articles are compared, the way xSub and ICEWS deduplicate:

- **blocking**: only events of the same family (political violence, demonstrations,
  strategic developments) are compared, and only those of one story (`fuse.stories`) or
  of one country within a few days of each other, so the cost follows the candidates, not
  all pairs;
- **a decision per pair** that says which fields agreed, which differed without ruling
  the pair out (sub-type, actors, fatalities), and which conflicted and did (another
  country, another province or a town far away, days apart). A pair is one incident when
  nothing conflicts and either the two reports tell one story on the same days, or they
  put it in the same place on the same days and agree on its kind or its actors;
- **clusters** are grown from the strongest pairs down; two clusters never join when a
  pair across them conflicts, and two events one article told as different incidents
  conflict (a claim and its denial in one article are two tellings of one incident).

The incident's fields are merged by stated rules: ACLED's most conservative fatality
figure with the range reported (low and high, as UCDP gives them), the most specific place
the reports agree on, the earliest firm date, and every report with its outlet and date.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from fogmap.extract.events import HAPPENED, POLITICAL_VIOLENCE, SPECIFICITY

SAME_DAYS = 1  # reports whose dates are this close agree on the date
DAYS_APART = 3  # ...and this far apart are other incidents
NEAR_KM = 50  # two towns this close can be one incident's place
FAR_KM = 100  # ...and this far apart cannot
DENIED = frozenset({"denied", "negated"})
_ACTOR_NOISE = frozenset(
    {"the", "of", "and", "forces", "force", "group", "militants", "fighters", "members",
     "unidentified", "armed", "military", "government", "civilians", "people"}
)  # fmt: skip


def family(event_type: str) -> str:
    """Event types that one incident may be coded as by different reports."""
    if event_type in POLITICAL_VIOLENCE:
        return "political violence"
    if event_type in ("Protests", "Riots"):
        return "demonstrations"
    return event_type


@dataclass(frozen=True, slots=True)
class Report:
    """One event as one article tells it: what fusion compares."""

    article: str
    event: int
    event_type: str
    sub_event_type: str | None
    mode: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    time_precision: int | None = None
    place: str | None = None
    feature_code: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = None
    claim: int | None = None
    speaker: str | None = None
    timing: str = "current"
    evidence: str = ""  # the sentence that tells the event

    # computed once, read by every comparison
    span: tuple[date, date] | None = field(init=False, repr=False, compare=False)
    specificity: int = field(init=False, repr=False, compare=False)
    actor_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "span", _span(self))
        object.__setattr__(self, "specificity", _specificity(self))
        words = " ".join(filter(None, (self.actor1, self.actor2))).lower().split()
        actor_words = frozenset(w.strip(".,'’()") for w in words) - _ACTOR_NOISE
        object.__setattr__(self, "actor_words", actor_words)

    @property
    def key(self) -> tuple[str, int]:
        return self.article, self.event


def _span(report: Report) -> tuple[date, date] | None:
    """The days the event may have happened on: its dates, else the day or two before
    publication that news usually tells."""
    start = _day(report.date_start)
    if start is not None:
        return start, _day(report.date_end) or start
    published = _day(report.published)
    return (published - timedelta(days=1), published) if published else None


def _specificity(report: Report) -> int:
    """0 a country, 1 a province, 2 a district or region, 3 a town or a site."""
    if report.place is None:
        return -1
    code = report.feature_code or ""
    if code.startswith("PCL") or code == "CONT":
        return 0
    if code == "ADM1":
        return 1
    if code.startswith("ADM") or code == "RGN":
        return 2
    return 3


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _km(a: Report, b: Report) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)  # type: ignore[arg-type]
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)  # type: ignore[operator]
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@dataclass(slots=True)
class Comparison:
    """Why two reports are, or are not, one incident."""

    agreed: list[str] = field(default_factory=list)
    differed: list[str] = field(default_factory=list)
    conflicted: list[str] = field(default_factory=list)
    same_story: bool = False
    linked: bool = False

    @property
    def score(self) -> float:
        weights = {"place": 2.0, "date": 1.5, "story": 1.5, "admin1": 1.0, "actors": 1.0,
                   "sub_event_type": 1.0, "fatalities": 0.5, "country": 0.25}  # fmt: skip
        total = sum(weights.values())
        return round(sum(weights.get(name, 0.0) for name in self.agreed) / total, 3)

    def evidence(self) -> dict[str, list[str]]:
        return {"agreed": self.agreed, "differed": self.differed}


def _compare_places(a: Report, b: Report, seen: Comparison) -> None:
    if a.country and b.country:
        (seen.agreed if a.country == b.country else seen.conflicted).append("country")
    if "country" in seen.conflicted:
        return
    km = _km(a, b)
    if min(a.specificity, b.specificity) >= 2 and km is not None:
        if km <= NEAR_KM:
            seen.agreed.append("place")
        elif km > FAR_KM:
            seen.conflicted.append("place")
    if a.admin1 and b.admin1 and min(a.specificity, b.specificity) >= 1:
        if a.admin1 == b.admin1:
            seen.agreed.append("admin1")
        elif "place" not in seen.agreed:
            seen.conflicted.append("admin1")


def _compare_days(a: Report, b: Report, seen: Comparison) -> None:
    days_a, days_b = a.span, b.span
    if days_a is None or days_b is None:
        return
    gap = max(0, (days_b[0] - days_a[1]).days, (days_a[0] - days_b[1]).days)
    if gap <= SAME_DAYS:
        seen.agreed.append("date")
    elif gap > DAYS_APART:
        seen.conflicted.append("date")


def compare(a: Report, b: Report, same_story: bool) -> Comparison:
    """The fields two reports agree and disagree on, and whether they are one incident."""
    seen = Comparison(same_story=same_story)
    if a.article == b.article and (a.mode in HAPPENED) == (b.mode in HAPPENED):
        # the article told them as two incidents; a claim and its denial it keeps apart
        # as two tellings of one
        seen.conflicted.append("article")
    if family(a.event_type) != family(b.event_type):
        seen.conflicted.append("event_type")
    if a.timing != b.timing:
        seen.conflicted.append("timing")
    _compare_days(a, b, seen)
    _compare_places(a, b, seen)
    if same_story:
        seen.agreed.append("story")
    if a.sub_event_type and b.sub_event_type:
        same_kind = a.sub_event_type == b.sub_event_type
        (seen.agreed if same_kind else seen.differed).append("sub_event_type")
    words_a, words_b = a.actor_words, b.actor_words
    if words_a and words_b:
        (seen.agreed if words_a & words_b else seen.differed).append("actors")
    if a.fatalities and b.fatalities:  # 0 is also what a report that gives no toll codes
        same_toll = a.fatalities == b.fatalities
        (seen.agreed if same_toll else seen.differed).append("fatalities")
    if seen.conflicted:
        return seen
    same_days = "date" in seen.agreed
    same_place = "place" in seen.agreed or "admin1" in seen.agreed
    same_kind = "sub_event_type" in seen.agreed or "actors" in seen.agreed
    seen.linked = same_days and (same_story or (same_place and same_kind))
    return seen


@dataclass(slots=True)
class Incident:
    """One real incident and every report of it, with the merged fields."""

    id: str
    reports: list[Report]
    event_type: str
    sub_event_type: str | None
    date_start: str | None
    date_end: str | None
    place: Report | None  # the report whose place the incident takes
    fatalities: int | None  # the most conservative figure reported
    fatalities_low: int | None
    fatalities_high: int | None
    actor1: str | None
    actor2: str | None
    origins: int = 1  # independent origins among the reports (fuse.origins)
    contested: bool = False  # one report says it happened, another denies it (tolls that
    # differ are not a contest: the range shows them)

    @property
    def happened(self) -> list[Report]:
        return [r for r in self.reports if r.mode in HAPPENED] or self.reports


@dataclass(slots=True)
class Link:
    a: Report
    b: Report
    comparison: Comparison


def _candidates(reports: Sequence[Report], story_of: dict[str, int]) -> list[tuple[int, int]]:
    """Pairs worth comparing: one family, within days of each other, and either one story
    or one place (reports with no date at all are compared within their story). Outside a
    story two reports link only where they agree on the place, so only those that could
    are paired: one province, or points within a cell's reach of each other."""
    blocks: dict[tuple[str, ...], list[int]] = {}
    cells: dict[tuple[str, int, int], dict[str, list[int]]] = {}  # by country ("" unknown)
    for i, report in enumerate(reports):
        kind = family(report.event_type)
        story = story_of.get(report.article)
        if story is not None:
            blocks.setdefault((kind, "story", str(story)), []).append(i)
        if report.admin1 and report.country and report.specificity >= 1:
            blocks.setdefault((kind, "admin1", report.country, report.admin1), []).append(i)
        if report.specificity >= 2 and report.lat is not None and report.lon is not None:
            cell = cells.setdefault((kind, *_cell(report.lat, report.lon)), {})
            cell.setdefault(report.country or "", []).append(i)
    for (kind, row, column), countries in cells.items():
        for country, members in countries.items():
            # its own members against its neighbourhood: the same country, or an unknown one
            around = [
                j
                for dr in (-1, 0, 1)
                for dc in (-1, 0, 1)
                for other, found in cells.get((kind, row + dr, column + dc), {}).items()
                if not country or not other or other == country
                for j in found
            ]
            where = (str(row), str(column), country)
            blocks[(kind, "near", *where)] = around
            blocks[(kind, "cell", *where)] = members
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if key[1] == "cell":
            continue
        if key[1] == "story":
            undated = [i for i in members if reports[i].span is None]
            pairs.update((min(i, j), max(i, j)) for i in undated for j in members if i != j)
        own = set(blocks[(key[0], "cell", *key[2:])]) if key[1] == "near" else None
        dated = sorted((days[0], i) for i in members if (days := reports[i].span) is not None)
        for x, (first, i) in enumerate(dated):
            for later, j in dated[x + 1 :]:
                if (later - first).days > DAYS_APART + 1:
                    break
                if own is None or i in own or j in own:
                    pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


CELL_DEGREES = (1.0, 2.0)  # latitude, longitude: at least NEAR_KM across up to 75° N or S


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES[0]), math.floor(lon / CELL_DEGREES[1])


def link(reports: Sequence[Report], story_of: dict[str, int]) -> tuple[list[list[int]], list[Link]]:
    """Group reports into incidents; the links that joined them, strongest first."""
    comparisons: list[tuple[float, int, int, Comparison]] = []
    for i, j in _candidates(reports, story_of):
        a, b = reports[i], reports[j]
        same_story = story_of.get(a.article) is not None and story_of.get(
            a.article
        ) == story_of.get(b.article)
        seen = compare(a, b, same_story)
        if seen.linked:
            comparisons.append((seen.score, i, j, seen))
    cluster_of = list(range(len(reports)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(reports))}
    links: list[Link] = []
    for _, i, j, seen in sorted(comparisons, key=lambda c: (-c[0], c[1], c[2])):
        x, y = cluster_of[i], cluster_of[j]
        if x == y or not _may_join(reports, members[x], members[y]):
            continue
        if len(members[x]) < len(members[y]):
            x, y = y, x
        for k in members[y]:
            cluster_of[k] = x
        members[x] += members.pop(y)
        links.append(Link(reports[i], reports[j], seen))
    return list(members.values()), links


def _may_join(reports: Sequence[Report], left: list[int], right: list[int]) -> bool:
    return not any(
        compare(reports[i], reports[j], False).conflicted for i in left for j in right if i != j
    )


def _incident_id(reports: list[Report]) -> str:
    keys = sorted(f"{r.article}:{r.event}" for r in reports)
    return "inc-" + hashlib.sha1("\n".join(keys).encode()).hexdigest()[:12]


def _most_common(values: Iterable[str | None]) -> str | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def merge(reports: list[Report]) -> Incident:
    """The incident the reports tell, by the merge rules of the module."""
    reports = sorted(reports, key=lambda r: (r.published or "", r.article, r.event))
    happened = [r for r in reports if r.mode in HAPPENED] or reports
    event_type = _most_common(r.event_type for r in happened) or reports[0].event_type
    subtypes = Counter(r.sub_event_type for r in happened if r.event_type == event_type)
    sub_event_type = min(
        (s for s in subtypes if s),
        key=lambda s: (-subtypes[s], SPECIFICITY.get(s, 9), s),
        default=None,
    )
    # A report that gives no toll codes 0: the range is over the tolls given.
    tolls = [r.fatalities for r in happened if r.fatalities] or [
        r.fatalities for r in happened if r.fatalities is not None
    ]
    firm = [r for r in happened if r.date_start and r.time_precision == 1]
    dated = firm or [r for r in happened if r.date_start]
    first = min(dated, key=lambda r: r.date_start or "") if dated else None
    placed = [r for r in happened if r.place is not None]
    named = Counter(r.place for r in placed)
    place = max(placed, key=lambda r: (r.specificity, named[r.place]), default=None)
    modes = {r.mode for r in reports}
    return Incident(
        id=_incident_id(reports),
        reports=reports,
        event_type=event_type,
        sub_event_type=sub_event_type,
        date_start=first.date_start if first else None,
        date_end=first.date_end if first else None,
        place=place,
        fatalities=min(tolls) if tolls else None,
        fatalities_low=min(tolls) if tolls else None,
        fatalities_high=max(tolls) if tolls else None,
        actor1=_most_common(r.actor1 for r in happened),
        actor2=_most_common(r.actor2 for r in happened),
        contested=bool(modes & HAPPENED and modes & DENIED),
    )
