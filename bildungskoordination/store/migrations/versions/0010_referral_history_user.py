"""Vermittlungen: who made each status change, and the reason for referring to a course marked unsuitable

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

``referral_event.os_user``: the login name that made the change (as in the audit log). Existing rows take it
from the audit entry written in the same unit of work (same referral, within a few seconds); where there is
none (purged log), it stays empty and the history shows "unbekannt".

``referral.unsuitable_reason``: why the person was referred although the matching said the course is not
suitable (✗); empty for every other referral.
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0008'  # the lead re-chains to '0009' at merge
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('os_user', sa.String(length=100), nullable=False, server_default=''))
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsuitable_reason', sa.Text(), nullable=False, server_default=''))
    conn = op.get_bind()
    # audit_event.at and referral_event.created_at are both taken at the change (whole seconds), a moment apart.
    conn.execute(sa.text("""
        UPDATE referral_event SET os_user = COALESCE((
            SELECT a.os_user FROM audit_event AS a
            WHERE a.entity = 'referral' AND a.entity_id = referral_event.referral_id
              AND a.action IN ('create', 'update')
              AND a.at BETWEEN datetime(referral_event.created_at, '-5 seconds')
                           AND datetime(referral_event.created_at, '+5 seconds')
            LIMIT 1), '')
    """))


def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_column('unsuitable_reason')
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.drop_column('os_user')
