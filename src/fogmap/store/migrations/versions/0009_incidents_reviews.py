"""Fusion is kept: the incidents across articles with their reports, the relations
between claims and events, its runs and which run last fused each article; and coders'
reviews, apart from what fogmap extracted.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fogmap.store._migrating import add_column, create_index

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_column("articles", sa.Column("fused", sa.Integer))
    create_index("ix_articles_fused", "articles", ["fused"])
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(20), nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("sub_event_type", sa.String(60)),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("place", sa.Text),
        sa.Column("feature_code", sa.String(10)),
        sa.Column("country", sa.String(3)),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("fatalities", sa.Integer),
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("origins", sa.Integer, nullable=False),
        sa.Column("contested", sa.Boolean, nullable=False),
        sa.Column("happened", sa.Boolean, nullable=False),
        sa.Column("first_published", sa.String(40)),
        sa.Column("outlets", sa.Text, nullable=False),
        sa.Column("modes", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_date_start_event_type", "incidents", ["date_start", "event_type"])
    for column in ("country", "event_type"):
        op.create_index(f"ix_incidents_{column}", "incidents", [column])
    op.create_table(
        "incident_reports",
        sa.Column("incident_id", sa.String(20), nullable=False),
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name="fk_incident_reports_incident_id_incidents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_incident_reports_event_id_events",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "event_id", name="pk_incident_reports"),
    )
    op.create_index("ix_incident_reports_event_id", "incident_reports", ["event_id"])
    op.create_index("ix_incident_reports_article_id", "incident_reports", ["article_id"])
    op.create_table(
        "fusion_runs",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("incidents", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column(
            "finished_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_fusion_runs"),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("target", sa.String(10), nullable=False),
        sa.Column("event_id", sa.Integer),
        sa.Column("incident_id", sa.String(20)),
        sa.Column("anchor_event_id", sa.Integer),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("machine_value", sa.Text),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_reviews_event_id_events", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_event_id", "reviews", ["event_id"])
    op.create_index("ix_reviews_anchor_event_id", "reviews", ["anchor_event_id"])


def downgrade() -> None:
    for name in ("reviews", "fusion_runs", "incident_reports", "incidents"):
        op.drop_table(name)
    op.drop_index("ix_articles_fused", "articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("fused")
