"""`fogmap eval`: fogmap's stages measured on public gold data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fogmap.cli._app import app, out, progress_line
from fogmap.cli._output import add_row, line, plain
from fogmap.errors import UsageError

if TYPE_CHECKING:
    from fogmap.evaluate.entity_records import RecordScores
    from fogmap.evaluate.residue import ResidueResults


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
    with progress_line("scoring entities on re3d") as update:
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
    with progress_line("scoring cleaning on trafilatura-eval") as update:
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
    with progress_line("scoring stance") as update:
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
    with progress_line("clustering stories") as update:
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
    with progress_line(f"scoring claims on PolNeAR {split}") as update:
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
    with progress_line("scoring places") as update:
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
    with progress_line("scoring events on ACLED notes") as update:
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
    with progress_line("scoring events on whole news articles") as update:
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
