"""Settings are documented: every field of Settings appears in docs/settings.md."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from fogmap.settings import DEFAULTS, Settings

DOC = Path(__file__).parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented_with_its_default() -> None:
    text = DOC.read_text()
    for field in fields(Settings):
        row = next((line for line in text.splitlines() if f"| `{field.name}` |" in line), None)
        assert row is not None, f"{field.name} is missing from docs/settings.md"
        default = getattr(DEFAULTS, field.name)
        assert f"{default:,}" in row or str(default) in row, f"{field.name}: default differs"
