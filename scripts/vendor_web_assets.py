"""Copy the desk's browser libraries out of their npm packages into
src/fogmap/web/static/vendor, at the pinned versions, and record each file's SHA-256 in
VENDORED.json (which a test checks), so the pages never fetch from a CDN.

    python scripts/vendor_web_assets.py   # needs npm; run again after changing a pin
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src/fogmap/web/static/vendor"
# package@version: {file in the package: name under vendor/}
PACKAGES = {
    "leaflet@1.9.4": {
        "dist/leaflet.js": "leaflet/leaflet.js",
        "dist/leaflet.css": "leaflet/leaflet.css",
        "dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
        "dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
        "LICENSE": "leaflet/LICENSE",
    },
    "leaflet.markercluster@1.5.3": {
        "dist/leaflet.markercluster.js": "markercluster/leaflet.markercluster.js",
        "dist/MarkerCluster.css": "markercluster/MarkerCluster.css",
        "dist/MarkerCluster.Default.css": "markercluster/MarkerCluster.Default.css",
        "MIT-LICENCE.txt": "markercluster/LICENSE",
    },
    "topojson-client@3.1.0": {
        "dist/topojson-client.min.js": "topojson/topojson-client.min.js",
        "LICENSE": "topojson/LICENSE",
    },
    "world-atlas@2.0.2": {
        "countries-110m.json": "world-atlas/countries-110m.json",
        "LICENSE": "world-atlas/LICENSE",
    },
}


def main() -> None:
    manifest: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as work:
        for package, wanted in PACKAGES.items():
            packed = subprocess.run(
                ["npm", "pack", package, "--silent", "--pack-destination", work],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()[-1]
            with tarfile.open(Path(work) / packed) as archive:
                for inside, name in wanted.items():
                    member = archive.extractfile(f"package/{inside}")
                    assert member is not None, f"{package} has no {inside}"
                    target = VENDOR / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with member, open(target, "wb") as out:
                        shutil.copyfileobj(member, out)
                    digest = hashlib.sha256(target.read_bytes()).hexdigest()
                    manifest.setdefault(package, {})[name] = digest
    (VENDOR / "VENDORED.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
