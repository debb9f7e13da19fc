"""Migration steps that can be run again over their own half-done work.

fogmap now runs each migration in one transaction, but older versions ran SQLite's
schema changes one statement at a time, so a step cut short there left some of its
columns added and its revision unrecorded ("duplicate column name: speaker_name" on every
later open). Each step adds what is missing and passes over what is there, so the next
`fogmap migrate` (or ingest) finishes such a step instead of failing on it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def add_column(table: str, column: sa.Column) -> None:
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    if column.name not in present:
        op.add_column(table, column)


def create_index(name: str, table: str, columns: list[str]) -> None:
    present = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes(table)}
    if name not in present:
        op.create_index(name, table, columns)
