"""The evaluation gate: development scores pinned as floors, as trafilatura does in CI.

Each floor is the score measured when the capability landed (minus rounding), so no later
change can make fogmap quietly worse. The gold data is not part of fogmap: where it is
absent (a new user's clone) these tests skip and say where they looked.
"""

from __future__ import annotations

import pytest

from fogmap.evaluate import data_root

pytestmark = pytest.mark.slow

# `fogmap eval entities` on re3d (all 98 documents), measured 2026-11-25.
ENTITY_FLOORS = {"exact:all": 0.42, "overlap:all": 0.58, "overlap:Location": 0.67}


def _gold(name: str):
    root = data_root()
    if root is None or not (root / name).is_dir():
        pytest.skip(f"gold data {name!r} not found (set FOGMAP_EVAL_DATA to the folder holding it)")
    return root / name


def test_entity_scores_on_re3d_stay_above_their_floors(nlp) -> None:
    from fogmap.evaluate.entities import evaluate

    scores = evaluate(_gold("re3d"), nlp)["fogmap"]
    for key, floor in ENTITY_FLOORS.items():
        assert scores[key].f1 >= floor, f"{key} F1 fell to {scores[key].f1:.3f} (floor {floor})"
