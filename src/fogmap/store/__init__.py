"""The store: fogmap's records in SQLite (default) or PostgreSQL, behind one small API.

`Store.open(url)` connects and brings the schema up to date with the migrations. Writes go
through `Store.batch()`, one transaction per batch, so an ingest killed at any moment
leaves only whole batches behind and a rerun completes it without duplicates: article ids
are content hashes and every insert is keyed on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from fogmap.errors import StoreError
from fogmap.records import Article, Document, RawDocument
from fogmap.store.schema import (
    ArticleRow,
    BandRow,
    ClaimRow,
    EntityRow,
    EventRow,
    MentionRow,
    PlaceRow,
    SourceRow,
)
from fogmap.text.dedupe import Candidate, Grouping, signature_bytes, signature_from_bytes

DEFAULT_URL = "sqlite:///fogmap.db"

__all__ = ["DEFAULT_URL", "Store", "StoreBandIndex", "database_url"]


def database_url(value: str | None) -> str:
    """Accept a SQLAlchemy URL or a plain path to a SQLite file."""
    if not value:
        return DEFAULT_URL
    if "://" not in value:
        return f"sqlite:///{Path(value)}"
    if value.startswith("postgresql://"):
        return "postgresql+psycopg://" + value.removeprefix("postgresql://")
    if value.startswith("postgres://"):
        return "postgresql+psycopg://" + value.removeprefix("postgres://")
    return value


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config(connection: Connection | None = None) -> Config:
    """fogmap's migrations, to run on `connection` (the env refuses to run without one)."""
    config = Config()
    config.set_main_option("script_location", str(files("fogmap").joinpath("store/migrations")))
    config.attributes["connection"] = connection
    return config


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None, migrate: bool = True, create: bool = True) -> Store:
        """Connect and migrate; `create=False` (for commands that only read) refuses to
        make a new SQLite file where the user probably mistyped a path."""
        url = database_url(url)
        try:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database:
                path = Path(parsed.database)
                if not path.parent.exists():
                    raise StoreError(f"cannot create database {path}: no folder {path.parent}")
                if not create and not path.exists():
                    raise StoreError(f"no database at {path} (fogmap ingest creates one)")
            engine = create_engine(url)
        except (ArgumentError, NoSuchModuleError, ValueError) as exc:
            raise StoreError(f"bad database URL {url!r}: {exc}") from exc
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"no driver for {url.split(':')[0]} ({exc.name} is not installed; "
                "pip install 'fogmap[postgres]')"
            ) from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    def migrate(self) -> None:
        try:
            with self.engine.begin() as connection:
                command.upgrade(_alembic_config(connection), "head")
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            raise StoreError(f"cannot open database {self.engine.url!r}: {reason}") from exc

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def head_revision() -> str | None:
        return ScriptDirectory.from_config(_alembic_config()).get_current_head()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def batch(self) -> Iterator[Session]:
        """One transaction: everything written inside lands together or not at all."""
        with Session(self.engine) as session, session.begin():
            yield session

    def session(self) -> Session:
        """A read session; writes go through `batch()`."""
        return Session(self.engine)


def has_article(session: Session, article_id: str) -> bool:
    return session.get(ArticleRow, article_id) is not None


def add_source(session: Session, article_id: str, raw: RawDocument, article: Article) -> bool:
    """Record one more place the article was read from; False if already recorded."""
    exists = session.scalar(
        select(SourceRow.id).where(
            SourceRow.article_id == article_id, SourceRow.locator == raw.locator
        )
    )
    if exists is not None:
        return False
    session.add(
        SourceRow(
            article_id=article_id,
            locator=raw.locator,
            source_id=raw.source_id,
            url=raw.url or article.url,
            outlet=article.outlet,
            title=article.title,
            published=article.published,
        )
    )
    return True


def write_document(session: Session, document: Document, grouping: Grouping) -> None:
    """Insert a new article, its near-duplicate bands and everything extracted from it."""
    article = document.article
    session.add(
        ArticleRow(
            id=article.id,
            url=article.url,
            outlet=article.outlet,
            title=article.title,
            author=article.author,
            published=article.published,
            language=article.language,
            text=article.text,
            captions=list(article.captions),
            removed=[asdict(r) for r in article.removed],
            near_duplicate_group=grouping.group,
            near_duplicate_similarity=grouping.similarity,
            signature=signature_bytes(grouping.signature),
        )
    )
    session.flush()
    session.add_all(BandRow(key=key, article_id=article.id) for key in dict.fromkeys(grouping.keys))
    entity_rows: dict[int, EntityRow] = {}
    for entity in document.entities:
        row = EntityRow(
            article_id=article.id,
            number=entity.id,
            name=entity.name,
            type=entity.type,
            aliases=list(entity.aliases),
            role=entity.role,
            affiliation=entity.affiliation,
        )
        session.add(row)
        entity_rows[entity.id] = row
    session.flush()
    for entity in document.entities:
        for mention in entity.mentions:
            session.add(
                MentionRow(
                    entity_id=entity_rows[entity.id].id, article_id=article.id, **asdict(mention)
                )
            )
    place_rows: dict[int, PlaceRow] = {}
    for place in document.places:
        values = asdict(place)
        number = values.pop("id")
        row = PlaceRow(article_id=article.id, number=number, **values)
        session.add(row)
        place_rows[number] = row
    claim_rows: dict[int, ClaimRow] = {}
    for claim in document.claims:
        values = asdict(claim)
        number, speaker = values.pop("id"), values.pop("speaker")
        row = ClaimRow(
            article_id=article.id,
            number=number,
            speaker_entity_id=entity_rows[speaker].id if speaker is not None else None,
            **values,
        )
        session.add(row)
        claim_rows[number] = row
    session.flush()
    for item in document.events:
        values = asdict(item)
        number, place, claim = values.pop("id"), values.pop("place"), values.pop("claim")
        session.add(
            EventRow(
                article_id=article.id,
                number=number,
                place_id=place_rows[place].id if place is not None else None,
                claim_id=claim_rows[claim].id if claim is not None else None,
                **values,
            )
        )


class StoreBandIndex:
    """Near-duplicate candidates from the `near_duplicate_bands` table (read side only).

    Articles of the batch being written are not in the table yet; the pipeline layers an
    in-memory index for them on top (`fogmap.text.dedupe.LayeredBandIndex`).
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def candidates(self, keys: Iterable[int]) -> list[Candidate]:
        rows = self.session.execute(
            select(ArticleRow.id, ArticleRow.near_duplicate_group, ArticleRow.signature)
            .join(BandRow, BandRow.article_id == ArticleRow.id)
            .where(BandRow.key.in_(list(keys)))
            .distinct()
        )
        return [Candidate(a, g, signature_from_bytes(s)) for a, g, s in rows]
