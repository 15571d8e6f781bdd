"""The person search's full-text index (people/search.py, migration 0004): the same hits as the LIKE conditions
it replaced, in the same order, kept current by triggers whatever writes, and gone with an erased person."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import and_, func, or_, select, text, true

from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.domain.names import QueryTerm, joined_term, query_terms, search_keys
from bildungskoordination.people.demo import generate_demo
from bildungskoordination.people.records import PersonData
from bildungskoordination.people.search import looks_like_file_number, search_plan
from bildungskoordination.people.service import SORT_COLUMNS
from bildungskoordination.services import Services
from bildungskoordination.store import migrate
from bildungskoordination.store.engine import make_engine
from bildungskoordination.store.models import Person


# --- the definition: the LIKE conditions the index replaced (people/search.py before migration 0004) ------------
def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fn_like(value: str):  # type: ignore[no-untyped-def]
    return func.lower(Person.file_number).like(f"%{_like_escape(value)}%", escape="\\")


def _term_condition(term: QueryTerm):  # type: ignore[no-untyped-def]
    keys = " " + Person.search_skeleton + " "
    options = [Person.search_folded.like(f"% {_like_escape(term.folded)}%", escape="\\")]
    for key in term.keys:
        pattern = f"% {_like_escape(key)}%" if key in term.prefix_keys else f"% {_like_escape(key)} %"
        options.append(keys.like(pattern, escape="\\"))
    options.append(_fn_like(term.folded))
    return or_(*options)


def like_condition(query: str):  # type: ignore[no-untyped-def]
    query = query.strip()
    if looks_like_file_number(query):
        return _fn_like(query.lower())
    raw_words = query.split()
    conditions = [_term_condition(t) for t in query_terms(query)]
    joined = joined_term(query)
    if conditions and joined is not None:
        conditions = [or_(and_(*conditions), _term_condition(joined))]
    whole = query.lower()
    # Without any word the old code built an empty and_(): SQLAlchemy left it out – inside the or_() only the
    # file number remained, on its own no WHERE at all (everyone).
    if len(raw_words) == 1 and ("-" in whole or "/" in whole):
        return or_(and_(*conditions), _fn_like(whole)) if conditions else _fn_like(whole)
    return and_(*conditions) if conditions else true()


def like_ids(services: Services, query: str, sort: str = "name", descending: bool = False) -> list[int]:
    order = [c.desc() if descending else c.asc() for c in SORT_COLUMNS[sort]]
    with services.store.read() as s:
        return list(s.scalars(select(Person.id).where(like_condition(query)).order_by(*order)))


# --- people with everything that makes search hard ---------------------------------------------------------------
PEOPLE = [
    ("Al-Hassan", "Mohammed", "محمد الحسن", "TS-2025-0007", "Teningen"),
    ("Kovalenko", "Serhii", "Сергій Коваленко", "TS-2024-0100", "Emmendingen"),
    ("Kowalenko", "Olena", "Олена Коваленко", "TS-2023-1234", "Denzlingen"),
    ("Müller", "Jana", "", "TS-2025-0001", "Emmendingen"),
    ("Mueller", "Jan-Peter", "", "TS-2025-0010", "Kenzingen"),
    ("Ahmadi", "Farid", "فرید احمدی", "TS-2024-0777", "Teningen"),
    ("Muhammad", "Ali", "", "TS-2025-1007", "Waldkirch"),
    ("Yılmaz", "Ayşe", "", "TS-2022-0042", "Denzlingen"),
    ("Schmidt", "Anna Maria", "", "AB/12.3_x", "Emmendingen"),
    ("Nguyễn", "Thị Mai", "", "ts-2025-0099", "Kenzingen"),
    ("O'Brien", "Seán", "", "2025-0001", "Waldkirch"),
    ("Abu Bakr", "Aisha", "عائشة أبو بكر", "X-1", "Teningen"),
    ("Хасанов", "Рустам", "", "TS-2021-5555", "Emmendingen"),
    ("Zhang", "Wei", "张伟", "TS-2025-2025", "Kenzingen"),
    ("Al Hassan", "Rania", "", "TS-2020-0007", "Denzlingen"),
    ("Ahmed", "Mohamed", "", "A-100", "Teningen"),
    ("Özdemir", "Emre", "", "Ä-12", "Waldkirch"),
    ("Smith", "John", "", "TS/2025/0003", "Emmendingen"),
    ("Doe", "Jane", "", "100", "Kenzingen"),
    ("Sánchez-García", "María José", "", "MS.2024.17", "Teningen"),
    ("Ben Ali", "Zeynep", "", "TS-2025-3141", "Waldkirch"),
    ("Petrenko", "Oksana", "Оксана Петренко", "TS-2025-0700", "Denzlingen"),
    ("Rahimi", "Ahmad", "احمد رحیمی", "BK_2023_8", "Emmendingen"),
    ("Haddad", "Achmed", "", "TS-2024-9000", "Kenzingen"),
]

QUERIES = [
    # empty, blanks, nothing to search by
    "", "   ", "\u200b", "–", "ـ", "?", "!!", "%", "_", "%%", "\\", "'", '"',
    # one letter, a prefix of one letter or two
    "m", "M", "a", "z", "x", "ü", "h", "t", "s", "j", "mh",
    # names, spelling variants, scripts
    "Mohammed", "muhammad", "Mohamed al", "alhassan", "Hassan", "Al Hassan", "محمد", "الحسن", "عائشة",
    "Олена", "Коваленко", "Sergey Kowalenko", "Mueller", "Müller", "Muller", "yilmaz", "Yılmaz", "ayse",
    "Nguyen", "thi mai", "O'Brien", "obrien", "Sean", "张", "zhang wei", "abu bakr", "Abubakr", "aisha",
    "Хасанов", "hasanov", "Anna Maria", "maria anna", "achmed", "ahmad", "ahm", "Rania Al", "peter",
    "Sanchez", "garcia", "maria jose", "petrenko oksana", "Петренко", "zeynep ben", "o", "ol", "ole",
    # hyphens and slashes, as names and as whole file numbers
    "Al-Hassan", "al-hassan", "Jan-Peter", "jan-pet", "Sánchez-García", "-", "/", "---", "a-", "-a",
    "Al-Hassan,", "a/b%", "(TS-2025)", "t/,", "ts-,", "ts-", "TS-", "TS/", "TS/2025", "ts/2025/00", "AB/12",
    "ab/12.3_x",
    # file numbers
    "TS-2025-00", "ts-2025-0007", "TS-2025-0007", "2025-0001", "0001", "0", "7", "00", "2025", "100",
    "12.3_", "Ä-12", "ä-12", "x-1", "X-1", "A-100", "a-1", "MS.2024", "ms.2024.1", "BK_2023", "bk_2023_8",
    "2024.17", "3141", "ts 2025", "ts-2025 0007", "TS-2", "ts-20", "TS-2025-", "-0001", "/2025",
    # what would be FTS5 syntax if it went in unquoted
    'a" OR "b', "NOT", "AND", "OR", "a OR b", "NEAR(a b)", "*", "a*", "^a", "folded:mo", "file_number : x",
    "(", ")", "{folded}", "+", "mo*", '"mo"', "everyone", "x NOT y", ":",
]


def person(family: str, given: str, original: str = "", file_number: str = "", municipality: str = "",
           birth: str = "1990") -> PersonData:
    return PersonData(family_name=family, given_name=given, name_original=original, file_number=file_number,
                      municipality=municipality, birth=parse_partial_date(birth))


def add_people(services: Services) -> list[int]:
    return [services.people.create(person(*p, birth=f"{1960 + n % 40}"))
            for n, p in enumerate(PEOPLE)]


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def people(request: pytest.FixtureRequest) -> Iterator[Services]:
    """The same people in memory (SQLite, FTS5) and on a PostgreSQL server (LIKE on trigram indexes)."""
    with ExitStack() as stack:
        target = None
        if request.param == "postgresql":
            from pgserver import fresh_database

            target = stack.enter_context(fresh_database())
        services = Services.open(target, unencrypted=True)
        add_people(services)
        yield services
        services.close()


def _index_ids(services: Services) -> set[int]:
    with services.store.read() as s:
        return set(s.scalars(text("SELECT rowid FROM person_fts WHERE person_fts MATCH 'everyone : x'")))


def assert_index_current(services: Services) -> None:
    if services.store.on_server:  # PostgreSQL indexes the person table itself (trigram indexes): nothing to lag
        return
    indexed = _index_ids(services)
    with services.store.read() as s:
        people = set(s.scalars(select(Person.id)))
        assert indexed == people
        # Scannable like any table (a full dump of the database reads it too).
        assert len(s.execute(text("SELECT * FROM person_fts")).all()) == len(people)
        s.execute(text("INSERT INTO person_fts (person_fts) VALUES ('integrity-check')"))


# --- the same hits in the same order -------------------------------------------------------------------------------
@pytest.mark.parametrize("query", QUERIES)
def test_the_same_hits_in_the_same_order_as_like(people: Services, query: str) -> None:
    assert people.people.search_ids(query) == like_ids(people, query)


@pytest.mark.parametrize("sort", sorted(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_order(people: Services, sort: str, descending: bool) -> None:
    for query in ("", "m", "ts", "TS-2025", "al hassan", "x-1", "%"):
        assert people.people.search_ids(query, sort=sort, descending=descending) == \
            like_ids(people, query, sort, descending), query


def test_edge_cases_by_name(people: Services) -> None:
    everyone = people.people.count()
    search = people.people.search_ids

    def names(query: str) -> set[str]:
        return {r.family_name for r in people.people.rows(search(query))}

    assert len(search("")) == len(search("   ")) == everyone
    # A LIKE wildcard typed by the user is a character, not a wildcard: no word in it, so everyone.
    assert len(search("%")) == len(search("_")) == everyone
    assert names("Олена") == {"Kowalenko"}
    assert names("Коваленко") == {"Kovalenko", "Kowalenko"}
    assert names("محمد") >= {"Al-Hassan"}
    assert names("Al-Hassan") == {"Al-Hassan", "Al Hassan"}
    assert names("alhassan") == {"Al-Hassan", "Al Hassan"}
    assert names("Sergey Kowalenko") == {"Kovalenko"}
    assert "Sánchez-García" in names("garcia")
    assert names("TS-2025-0007") == {"Al-Hassan"}
    assert names("0007") == {"Al-Hassan", "Al Hassan"}
    assert names("ab/12.3_x") == {"Schmidt"}
    assert names("BK_2023") == {"Rahimi"}
    assert names("x NOT y") == set()
    assert "Muhammad" in names("m") and "Zhang" not in names("m")


def test_plans_quote_user_input() -> None:
    plan = search_plan('TS-2025-"0')  # no file number ('"'), one word with '-': its words, or the whole as LIKE
    assert plan.file_number_like == '%ts-2025-"0%' and plan.match.startswith('((folded : "ts"* OR')
    assert search_plan("a/b%").file_number_like == "%a/b\\%%"
    assert search_plan("Ab").match == '(folded : "ab"* OR skeleton : "ab" OR file_number : "ab"*)'
    # A key matches whole; one with 5 consonants also as a prefix.
    assert search_plan("mhmd").match == '(folded : "mhmd"* OR skeleton : "mhmt" OR file_number : "mhmd"*)'
    assert 'skeleton : "cavhank"*' in search_plan("Schewtschenko").match
    assert search_plan("").everyone and search_plan("%").everyone
    assert search_plan("-").match == 'file_number : "-"*'


def test_limit(people: Services) -> None:
    assert people.people.search_ids("ts", limit=3) == like_ids(people, "ts")[:3]


# --- kept current by triggers ------------------------------------------------------------------------------------
def test_changes_through_the_service_raw_sql_and_other_connections(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    services = Services.open(db, unencrypted=True)
    try:
        ids = add_people(services)
        for query in ("", "m", "Kovalenko"):
            services.people.search_ids(query, sort="municipality")  # fill the cached list order
        data = services.people.get(ids[0])
        data.family_name, data.file_number = "Zabolotny", "NEU-1"
        services.people.update(ids[0], data)
        services.people.delete(ids[1])
        with services.store.unit_of_work() as s:
            s.execute(text("UPDATE person SET municipality = 'Aachen' WHERE id = :id"), {"id": ids[2]})
        other = sqlite3.connect(db)  # another connection, as another process would write
        keys = search_keys("Quast", "Ingrid", "")
        other.execute(
            "INSERT INTO person (file_number, family_name, given_name, name_original, birth_date_written, gender,"
            " nationalities, residence_status, languages, german_level, german_level_source, literacy,"
            " qualification, recognition, municipality, address, phone, email, needs_childcare, childcare_children,"
            " availability, weekdays, letter_language, consent_scope, consent_how, note, search_folded,"
            " search_skeleton, sort_name, created_at, updated_at) VALUES ('RAW-9', 'Quast', 'Ingrid', '', '', 'x',"
            " '[]', '', '[]', '', '', '', '', '', 'Aachen', '', '', '', 0, 0, '[]', '[]', 'de', '[]', '', '', ?, ?,"
            " 'quast\x1fingrid', '2025-01-01 10:00:00', '2025-01-01 10:00:00')", keys)
        other.execute("UPDATE person SET municipality = 'Zell' WHERE id = ?", (ids[3],))
        other.commit()
        other.close()
        for query in ("", "m", "Kovalenko", "zabol", "quast", "raw-9", "neu-1", "ts-2025-0007", "Al-Hassan"):
            for sort in ("name", "municipality"):
                assert services.people.search_ids(query, sort=sort) == like_ids(services, query, sort), query
        assert services.people.search_ids("Zabolotny") == [ids[0]]
        assert services.people.search_ids("Al-Hassan") == [ids[14]]  # only 'Al Hassan' now
        assert_index_current(services)
    finally:
        services.close()


def test_demo_bulk_inserts_are_indexed(memory_target: str | None) -> None:
    services = Services.open(memory_target, unencrypted=True)
    try:
        generate_demo(services, 120, seed=3, today=date(2026, 5, 13))
        assert_index_current(services)
        for query in ("", "t", "TS-", "m", "moh", "Mohammed", "TS-2026", "ts-2025-00", "ahmadi farid", "Коваленко",
                      "a", "2", "20"):
            assert services.people.search_ids(query) == like_ids(services, query), query
    finally:
        services.close()


def test_migration_indexes_existing_people_and_creates_the_triggers(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    engine = make_engine(db)
    migrate.upgrade(engine, "0003")
    with engine.begin() as conn:
        for pid, (family, given, original, number, _town) in enumerate(PEOPLE[:6], start=1):
            folded, skel = search_keys(family, given, original)
            conn.execute(text(
                "INSERT INTO person (id, file_number, family_name, given_name, name_original, birth_date_written,"
                " gender, nationalities, residence_status, languages, german_level, german_level_source, literacy,"
                " qualification, recognition, municipality, address, phone, email, needs_childcare,"
                " childcare_children, availability, weekdays, letter_language, consent_scope, consent_how, note,"
                " search_folded, search_skeleton, sort_name, created_at, updated_at) VALUES (:id, :nr, :f, :g, :o,"
                " '', 'x', '[]', '', '[]', '', '', '', '', '', '', '', '', '', 0, 0, '[]', '[]', 'de', '[]', '',"
                " '', :folded, :skel, :sort, '2025-01-01 10:00:00', '2025-01-01 10:00:00')"),
                {"id": pid, "nr": number, "f": family, "g": given, "o": original, "folded": folded, "skel": skel,
                 "sort": f"{family.lower()}\x1f{given.lower()}"})
    engine.dispose()
    services = Services.open(db, unencrypted=True)
    try:
        with services.store.read() as s:
            triggers = set(s.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                          " AND tbl_name = 'person'")))
        assert triggers == {"person_fts_insert", "person_fts_update", "person_fts_delete", "person_version_update"}
        assert_index_current(services)
        for query in ("", "Kovalenko", "Олена", "muhammad", "ts-2025", "0007", "Al-Hassan", "m"):
            assert services.people.search_ids(query) == like_ids(services, query), query
    finally:
        services.close()


# --- erasure leaves nothing in the index ---------------------------------------------------------------------------
def file_bytes(db: Path) -> bytes:
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_erased_names_are_gone_from_the_index_on_disk(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    services = Services.open(db, unencrypted=True)
    try:
        add_people(services)
        pid = services.people.create(person("Vexlorbenstein", "Quirinya", file_number="QZ-7713"))
        services.people.create(person("Kovalenko", "Olena"))
        # Renamed before the erasure: the first name's tokens sit in an older segment of the index.
        data = services.people.get(pid)
        data.family_name, data.given_name = "Yvorglathmund", "Quirinya"
        services.people.update(pid, data)
        services.store.checkpoint()
        with services.store.read() as s:
            index = b"".join(s.scalars(text("SELECT block FROM person_fts_data")))
        # Term tails (FTS5 stores a term after the prefix it shares with the one before): a folded word, a
        # skeleton word, file number suffixes.
        canaries = [b"glathmund", b"rhlatmunt", b"7713"]
        assert all(c in index for c in canaries), "test set-up: the index must hold the name"

        services.erasure.erase(pid, "antrag")

        assert not [c for c in [*canaries, b"lorbenstein", b"kslrbnstn"] if c in file_bytes(db)]
        assert services.people.search_ids("Yvorglathmund") == services.people.search_ids("QZ-7713") == []
        assert_index_current(services)
        # A plain delete cleans up the same way (same trigger).
        other = services.people.search_ids("Kovalenko Olena")[-1]
        services.people.delete(other)
        services.store.checkpoint()
        assert_index_current(services)
    finally:
        services.close()


def test_encrypted_database(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    services = Services.open(db, passphrase="eine lange passphrase für den test", fast_kdf=True)
    try:
        ids = add_people(services)
        for query in ("", "m", "Олена", "TS-2025-00", "Al-Hassan", "%", "mohamed al"):
            assert services.people.search_ids(query) == like_ids(services, query), query
        services.erasure.erase(ids[0], "antrag")
        assert services.people.search_ids("Al-Hassan") == [ids[14]]
        assert_index_current(services)
    finally:
        services.close()
