"""The scorers themselves, on hand-made gold: a wrong scorer would make every figure wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fogmap.errors import UsageError
from fogmap.evaluate import require
from fogmap.evaluate.entities import read_re3d, score
from fogmap.evaluate.metrics import Score


def test_score_arithmetic() -> None:
    result = Score(predicted=4, predicted_matched=3, gold=6, gold_matched=3)
    assert (result.precision, result.recall) == (0.75, 0.5)
    assert result.f1 == pytest.approx(0.6)
    assert Score().f1 == 0.0


def test_exact_and_overlap_matching_with_double_labelled_gold() -> None:
    gold = {(0, 5): {"Location", "Organisation"}, (10, 24): {"Person"}}
    predicted = {(0, 5, "Organisation"), (10, 17, "Person"), (30, 35, "Location")}
    scores = score(gold, predicted)
    exact, overlap = scores["exact:all"], scores["overlap:all"]
    assert (exact.predicted_matched, exact.gold_matched, exact.gold) == (1, 1, 2)
    assert (overlap.predicted_matched, overlap.gold_matched) == (2, 2)
    assert scores["exact:Location"].gold_matched == 0  # "Syria" was predicted as an organisation
    assert scores["exact:Organisation"].gold_matched == 1


def test_re3d_reader_keeps_only_the_three_types(tmp_path: Path) -> None:
    source = tmp_path / "re3d" / "Some Source"
    source.mkdir(parents=True)
    (source / "documents.json").write_text(json.dumps({"_id": "d1", "text": "Syria said so."}))
    (source / "entities.json").write_text(
        "\n".join(
            json.dumps(e)
            for e in [
                {"documentId": "d1", "begin": 0, "end": 5, "type": "Location"},
                {"documentId": "d1", "begin": 0, "end": 5, "type": "Organisation"},
                {"documentId": "d1", "begin": 6, "end": 10, "type": "Temporal"},
            ]
        )
    )
    (document,) = read_re3d(tmp_path / "re3d")
    assert document.spans == {(0, 5): {"Location", "Organisation"}}


def test_missing_gold_data_is_a_clear_user_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="re3d"):
        require(tmp_path, "re3d")


PAGE = (
    "<html><head><title>Not visible</title><style>p{}</style></head><body>"
    "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
    "<article><h1>Bridge retaken</h1><p>Council fighters <b>retook</b> the bridge.</p>"
    "<script>var x = 1;</script><p>Two days of fighting.</p></article>"
    "<footer>Contact us</footer></body></html>"
)


def test_flatten_keeps_visible_text_in_order_one_line_per_block() -> None:
    from fogmap.evaluate.cleaning import flatten

    assert flatten(PAGE) == (
        "Home World\nBridge retaken\nCouncil fighters retook the bridge.\n"
        "Two days of fighting.\nContact us"
    )
    assert flatten(PAGE, "article") == (
        "Bridge retaken\nCouncil fighters retook the bridge.\nTwo days of fighting."
    )
    assert flatten("<html><body><p>No container here.</p></body></html>", "article") is None


def test_snippets_are_counted_as_trafilatura_counts_them() -> None:
    from fogmap.evaluate.cleaning import Page, snippet_score, survival

    page = Page("f", "u", PAGE, include=["retook the bridge", "Two days"], exclude=["Home"])
    score = snippet_score(page, "Home\nCouncil fighters retook the bridge.")
    assert (score.predicted, score.predicted_matched, score.gold, score.gold_matched) == (
        2,
        1,
        2,
        1,
    )
    assert snippet_score(page, None).gold_matched == 0
    kept = survival(page, "Home\nretook the bridge\nTwo days", "retook the bridge")
    assert (kept.include_present, kept.include_kept) == (2, 1)
    assert (kept.exclude_present, kept.exclude_removed) == (1, 1)


def _polnear_like(root: Path, bodies: dict[str, str]) -> Path:
    folder = root / "polnear" / "data" / "dev" / "text"
    folder.mkdir(parents=True)
    for name, body in bodies.items():
        (folder / f"{name}.txt").write_text(body, encoding="utf-8")
    return root / "polnear"


STORY = (
    "Fighters loyal to the council said on Friday that they had retaken the bridge.\n\n"
    "A spokesman said at least 12 soldiers had been killed since Wednesday, while local "
    "officials put the toll higher. The army did not comment on the claim.\n\n"
    "Residents said they could hear the artillery all night from the other bank."
)


def test_spliced_residue_is_put_in_every_layout_and_the_same_each_run() -> None:
    from random import Random

    from fogmap.evaluate.residue import LAYOUTS, PIECES_PER_BODY, splice

    for layout in LAYOUTS:
        spliced = splice(STORY, layout, Random(f"body:{layout}"))
        assert len(spliced.pieces) == PIECES_PER_BODY
        assert all(piece.text in spliced.text for piece in spliced.pieces)
        assert splice(STORY, layout, Random(f"body:{layout}")).text == spliced.text
        assert ("\n" in spliced.text) == (layout != "one paragraph")


def test_spliced_residue_measure_counts_every_piece_and_sentence(tmp_path: Path) -> None:
    from fogmap.evaluate.residue import LAYOUTS, PIECES_PER_BODY, evaluate

    folder = _polnear_like(tmp_path, {"a": STORY, "b": STORY.replace("bridge", "dam")})
    results = evaluate(folder)
    assert results.bodies == 2
    assert results.total.pieces == 2 * len(LAYOUTS) * PIECES_PER_BODY
    assert results.total.sentences == 2 * len(LAYOUTS) * 4
    assert 0.0 <= results.total.removed_share <= 1.0
    assert results.total.kept_share == 1.0  # nothing of this story looks like residue
