"""Alembic environment: runs fogmap's migrations on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from fogmap.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("fogmap migrations run through fogmap.store.Store, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
