"""Teamdatenbank (PostgreSQL): Zählfunktionen für die Rolle „monitoring“

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08

PostgreSQL only (nothing changes in a SQLite file): the anonymised counts of the monitoring tables
(monitoring/tables.py) as SECURITY DEFINER functions. They run with the rights of the tables' owner and return
aggregated numbers only, so the role ``bk_monitoring`` gets EXECUTE on them and no SELECT on any table with
personal data (store/roles.py). Each function is the SQL of the SQLite counting in tables.py, in PostgreSQL's
words; tests/core/test_monitoring_counts.py runs on both engines. People whose processing is restricted
(consent withdrawn) are left out as there.

Text lengths: SQLite ignores the length of ``VARCHAR(n)``, so the app never had to cap a name or an address at
the declared length; PostgreSQL would refuse a longer value. Every ``character varying(n)`` column becomes
``character varying`` (no limit, no rewrite of the table), so both engines accept the same input. A later
migration that adds a ``String(n)`` column must do the same on PostgreSQL (tests/core/test_team_database.py
checks that no length is left).
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = "0011"
branch_labels = None
depends_on = None

_NOT_RESTRICTED = ("NOT EXISTS (SELECT 1 FROM person rp WHERE rp.id = {col} "
                   "AND rp.consent_withdrawn_at IS NOT NULL)")
_CONTACTS = "c.contact_date BETWEEN p_start AND p_end AND " + _NOT_RESTRICTED.format(col="c.person_id")
_REFERRALS = ("COALESCE((SELECT min(ev.at) FROM referral_event ev WHERE ev.referral_id = r.id), r.created_at::date) "
              "BETWEEN p_start AND p_end AND " + _NOT_RESTRICTED.format(col="r.person_id"))
_PERIOD = "p_start date, p_end date"

FUNCTIONS = {
    f"bk_count_topics({_PERIOD})": ("TABLE(code text, contacts bigint, persons bigint)", f"""
        SELECT t.value, count(*), count(DISTINCT c.person_id)
        FROM contact c CROSS JOIN LATERAL json_array_elements_text(c.topics) AS t(value)
        WHERE {_CONTACTS} GROUP BY t.value"""),
    f"bk_count_channels({_PERIOD}, p_codes text[], p_unknown text)": (
        "TABLE(code text, contacts bigint, persons bigint)", f"""
        SELECT CASE WHEN c.channel = ANY(p_codes) THEN c.channel::text ELSE p_unknown END,
               count(*), count(DISTINCT c.person_id)
        FROM contact c WHERE {_CONTACTS} GROUP BY 1"""),
    f"bk_count_interpreters({_PERIOD}, p_codes text[], p_none text, p_unknown text)": (
        "TABLE(code text, contacts bigint, persons bigint)", f"""
        SELECT CASE WHEN c.interpreter_language = '' AND c.interpreter_kind = '' THEN p_none
                    WHEN c.interpreter_kind = ANY(p_codes) THEN c.interpreter_kind::text ELSE p_unknown END,
               count(*), count(DISTINCT c.person_id)
        FROM contact c WHERE {_CONTACTS} GROUP BY 1"""),
    # Each dimension on its own (margins, never the cross-table of all six, which would come close to single
    # people), and the total. Age at the period's end, as tables.PersonCodes computes it from the birth date:
    # no birth date leaves the function.
    f"bk_count_persons({_PERIOD})": ("TABLE(dimension text, code text, persons bigint)", """
        WITH p AS (
            SELECT p.gender::text AS gender,
                   CASE WHEN COALESCE(p.birth_year, 0) = 0 THEN NULL ELSE
                        extract(year FROM p_end)::int - p.birth_year
                        - CASE WHEN (extract(month FROM p_end)::int, extract(day FROM p_end)::int)
                                    < (COALESCE(NULLIF(p.birth_month, 0), 1), COALESCE(NULLIF(p.birth_day, 0), 1))
                               THEN 1 ELSE 0 END END AS age,
                   p.nationalities ->> 0 AS nationality, p.residence_status::text AS residence,
                   p.german_level::text AS german, p.municipality::text AS municipality
            FROM person p
            WHERE p.consent_withdrawn_at IS NULL
              AND p.id IN (SELECT c.person_id FROM contact c WHERE c.contact_date BETWEEN p_start AND p_end))
        SELECT 'total', NULL, count(*) FROM p
        UNION ALL SELECT 'gender', gender, count(*) FROM p GROUP BY gender
        UNION ALL SELECT 'age', age::text, count(*) FROM p GROUP BY age
        UNION ALL SELECT 'nationality', nationality, count(*) FROM p GROUP BY nationality
        UNION ALL SELECT 'residence', residence, count(*) FROM p GROUP BY residence
        UNION ALL SELECT 'german', german, count(*) FROM p GROUP BY german
        UNION ALL SELECT 'area', municipality, count(*) FROM p GROUP BY municipality"""),
    f"bk_count_referrals({_PERIOD})": ("TABLE(course_type text, status text, referrals bigint)", f"""
        SELECT co.course_type::text, r.status::text, count(*)
        FROM referral r JOIN course co ON co.id = r.course_id WHERE {_REFERRALS} GROUP BY 1, 2"""),
    # Days from the first contact to the course start (the day the referral became "begonnen", else the
    # course's start); NULL where one of them is unknown.
    f"bk_count_start_days({_PERIOD})": ("TABLE(days integer, referrals bigint)", f"""
        SELECT CASE WHEN x.st IS NULL OR x.fc IS NULL THEN NULL ELSE GREATEST(0, x.st - x.fc) END, count(*)
        FROM (SELECT COALESCE((SELECT min(ev.at) FROM referral_event ev
                               WHERE ev.referral_id = r.id AND ev.status = 'begonnen'), co.start) AS st,
                     (SELECT min(c.contact_date) FROM contact c WHERE c.person_id = r.person_id) AS fc
              FROM referral r JOIN course co ON co.id = r.course_id
              WHERE {_REFERRALS} AND (r.status = 'begonnen' OR EXISTS (SELECT 1 FROM referral_event ev
                    WHERE ev.referral_id = r.id AND ev.status = 'begonnen'))) x
        GROUP BY 1"""),
    f"bk_count_months({_PERIOD})": ("TABLE(month text, contacts bigint, persons bigint)", f"""
        SELECT to_char(c.contact_date, 'YYYY-MM'), count(*), count(DISTINCT c.person_id)
        FROM contact c WHERE {_CONTACTS} GROUP BY 1"""),
}


def _unlimited_text(conn) -> None:  # type: ignore[no-untyped-def]
    rows = conn.execute(sa.text(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND data_type = 'character varying' AND character_maximum_length IS NOT NULL "
        "AND table_name <> 'alembic_version' ORDER BY table_name, ordinal_position")).all()
    quote = conn.dialect.identifier_preparer.quote
    for table, column in rows:
        op.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} TYPE varchar")


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    _unlimited_text(op.get_bind())
    for signature, (returns, body) in FUNCTIONS.items():
        op.execute(f"CREATE OR REPLACE FUNCTION {signature} RETURNS {returns} LANGUAGE sql STABLE SECURITY DEFINER "
                   f"SET search_path = public, pg_temp AS $body${body}$body$")
        op.execute(f"REVOKE ALL ON FUNCTION {signature.split('(')[0]} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for signature in FUNCTIONS:
        name = signature.split('(')[0]
        op.execute(f"DROP FUNCTION IF EXISTS {name}")
