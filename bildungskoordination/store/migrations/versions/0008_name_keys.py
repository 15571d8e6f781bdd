"""Phonetic name keys with vowel classes and variant letters (issue 11): every person's search keys anew

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

``search_folded`` and ``search_skeleton`` are derived from the names by domain.names.search_keys; its rules
changed (domain/phonetic.py), so every row gets its keys again. The FTS5 update trigger of 0004 re-indexes
each changed row; the index is optimised once at the end. A later change of the rules needs such a migration too.

New table ``person_alias``: the file numbers (and ids) of person files merged into another one by hand.
"""

import sqlalchemy as sa
from alembic import op

from bildungskoordination.domain.names import search_keys

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_BATCH = 2000


def upgrade() -> None:
    op.create_table('person_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('file_number', sa.String(length=40), nullable=False),
    sa.Column('merged_person_id', sa.Integer(), nullable=False),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_alias_person_id_person'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_alias')),
    sa.UniqueConstraint('file_number', name=op.f('uq_person_alias_file_number'))
    )
    op.create_index(op.f('ix_person_alias_person_id'), 'person_alias', ['person_id'], unique=False)
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, family_name, given_name, name_original FROM person")).all()
    for start in range(0, len(rows), _BATCH):
        params = []
        for pid, family, given, original in rows[start:start + _BATCH]:
            folded, keys = search_keys(family or "", given or "", original or "")
            params.append({"id": pid, "f": folded, "k": keys})
        conn.execute(sa.text("UPDATE person SET search_folded = :f, search_skeleton = :k WHERE id = :id"), params)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("INSERT INTO person_fts (person_fts) VALUES ('optimize')")


def downgrade() -> None:
    """The keys stay as they are: the 0007 search still finds by folded words and file numbers."""
    op.drop_index(op.f('ix_person_alias_person_id'), table_name='person_alias')
    op.drop_table('person_alias')
