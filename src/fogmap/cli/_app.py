"""The command-line application, its shared options and its ways of reporting: one line
per skipped input, a progress line on the terminal, user errors as one line."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from fogmap import __version__
from fogmap.cli._output import line
from fogmap.errors import InputError, UsageError

if TYPE_CHECKING:
    from fogmap.engines import Engine
    from fogmap.sources import ReadMeter


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


def engine_of(engine: str, scheduler: str | None) -> Engine:
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


def check_published(value: str | None, option: str = "--published") -> str | None:
    from fogmap.text.html import normalise_date

    if value is None:
        return None
    date = normalise_date(value)
    if date is None:
        raise UsageError(f"{option} must be a date like 2021-09-05, not {value!r}")
    return date


def check_paths(paths: list[str]) -> None:
    for path in paths:
        if path != "-" and not Path(path).exists():
            raise UsageError(f"no such file or directory: {path}")


SHOWN_PER_REASON = 20  # skipped inputs named one by one for each reason, the rest counted


class Skipped:
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
def reporting() -> Iterator[Skipped]:
    report = Skipped()
    try:
        yield report
    finally:
        report.summary()


@contextmanager
def progress_line(label: str) -> Iterator[Callable[[str], None]]:
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


@contextmanager
def progress_bar(label: str, meter: ReadMeter) -> Iterator[Callable[[str, int], None]]:
    """A bar over the inputs' bytes, with records a second and the time left; the plain
    progress line where their size is unknown (standard input). The function yielded
    takes the status and the records read so far."""
    if not meter.total:
        with progress_line(label) as show:
            yield lambda status, records: show(status)
        return
    started = time.monotonic()
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}", markup=False),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=meter.total, status="")

        def advance(status: str, records: int) -> None:
            rate = records / max(time.monotonic() - started, 1e-6)
            status = f"{rate:,.1f} records/s · {status}"
            progress.update(task, completed=meter.read, status=status)

        yield advance
