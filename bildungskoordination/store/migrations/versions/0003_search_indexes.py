"""Indexes for search as you type and the next follow-up per person (measured in benchmarks/)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_search',
                              ['sort_name', 'id', 'search_folded', 'search_skeleton', 'file_number'], unique=False)
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_person_followup', ['person_id', 'followup_done', 'followup_date'],
                              unique=False)
    # Statistics for the query planner (without them it picks the follow-up index for per-person lookups).
    op.execute("ANALYZE")


def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_person_followup')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_search')
