"""Auskunft nach Art. 15: everything about ONE person in JSON and PDF – and nothing about anyone else."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from tooling import missing_tool

from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.domain.errors import NotFound
from bildungskoordination.people.records import ContactData, LanguageSkill, PersonData
from bildungskoordination.privacy import access_pdf
from bildungskoordination.services import Services

MINE = ["Qorvantiel", "Meinnotiz-Q41", "Meinkontakt-Q42", "+49 651 4711"]
THEIRS = ["Blemvorsk", "Fremdnotiz-B77", "Fremdkontakt-B78", "+49 651 0815"]


@pytest.fixture
def services(db_target: Path | str):
    sv = Services.open(db_target, unencrypted=True)
    yield sv
    sv.close()


def add_person(sv: Services, canaries: list[str], original: str) -> int:
    name, note, contact_note, phone = canaries
    pid = sv.people.create(PersonData(
        family_name=name, given_name="Rania", name_original=original, birth=parse_partial_date("14.03.1994"),
        nationalities=["SY"], languages=[LanguageSkill("ar", "muttersprache")], german_level="A2",
        phone=phone, note=f"{note}\nzweite Zeile mit <b>Markup</b> & Zeichen"))
    sv.contacts.add(pid, ContactData(topics=["sprachkurs"], channel="telefon", note=contact_note))
    return pid


def pdf_text(path: Path) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_export_holds_exactly_this_persons_data(services, tmp_path, monkeypatch):
    mine = add_person(services, MINE, "رانيا قرفانتيل")
    theirs = add_person(services, THEIRS, "Раня Блемворськ")
    other = services.people.get(theirs)
    other.municipality = "Konz"
    services.people.update(theirs, other)  # log entries for the other person too
    assert services.audit.count(person_id=theirs) == 3
    rendered: list[dict] = []
    real_render = access_pdf.render_pdf
    monkeypatch.setattr(access_pdf, "render_pdf", lambda answer, **kw: rendered.append(answer)
                        or real_render(answer, **kw))

    json_path, pdf_path = services.access_export.export(mine, tmp_path / "auskunft")

    assert json_path.parent == pdf_path.parent == tmp_path / "auskunft"
    assert not any(c in json_path.name or c in pdf_path.name for c in MINE)  # file names name nobody
    raw_json = json_path.read_bytes()
    answer = json.loads(raw_json.decode("utf-8"))
    assert rendered == [answer]  # the PDF is drawn from exactly what the JSON holds
    master = {e["feld"]: e for e in answer["stammdaten"]}
    assert master["family_name"]["wert"] == MINE[0]
    assert master["name_original"]["wert"] == "رانيا قرفانتيل"
    assert master["nationalities"] == {"feld": "nationalities", "bezeichnung": "Staatsangehörigkeit",
                                       "wert": ["SY"], "klartext": ["Syrien"]}
    assert master["german_level"]["wert"] == "A2" and master["german_level"]["klartext"]
    assert master["birth"]["wert"] == "14.03.1994"
    assert [c["felder"][0]["feld"] for c in answer["beratungskontakte"]] == ["contact_date"]
    contact = {e["feld"]: e for e in answer["beratungskontakte"][0]["felder"]}
    assert contact["note"]["wert"] == MINE[2] and contact["channel"]["klartext"]
    assert {e["aktion"] for e in answer["protokoll"]} == {"angelegt"}
    assert "Landkreis" in answer["erlaeuterung"]["gebiet"] and answer["erlaeuterung"]["speicherdauer"]
    assert "رانيا".encode() in raw_json  # UTF-8, not \\u escapes
    for canary in MINE:
        assert canary.encode() in raw_json
    for canary in THEIRS:
        assert canary.encode() not in raw_json
        assert canary.encode() not in pdf_path.read_bytes()

    assert pdf_path.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf_path)
    if text is not None:  # the PDF's text as a reader sees it
        flat = " ".join(text.split())
        assert MINE[0] in flat and MINE[1] in flat and MINE[2] in flat
        assert "<b>Markup</b> & Zeichen" in flat  # escaped, printed literally, not interpreted
        assert "Syrien" in flat and "14.03.1994" in flat
        for canary in THEIRS:
            assert canary not in flat
            assert "Блемворськ" not in text


def test_export_is_logged_without_names(services, tmp_path):
    mine = add_person(services, MINE, "")
    services.access_export.export(mine, tmp_path)
    event = services.audit.list(limit=1)[0]
    assert (event.action, event.entity_id, event.person_id, event.detail) == ("export", mine, mine,
                                                                              "Auskunft Art. 15")
    assert services.access_export.collect(mine)["protokoll"][0]["aktion"] == "exportiert"


def test_export_of_a_restricted_or_unknown_person(services, tmp_path):
    mine = add_person(services, MINE, "")
    services.people.withdraw_consent(mine)
    json_path, _ = services.access_export.export(mine, tmp_path)  # access is a right even when restricted
    master = {e["feld"]: e for e in json.loads(json_path.read_text(encoding="utf-8"))["stammdaten"]}
    assert master["consent_withdrawn_at"]["wert"]
    with pytest.raises(NotFound):
        services.access_export.export(mine + 99, tmp_path / "nichts")
    assert not (tmp_path / "nichts").exists()


def test_pdf_embeds_a_wide_font_when_one_is_installed():
    regular, _bold = access_pdf.fonts()
    if regular == "Helvetica":
        missing_tool("no DejaVu or Noto font installed: the PDF falls back to Helvetica")
    assert regular == "BK-Sans"


def test_referrals_are_part_of_the_answer(tmp_path):
    from datetime import date

    from bildungskoordination.courses.records import CourseData
    from bildungskoordination.people.records import PersonData
    from bildungskoordination.services import Services

    sv = Services.open(None)
    pid = sv.people.create(PersonData(family_name="Ahmadi", given_name="Farid"))
    other = sv.people.create(PersonData(family_name="Kovalenko", given_name="Olena"))
    course = sv.courses.create(CourseData(provider="KVHS", course_number="IK-9", course_type="ik_allgemein",
                                          entry_level="A1", target_level="B1", start=date(2027, 1, 11), places=5,
                                          status="offen"))
    sv.referrals.refer(pid, course)
    sv.referrals.refer(other, course)
    answer = sv.access_export.collect(pid)
    assert [r["kurs"] for r in answer["vermittlungen"]] == ["IK-9"]
    assert answer["vermittlungen"][0]["verlauf"][0]["status"] == "vorgeschlagen"
    json_path, pdf_path = sv.access_export.export(pid, tmp_path)
    assert "Kovalenko" not in json_path.read_text(encoding="utf-8")
