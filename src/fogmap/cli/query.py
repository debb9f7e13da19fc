"""Commands that read the store: articles, claims, places, events, incidents, actors,
show and export."""

from __future__ import annotations

import json
import os
import sys
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fogmap.cli._app import DbOption, app, check_published, err, out
from fogmap.cli._output import add_row, line
from fogmap.errors import UsageError
from fogmap.records import Document, json_line

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fogmap.fuse import Fusion, Incident, Relation
    from fogmap.store.queries import EventSummary


@app.command()
def articles(
    search: Annotated[str | None, typer.Argument(help="Words to search for (full text).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
    db: DbOption = None,
) -> None:
    """List stored articles, newest first, or those matching a full-text search."""
    from fogmap.store import Store
    from fogmap.store.queries import list_articles

    store = Store.open(db, read_only=True)
    with store.session() as session:
        rows = list_articles(session, search, outlet, limit)
    table = Table()
    for name in ("id", "published", "outlet", "title", "sources", "group", "entities"):
        if name == "title":
            table.add_column(name, min_width=24, overflow="fold")
        else:
            table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=16)
    for row in rows:
        group = "" if row.near_duplicate_group == row.id else row.near_duplicate_group[:8]
        add_row(
            table,
            row.id[:12],
            (row.published or "")[:10],
            row.outlet or "",
            row.title or "",
            str(row.sources),
            group,
            str(row.entities),
        )
    out.print(table)
    if not rows:
        err.print(line("no articles" + (f" match {search!r}" if search else "")))


class ClaimKind(StrEnum):
    direct = "direct"
    indirect = "indirect"
    according_to = "according_to"
    unattributed = "unattributed"


@app.command()
def claims(
    topic: Annotated[
        str | None, typer.Argument(help="Words the claim's content must contain.")
    ] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Speaker's name or words (part of it is enough).")
    ] = None,
    affiliation: Annotated[
        str | None, typer.Option(help="Whom the speaker speaks for, e.g. Taliban.")
    ] = None,
    outlet: Annotated[
        str | None, typer.Option(help="Only articles this outlet published or carried.")
    ] = None,
    kind: Annotated[ClaimKind | None, typer.Option(help="Only claims of this kind.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Articles published on or after this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Articles published on or before this date.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many claims.")] = 50,
    db: DbOption = None,
) -> None:
    """List who said what: each claim with its speaker, cue and sentence."""
    from fogmap.store import Store
    from fogmap.store.queries import list_claims

    since, until = check_published(since, "--since"), check_published(until, "--until")
    store = Store.open(db, read_only=True)
    with store.session() as session:
        rows = list_claims(
            session,
            speaker=speaker,
            affiliation=affiliation,
            topic=topic,
            outlet=outlet,
            kind=kind.value if kind else None,
            since=since,
            until=until,
            limit=limit,
        )
    for row in rows:
        claim = row.claim
        who = claim.speaker_name or claim.speaker_text or "(unattributed)"
        described = ", ".join(
            filter(
                None,
                (claim.speaker_role if claim.speaker_name else None, claim.speaker_affiliation),
            )
        )
        who += f" ({described})" if described else ""
        details = [claim.kind, f"cue: {claim.cue}"]
        details += [f"hedge: {claim.hedge}"] if claim.hedge else []
        details += [f"channel: {claim.channel}"] if claim.channel else []
        out.print(
            line(
                (who, "bold"),
                f" · {row.outlet or '?'} · {(row.published or '')[:10]} · {row.article_id[:12]}",
            )
        )
        out.print(line("  ", claim.content))
        out.print(line("  ", (" · ".join(details), "dim")))
        out.print(line("  ", (f"“{row.sentence}”", "dim")))
    if not rows:
        err.print(line("no claims match"))


@app.command()
def places(
    country: Annotated[
        str | None, typer.Option(help="Only places in this country (ISO code, e.g. AF).")
    ] = None,
    unresolved: Annotated[
        bool, typer.Option("--unresolved", help="Only names the gazetteer could not place.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many places.")] = 50,
    db: DbOption = None,
) -> None:
    """List the places articles name, with counts of articles, claims and events."""
    from fogmap.store import Store
    from fogmap.store.queries import list_places

    store = Store.open(db, read_only=True)
    with store.session() as session:
        rows = list_places(session, country, unresolved, limit)
    table = Table()
    for name in ("place", "kind", "country", "admin1", "lat", "lon", "articles", "mentions",
                 "claims", "events"):  # fmt: skip
        numeric = name in ("lat", "lon", "articles", "mentions", "claims", "events")
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        add_row(
            table,
            row.name,
            row.feature_code or "unresolved",
            row.country or "",
            row.admin1 or "",
            f"{row.lat:.4f}" if row.lat is not None else "",
            f"{row.lon:.4f}" if row.lon is not None else "",
            str(row.articles),
            str(row.mentions),
            str(row.claims),
            str(row.events),
        )
    out.print(table)
    if not rows:
        err.print("no places")


EventTypeOption = Annotated[
    str | None,
    typer.Option("--type", help="An ACLED event type or sub-event type, e.g. Battles."),
]
CountryOption = Annotated[
    str | None, typer.Option(help="Only events placed in this country (ISO code, e.g. AF).")
]
SinceOption = Annotated[str | None, typer.Option(help="Events on or after this date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Events on or before this date.")]
AllModesOption = Annotated[
    bool,
    typer.Option(
        "--all-modes",
        help="Also events the text denies, negates, threatens or only imagines.",
    ),
]


@app.command()
def events(
    event_type: EventTypeOption = None,
    country: CountryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    all_modes: AllModesOption = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many events.")] = 50,
    db: DbOption = None,
) -> None:
    """List coded events, newest first: type, actors, place, fatalities and evidence."""
    from fogmap.store import Store
    from fogmap.store.queries import iter_events

    since, until = check_published(since, "--since"), check_published(until, "--until")
    store = Store.open(db, read_only=True)
    shown = 0
    with store.session() as session:
        for row in iter_events(session, event_type, country, since, until, all_modes, limit):
            _print_event(row)
            shown += 1
    if not shown:
        err.print("no events match")


def _print_event(row: EventSummary) -> None:
    event, place, claim = row.event, row.place, row.claim
    kind = event.sub_event_type or event.event_type
    where = ", ".join(filter(None, (place.name, place.admin1, place.country))) if place else None
    out.print(
        line(
            (event.event_date or "date unknown", "bold"),
            f" · {kind} · {where or 'place unknown'} · fatalities {event.fatalities}",
        )
    )
    details = [
        " vs ".join(filter(None, (event.actor1, event.actor2))) or "actors unknown",
        f"mode: {event.mode}",
        f"trigger: {event.trigger}",
    ]
    if claim is not None:
        speaker = claim.speaker_name or claim.speaker_text or "unattributed"
        details.append(f"claim: {speaker} {claim.cue or ''}".rstrip())
    if event.fatalities_note:
        details.append(event.fatalities_note)
    details += [row.outlet or "?", row.article_id[:12]]
    out.print(line("  ", (" · ".join(details), "dim")))
    out.print(line(f"  “{row.evidence}”"))


@app.command()
def incidents(
    event_type: EventTypeOption = None,
    country: CountryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    contested: Annotated[
        bool,
        typer.Option(
            "--contested", help="Only incidents one report says happened and another denies."
        ),
    ] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many incidents.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per incident.")] = False,
    db: DbOption = None,
) -> None:
    """Incidents across the stored articles, newest first: merged fields, every report with
    its outlet, the independent sources, the fatality range, the claims for and against."""
    from fogmap.fuse.relations import claim_relations
    from fogmap.fuse.stored import stored_incidents
    from fogmap.store import Store

    since, until = check_published(since, "--since"), check_published(until, "--until")
    store = Store.open(db, read_only=True)
    with store.session() as session:
        chosen = stored_incidents(session, event_type, country, since, until, True, contested)
    for incident in chosen[:limit]:
        claims = list(claim_relations(incident))
        if as_json:
            row = incident_dict(incident, claims)
            sys.stdout.write(json_line(row))
        else:
            _print_incident(incident, claims)
    if not chosen:
        err.print("no incidents match")


def incident_dict(incident: Incident, claims: list[Relation]) -> dict[str, object]:
    place = incident.place
    return {
        "incident": incident.id,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "date_start": incident.date_start,
        "date_end": incident.date_end,
        "place": place.place if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "actor1": incident.actor1,
        "actor2": incident.actor2,
        "fatalities": incident.fatalities,
        "fatalities_low": incident.fatalities_low,
        "fatalities_high": incident.fatalities_high,
        "independent_sources": incident.origins,
        "contested": incident.contested,
        "reports": [
            {
                "article": r.article,
                "event": r.event,
                "outlet": r.outlet,
                "published": r.published,
                "url": r.url,
                "mode": r.mode,
                "fatalities": r.fatalities,
                "speaker": r.speaker,
            }
            for r in incident.reports
        ],
        "claims": [relation.to_dict() for relation in claims],
    }


def _print_incident(incident: Incident, claims: list[Relation]) -> None:
    place = incident.place
    where = ", ".join(filter(None, (place.place, place.admin1, place.country))) if place else None
    low, high = incident.fatalities_low, incident.fatalities_high
    toll = f"fatalities {incident.fatalities}" + (
        f" (reported {low}–{high})" if low != high else ""
    )
    reports = f"{len(incident.reports)} reports, {incident.origins} independent"
    out.print(
        line(
            (incident.date_start or "date unknown", "bold"),
            f" · {incident.sub_event_type or incident.event_type} · {where or 'place unknown'}"
            f" · {toll} · {reports}",
            ("  CONTESTED" if incident.contested else "", "red"),
        )
    )
    actors = " vs ".join(filter(None, (incident.actor1, incident.actor2)))
    out.print(line("  ", (f"{actors or 'actors unknown'} · {incident.id}", "dim")))
    for r in incident.reports:
        said = f" · {r.speaker}" if r.speaker else ""
        out.print(
            line(
                f"  - {r.outlet or '?'} · {(r.published or 'date unknown')[:10]} · {r.mode}"
                f" · fatalities {r.fatalities}{said} · {r.article[:12]}"
            )
        )
    for relation in claims:
        reason = relation.evidence.get("reason", "")
        out.print(
            line(
                "  ",
                (relation.kind, "red" if relation.kind == "contradicts" else "green"),
                f": claim {relation.source['claim']} of {relation.source['article'][:12]}"
                f" and claim {relation.target['claim']} of {relation.target['article'][:12]}"
                f" ({reason})",
            )
        )


class ExportFormat(StrEnum):
    acled_csv = "acled-csv"
    geojson = "geojson"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def export(
    format: Annotated[
        ExportFormat,
        typer.Option("--format", help="acled-csv (ACLED's columns), geojson, jsonl or parquet."),
    ] = ExportFormat.acled_csv,
    output: Annotated[
        str, typer.Option("--output", "-o", help="File to write, or - for standard output.")
    ] = "-",
    event_type: EventTypeOption = None,
    country: CountryOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    all_modes: AllModesOption = False,
    per: Annotated[
        str,
        typer.Option(
            "--per",
            help="event: a row per article's event; incident: a row per incident across "
            "articles, every source named.",
        ),
    ] = "event",
    db: DbOption = None,
) -> None:
    """Export coded events or incidents, streamed from the database."""
    from fogmap import geo
    from fogmap.export import BINARY, WRITERS, event_rows, incident_rows
    from fogmap.fuse.stored import stored_incidents
    from fogmap.store import Store
    from fogmap.store.queries import iter_events
    from fogmap.store.reviews import latest_verdicts

    if format.value in BINARY and output == "-":
        raise UsageError(f"{format.value} is written to a file: give -o FILE")
    if per not in ("event", "incident"):
        raise UsageError(f"--per must be event or incident, not {per!r}")
    since, until = check_published(since, "--since"), check_published(until, "--until")
    store = Store.open(db, read_only=True)
    write = WRITERS[format.value]
    gazetteer = geo.load()
    with store.session() as session:
        event_verdicts, incident_verdicts = latest_verdicts(session)
        if per == "incident":
            chosen = stored_incidents(session, event_type, country, since, until, all_modes)
            rows = incident_rows(chosen, gazetteer, incident_verdicts)
        else:
            told = iter_events(session, event_type, country, since, until, all_modes)
            rows = event_rows(told, gazetteer, event_verdicts)
        if output == "-":
            written = write(rows, sys.stdout)
        else:
            with _written_whole(Path(output), binary=format.value in BINARY) as handle:
                written = write(rows, handle)
    noun = "incidents" if per == "incident" else "events"
    err.print(line(f"{written} {noun} written" + (f" to {output}" if output != "-" else "")))


@contextmanager
def _written_whole(path: Path, binary: bool = False) -> Iterator[typing.IO]:
    """A file written under a temporary name beside it and renamed into place once whole:
    an export cut short (a full disk, Ctrl-C) leaves nothing where the user asked."""
    import tempfile

    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: no folder {path.parent}")
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc
    try:
        with (
            open(descriptor, "wb")
            if binary
            else open(descriptor, "w", encoding="utf-8", newline="")
        ) as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as a plain open() would have made it
        os.replace(temporary, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or a prefix of it.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the extract-format JSON.")] = False,
) -> None:
    """Show one stored article with its sources and extractions."""
    from fogmap.store import Store
    from fogmap.store.queries import load_document, resolve_id

    store = Store.open(db, read_only=True)
    with store.session() as session:
        document, sources = load_document(session, resolve_id(session, article_id))
        locators = [(s.locator, s.url, s.outlet) for s in sources]
        fusion = _fused_around(session, document)
    article = document.article
    relations = [r for r in fusion.relations if r.touches(article.id)]
    if as_json:
        data = document.to_dict()
        data["sources"] = [{"locator": loc, "url": url, "outlet": o} for loc, url, o in locators]
        for event in data["events"]:
            event["incident"] = fusion.incident_of.get((article.id, event["id"]))
        data["relations"] = [r.to_dict() for r in relations]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    article = document.article
    out.print(line((article.title or "(no title)", "bold")))
    out.print(
        line(f"{article.id} · {article.outlet or '?'} · {article.published or 'date unknown'}")
    )
    if article.near_duplicate_group != article.id:
        out.print(line(f"near-duplicate of {article.near_duplicate_group}"))
    for locator, url, outlet in locators:
        out.print(line(f"  source: {url or locator}" + (f" ({outlet})" if outlet else "")))
    out.print()
    out.print(line(article.text))
    if article.captions:
        out.print(line("\n", ("captions", "bold"), f" ({len(article.captions)})"))
        for caption in article.captions:
            out.print(line("  ", caption))
    if article.removed:
        out.print(line("\n", ("removed", "bold"), f" ({len(article.removed)})"))
        for removed in article.removed:
            out.print(line(f"  {removed.reason}: {removed.text!r}"))
    if document.entities:
        table = Table("entity", "type", "role", "affiliation", "mentions", title="entities")
        for entity in document.entities:
            add_row(
                table,
                entity.name,
                entity.type,
                entity.role or "",
                entity.affiliation or "",
                str(len(entity.mentions)),
            )
        out.print(table)
    if document.claims:
        table = Table("speaker", "kind", "cue", "content", "hedge / channel", title="claims")
        for claim in document.claims:
            add_row(
                table,
                claim.speaker_name or claim.speaker_text or "(unattributed)",
                claim.kind,
                claim.cue or "",
                claim.content,
                " / ".join(filter(None, (claim.hedge, claim.channel))),
            )
        out.print(table)
    if document.events:
        table = Table("event", "date", "actors", "place", "fatalities", "mode", "trigger")
        table.title = "events (main first)"
        for event in document.events:
            place = document.places[event.place] if event.place is not None else None
            add_row(
                table,
                event.sub_event_type or event.event_type,
                event.event_date or "",
                " vs ".join(filter(None, (event.actor1, event.actor2))),
                place.name if place else "",
                str(event.fatalities),
                event.mode + (f" (claim {event.claim})" if event.claim is not None else ""),
                event.trigger,
            )
        out.print(table)
    _print_incidents_of(document, fusion, relations)
    if document.places:
        table = Table("place", "kind", "country", "admin1", "lat, lon", "confidence", "as written")
        table.title = "places"
        for place in document.places:
            point = f"{place.lat:.4f}, {place.lon:.4f}" if place.lat is not None else ""
            add_row(
                table,
                place.name,
                place.feature_code or "unresolved",
                place.country or "",
                place.admin1 or "",
                point,
                f"{place.confidence:.2f}" if place.confidence is not None else "",
                ", ".join(dict.fromkeys(m.text for m in place.mentions)),
            )
        out.print(table)


@app.command()
def actors(
    name: Annotated[
        str | None, typer.Argument(help="Only actors one of whose names contains this.")
    ] = None,
    entity_type: Annotated[
        str | None,
        typer.Option("--type", help="person, organisation, armed_group or government."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many actors.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per actor.")] = False,
    db: DbOption = None,
) -> None:
    """People and groups across the stored articles, one record however each article names
    them (full names and acronyms joined, namesakes kept apart), most reported first."""
    from fogmap.fuse.entities import resolve
    from fogmap.fuse.stored import stored_mentions
    from fogmap.store import Store

    store = Store.open(db, read_only=True)
    with store.session() as session:
        found = resolve(stored_mentions(session))
    wanted = name.casefold() if name else None
    chosen = [
        actor
        for actor in found
        if (wanted is None or any(wanted in n.casefold() for n in actor.names))
        and (entity_type is None or actor.type == entity_type)
    ][:limit]
    for actor in chosen:
        if as_json:
            row = {
                "name": actor.name,
                "type": actor.type,
                "names": actor.names,
                "articles": sorted({m.article for m in actor.mentions}),
                "roles": actor.roles,
                "affiliations": actor.affiliations,
            }
            sys.stdout.write(json_line(row))
            continue
        articles = f"{actor.articles} article{'' if actor.articles == 1 else 's'}"
        out.print(line((actor.name, "bold"), f" · {actor.type} · {articles}"))
        others = [n for n in actor.names if n != actor.name]
        details = [f"also: {', '.join(others)}" if others else ""]
        details += [f"role: {', '.join(actor.roles)}" if actor.roles else ""]
        details += [f"of: {', '.join(actor.affiliations)}" if actor.affiliations else ""]
        if any(details):
            out.print(line("  ", (" · ".join(filter(None, details)), "dim")))
    if not chosen:
        err.print("no actors match")


# Other reports of an article's incidents are published within this many days of it.
REPORTS_WITHIN_DAYS = 14


def _fused_around(session: Session, document: Document) -> Fusion:
    """The store's kept fusion as far as this article is concerned; where articles were
    stored since it ran, the stored articles published near this one fused now (all of
    them when its date is unknown): enough to find its incidents' other reports."""
    from datetime import date, timedelta

    from fogmap.fuse import fuse
    from fogmap.fuse.stored import fusion_state, kept_fusion_of, stored

    if not fusion_state(session).stale:
        return kept_fusion_of(session, document.article.id)

    published = (document.article.published or "")[:10]
    try:
        day = date.fromisoformat(published)
    except ValueError:
        return fuse(stored(session))
    near = timedelta(days=REPORTS_WITHIN_DAYS)
    return fuse(stored(session, ((day - near).isoformat(), (day + near).isoformat())))


def _print_incidents_of(document: Document, fusion: Fusion, relations: list[Relation]) -> None:
    """An article's incidents told by other articles too, and its relations to them."""
    article = document.article.id
    by_id = {incident.id: incident for incident in fusion.incidents}
    shared = Table("event", "incident", "also reported by", "sources", "contested")
    shared.title = "incidents across articles"
    for event in document.events:
        incident = by_id.get(fusion.incident_of.get((article, event.id), ""))
        others = [r for r in incident.reports if r.article != article] if incident else []
        if incident is None or not others:
            continue
        add_row(
            shared,
            f"{event.id} {event.sub_event_type or event.event_type}",
            incident.id,
            ", ".join(f"{r.outlet or '?'} ({r.article[:12]})" for r in others),
            str(incident.origins),
            "yes" if incident.contested else "",
        )
    if shared.row_count:
        out.print(shared)
    if relations:
        table = Table("relation", "this article", "other", "why", title="relations")
        for relation in relations:
            ends = [relation.source, relation.target]
            mine = next(end for end in ends if end["article"] == article)
            other = ends[1] if mine is ends[0] else ends[0]
            reason = relation.evidence.get("reason") or ", ".join(
                relation.evidence.get("agreed", [])
            )
            add_row(
                table,
                relation.kind,
                _end(mine),
                f"{_end(other)} of {other['article'][:12]}",
                reason,
            )
        out.print(table)


def _end(end: dict[str, object]) -> str:
    return f"event {end['event']}" if "event" in end else f"claim {end['claim']}"
