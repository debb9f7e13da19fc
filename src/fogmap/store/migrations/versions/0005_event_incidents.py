"""Events are incidents: every telling of one is kept (`mentions`, trigger and sentence
spans as JSON), and each says whether it is the article's news or a background incident.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fogmap.store._migrating import add_column

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_column(
        "events", sa.Column("timing", sa.String(12), nullable=False, server_default="current")
    )
    add_column("events", sa.Column("mentions", sa.JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("mentions")
        batch.drop_column("timing")
