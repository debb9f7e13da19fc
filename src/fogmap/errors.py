"""Errors with stable codes, so a user (or a script) can tell failures apart.

Like spaCy's error codes: the message says what is wrong in one line; the code stays the
same when the wording changes.
"""

from __future__ import annotations


class FogmapError(Exception):
    """A failure the user can act on; the CLI prints it as one line, never a traceback."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(FogmapError):
    """One input item cannot be read or has no usable text; the batch goes on without it."""

    code = "E001"

    def __init__(self, locator: str, reason: str) -> None:
        super().__init__(f"{locator}: {reason}")
        self.locator = locator
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return type(self), (self.locator, self.reason)  # so a worker process can send one


class UsageError(FogmapError):
    """The command line asks for something impossible (a missing path, a bad option)."""

    code = "E002"


class StoreError(FogmapError):
    """The database cannot be opened, migrated or written."""

    code = "E003"


class ModelError(FogmapError):
    """The spaCy pipeline is missing or is not the one fogmap was measured with."""

    code = "E004"


class GazetteerError(FogmapError):
    """The gazetteer cannot be compiled or opened (a package missing, a cache not writable)."""

    code = "E005"


class EngineError(FogmapError):
    """A worker process or a cluster was lost mid-run; what was stored before is kept."""

    code = "E006"
