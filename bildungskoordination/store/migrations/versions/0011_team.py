"""A team on one database (issue 15): versions for optimistic locking, owners of follow-ups, the change feed

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

``version`` on person, contact, course and referral: SQLAlchemy's ``version_id_col`` checks it in every
UPDATE and bumps it, so a save based on an older state is refused instead of overwriting (store/versioning.py).
``contact.owner``: the coordinator a follow-up belongs to; older contacts get whoever created them according
to the audit log. ``change_log``: the feed other users' apps poll to refresh their views (store/change_feed.py).
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_VERSIONED = ('person', 'contact', 'course', 'referral')


def upgrade() -> None:
    for table in _VERSIONED:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('contact', sa.Column('owner', sa.String(length=100), server_default='', nullable=False))
    op.execute("UPDATE contact SET owner = COALESCE((SELECT a.os_user FROM audit_event a WHERE a.entity = 'contact' "
               "AND a.entity_id = contact.id AND a.action IN ('create', 'import') ORDER BY a.id LIMIT 1), '')")
    op.create_table('change_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('origin', sa.String(length=32), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ids', sa.JSON(), nullable=False),
    sa.Column('person_ids', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log')),
    sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table('change_log')
    with op.batch_alter_table('contact') as batch:
        batch.drop_column('owner')
    for table in _VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('version')
