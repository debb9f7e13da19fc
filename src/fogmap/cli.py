"""fogmap's command line: one sub-command per verb.

User errors (a missing file, a bad URL, unreadable input) print one line and exit
non-zero; they never show a traceback. A batch with bad inputs processes the good ones,
names each bad one with its reason, and exits 1 at the end.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from fogmap import __version__
from fogmap.errors import FogmapError, InputError, StoreError, UsageError
from fogmap.records import Document, Fetched, json_line
from fogmap.settings import DEFAULTS, Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fogmap.engines import Engine
    from fogmap.evaluate.entity_records import RecordScores
    from fogmap.evaluate.residue import ResidueResults
    from fogmap.fuse import Fusion, Incident, Relation
    from fogmap.pipeline import IngestReport
    from fogmap.store import Store
    from fogmap.store.queries import EventSummary

app = typer.Typer(
    name="fogmap",
    help="Turn conflict reporting into a sourced, geolocated, queryable record.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# Markup is off: every string printed is shown as it is. fogmap's own styling is built as
# `Text` with styles, never by writing tags around text that came from an input.
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)

# Characters that act on a terminal rather than show: C0/C1 controls (escape sequences,
# carriage returns, bells), DEL, bidirectional overrides and isolates (they reorder what a
# reader sees), and lone surrogates (undecodable bytes in file names).
_INERT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def plain(value: object) -> str:
    """Text from an input or the database made inert for the terminal: each character that
    would act (see `_INERT`) is shown as its escape, e.g. ``\\x1b``."""
    return _INERT.sub(_escape_char, str(value))


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line(*parts: object | tuple[object, str]) -> Text:
    """One printed line: each part is input text shown as it is, or a (text, style) pair."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(plain(part[0]), style=part[1])
        else:
            text.append(plain(part))
    return text


def add_row(table: Table, *cells: object) -> None:
    table.add_row(*(plain(cell) for cell in cells))


WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        min=1,
        help="Processes parsing articles (default: this machine's cores; 1: all in this one).",
    ),
]
CORES = os.cpu_count() or 1
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="local: this machine's processes; dask: a Dask cluster (--scheduler, or a "
        "local one of --workers processes; pip install 'fogmap[dask]').",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="A Dask scheduler's address, e.g. tcp://host:8786."),
]


def _engine(engine: str, scheduler: str | None) -> Engine:
    from fogmap.engines import Engine

    if engine not in ("local", "dask"):
        raise UsageError(f"--engine must be local or dask, not {engine!r}")
    if scheduler is not None and engine != "dask":
        raise UsageError("--scheduler is for --engine dask")
    return Engine("dask" if engine == "dask" else "local", scheduler)


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="FOGMAP_DB",
        help="Database: a SQLite file path or a URL (postgresql://user@host/db). "
        "Default: fogmap.db in the working directory.",
    ),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="Publication date (YYYY-MM-DD) for inputs that carry none; relative dates "
        "in the text are resolved against it.",
    ),
]


def _version(value: bool) -> None:
    if value:
        out.print(f"fogmap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """fogmap: conflict reporting in, evidence out."""


def _check_published(value: str | None, option: str = "--published") -> str | None:
    from fogmap.text.html import normalise_date

    if value is None:
        return None
    date = normalise_date(value)
    if date is None:
        raise UsageError(f"{option} must be a date like 2021-09-05, not {value!r}")
    return date


def _check_paths(paths: list[str]) -> None:
    for path in paths:
        if path != "-" and not Path(path).exists():
            raise UsageError(f"no such file or directory: {path}")


SHOWN_PER_REASON = 20  # skipped inputs named one by one for each reason, the rest counted


class _Skipped:
    """Names each skipped input with its reason, up to `SHOWN_PER_REASON` for one reason;
    the rest are counted and summed up at the end, so that a flood of bad lines (a
    decompression bomb of empty records) neither buries the other reasons nor spends
    minutes printing."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, error: InputError) -> None:
        self.counts[error.reason] += 1
        if self.counts[error.reason] <= SHOWN_PER_REASON:
            err.print(line(("skipped", "yellow"), " ", error.locator, ": ", error.reason))

    @property
    def total(self) -> int:
        return self.counts.total()

    def summary(self) -> None:
        for reason, count in self.counts.items():
            if count > SHOWN_PER_REASON:
                more = count - SHOWN_PER_REASON
                err.print(line(("skipped", "yellow"), f" {more:,} more inputs: ", reason))


@contextmanager
def _reporting() -> Iterator[_Skipped]:
    report = _Skipped()
    try:
        yield report
    finally:
        report.summary()


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str], None]]:
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.fields[status]}", markup=False),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label, status="")
        yield lambda status: progress.update(task, status=status)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    published: PublishedOption = None,
    format: Annotated[
        str, typer.Option("--format", help="json: one document; jsonl: one line per article.")
    ] = "json",
    fuse: Annotated[
        bool,
        typer.Option(
            "--fuse/--no-fuse",
            help="jsonl: link the articles' incidents and claims across articles (the lines "
            "come at the end); --no-fuse streams each line as it is read.",
        ),
    ] = True,
    workers: WorkersOption = CORES,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
) -> None:
    """Analyse articles without a database and print the records as JSON."""
    from fogmap import nlp, pipeline
    from fogmap.sources import read_sources

    if format not in ("json", "jsonl"):
        raise UsageError(f"--format must be json or jsonl, not {format!r}")
    _check_paths(paths)
    date = _check_published(published)
    runner = _engine(engine, scheduler)
    first: Document | None = None
    fused = _FusedLines() if format == "jsonl" and fuse else None
    with _reporting() as skipped:
        results = pipeline.extract(
            read_sources(paths), nlp.load, date, workers=workers, engine=runner
        )
        for result in results:
            if isinstance(result, InputError):
                skipped(result)
            elif fused is not None:
                fused.add(result)
            elif format == "jsonl":
                sys.stdout.write(json_line(result.to_dict()))
            elif first is None:
                first = result
            else:
                raise UsageError("the input holds several articles; use --format jsonl")
    if fused is not None:
        fused.write(sys.stdout)
    if first is not None:
        sys.stdout.write(json.dumps(first.to_dict(), ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
    if skipped.total:
        raise typer.Exit(1)


class _FusedLines:
    """`extract --format jsonl` across articles: the lines wait in a temporary file while
    only what fusion needs stays in memory; once all are read, each line is written with
    its events' incident ids and the relations that touch its article."""

    def __init__(self) -> None:
        import tempfile

        from fogmap.fuse import ArticleFacts

        self.lines = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed in write)
        self.facts: list[ArticleFacts] = []

    def add(self, document: Document) -> None:
        from fogmap.fuse import facts

        self.lines.write(json_line(document.to_dict()))
        self.facts.append(facts(document))

    def write(self, stream: io.TextIOBase | typing.TextIO) -> None:
        from fogmap.fuse import fuse

        fusion = fuse(self.facts)
        touching: dict[str, list[dict[str, object]]] = {}
        for relation in fusion.relations:
            for end in {relation.source["article"], relation.target["article"]}:
                touching.setdefault(end, []).append(relation.to_dict())
        self.lines.seek(0)
        with self.lines:
            for text in self.lines:
                data = json.loads(text)
                article = data["article"]["id"]
                for event in data["events"]:
                    event["incident"] = fusion.incident_of.get((article, event["id"]))
                data["relations"] = touching.get(article, [])
                stream.write(json_line(data))


@app.command()
def stance(
    path: Annotated[str, typer.Argument(help="A JSONL file, or - for stdin.")],
) -> None:
    """The stance of each text towards its claim: JSONL lines with `id`, `claim` and `text`
    in; lines with `id`, `stance` (agree, disagree, discuss, unrelated) and `score` out."""
    from fogmap.fuse.stance import stance as stance_of

    _check_paths([path])
    with _lines(path) as lines, _reporting() as skipped:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
                if not isinstance(item, dict):
                    raise TypeError("not a JSON object")
                key, claim, text = item["id"], item["claim"], item["text"]
                if not isinstance(claim, str) or not isinstance(text, str):
                    raise TypeError("claim and text must be strings")
            except (ValueError, KeyError, TypeError) as problem:
                skipped(InputError(f"{path}:{number}", _why(problem)))
                continue
            found = stance_of(claim, text)
            result = {"id": key, "stance": found.stance, "score": found.score}
            sys.stdout.write(json_line(result))
    sys.stdout.flush()
    if skipped.total:
        raise typer.Exit(1)


def _why(problem: Exception) -> str:
    if isinstance(problem, KeyError):
        return f"a stance line needs id, claim and text; {problem.args[0]!r} is missing"
    if isinstance(problem, ValueError):
        return f"not a JSON object: {problem}"
    return str(problem)


@contextmanager
def _lines(path: str) -> Iterator[Iterable[str]]:
    """The lines of a file, or of stdin for "-", decoded as UTF-8 (bad bytes replaced)."""
    if path == "-":
        yield io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        return
    with open(path, encoding="utf-8", errors="replace") as handle:
        yield handle


def _ingest(
    paths: list[str],
    db: str | None,
    published: str | None,
    settings: Settings = DEFAULTS,
    workers: int = 1,
    engine: Engine | None = None,
) -> tuple[Store, IngestReport]:
    from fogmap import nlp, pipeline
    from fogmap.sources import read_sources
    from fogmap.store import Store

    store = Store.open(db)
    with _reporting() as skipped, _progress("ingesting") as update:
        report = pipeline.ingest(
            read_sources(paths, settings),
            store,
            nlp.load,
            published,
            settings,
            progress=lambda r: update(
                f"{r.seen} read · {r.stored} new · {r.duplicates} duplicates · {r.skipped} skipped"
            ),
            on_error=skipped,
            workers=workers,
            engine=engine,
        )
    return store, report


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    db: DbOption = None,
    published: PublishedOption = None,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Articles per transaction (and per nlp.pipe batch).")
    ] = DEFAULTS.batch_size,
    workers: WorkersOption = CORES,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
) -> None:
    """Read articles, extract their records and store them (re-running adds nothing)."""
    _check_paths(paths)
    runner = _engine(engine, scheduler)
    settings = replace(DEFAULTS, batch_size=batch_size)
    _, report = _ingest(paths, db, _check_published(published), settings, workers, runner)
    out.print(
        f"{report.stored} new articles, {report.duplicates} duplicates of stored ones, "
        f"{report.unchanged} already ingested, {report.skipped} skipped"
    )
    if report.skipped:
        raise typer.Exit(1)


def _watched_urls(sources: list[str]) -> list[str]:
    """The URLs given on the command line and in the list files named there."""
    from fogmap.sources.feeds import read_url_list

    urls: list[str] = []
    for source in sources:
        if re.match(r"https?://", source, re.IGNORECASE):
            urls.append(source)
            continue
        if "://" in source:
            raise UsageError(f"fogmap watch fetches http and https only, not {source}")
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"not a URL nor a file listing URLs: {source}")
        listed = read_url_list(path.read_text(encoding="utf-8", errors="replace"))
        wrong = [url for url in listed if not re.match(r"https?://", url, re.IGNORECASE)]
        if wrong:
            raise UsageError(f"{source} lists something that is not an http(s) URL: {wrong[0]}")
        urls.extend(listed)
    if not urls:
        raise UsageError("nothing to watch: the lists given hold no URL")
    return urls


@app.command()
def watch(
    sources: Annotated[
        list[str],
        typer.Argument(help="Feed or page URLs, or files listing them (one per line, # notes)."),
    ],
    db: DbOption = None,
    every: Annotated[
        float | None,
        typer.Option(
            "--every",
            min=1,
            help="Minutes between rounds; without it, one round (for cron or a timer).",
        ),
    ] = None,
    delay: Annotated[
        float, typer.Option(min=0, help="Seconds between two requests to one host.")
    ] = 1.0,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for a host.")] = 20.0,
    allow_network: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-network",
            help="A private network (CIDR, e.g. 10.0.0.0/8) fogmap may fetch from; "
            "repeat for more. Without it only public addresses are fetched.",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processes parsing articles.")
    ] = 1,
) -> None:
    """Follow RSS/Atom feeds and page URLs: fetch what is new and ingest it (pages already
    read are never fetched again; feeds are asked only whether they changed)."""
    import functools
    import time

    from fogmap import nlp, pipeline
    from fogmap.sources._guard import parse_network
    from fogmap.sources.feeds import FetchPolicy, Watcher
    from fogmap.store import Store
    from fogmap.store.fetches import known_fetch, remember_fetches

    urls = _watched_urls(sources)
    try:
        allowed = [parse_network(value) for value in allow_network or ()]
    except ValueError as exc:
        raise UsageError(f"--allow-network: {exc}") from None
    store = Store.open(db)
    load = functools.cache(nlp.load)  # one model for every round

    def known(url: str) -> Fetched | None:
        with store.session() as session:
            return known_fetch(session, url)

    policy = FetchPolicy(delay=delay, timeout=timeout, allowed=allowed)
    with Watcher(policy, known) as watcher:
        while True:
            with _reporting() as skipped, _progress("watching") as update:
                report = pipeline.ingest(
                    watcher.round(urls),
                    store,
                    load,
                    settings=DEFAULTS,
                    progress=lambda r: update(f"{r.seen} fetched · {r.stored} new"),
                    on_error=skipped,
                    workers=workers,
                )
            with store.batch() as session:
                remember_fetches(session, watcher.updates)
            watcher.updates.clear()
            out.print(
                f"{time.strftime('%H:%M:%S')} {report.stored} new articles, "
                f"{report.duplicates} duplicates of stored ones, {report.skipped} skipped"
            )
            if every is None:
                break
            time.sleep(every * 60)
    store.close()
    if report.skipped and every is None:
        raise typer.Exit(1)


@app.command()
def migrate(
    db: DbOption = None,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair", help="Rebuild a database whose creation an older fogmap left half-done."
        ),
    ] = False,
) -> None:
    """Bring a database written by an older fogmap up to this version's schema (ingest
    does this too; commands that only read never do)."""
    from fogmap.store import Store

    store = Store.repair(db) if repair else Store.open(db)
    out.print(f"schema {store.revision()} (current)")
    store.close()


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

    since, until = _check_published(since, "--since"), _check_published(until, "--until")
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

    since, until = _check_published(since, "--since"), _check_published(until, "--until")
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
    from fogmap.store import Store

    since, until = _check_published(since, "--since"), _check_published(until, "--until")
    store = Store.open(db, read_only=True)
    with store.session() as session:
        chosen = _fused_incidents(session, event_type, country, since, until, True, contested)
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
    from fogmap.store import Store
    from fogmap.store.queries import iter_events

    if format.value in BINARY and output == "-":
        raise UsageError(f"{format.value} is written to a file: give -o FILE")
    if per not in ("event", "incident"):
        raise UsageError(f"--per must be event or incident, not {per!r}")
    since, until = _check_published(since, "--since"), _check_published(until, "--until")
    store = Store.open(db, read_only=True)
    write = WRITERS[format.value]
    gazetteer = geo.load()
    with store.session() as session:
        if per == "incident":
            chosen = _fused_incidents(session, event_type, country, since, until, all_modes)
            rows = incident_rows(chosen, gazetteer)
        else:
            rows = event_rows(
                iter_events(session, event_type, country, since, until, all_modes), gazetteer
            )
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


def _fused_incidents(
    session: Session,
    event_type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    all_modes: bool = True,
    contested: bool = False,
) -> list[Incident]:
    """The stored articles' incidents, newest first, filtered as `events` filters events:
    by type or sub-type, country, first date; denied-only incidents only with all_modes."""
    from fogmap.fuse import fuse
    from fogmap.fuse._stored import stored

    wanted = event_type.lower() if event_type else None
    chosen = []
    for incident in fuse(stored(session)).incidents:
        place, day = incident.place, incident.date_start or ""
        kinds = {incident.event_type.lower(), (incident.sub_event_type or "").lower()}
        if (
            (wanted and wanted not in kinds)
            or (country and (place is None or (place.country or "").upper() != country.upper()))
            or (since and (not day or day < since))
            or (until and (not day or day > until))
            or (contested and not incident.contested)
            or (
                not all_modes
                and not any(r.mode in ("asserted", "claimed") for r in incident.reports)
            )
        ):
            continue
        chosen.append(incident)
    return chosen


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
    from fogmap.fuse._stored import stored_mentions
    from fogmap.fuse.entities import resolve
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
    """Fusion of the stored articles published near this one (all of them when its date
    is unknown): enough to find its incidents' other reports without fusing the store."""
    from datetime import date, timedelta

    from fogmap.fuse import fuse
    from fogmap.fuse._stored import stored

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


@app.command()
def demo(
    db: Annotated[
        str, typer.Option("--db", help="Database for the demo (a SQLite file path or URL).")
    ] = "fogmap-demo.db",
) -> None:
    """Ingest the bundled demo corpus and summarise what fogmap found."""
    from fogmap.store.queries import counts

    with as_file(files("fogmap").joinpath("demo/corpus")) as corpus:
        store, report = _ingest([str(corpus)], db, None)
    with store.session() as session:
        summary = counts(session)
    table = Table("records", "count", title=plain(f"fogmap demo → {db}"))
    table.add_row("inputs read", str(report.seen))
    table.add_row("inputs skipped (bad input, reported above)", str(report.skipped))
    for name in (
        "articles",
        "sources",
        "near_duplicate_groups",
        "entities",
        "claims",
        "places",
        "events",
    ):
        table.add_row(name.replace("_", " "), str(summary[name]))
    out.print(table)
    out.print(line(f"Next: fogmap articles --db {db}   ·   fogmap show ID --db {db}"))


eval_app = typer.Typer(help="Measure fogmap's stages on public gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

DataOption = Annotated[
    str | None,
    typer.Option("--data", help="Folder holding the gold data sets (default: $FOGMAP_EVAL_DATA)."),
]


@eval_app.command("entities")
def eval_entities(
    data: DataOption = None,
    baseline: Annotated[
        bool, typer.Option(help="Score the stock spaCy NER in the same run.")
    ] = True,
) -> None:
    """Entity mentions (person, organisation, location) against re3d, and the records
    fogmap makes of its own hand-checked articles (junk, duplicates, wrong roles)."""
    from fogmap import nlp
    from fogmap.evaluate import require
    from fogmap.evaluate.entities import TYPES, evaluate, stock_pipeline
    from fogmap.evaluate.entity_records import evaluate as evaluate_records

    folder = require(data, "re3d")
    with _progress("scoring entities on re3d") as update:
        update("judging the records of fogmap's own articles")
        records = evaluate_records(nlp.load())
        update("parsing")
        results = evaluate(folder, nlp.load(), stock_pipeline() if baseline else None)
    _print_records(records)
    table = Table(title=plain(f"entities on {folder}"))
    for column in ("system", "match", "type", "precision", "recall", "F1", "gold"):
        table.add_column(
            column, justify="left" if column in ("system", "match", "type") else "right"
        )
    for system, scores in results.items():
        for mode in ("exact", "overlap"):
            for kind in ("all", *TYPES):
                result = scores[f"{mode}:{kind}"]
                table.add_row(
                    system,
                    mode,
                    kind,
                    f"{result.precision:.3f}",
                    f"{result.recall:.3f}",
                    f"{result.f1:.3f}",
                    str(result.gold),
                )
    out.print(table)


@eval_app.command("cleaning")
def eval_cleaning(
    data: DataOption = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes scoring pages.")] = 2,
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N pages.")] = None,
) -> None:
    """Boilerplate removal on trafilatura's evaluation pages (HTML and flattened text), and
    scraper residue spliced into real news bodies (PolNeAR's texts)."""
    from fogmap.evaluate import require
    from fogmap.evaluate.cleaning import SCOPES, evaluate
    from fogmap.evaluate.residue import evaluate as evaluate_residue

    folder = require(data, "trafilatura-eval")
    bodies = require(data, "polnear")
    with _progress("scoring cleaning on trafilatura-eval") as update:
        update("cleaning news bodies with residue spliced in")
        residue = evaluate_residue(bodies, limit=limit)
        update("extracting and cleaning pages")
        results = evaluate(folder, workers=workers, limit=limit)
    _print_residue(residue)
    table = Table(title=f"HTML pages ({results.pages}), snippets as trafilatura counts them")
    for column in ("system", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for system, score in results.html.items():
        table.add_row(system, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}")
    out.print(table)
    table = Table(title="flattened text cleaned by fogmap (of the snippets in the flat text)")
    for column in ("flat text", "pages", "must-include kept", "must-exclude removed"):
        table.add_column(column, justify="left" if column == "flat text" else "right")
    for scope in SCOPES:
        flat = results.flat.get(scope)
        if flat:
            table.add_row(
                "whole page" if scope == "page" else "article container",
                str(flat.pages),
                f"{flat.kept:.3f} ({flat.include_kept}/{flat.include_present})",
                f"{flat.removed:.3f} ({flat.exclude_removed}/{flat.exclude_present})",
            )
    out.print(table)
    table = Table(title=f"publication date ({results.dates} pages with a gold date)")
    for column in ("system", "same day", "within a day"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for system in results.date_errors:
        table.add_row(
            system,
            f"{results.date_accuracy(system):.3f}",
            f"{results.date_accuracy(system, 1):.3f}",
        )
    out.print(table)


def _print_records(scores: RecordScores) -> None:
    title = f"entity records on fogmap's own {scores.articles} articles (hand-checked)"
    table = Table("verdict", "records", title=plain(title))
    for verdict, count in scores.verdicts.items():
        table.add_row(verdict, str(count))
    out.print(table)
    out.print(
        line(
            f"junk share {scores.junk_share:.3f} of {scores.records} records; "
            f"listed entities named {scores.recall:.3f} ({scores.named}/{scores.listed})"
        )
    )
    for article, verdict, record in scores.wrong:
        out.print(line(f"  {article}: {verdict}: {record}"))


def _print_residue(results: ResidueResults) -> None:
    table = Table(
        title=plain(f"residue spliced into {results.bodies} news bodies, three layouts each")
    )
    for column in ("spliced", "residue removed", "story sentences kept", "captions kept apart"):
        table.add_column(column, justify="left" if column == "spliced" else "right")
    for name, tally in [*results.by_layout.items(), ("all", results.total)]:
        table.add_row(
            name,
            f"{tally.removed_share:.3f} ({tally.removed}/{tally.pieces})",
            f"{tally.kept_share:.3f} ({tally.sentences_kept}/{tally.sentences})",
            f"{tally.captions_share:.3f} ({tally.captions_kept_apart}/{tally.captions})",
        )
    out.print(table)
    table = Table(title="residue removed, by kind")
    for column in ("kind", "pieces", "removed"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, tally in sorted(results.by_kind.items()):
        table.add_row(kind, str(tally.pieces), f"{tally.removed_share:.3f}")
    out.print(table)


@eval_app.command("stance")
def eval_stance(
    data: DataOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Score only the first N pairs.")] = None,
) -> None:
    """Stance towards a claim: FNC-1 (weighted score, per-class F1) and Emergent (accuracy)."""
    from fogmap.evaluate import require
    from fogmap.evaluate.stance import LABELS, emergent_pairs, evaluate, fnc1_pairs

    fnc1, emergent = require(data, "fnc1"), require(data, "emergent")
    with _progress("scoring stance") as update:
        update("FNC-1 headlines against article bodies")
        scores = evaluate(fnc1_pairs(fnc1), limit)
        update("Emergent claims against article headlines")
        claims = evaluate(emergent_pairs(emergent), limit)
    table = Table("gold \\ fogmap", *LABELS, "F1", title=plain(f"FNC-1 ({scores.pairs} pairs)"))
    for gold in LABELS:
        counts = [str(scores.confusion[(gold, predicted)]) for predicted in LABELS]
        table.add_row(gold, *counts, f"{scores.f1(gold):.3f}")
    out.print(table)
    out.print(line(f"FNC-1 weighted score {scores.fnc_score:.3f}"))
    emergent_line = (
        f"Emergent ({claims.pairs} claim-headline pairs): accuracy {claims.accuracy:.3f}"
    )
    out.print(line(emergent_line))


@eval_app.command("incidents")
def eval_incidents(data: DataOption = None) -> None:
    """Story clustering: Emergent headlines by claim and FNC-1 bodies by story (B-cubed)."""
    from fogmap.evaluate import require
    from fogmap.evaluate.incidents import emergent_stories, fnc1_stories, score_stories

    fnc1, emergent = require(data, "fnc1"), require(data, "emergent")
    table = Table("data set", "items", "stories (gold)", "clusters", "precision", "recall", "F1")
    table.title = "stories: B-cubed"
    with _progress("clustering stories") as update:
        for name, read, folder in (
            ("FNC-1 bodies", fnc1_stories, fnc1),
            ("Emergent headlines", emergent_stories, emergent),
        ):
            update(name)
            score = score_stories(*read(folder))
            add_row(
                table,
                name,
                score.items,
                score.gold_clusters,
                score.clusters,
                f"{score.precision:.3f}",
                f"{score.recall:.3f}",
                f"{score.f1:.3f}",
            )
    out.print(table)


@eval_app.command("claims")
def eval_claims(
    data: DataOption = None,
    split: Annotated[str, typer.Option(help="PolNeAR split: dev (measuring) or train.")] = "dev",
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N articles.")
    ] = None,
) -> None:
    """Attributions (source, cue, content) against PolNeAR, scored as Citron scores PARC 3.0."""
    from fogmap import nlp
    from fogmap.evaluate import require
    from fogmap.evaluate.claims import ROLES, evaluate

    folder = require(data, "polnear")
    if not (folder / "data" / split).is_dir():
        raise UsageError(f"PolNeAR has no {split!r} split in {folder}")
    with _progress(f"scoring claims on PolNeAR {split}") as update:
        update("parsing")
        scores = evaluate(folder, nlp.load(), split, limit)
    table = Table(title=f"claims on PolNeAR {split} ({scores.articles} articles)")
    for column in ("span", "match", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column in ("span", "match") else "right")
    for mode in ("exact", "overlap"):
        for role in ROLES:
            score = getattr(scores, mode)[role]
            table.add_row(
                role, mode, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}"
            )
    score = scores.attribution
    table.add_row(
        "attribution",
        "source+content overlap",
        f"{score.precision:.3f}",
        f"{score.recall:.3f}",
        f"{score.f1:.3f}",
    )
    out.print(table)
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(scores.kinds.items()))
    out.print(
        f"predicted: {scores.attribution.predicted} claims ({kinds}); "
        f"gold: {scores.attribution.gold} attributions"
    )


@eval_app.command("places")
def eval_places(
    data: DataOption = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N articles of each corpus.")
    ] = None,
) -> None:
    """Geoparsing against GeoWebNews and GeoVirus: recognition, accuracy@161 km, median error."""
    from fogmap import geo, nlp
    from fogmap.evaluate import require
    from fogmap.evaluate.places import CORPORA, evaluate

    folders = {name: require(data, name) for name in CORPORA}
    table = Table(title="places")
    for column in ("corpus", "articles", "recognition P/R/F1 exact", "overlap F1",
                   "acc@161 km", "median km", "coverage"):  # fmt: skip
        table.add_column(column, justify="left" if column == "corpus" else "right")
    with _progress("scoring places") as update:
        update("compiling or opening the gazetteer")
        gazetteer = geo.load()
        for name, folder in folders.items():
            update(f"parsing {name}")
            scores = evaluate(folder, name, nlp.load(), gazetteer, limit)
            exact = scores.exact
            table.add_row(
                name,
                str(scores.articles),
                f"{exact.precision:.3f} / {exact.recall:.3f} / {exact.f1:.3f}",
                f"{scores.overlap.f1:.3f}",
                f"{scores.accuracy_161:.3f}",
                f"{scores.median_km:.1f}",
                f"{scores.coverage:.3f} ({len(scores.errors_km)}/{scores.gold})",
            )
    out.print(table)


@eval_app.command("events")
def eval_events(
    data: DataOption = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N ACLED rows.")
    ] = None,
) -> None:
    """Event coding against ACLED rows, reading only their notes: type, sub-type, date,
    fatalities, admin1, location, actor1; and the confusion matrix of event types."""
    from fogmap import geo, nlp
    from fogmap.evaluate import require
    from fogmap.evaluate.events import EVENT_TYPES, evaluate

    folder = require(data, "acled")
    with _progress("scoring events on ACLED notes") as update:
        update("compiling or opening the gazetteer")
        gazetteer = geo.load()
        update("parsing ACLED notes")
        scores = evaluate(folder, nlp.load(), gazetteer, limit)
    table = Table(title=f"events: {scores.rows} ACLED rows ({scores.found} with an event)")
    table.add_column("measure")
    table.add_column("score", justify="right")
    for name, value in (
        ("event type accuracy", scores.types.accuracy),
        ("event type macro-F1", scores.types.macro_f1),
        ("sub-event type accuracy", scores.sub_types.accuracy),
        ("sub-event type macro-F1", scores.sub_types.macro_f1),
        ("date exact", scores.share(scores.dates)),
        ("fatalities exact", scores.share(scores.fatalities)),
        ("admin1", scores.share(scores.admin1)),
        ("location within 25 km", scores.share(scores.located)),
        ("actor1", scores.share(scores.actor1)),
    ):
        table.add_row(name, f"{value:.3f}")
    out.print(table)
    confusion = scores.types.confusion()
    matrix = Table(title="event types: gold (rows) × fogmap (columns)")
    short = {t: t.split()[0].split("/")[0] for t in EVENT_TYPES}
    short["Violence against civilians"] = "VAC"
    matrix.add_column("gold")
    columns: list[str | None] = [*EVENT_TYPES, None]
    for column in columns:
        matrix.add_column(short[column] if column else "none", justify="right")
    for gold in EVENT_TYPES:
        matrix.add_row(short[gold], *(str(confusion.get((gold, c), 0)) for c in columns))
    out.print(matrix)


@eval_app.command("news-events")
def eval_news_events(
    data: DataOption = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N articles.")
    ] = None,
    worst: Annotated[int, typer.Option(min=0, help="List this many worst articles.")] = 10,
) -> None:
    """Events coded from whole news articles (news-events): precision, recall, duplicates
    and the fields of matched events."""
    from fogmap import geo, nlp
    from fogmap.evaluate import require
    from fogmap.evaluate.news_events import FIELDS, evaluate

    folder, fnc1 = require(data, "news-events"), require(data, "fnc1")
    with _progress("scoring events on whole news articles") as update:
        update("compiling or opening the gazetteer")
        gazetteer = geo.load()
        update("parsing articles")
        scores = evaluate(folder, fnc1, nlp.load(), gazetteer, limit)
    table = Table(title=f"events on {scores.articles} news articles (news-events dev)")
    for column in ("match", "predicted", "precision", "recall", "F1", "duplicates", "on nothing"):
        table.add_column(column, justify="left" if column == "match" else "right")
    for name, result in (("typed", scores.typed), ("detected, type ignored", scores.detected)):
        table.add_row(
            name,
            str(result.predicted),
            f"{result.precision:.3f}",
            f"{result.recall:.3f} ({result.gold_matched}/{result.gold})",
            f"{result.f1:.3f}",
            str(result.duplicates),
            str(result.on_nothing + result.on_denied),
        )
    out.print(table)
    typed = scores.typed
    out.print(
        line(
            f"typed precision {typed.precision:.3f}, recall {typed.recall:.3f}; "
            f"duplicates {typed.duplicates} of {typed.predicted} predictions"
        )
    )
    table = Table(title="fields of matched events (typed)")
    table.add_column("field")
    table.add_column("score", justify="right")
    for name in FIELDS:
        table.add_row(name, f"{scores.field_score(name):.3f} (of {len(scores.fields[name])})")
    out.print(table)
    if worst:
        table = Table(title="worst articles")
        for column in ("article", "predicted", "false positives", "missed"):
            table.add_column(column, justify="left" if column == "article" else "right")
        for row in scores.worst(worst):
            add_row(table, row.id, row.predicted, row.false_positives, row.missed)
        out.print(table)


def main() -> None:
    try:
        app()
    except FogmapError as exc:
        err.print(line(("error", "red"), " ", exc))
        sys.exit(2)
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError  # imported here: most commands need no database

        if not isinstance(exc, DBAPIError):
            raise
        from fogmap.store import describe_failure  # a failure mid-command: disk full, locked

        err.print(line(("error", "red"), " ", StoreError(describe_failure(exc))))
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
