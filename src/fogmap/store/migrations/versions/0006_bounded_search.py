"""PostgreSQL's full-text index reads a bounded prefix of each article: a tsvector holds at
most 1 MB, and an article near fogmap's size limit in a script of wide characters is more.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Characters of title and text the search vector reads (also in store/queries.py).
SEARCHED_CHARS = 100_000


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute(
            "CREATE INDEX ix_articles_search ON articles USING gin (to_tsvector('english', "
            f"left(coalesce(title, '') || ' ' || text, {SEARCHED_CHARS})))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute(
            "CREATE INDEX ix_articles_search ON articles USING gin "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text))"
        )
