"""The store: fogmap's records in SQLite (default) or PostgreSQL, behind one small API.

`Store.open(url)` connects and brings the schema up to date with the migrations; writes go
through `Store.batch()`, one transaction per batch, so an ingest killed at any moment
leaves only whole batches behind and a rerun completes it without duplicates: article ids
are content hashes and every insert is keyed on them. `Store.open(url, read_only=True)`,
for commands that only read, never creates, migrates or writes: SQLite is opened read-only,
PostgreSQL sessions are read-only transactions.

Migrations are atomic: on SQLite every transaction is a real one (`BEGIN IMMEDIATE`, DDL
included, where the driver would otherwise commit each statement), on PostgreSQL one
transaction holding an advisory lock; a migration that fails leaves the schema as it was,
and two processes opening one new database migrate it once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote, unquote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    inspect,
    select,
    union_all,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
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
from fogmap.text.dedupe import (
    BAND_READ,
    MAX_CANDIDATES,
    Candidate,
    Grouping,
    signature_bytes,
    signature_from_bytes,
)

DEFAULT_URL = "sqlite:///fogmap.db"
BUSY_SECONDS = 60  # a writer waits this long for another to finish before giving up
CONNECT_SECONDS = 10  # PostgreSQL: a server that does not answer in this time is down
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATION_LOCK = 0x666F676D  # PostgreSQL advisory lock key ("fogm")
# Every table fogmap's migrations make (SQLite's full-text index makes several).
_FOGMAP_TABLES = frozenset(
    {"articles", "article_sources", "near_duplicate_bands", "entities", "mentions", "places",
     "claims", "events", "relations", "fetches", "incidents", "incident_reports",
     "fusion_runs", "reviews", "alembic_version", "article_search",
     "article_search_data", "article_search_idx", "article_search_content",
     "article_search_docsize", "article_search_config"}
)  # fmt: skip


def _drop_order(table: str) -> int:
    """Tables that others point to go last."""
    order = {"incident_reports": 0, "reviews": 0, "entities": 2, "places": 2, "claims": 2}
    return 3 if table == "articles" else order.get(table, 1)


__all__ = ["DEFAULT_URL", "Store", "StoreBandIndex", "database_url", "describe_failure"]


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


def describe_failure(exc: DBAPIError) -> str:
    """One line for a database failure, naming the cause a user can act on."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    lowered = reason.lower()
    if "locked" in lowered or "busy" in lowered:
        return f"the database is busy with another writer ({reason}); try again when it is done"
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return (
            f"the database cannot be written ({reason}): check the file's and folder's permissions"
        )
    if "full" in lowered or "no space" in lowered:
        return f"no space left for the database ({reason})"
    if "not a database" in lowered or "malformed" in lowered:
        return f"the file is not a usable SQLite database ({reason})"
    if "timeout" in lowered or "could not connect" in lowered or "connection" in lowered:
        return f"cannot reach the database server ({reason})"
    return reason


def _sqlite_file(path: Path) -> None:
    """Refuse a path that is not a SQLite file before SQLite touches it."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from exc
    if header and header != _SQLITE_HEADER:
        raise StoreError(f"{path} is not a SQLite database")


def _sqlite_connections(engine: Engine, read_only: bool) -> None:
    """Real transactions on SQLite. The driver would commit every DDL statement on its own
    (a migration cut short would strand a half-built schema) and take the write lock only
    at the first write (two writers would deadlock); fogmap begins each transaction itself,
    writers with the write lock taken at once, waiting up to BUSY_SECONDS for another."""

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        if not read_only:
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _alembic_config(connection: Connection | None = None) -> Config:
    """fogmap's migrations, to run on `connection` (the env refuses to run without one)."""
    config = Config()
    config.set_main_option("script_location", str(files("fogmap").joinpath("store/migrations")))
    config.attributes["connection"] = connection
    return config


def _engine(url: str, read_only: bool) -> Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    arguments: dict[str, object] = {}
    if backend == "sqlite" and parsed.database:
        path = Path(parsed.database)
        if read_only:
            if not path.exists():
                raise StoreError(f"no database at {path} (fogmap ingest creates one)")
            _sqlite_file(path)
            parsed = URL.create(
                parsed.drivername,
                database=f"file:{quote(str(path.resolve()))}?mode=ro",
                query={"uri": "true"},
            )
        else:
            if not path.parent.exists():
                raise StoreError(f"cannot create database {path}: no folder {path.parent}")
            if path.exists():
                _sqlite_file(path)
        arguments["connect_args"] = {"timeout": BUSY_SECONDS}
    elif backend == "postgresql":
        options: dict[str, object] = {}
        if "connect_timeout" not in parsed.query:
            options["connect_timeout"] = CONNECT_SECONDS
        if read_only:
            options["options"] = "-c default_transaction_read_only=on"
        arguments["connect_args"] = options
    engine = create_engine(parsed, **arguments)
    if engine.dialect.name == "sqlite":
        _sqlite_connections(engine, read_only)
    return engine


class Store:
    def __init__(self, engine: Engine, read_only: bool = False) -> None:
        self.engine = engine
        self.read_only = read_only

    @classmethod
    def repair(cls, url: str | None = None) -> Store:
        """Rebuild a database whose creation an older fogmap left half-done (its tables
        without a schema version): it can hold no article, as nothing is stored before the
        schema is whole, and then its tables are dropped and made again. One with articles
        is refused."""
        engine = _engine(database_url(url), read_only=False)
        where = _shown(engine)
        with engine.begin() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = MigrationContext.configure(connection).get_current_revision()
            if revision is not None or not tables or not tables <= _FOGMAP_TABLES:
                engine.dispose()
                raise StoreError(f"{where} needs no repair (fogmap migrate brings it up)")
            if (
                "articles" in tables
                and connection.exec_driver_sql("SELECT 1 FROM articles LIMIT 1").first()
            ):
                engine.dispose()
                raise StoreError(f"{where} holds articles: it is not repaired, copy them out")
            for name in ("article_search", *sorted(tables, key=_drop_order)):
                if name in tables:
                    connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
        engine.dispose()
        return cls.open(url)

    @classmethod
    def open(cls, url: str | None = None, read_only: bool = False) -> Store:
        """Connect, check that the database is fogmap's (or empty), and migrate it; with
        `read_only` (commands that only read) refuse a missing, foreign or out-of-date
        database instead of creating or migrating it."""
        url = database_url(url)
        try:
            engine = _engine(url, read_only)
        except (ArgumentError, NoSuchModuleError, ValueError) as exc:
            raise StoreError(f"bad database URL {url!r}: {exc}") from exc
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"no driver for {url.split(':')[0]} ({exc.name} is not installed; "
                "pip install 'fogmap[postgres]')"
            ) from exc
        store = cls(engine, read_only)
        try:
            store._check_schema()
            if not read_only:
                store.migrate()
        except DBAPIError as exc:
            engine.dispose()
            raise StoreError(
                f"cannot open database {_shown(engine)}: {describe_failure(exc)}"
            ) from exc
        except StoreError:
            engine.dispose()
            raise
        return store

    def _check_schema(self) -> None:
        """Refuse another application's database, and one a read cannot use as it is."""
        with self.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = MigrationContext.configure(connection).get_current_revision()
        where = _shown(self.engine)
        if tables and revision is None and tables <= _FOGMAP_TABLES and "articles" in tables:
            raise StoreError(
                f"{where} is a fogmap database whose creation was cut short by an older "
                f"fogmap: run `fogmap migrate --repair --db {where}`"
            )
        if tables and revision is None:
            listed = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
            raise StoreError(
                f"{where} is not a fogmap database (it holds {listed}); give another --db"
            )
        known = {
            s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()
        }
        if revision is not None and revision not in known:
            raise StoreError(f"{where} was written by a newer fogmap (schema {revision})")
        if self.read_only and revision is None:
            raise StoreError(f"{where} holds no fogmap data yet (fogmap ingest creates it)")
        if self.read_only and revision != self.head_revision():
            raise StoreError(
                f"{where} was written by an older fogmap: run `fogmap migrate --db {where}`"
            )

    def migrate(self) -> None:
        if self.engine.dialect.name == "sqlite":
            # readers and a writer at once; set once the file is known to be fogmap's
            raw = self.engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA journal_mode=WAL")
            finally:
                raw.close()
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            command.upgrade(_alembic_config(connection), "head")

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


def _shown(engine: Engine) -> str:
    """The database as the user named it: a SQLite file's path, a URL without password."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return unquote(url.database.removeprefix("file:").split("?")[0])
    return url.render_as_string(hide_password=True)


def stored_locators(session: Session, locators: list[str]) -> set[str]:
    """Which of these inputs were stored already (the sources' locators)."""
    found = session.scalars(select(SourceRow.locator).where(SourceRow.locator.in_(locators)))
    return set(found)


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
        place_row = PlaceRow(article_id=article.id, number=number, **values)
        session.add(place_row)
        place_rows[number] = place_row
    claim_rows: dict[int, ClaimRow] = {}
    for claim in document.claims:
        values = asdict(claim)
        number, speaker = values.pop("id"), values.pop("speaker")
        claim_row = ClaimRow(
            article_id=article.id,
            number=number,
            speaker_entity_id=entity_rows[speaker].id if speaker is not None else None,
            **values,
        )
        session.add(claim_row)
        claim_rows[number] = claim_row
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
        """The stored articles sharing the most bands with these keys, at most
        MAX_CANDIDATES of them: wire copies and templated bulletins put thousands of
        articles in the same bands, and comparing each new one with all of them would make
        ingest slower the larger the store. The best match shares the most bands."""
        # each band read up to BAND_READ rows, so a band shared by thousands costs no more
        per_band = [
            select(BandRow.article_id).where(BandRow.key == key).limit(BAND_READ).subquery()
            for key in dict.fromkeys(keys)
        ]
        if not per_band:
            return []
        found = union_all(*(select(band.c.article_id) for band in per_band)).subquery()
        shared = (
            select(found.c.article_id, func.count().label("bands"))
            .group_by(found.c.article_id)
            .order_by(func.count().desc(), found.c.article_id)
            .limit(MAX_CANDIDATES)
            .subquery()
        )
        rows = self.session.execute(
            select(ArticleRow.id, ArticleRow.near_duplicate_group, ArticleRow.signature).join(
                shared, shared.c.article_id == ArticleRow.id
            )
        )
        return [Candidate(a, g, signature_from_bytes(s)) for a, g, s in rows]
