"""Places carry their gazetteer entry and the geoparser's confidence.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fogmap.store._migrating import add_column

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_column("places", sa.Column("gazetteer_id", sa.Integer))
    add_column("places", sa.Column("confidence", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("places") as batch:
        batch.drop_column("confidence")
        batch.drop_column("gazetteer_id")
