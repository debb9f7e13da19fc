"""fogmap: conflict reporting in, a sourced and geolocated record out.

The public API is `Extractor` (text in, records out; see `fogmap.api`) and the records it
returns (`Document` and the records in `fogmap.records`). Both are imported on first use,
so that `import fogmap` (and every command line start) stays fast.
"""

from __future__ import annotations

from importlib.metadata import version as _version
from typing import TYPE_CHECKING, Any

__version__ = _version("fogmap")

__all__ = ["Document", "Extractor", "__version__"]

if TYPE_CHECKING:
    from fogmap.api import Extractor
    from fogmap.records import Document


def __getattr__(name: str) -> Any:
    if name == "Extractor":
        from fogmap.api import Extractor

        return Extractor
    if name == "Document":
        from fogmap.records import Document

        return Document
    raise AttributeError(f"module 'fogmap' has no attribute {name!r}")
