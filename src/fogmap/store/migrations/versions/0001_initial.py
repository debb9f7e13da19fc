"""Initial schema: articles and their sources, near-duplicate bands, entities, mentions,
places, claims, events, relations, and full-text search over article text.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _article_fk(table: str) -> sa.Column:
    return sa.Column(
        "article_id",
        sa.String(32),
        sa.ForeignKey("articles.id", ondelete="CASCADE", name=f"fk_{table}_article_id_articles"),
        nullable=False,
    )


def _numbered(table: str, *columns: sa.Column) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _article_fk(table),
        sa.Column("number", sa.Integer, nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint("article_id", "number", name=f"uq_{table}_article_id_number"),
    )
    op.create_index(f"ix_{table}_article_id", table, ["article_id"])


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("captions", sa.JSON, nullable=False),
        sa.Column("removed", sa.JSON, nullable=False),
        sa.Column("near_duplicate_group", sa.String(32), nullable=False),
        sa.Column("near_duplicate_similarity", sa.Float, nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_near_duplicate_group", "articles", ["near_duplicate_group"])

    op.create_table(
        "article_sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _article_fk("article_sources"),
        sa.Column("locator", sa.Text, nullable=False),
        sa.Column("source_id", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.PrimaryKeyConstraint("id", name="pk_article_sources"),
        sa.UniqueConstraint("article_id", "locator", name="uq_article_sources_article_id_locator"),
    )
    op.create_index("ix_article_sources_article_id", "article_sources", ["article_id"])

    op.create_table(
        "near_duplicate_bands",
        sa.Column("key", sa.BigInteger, nullable=False),
        _article_fk("near_duplicate_bands"),
        sa.PrimaryKeyConstraint("key", "article_id", name="pk_near_duplicate_bands"),
    )

    _numbered(
        "entities",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("affiliation", sa.Text),
    )
    op.create_index("ix_entities_name", "entities", ["name"])
    op.create_index("ix_entities_type", "entities", ["type"])

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "entity_id",
            sa.Integer,
            sa.ForeignKey("entities.id", ondelete="CASCADE", name="fk_mentions_entity_id_entities"),
            nullable=False,
        ),
        _article_fk("mentions"),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
    )
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"])

    _numbered(
        "places",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("geonames_id", sa.Integer),
        sa.Column("feature_class", sa.String(4)),
        sa.Column("feature_code", sa.String(10)),
        sa.Column("country", sa.String(3)),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("mentions", sa.JSON, nullable=False),
    )
    op.create_index("ix_places_name", "places", ["name"])

    _numbered(
        "claims",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cue", sa.Text),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column(
            "speaker_entity_id",
            sa.Integer,
            sa.ForeignKey(
                "entities.id", ondelete="SET NULL", name="fk_claims_speaker_entity_id_entities"
            ),
        ),
        sa.Column("speaker_text", sa.Text),
        sa.Column("hedge", sa.Text),
        sa.Column("channel", sa.Text),
    )

    _numbered(
        "events",
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("sub_event_type", sa.String(60)),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column(
            "place_id",
            sa.Integer,
            sa.ForeignKey("places.id", ondelete="SET NULL", name="fk_events_place_id_places"),
        ),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("time_precision", sa.Integer),
        sa.Column("fatalities", sa.Integer),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column(
            "claim_id",
            sa.Integer,
            sa.ForeignKey("claims.id", ondelete="SET NULL", name="fk_events_claim_id_claims"),
        ),
        sa.Column("mode", sa.String(16), nullable=False),
    )
    op.create_index("ix_events_event_type", "events", ["event_type"])
    op.create_index("ix_events_date_start", "events", ["date_start"])

    op.create_table(
        "relations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source_table", sa.String(16), nullable=False),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("target_table", sa.String(16), nullable=False),
        sa.Column("target_id", sa.Integer, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("evidence", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_relations"),
    )
    op.create_index("ix_relations_kind", "relations", ["kind"])
    op.create_index("ix_relations_source", "relations", ["source_table", "source_id"])
    op.create_index("ix_relations_target", "relations", ["target_table", "target_id"])

    _create_search()


def _create_search() -> None:
    """Full-text search on article title and text: FTS5 on SQLite, tsvector on PostgreSQL."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE article_search USING fts5("
            "article_id UNINDEXED, title, text, tokenize='porter unicode61')"
        )
        op.execute(
            "CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN "
            "INSERT INTO article_search (article_id, title, text) "
            "VALUES (new.id, coalesce(new.title, ''), new.text); END"
        )
        op.execute(
            "CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN "
            "DELETE FROM article_search WHERE article_id = old.id; END"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_articles_search ON articles USING gin "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS articles_search_delete")
        op.execute("DROP TRIGGER IF EXISTS articles_search_insert")
        op.execute("DROP TABLE IF EXISTS article_search")
    for table in (
        "relations",
        "events",
        "claims",
        "places",
        "mentions",
        "entities",
        "near_duplicate_bands",
        "article_sources",
        "articles",
    ):
        op.drop_table(table)
