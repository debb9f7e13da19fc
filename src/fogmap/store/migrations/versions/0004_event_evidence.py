"""Events carry their trigger, sentences, associated actors, ACLED day, the words of their
date, the figures that disagreed with their toll, and their salience.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fogmap.store._migrating import add_column, create_index

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("trigger", sa.Text),
    ("sentence_start", sa.Integer),
    ("sentence_end", sa.Integer),
    ("assoc_actor_1", sa.Text),
    ("assoc_actor_2", sa.Text),
    ("event_date", sa.String(10)),
    ("date_text", sa.Text),
    ("fatalities_note", sa.Text),
    ("salience", sa.Float),
)


def upgrade() -> None:
    for name, kind in _COLUMNS:
        add_column("events", sa.Column(name, kind))
    create_index("ix_events_event_date", "events", ["event_date"])


def downgrade() -> None:
    op.drop_index("ix_events_event_date", "events")
    with op.batch_alter_table("events") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
