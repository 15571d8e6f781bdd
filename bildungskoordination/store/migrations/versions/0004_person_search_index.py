"""Full-text index for the person search as you type, kept in sync by triggers (see people/search.py)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-16

``person_fts`` is an FTS5 table without content of its own (``content=''``): it holds only the index of the
derived search keys of every person, under the person's id as rowid. Four SQL triggers on ``person`` keep it
and ``person_version`` current whatever writes the rows – the services, the demo's bulk inserts, the erasure,
a raw INSERT in a test – so no Python code has to remember it.

- Deleting a person ends with FTS5's ``optimize``: FTS5 deletes by appending delete markers and keeps the old
  entries until segments merge, so without it an erased name would stay readable in ``person_fts_data``
  (``PRAGMA secure_delete`` then zeroes the freed pages). It rewrites the index (about 0.1 s at 50 000 people),
  which is fine for a rare, deliberate action.
- ``person_version.stamp`` gets a new random value on every insert, update and delete of a person: the person
  list's cached order (people/search.py) is valid while it is unchanged.

A later batch migration that recreates ``person`` drops these triggers with the old table and must create them
again (tests/core/test_search_index.py checks that they exist at the head revision).

PostgreSQL (a team database) has no FTS5: there the search runs the LIKE conditions that define it
(people/search_like.py) on trigram indexes (``pg_trgm``, if the server has it), and one statement trigger
gives ``person_version`` its new stamp.
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Every suffix of lower(file_number), space-separated: a substring of the file number is then a prefix of one
# of these tokens (see people/search.py). Recursive CTEs are allowed in a trigger's subqueries.
_FILE_NUMBER_SUFFIXES = (
    "(WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < length({row}.file_number))"
    " SELECT group_concat(substr(lower({row}.file_number), i), ' ') FROM k)"
)


def _values(row: str) -> str:
    return (f"{row}.id, {row}.search_folded, {row}.search_skeleton, {_FILE_NUMBER_SUFFIXES.format(row=row)}, 'x'")


_COLUMNS = "rowid, folded, skeleton, file_number, everyone"
_BUMP = ("INSERT INTO person_version (id, stamp) VALUES (1, random()) "
         "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp;")

CREATE_FTS = (
    # Tokens end only at whitespace and ASCII punctuation other than - . / _ (so 'ts-2025-0007' is one token);
    # everything is already folded ASCII except file numbers. detail=column: column filters, no positions. The
    # column sizes (person_fts_docsize, numbers only) stay: without them the table could not be scanned.
    "CREATE VIRTUAL TABLE person_fts USING fts5(folded, skeleton, file_number, everyone, content='', "
    "detail=column, prefix='1 2 3', tokenize=\"ascii tokenchars '-./_'\")"
)
TRIGGERS = {
    "person_fts_insert": f"""
        CREATE TRIGGER person_fts_insert AFTER INSERT ON person BEGIN
            INSERT INTO person_fts ({_COLUMNS}) VALUES ({_values('new')});
            {_BUMP}
        END""",
    "person_fts_update": f"""
        CREATE TRIGGER person_fts_update AFTER UPDATE OF id, search_folded, search_skeleton, file_number ON person
        BEGIN
            INSERT INTO person_fts (person_fts, {_COLUMNS}) VALUES ('delete', {_values('old')});
            INSERT INTO person_fts ({_COLUMNS}) VALUES ({_values('new')});
        END""",
    "person_fts_delete": f"""
        CREATE TRIGGER person_fts_delete AFTER DELETE ON person BEGIN
            INSERT INTO person_fts (person_fts, {_COLUMNS}) VALUES ('delete', {_values('old')});
            INSERT INTO person_fts (person_fts) VALUES ('optimize');
            {_BUMP}
        END""",
    "person_version_update": f"""
        CREATE TRIGGER person_version_update AFTER UPDATE ON person BEGIN
            {_BUMP}
        END""",
}


PG_BUMP_FUNCTION = """
    CREATE OR REPLACE FUNCTION bk_person_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO person_version (id, stamp) VALUES (1, floor(random() * 2147483647)::int)
        ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp;
        RETURN NULL;
    END $$"""
PG_TRIGRAM_INDEXES = {
    "ix_person_folded_trgm": "person USING gin (search_folded gin_trgm_ops)",
    "ix_person_skeleton_trgm": "person USING gin (search_skeleton gin_trgm_ops)",
    "ix_person_file_number_trgm": "person USING gin (lower(file_number) gin_trgm_ops)",
}


def _upgrade_postgresql() -> None:
    op.execute("INSERT INTO person_version (id, stamp) VALUES (1, floor(random() * 2147483647)::int)")
    op.execute(PG_BUMP_FUNCTION)
    # BEFORE the statement: the stamp's row lock is taken before any person row lock, so two coordinators'
    # transactions that change several people cannot deadlock on it (they queue on the stamp instead).
    op.execute("CREATE TRIGGER person_version_bump BEFORE INSERT OR UPDATE OR DELETE ON person "
               "FOR EACH STATEMENT EXECUTE FUNCTION bk_person_version_bump()")
    conn = op.get_bind()
    has_trgm = conn.execute(sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar()
    if not has_trgm:
        return  # the LIKE conditions still work, by scanning
    try:
        with conn.begin_nested():  # pg_trgm is a trusted extension; without the right to create it: no index
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        return
    for name, target in PG_TRIGRAM_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON {target}")


def upgrade() -> None:
    op.create_table('person_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_version'))
    )
    if op.get_bind().dialect.name != 'sqlite':
        _upgrade_postgresql()
        return
    op.execute("INSERT INTO person_version (id, stamp) VALUES (1, random())")
    op.execute(CREATE_FTS)
    op.execute(f"INSERT INTO person_fts ({_COLUMNS}) SELECT {_values('person')} FROM person")
    op.execute("INSERT INTO person_fts (person_fts) VALUES ('optimize')")
    for sql in TRIGGERS.values():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.execute("DROP TRIGGER IF EXISTS person_version_bump ON person")
        op.execute("DROP FUNCTION IF EXISTS bk_person_version_bump()")
        for name in PG_TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.drop_table('person_version')
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS person_fts")
    op.drop_table('person_version')
