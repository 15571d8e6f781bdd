"""Was das Integrationskursrecht über eine Person wissen muss, und der Verlauf ihrer Aufenthaltsstatus

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

New columns on ``person`` (all nullable or with a default, so existing rows stay valid; the FTS5 triggers of
0004 name their columns and are not affected) and a new table ``person_status``. Every person with a status
gets its first history row, dated as the stored "Status seit" (``residence_issued``).
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', recreate='never') as batch:
        batch.add_column(sa.Column('obligation', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('obliged_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('bamf_admission_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('ik_completed_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('ik_final_level', sa.String(length=10), nullable=False, server_default=''))
    op.create_table('person_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_status_person_id_person'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_status'))
    )
    op.create_index(op.f('ix_person_status_person_id'), 'person_status', ['person_id'], unique=False)
    op.execute("INSERT INTO person_status (person_id, status, since, recorded_at) "
               "SELECT id, residence_status, residence_issued, updated_at FROM person WHERE residence_status != ''")


def downgrade() -> None:
    op.drop_index(op.f('ix_person_status_person_id'), table_name='person_status')
    op.drop_table('person_status')
    with op.batch_alter_table('person', recreate='never') as batch:
        for column in ('ik_final_level', 'ik_completed_on', 'bamf_admission_on', 'obliged_on', 'obligation'):
            batch.drop_column(column)
