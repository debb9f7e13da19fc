"""The fusion of many articles: what each contributes, and the stories, incidents and
relations made of them.

`fuse()` takes what each article contributes (`ArticleFacts`: its reports of events, its
provenance, the words of its lead) from documents just extracted or from a store, and
returns the incidents with their merged fields and the relations between events and
between claims. Only the events that say something happened, or deny it, are fused:
threats and plans are not incidents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fogmap.extract.events import HAPPENED
from fogmap.fuse.incidents import DENIED, Incident, Report, link, merge
from fogmap.fuse.origins import Provenance, credits, origins
from fogmap.fuse.relations import Relation, claim_relations, same_incident
from fogmap.fuse.stories import cluster
from fogmap.records import Document
from fogmap.store.queries import told_in

STORY_TEXT = 5000  # characters of an article's lead that decide its story
FUSED_MODES = HAPPENED | DENIED


@dataclass(slots=True)
class ArticleFacts:
    """What fusion needs of one article (its text only as far as the story needs)."""

    provenance: Provenance
    lead: str
    published: str | None
    reports: list[Report]


@dataclass(slots=True)
class Fusion:
    incidents: list[Incident]
    relations: list[Relation]
    stories: list[list[str]]  # article ids that tell one story
    incident_of: dict[tuple[str, int], str] = field(default_factory=dict)


def report(article: Any, number: int, event: Any, place: Any, claim: Any) -> Report:
    """One event as fusion compares it. `article`, `event`, `place` and `claim` are records
    (`fogmap.records`) or store rows: both carry the fields by the same names."""
    return Report(
        article=article.id,
        event=number,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        mode=event.mode,
        outlet=article.outlet,
        published=article.published,
        url=article.url,
        date_start=event.date_start,
        date_end=event.date_end,
        time_precision=event.time_precision,
        place=place.name if place else None,
        feature_code=place.feature_code if place else None,
        country=place.country if place else None,
        admin1=place.admin1 if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        actor1=event.actor1,
        actor2=event.actor2,
        fatalities=event.fatalities,
        claim=None if claim is None else getattr(claim, "number", claim.id),
        speaker=(claim.speaker_name or claim.speaker_text) if claim else None,
        timing=event.timing,
        evidence=told_in(article.text, event),
    )


def article_facts(article: Any, reports: list[Report]) -> ArticleFacts:
    """An article's contribution to fusion (`article` an `Article` or a store row)."""
    provenance = Provenance(
        article.id, article.outlet, article.near_duplicate_group, credits(article.text)
    )
    lead = f"{article.title or ''}\n{article.text[:STORY_TEXT]}"
    return ArticleFacts(provenance, lead, article.published, reports)


def facts(document: Document) -> ArticleFacts:
    """An extracted document's contribution to fusion."""
    places = {p.id: p for p in document.places}
    claims = {c.id: c for c in document.claims}
    reports = [
        report(
            document.article,
            event.id,
            event,
            places.get(event.place) if event.place is not None else None,
            claims.get(event.claim) if event.claim is not None else None,
        )
        for event in document.events
        if event.mode in FUSED_MODES
    ]
    return article_facts(document.article, reports)


def fuse(articles: Iterable[ArticleFacts]) -> Fusion:
    """Stories, incidents and relations of the articles, read once."""
    reports: list[Report] = []
    provenance: dict[str, Provenance] = {}
    leads: list[tuple[str, str, str | None]] = []
    for article in articles:
        if article.provenance.article in provenance:
            continue  # the same text read from another source: a copy, not a report
        reports += article.reports
        provenance[article.provenance.article] = article.provenance
        leads.append((article.provenance.article, article.lead, article.published))
    stories = cluster(leads)
    del leads
    story_of = {member: number for number, story in enumerate(stories) for member in story}
    groups, links = link(reports, story_of)
    incidents = []
    for group in groups:
        incident = merge([reports[i] for i in group])
        told_by = [provenance[a] for a in dict.fromkeys(r.article for r in incident.reports)]
        incident.origins = len(origins(told_by))
        incidents.append(incident)
    relations = [same_incident(x) for x in links]
    for incident in incidents:
        relations += claim_relations(incident)
    incidents.sort(key=lambda i: (i.date_start or "", len(i.reports)), reverse=True)
    incident_of = {r.key: incident.id for incident in incidents for r in incident.reports}
    return Fusion(incidents, relations, stories, incident_of)
