"""Commands that read articles: extract, ingest, watch, fuse, migrate, demo, and stance."""

from __future__ import annotations

import io
import json
import re
import sys
import typing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fogmap.cli._app import (
    CORES,
    DbOption,
    EngineOption,
    PublishedOption,
    SchedulerOption,
    WorkersOption,
    app,
    check_paths,
    check_published,
    engine_of,
    out,
    progress_bar,
    progress_line,
    reporting,
)
from fogmap.cli._output import line, plain
from fogmap.errors import InputError, UsageError
from fogmap.records import Document, Fetched, json_line
from fogmap.settings import DEFAULTS, Settings

if TYPE_CHECKING:
    from fogmap.engines import Engine
    from fogmap.pipeline import IngestReport
    from fogmap.store import Store


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
    check_paths(paths)
    date = check_published(published)
    runner = engine_of(engine, scheduler)
    first: Document | None = None
    fused = _FusedLines() if format == "jsonl" and fuse else None
    with reporting() as skipped:
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

    check_paths([path])
    with _lines(path) as lines, reporting() as skipped:
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
    fuse_after: bool = True,
) -> tuple[Store, IngestReport]:
    from fogmap import nlp, pipeline
    from fogmap.sources import ReadMeter, input_bytes, read_sources
    from fogmap.store import Store

    store = Store.open(db)
    meter = ReadMeter(total=input_bytes(paths))
    with reporting() as skipped, progress_bar("ingesting", meter) as update:
        report = pipeline.ingest(
            read_sources(paths, settings, meter),
            store,
            nlp.load,
            published,
            settings,
            progress=lambda r: update(
                f"{r.seen} read · {r.stored} new · {r.duplicates} duplicates · "
                f"{r.unchanged} already stored · {r.skipped} skipped",
                r.seen,
            ),
            on_error=skipped,
            workers=workers,
            engine=engine,
        )
    if report.stored and fuse_after:
        _fuse(store)
    return store, report


def _fuse(store: Store, everything: bool = False) -> None:
    """Fusion kept for the desk: brought up to date with the articles stored since it last
    ran (their neighbourhood in time fused again), or redone over the whole store."""
    from fogmap.fuse.stored import save_fusion, update_fusion

    with progress_line("fusing") as update:
        update("incidents across the stored articles")
        with store.batch() as session:
            state = save_fusion(session) if everything else update_fusion(session)
    out.print(f"{state.incidents} incidents across {state.stored_articles} articles")


NoFuseOption = Annotated[
    bool,
    typer.Option(
        "--no-fuse",
        help="Leave the incidents across articles as they were (a bulk load that "
        "`fogmap fuse` finishes).",
    ),
]


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
    no_fuse: NoFuseOption = False,
) -> None:
    """Read articles, extract their records and store them (re-running adds nothing);
    then fuse the store's incidents across articles anew."""
    check_paths(paths)
    runner = engine_of(engine, scheduler)
    settings = replace(DEFAULTS, batch_size=batch_size)
    published_on = check_published(published)
    _, report = _ingest(paths, db, published_on, settings, workers, runner, not no_fuse)
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
    from fogmap.sources.feeds import FetchPolicy, Watcher, parse_network
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
            with reporting() as skipped, progress_line("watching") as update:
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
            if report.stored:
                _fuse(store)
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
def fuse(
    db: DbOption = None,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help="Only what articles stored since the last fusion change (as ingest does).",
        ),
    ] = False,
) -> None:
    """Fuse the stored articles' events into incidents across articles and keep them, with
    the relations between claims: the whole store anew (ingest and watch bring fusion up to
    date with what they store)."""
    from fogmap.store import Store

    store = Store.open(db)
    _fuse(store, everything=not changed)
    store.close()


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
