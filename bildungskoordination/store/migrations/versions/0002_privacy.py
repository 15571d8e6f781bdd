"""Datenschutz: Protokoll, Löschliste, Einstellungen, Widerruf der Einwilligung, nie wiederverwendete Ids

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # recreate="always" with sqlite_autoincrement: SQLite can add AUTOINCREMENT only by rebuilding the table.
    # Without it a deleted highest id is handed out again, and the erasure ledger would point at a new person
    # (see models.Person). The copy fills sqlite_sequence with the highest id that exists now.
    # PostgreSQL: a serial's sequence never goes back, so a plain ALTER is enough there.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('person', schema=None, recreate='always' if sqlite else 'auto',
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('consent_withdrawn_at', sa.Date(), nullable=True))

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('os_user', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_person_id'), ['person_id'], unique=False)

    op.create_table('erasure_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('erased_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_ledger')),
    sa.UniqueConstraint('person_id', name=op.f('uq_erasure_ledger_person_id'))
    )
    op.create_table('app_setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_setting'))
    )


def downgrade() -> None:
    op.drop_table('app_setting')
    op.drop_table('erasure_ledger')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_person_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
    op.drop_table('audit_event')
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('person', schema=None, recreate='always' if sqlite else 'auto',
                              table_kwargs={'sqlite_autoincrement': False}) as batch_op:
        batch_op.drop_column('consent_withdrawn_at')
