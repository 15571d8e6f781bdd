"""Alembic environment: migrations run on the connection the app hands over (see store.migrate)."""

from alembic import context

from bildungskoordination.store.models import Base, is_person_fts_table

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode recreates tables
    # The FTS5 search index (migration 0004) is invisible to SQLAlchemy: never propose to drop it.
    include_name=lambda name, type_, _parents: not (type_ == "table" and name is not None and is_person_fts_table(name)),
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
