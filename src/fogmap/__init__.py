"""fogmap: conflict reporting in, a sourced and geolocated record out.

The public API is `Extractor` (text in, records out), `Store` (a database read as
records; both in `fogmap.api`) and the records they return (`Document` and the records in
`fogmap.records`). They are imported on first use, so that `import fogmap` (and every
command line start) stays fast.
"""

from __future__ import annotations

from importlib.metadata import version as _version
from typing import TYPE_CHECKING, Any

__version__ = _version("fogmap")

__all__ = ["Document", "Extractor", "Store", "__version__"]

if TYPE_CHECKING:
    from fogmap.api import Extractor, Store
    from fogmap.records import Document


def __getattr__(name: str) -> Any:
    if name in ("Extractor", "Store"):
        from fogmap import api

        return getattr(api, name)
    if name == "Document":
        from fogmap.records import Document

        return Document
    raise AttributeError(f"module 'fogmap' has no attribute {name!r}")
