"""fogmap: conflict reporting in, a sourced and geolocated record out."""

from importlib.metadata import version as _version

__version__ = _version("fogmap")

__all__ = ["__version__"]
