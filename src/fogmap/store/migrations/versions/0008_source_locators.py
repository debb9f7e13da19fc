"""Sources are found by locator: a resumed crawl passes over the records it stored
without reading them again.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

from fogmap.store._migrating import create_index

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_index("ix_article_sources_locator", "article_sources", ["locator"])


def downgrade() -> None:
    op.drop_index("ix_article_sources_locator", "article_sources")
