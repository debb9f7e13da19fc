"""Shared fixtures: the real spaCy pipeline, real SQLite files, a real PostgreSQL database.

PostgreSQL tests use the server named by FOGMAP_TEST_POSTGRES_URL (default: the local
server at 127.0.0.1:5432, user postgres, database test). Each test gets a database of its
own, created and dropped around it; where no server answers, they skip and say so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fogmap.store import Store, database_url

FIXTURES = Path(__file__).parent / "fixtures"
POSTGRES_URL = os.environ.get(
    "FOGMAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def nlp():
    from fogmap import nlp as fogmap_nlp

    return fogmap_nlp.load()


@pytest.fixture(scope="session")
def gazetteer():
    """The real gazetteer, compiled on first use (about 30 s) where this machine has none."""
    from fogmap import geo

    return geo.load()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fogmap.db'}"


@pytest.fixture(scope="session")
def _postgres_admin():
    url = database_url(POSTGRES_URL)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means: no server for these tests
        engine.dispose()
        pytest.skip(
            f"no PostgreSQL server at {POSTGRES_URL} ({type(exc).__name__}); "
            "set FOGMAP_TEST_POSTGRES_URL to run the PostgreSQL tests"
        )
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(_postgres_admin) -> Iterator[str]:
    name = f"fogmap_test_{uuid.uuid4().hex[:12]}"
    with _postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(database_url(POSTGRES_URL)).set(database=name)
    yield url.render_as_string(hide_password=False)
    with _postgres_admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path: Path) -> Iterator[Store]:
    """A migrated store on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fogmap.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    opened = Store.open(url)
    yield opened
    opened.close()


def run_fogmap(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    """Run the real command line in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "fogmap", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )
