"""Scorers behind `fogmap eval`: each measures one stage on public gold data.

The gold data sets are not part of fogmap. They are looked for in `--data`, else in
$FOGMAP_EVAL_DATA, else in `shared/data` beside the checkout (where the project's
development sets live); each scorer says what it needs when it is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

from fogmap.errors import UsageError


def data_root(given: str | Path | None = None) -> Path | None:
    """The folder holding the gold data sets, or None where there is none."""
    candidates = [given, os.environ.get("FOGMAP_EVAL_DATA")]
    candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "data")
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def require(root: str | Path | None, name: str) -> Path:
    folder = data_root(root)
    if folder is None or not (folder / name).is_dir():
        raise UsageError(
            f"gold data set {name!r} not found; pass --data DIR (the folder holding {name}/) "
            "or set FOGMAP_EVAL_DATA"
        )
    return folder / name
