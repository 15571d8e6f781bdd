"""Alembic environment: migrations run on the connection the app hands over (see store.migrate)."""

from alembic import context

from bildungskoordination.store.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode recreates tables
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
