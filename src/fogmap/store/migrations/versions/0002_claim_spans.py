"""Claims carry where their cue and speaker are, and who the speaker resolves to.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fogmap.store._migrating import add_column, create_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("speaker_name", sa.Text),
    ("speaker_role", sa.Text),
    ("speaker_affiliation", sa.Text),
    ("cue_start", sa.Integer),
    ("cue_end", sa.Integer),
    ("speaker_start", sa.Integer),
    ("speaker_end", sa.Integer),
)


def upgrade() -> None:
    for name, kind in _COLUMNS:
        add_column("claims", sa.Column(name, kind))
    create_index("ix_claims_speaker_name", "claims", ["speaker_name"])


def downgrade() -> None:
    op.drop_index("ix_claims_speaker_name", "claims")
    with op.batch_alter_table("claims") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
