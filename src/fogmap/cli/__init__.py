"""fogmap's command line: one sub-command per verb, a module per concern (`ingest`:
reading articles in; `query`: reading the store; `evaluate`: `fogmap eval`; `serve`: the desk).

User errors (a missing file, a bad URL, unreadable input) print one line and exit
non-zero; they never show a traceback. A batch with bad inputs processes the good ones,
names each bad one with its reason, and exits 1 at the end.
"""

from __future__ import annotations

import os
import sys

from fogmap.cli import evaluate, ingest, query, serve  # noqa: F401 (each registers its commands)
from fogmap.cli._app import app, err
from fogmap.cli._output import line
from fogmap.errors import FogmapError, StoreError

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except FogmapError as exc:
        err.print(line(("error", "red"), " ", exc))
        sys.exit(2)
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError  # imported here: most commands need no database

        if not isinstance(exc, DBAPIError):
            raise
        from fogmap.store import describe_failure  # a failure mid-command: disk full, locked

        err.print(line(("error", "red"), " ", StoreError(describe_failure(exc))))
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
