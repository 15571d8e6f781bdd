"""Storage: SQLAlchemy models, the SQLite engine, units of work and Alembic migrations."""
