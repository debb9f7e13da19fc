"""The database tables: one schema for SQLite and PostgreSQL, created by migrations.

These declarations are the reference the migrations are checked against (a test compares
the migrated database with them); the migrations, not `create_all`, build real databases.
Every extracted row keeps its article id and character offsets into the article text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _article_id() -> Mapped[str]:
    return mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40), index=True)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    captions: Mapped[list[str]] = mapped_column(JSON)
    removed: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    near_duplicate_group: Mapped[str] = mapped_column(String(32), index=True)
    near_duplicate_similarity: Mapped[float] = mapped_column(Float)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    ingested_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    fused: Mapped[int | None] = mapped_column(Integer, index=True)  # the last fusion run
    # that read it; None: stored since


class SourceRow(Base):
    """Where an article was read from: one row per URL or file that carried the same text."""

    __tablename__ = "article_sources"
    __table_args__ = (UniqueConstraint("article_id", "locator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = _article_id()
    locator: Mapped[str] = mapped_column(Text)
    source_id: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40))


Index("ix_article_sources_locator", SourceRow.locator)


class BandRow(Base):
    """The near-duplicate LSH index: an article is a candidate where it shares a band key."""

    __tablename__ = "near_duplicate_bands"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )


class EntityRow(Base):
    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = _article_id()
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text, index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    aliases: Mapped[list[str]] = mapped_column(JSON)
    role: Mapped[str | None] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(Text)


class MentionRow(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[str] = _article_id()
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(16))


class PlaceRow(Base):
    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = _article_id()
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text, index=True)
    geonames_id: Mapped[int | None] = mapped_column(Integer)
    feature_class: Mapped[str | None] = mapped_column(String(4))
    feature_code: Mapped[str | None] = mapped_column(String(10))
    country: Mapped[str | None] = mapped_column(String(3))
    admin1: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    gazetteer_id: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float | None] = mapped_column(Float)
    mentions: Mapped[list[dict[str, object]]] = mapped_column(JSON)


class ClaimRow(Base):
    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = _article_id()
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    cue: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker_entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL")
    )
    speaker_text: Mapped[str | None] = mapped_column(Text)
    speaker_name: Mapped[str | None] = mapped_column(Text, index=True)
    speaker_role: Mapped[str | None] = mapped_column(Text)
    speaker_affiliation: Mapped[str | None] = mapped_column(Text)
    hedge: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(Text)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = _article_id()
    number: Mapped[int] = mapped_column(Integer)
    event_type: Mapped[str] = mapped_column(String(40), index=True)
    sub_event_type: Mapped[str | None] = mapped_column(String(60))
    actor1: Mapped[str | None] = mapped_column(Text)
    actor2: Mapped[str | None] = mapped_column(Text)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"))
    date_start: Mapped[str | None] = mapped_column(String(10), index=True)
    date_end: Mapped[str | None] = mapped_column(String(10))
    time_precision: Mapped[int | None] = mapped_column(Integer)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    mode: Mapped[str] = mapped_column(String(16))
    trigger: Mapped[str | None] = mapped_column(Text)
    sentence_start: Mapped[int | None] = mapped_column(Integer)
    sentence_end: Mapped[int | None] = mapped_column(Integer)
    assoc_actor_1: Mapped[str | None] = mapped_column(Text)
    assoc_actor_2: Mapped[str | None] = mapped_column(Text)
    event_date: Mapped[str | None] = mapped_column(String(10), index=True)
    date_text: Mapped[str | None] = mapped_column(Text)
    fatalities_note: Mapped[str | None] = mapped_column(Text)
    salience: Mapped[float | None] = mapped_column(Float)
    timing: Mapped[str] = mapped_column(String(12), server_default="current")
    mentions: Mapped[list[dict[str, object]]] = mapped_column(JSON, server_default="[]")


class RelationRow(Base):
    """Cross-article links made by fusion: claim supports/contradicts claim, same event."""

    __tablename__ = "relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    source_table: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(Integer)
    target_table: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[dict[str, object] | None] = mapped_column(JSON)


Index("ix_relations_source", RelationRow.source_table, RelationRow.source_id)
Index("ix_relations_target", RelationRow.target_table, RelationRow.target_id)


class FetchRow(Base):
    """What `fogmap watch` fetched: a feed's validators for a conditional GET next time, and
    each page it read, so no page is fetched twice."""

    __tablename__ = "fetches"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class IncidentRow(Base):
    """An incident across articles as fusion last merged it (`fogmap fuse`): its merged
    fields, so the desk lists and maps incidents without fusing at each request."""

    __tablename__ = "incidents"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(40), index=True)
    sub_event_type: Mapped[str | None] = mapped_column(String(60))
    date_start: Mapped[str | None] = mapped_column(String(10))
    date_end: Mapped[str | None] = mapped_column(String(10))
    place: Mapped[str | None] = mapped_column(Text)
    feature_code: Mapped[str | None] = mapped_column(String(10))
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    admin1: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    actor1: Mapped[str | None] = mapped_column(Text)
    actor2: Mapped[str | None] = mapped_column(Text)
    reports: Mapped[int] = mapped_column(Integer)
    origins: Mapped[int] = mapped_column(Integer)
    contested: Mapped[bool] = mapped_column(Boolean)
    happened: Mapped[bool] = mapped_column(Boolean)  # some report says it happened
    first_published: Mapped[str | None] = mapped_column(String(40))
    # What the desk filters on, kept with the incident rather than joined per request: its
    # reports' outlets (lower case, a line each) and modes (",asserted,claimed,").
    outlets: Mapped[str] = mapped_column(Text)
    modes: Mapped[str] = mapped_column(String(120))


Index("ix_incidents_date_start_event_type", IncidentRow.date_start, IncidentRow.event_type)


class IncidentReportRow(Base):
    """One event (one article's telling) of an incident."""

    __tablename__ = "incident_reports"

    incident_id: Mapped[str] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    article_id: Mapped[str] = mapped_column(String(32), index=True)


class FusionRunRow(Base):
    """A fusion run: when, over how much, how long. Each article names the last run that
    read it (`ArticleRow.fused`), so the next run knows which are new."""

    __tablename__ = "fusion_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    articles: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer)
    incidents: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    finished_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class ReviewRow(Base):
    """A coder's verdict on one field of an event or an incident, kept apart from what
    fogmap extracted: `confirm` (right as it is), `correct` (`value` is right) or `reject`
    (wrong, nothing in its place; the field `event` rejects the whole record). An
    incident's id changes when fusion adds a report to it, so its reviews also name the
    event it was anchored on (its first report) to be found again."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(String(10))  # event or incident
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    incident_id: Mapped[str | None] = mapped_column(String(20))
    anchor_event_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(10))
    value: Mapped[str | None] = mapped_column(Text)
    machine_value: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
