"""The desk's assets: vendored files are the pinned releases, and no template holds an
inline script, an inline style or an event-handler attribute (the CSP would refuse them,
and they are where injected markup would run)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

import fogmap.web

WEB = Path(fogmap.web.__file__).parent
VENDOR = WEB / "static" / "vendor"


def test_vendored_files_are_the_pinned_releases() -> None:
    manifest = json.loads((VENDOR / "VENDORED.json").read_text())
    listed = {name: digest for files in manifest.values() for name, digest in files.items()}
    on_disk = {
        str(path.relative_to(VENDOR))
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name != "VENDORED.json"
    }
    assert on_disk == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert all("@" in package for package in manifest)  # every package pinned


@pytest.mark.parametrize("template", sorted(p.name for p in (WEB / "templates").glob("*.html")))
def test_templates_hold_no_inline_script_style_or_handler(template: str) -> None:
    text = (WEB / "templates" / template).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    assert not re.search(r"<style\b|\sstyle=", text)
    assert not re.search(r"\son[a-z]+\s*=", text)
    assert "| safe" not in text and "|safe" not in text


def test_the_scripts_never_write_markup_from_data() -> None:
    script = (WEB / "static" / "desk.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "document.write" not in script and "eval(" not in script
