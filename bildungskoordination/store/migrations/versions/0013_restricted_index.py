"""Wiedervorlagen-Zähler ohne Personenzeilen: Index der eingeschränkten Personen

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08

The badge "fällige Wiedervorlagen" counts open follow-ups of people whose processing is not restricted. With a
join it read the person row of every due follow-up (on an encrypted 500 000-person file: seconds, every page
decrypted); a partial index of the few restricted people and ``ix_contact_due`` (``ix_contact_followup`` plus
``person_id``) let the count stay inside one covering index
(people/contacts.py ``count_due``). Partial indexes exist on SQLite and on PostgreSQL alike.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_contact_followup", table_name="contact")
    op.create_index("ix_contact_due", "contact", ["followup_done", "followup_date", "person_id"])
    op.create_index("ix_person_restricted", "person", ["id"],
                    sqlite_where=sa.text("consent_withdrawn_at IS NOT NULL"),
                    postgresql_where=sa.text("consent_withdrawn_at IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_person_restricted", table_name="person")
    op.drop_index("ix_contact_due", table_name="contact")
    op.create_index("ix_contact_followup", "contact", ["followup_done", "followup_date"])
