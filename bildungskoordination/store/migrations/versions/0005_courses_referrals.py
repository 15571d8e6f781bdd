"""Kursträger, Kurse und Vermittlungen (courses/)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

New tables only: ``person`` is not touched (its FTS5 triggers from 0004 stay as they are).
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('contact_person', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider')),
    sa.UniqueConstraint('name', name=op.f('uq_provider_name'))
    )
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('course_number', sa.String(length=60), nullable=False),
    sa.Column('course_type', sa.String(length=40), nullable=False),
    sa.Column('entry_level', sa.String(length=8), nullable=False),
    sa.Column('target_level', sa.String(length=8), nullable=False),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('registration_deadline', sa.Date(), nullable=True),
    sa.Column('teaching_units', sa.Integer(), nullable=True),
    sa.Column('days', sa.JSON(), nullable=False),
    sa.Column('time_from', sa.String(length=5), nullable=False),
    sa.Column('time_to', sa.String(length=5), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('municipality', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('childcare', sa.Boolean(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('free_places', sa.Integer(), nullable=True),
    sa.Column('free_places_as_of', sa.DateTime(), nullable=True),
    sa.Column('target_group', sa.Text(), nullable=False),
    sa.Column('costs_note', sa.String(length=400), nullable=False),
    sa.Column('contact_person', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_course_provider_id_provider')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('provider_id', 'course_number', name='uq_course_provider_number')
    )
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_course_number'), ['course_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_course_type'), ['course_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_start'), ['start'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('waiting_position', sa.Integer(), nullable=True),
    sa.Column('active_since', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_referral_course_id_course')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_referral_person_id_person'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_person_id'), ['person_id'], unique=False)

    op.create_table('referral_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('at', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_event_referral_id_referral'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_event'))
    )
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_event_referral_id'), ['referral_id'], unique=False)


def downgrade() -> None:
    op.drop_table('referral_event')
    op.drop_table('referral')
    op.drop_table('course')
    op.drop_table('provider')
