"""Pack the demo's crawl pages (src/fogmap/demo/warc-pages) into a WARC.gz in the corpus.

Each page's URL is its canonical link (or og:url); record ids derive from the URL so that
the archive is byte-for-byte reproducible. Run after editing a page:
    .venv/bin/python scripts/build_demo_warc.py
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from fogmap.sources.warc import warc_response

DEMO = Path(__file__).resolve().parents[1] / "src" / "fogmap" / "demo"
_URL = re.compile(r'<(?:link rel="canonical" href|meta property="og:url" content)="([^"]+)"')


def main() -> None:
    records = []
    for page in sorted((DEMO / "warc-pages").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        match = _URL.search(html)
        if match is None:
            raise SystemExit(f"{page}: no canonical URL")
        url = match.group(1)
        record_id = str(uuid.uuid5(uuid.NAMESPACE_URL, url))
        records.append(warc_response(url, html, "2021-09-07T18:00:00Z", record_id))
    target = DEMO / "corpus" / "crawl-2021-09-07.warc.gz"
    target.write_bytes(b"".join(records))
    print(f"{target}: {len(records)} records")


if __name__ == "__main__":
    main()
