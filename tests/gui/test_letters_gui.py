"""Brief erstellen (preview, print, save, batch, refusal for a restricted person) and Briefe einrichten
(letterhead, texts per language with their review state)."""

from __future__ import annotations

from datetime import date, timedelta

import pypdfium2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from bildungskoordination.courses.records import CourseData
from bildungskoordination.gui.bus import ChangeSignal
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.letters.letter_dialog import LetterDialog
from bildungskoordination.gui.letters.pdf_pages import render_pages
from bildungskoordination.gui.letters.settings_page import LetterSettingsDialog
from bildungskoordination.gui.letters.texts_editor import TextEntryModel
from bildungskoordination.letters.content import Letterhead
from bildungskoordination.people.records import PersonData

HEAD = Letterhead(office="Kreisverwaltung Beispielkreis", street="Musterstraße 1", postcode_city="12345 Beispielstadt",
                  email="bildung@beispielkreis.example.org")


@pytest.fixture
def ctx(services):
    return AppContext(services=services, signal=ChangeSignal(services.bus))


@pytest.fixture
def referrals(services):
    """Two referrals to one course: Rana (letters in Arabic) and Yonas (Tigrinya)."""
    services.letters.set_letterhead(HEAD)
    today = date.today()
    course_id = services.courses.create(CourseData(
        provider="VHS Konz", course_number="IK-26-1", course_type="ik_allgemein", entry_level="keine",
        target_level="B1", start=today + timedelta(days=30), end=today + timedelta(days=300), days=["mo", "mi"],
        time_from="08:30", time_to="12:45", municipality="Konz", places=10, status="offen"))
    ids = []
    for family, given, original, language in [("Haddad", "Rana", "رنا حداد", "ar"), ("Tesfay", "Yonas", "ዮናስ ተስፋይ", "ti")]:
        pid = services.people.create(PersonData(family_name=family, given_name=given, name_original=original,
                                                consent_date=today, letter_language=language,
                                                address="Hauptstraße 1", municipality="Konz"))
        ids.append(services.referrals.refer(pid, course_id))
    return ids


def dark_pixels(image: QImage) -> int:
    return sum(1 for y in range(0, image.height(), 5) for x in range(0, image.width(), 5)
               if image.pixelColor(x, y).lightness() < 110)


def pdf_pages(data: bytes) -> int:
    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def open_dialog(qtbot, ctx, ids) -> LetterDialog:
    dialog = LetterDialog(ctx, ids)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle(qtbot, dialog)
    return dialog


def settle(qtbot, dialog) -> None:
    """Previews, printing and saving run on a worker: wait until the dialog shows the result."""
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20000)


def test_pdf_pages_become_images_that_own_their_pixels(qtbot, services, referrals):
    images = render_pages(services.letters.render(referrals[:1], "ar"), dpi=72)
    assert 1 <= len(images) <= 3
    assert images[0].width() == pytest.approx(595, abs=2) and images[0].height() == pytest.approx(842, abs=2)
    assert images[0].pixelColor(5, 5).name() == "#ffffff"  # white paper, not garbage from freed memory
    assert dark_pixels(images[0]) > 50


def test_arabic_letter_preselected_previewed_and_printed(qtbot, ctx, services, referrals, tmp_path, monkeypatch):
    dialog = open_dialog(qtbot, ctx, referrals[:1])
    assert dialog.language.currentData() == "ar"
    assert dialog.language.currentText() == "Arabisch – العربية"
    assert dialog.review.isVisible()
    assert dialog.review.text() == "Übersetzung: Maschinell übersetzt, nicht geprüft"
    assert dialog.review.property("warn") == "true"
    assert "Haddad, Rana" in dialog.summary.text()
    assert not dialog.error.isVisible()

    pages = dialog.preview.pages
    assert 1 <= len(pages) <= 3 and dialog.pages_label.text().endswith(("Seite", "Seiten"))
    shown = pages[0].pixmap().toImage()
    assert shown.width() > 300 and dark_pixels(shown) > 50
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()

    target = tmp_path / "gedruckt.pdf"
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer.setOutputFileName(str(target))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog)
    assert target.stat().st_size > 10_000
    assert pdf_pages(target.read_bytes()) == len(pages)
    assert dialog.status.text() == "An den Drucker gesendet."


def test_print_dialog_cancelled_prints_nothing(qtbot, ctx, referrals, tmp_path, monkeypatch):
    dialog = open_dialog(qtbot, ctx, referrals[:1])
    target = tmp_path / "nicht.pdf"
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer.setOutputFileName(str(target))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    dialog._on_print_button_clicked()
    assert not target.exists()


def test_save_as_pdf_with_a_default_name(qtbot, ctx, services, referrals, tmp_path, monkeypatch):
    dialog = open_dialog(qtbot, ctx, referrals[:1])
    file_number = services.referrals.get(referrals[0]).file_number
    asked = {}

    def choose(parent, title, proposed, filters):
        asked["proposed"] = proposed
        return str(tmp_path / "brief"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    dialog.language.setCurrentIndex(dialog.language.findData("ps"))
    settle(qtbot, dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog)
    assert asked["proposed"].endswith(f"Vermittlung_{file_number}_ps.pdf")
    saved = tmp_path / "brief.pdf"
    assert saved.read_bytes().startswith(b"%PDF") and pdf_pages(saved.read_bytes()) >= 1
    assert dialog.status.text() == f"Gespeichert: {saved}"


def test_batch_gives_one_letter_per_referral(qtbot, ctx, referrals, tmp_path, monkeypatch):
    dialog = open_dialog(qtbot, ctx, referrals)
    assert dialog.language.currentText() == "Sprache der jeweiligen Person"
    assert dialog.language_code() is None
    assert len(dialog.preview.pages) >= 2
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "alle.pdf"), ""))
    dialog._on_save_button_clicked()
    settle(qtbot, dialog)
    assert pdf_pages((tmp_path / "alle.pdf").read_bytes()) >= 2


def test_restricted_person_gets_no_letter(qtbot, ctx, services, referrals, tmp_path, monkeypatch):
    person_id = services.referrals.get(referrals[0]).person_id
    services.people.withdraw_consent(person_id, date.today())
    dialog = open_dialog(qtbot, ctx, referrals[:1])
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("Verarbeitung eingeschränkt: Einwilligung am")
    assert dialog.preview.pages == [] and not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out / "brief.pdf"), ""))
    dialog._on_save_button_clicked()
    settle(qtbot, dialog)
    assert list(out.iterdir()) == []
    assert dialog.error.text().startswith("Verarbeitung eingeschränkt")


def test_referrals_page_batch_letter_from_multi_selection(window, qtbot, referrals, monkeypatch):
    from bildungskoordination.gui.main_window import PAGE_REFERRALS

    monkeypatch.setattr(LetterDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window.nav.setCurrentRow(PAGE_REFERRALS)
    page = window.referrals
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 2)
    assert not page.letter_button.isEnabled()
    page.table.selectAll()
    assert page.letter_button.isEnabled() and sorted(page.selected_referral_ids()) == sorted(referrals)
    dialog = page.open_letter_dialog()
    assert dialog is not None
    settle(qtbot, dialog)
    assert dialog.language_code() is None and len(dialog.preview.pages) >= 2


def test_person_file_letter_for_the_selected_referral(window, qtbot, services, referrals):
    from bildungskoordination.gui.main_window import PAGE_PERSONS

    person_id = services.referrals.get(referrals[1]).person_id
    window.nav.setCurrentRow(PAGE_PERSONS)
    window.persons.select_person(person_id)
    person_file = window.persons.person_file
    person_file.tabs.setCurrentIndex(person_file.matches_tab_index)
    box = person_file.matches.referrals
    qtbot.waitUntil(lambda: box.model.rowCount() == 1)
    assert box.letter_button.isEnabled()
    dialog = box.open_letter_dialog()
    assert dialog is not None and dialog.language_code() == "ti"
    qtbot.addWidget(dialog)


def test_settings_replacement_needs_the_same_placeholders(qtbot, ctx, services, qtmodeltester):
    dialog = LetterSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.page.texts
    dialog.page.tabs.setCurrentWidget(editor)
    editor.select_language("ar")
    assert editor.review.text() == "Übersetzung: Maschinell übersetzt, nicht geprüft"
    assert editor.replacement.layoutDirection() == Qt.LayoutDirection.RightToLeft
    qtmodeltester.check(editor.model)
    editor.select_key("salutation")
    assert "{name}" in editor.german.toPlainText()

    editor.replacement.setPlainText("مرحباً")  # {name} left out
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert editor.error.isVisible() and "{name}" in editor.error.text()
    assert next(e for e in services.letters.texts("ar") if e.key == "salutation").override == ""

    editor.replacement.setPlainText("مرحباً {name}،")
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert not editor.error.isVisible() and editor.status.text() == "Übernommen."
    assert next(e for e in services.letters.texts("ar") if e.key == "salutation").override == "مرحباً {name}،"
    assert editor.model.data(editor.model.index(editor.model.row_of("salutation"), 3)) == "مرحباً {name}،"

    qtbot.mouseClick(editor.reset_button, Qt.MouseButton.LeftButton)
    assert next(e for e in services.letters.texts("ar") if e.key == "salutation").override == ""


def test_settings_letterhead_saved_and_a_missing_logo_refused(qtbot, ctx, services, tmp_path):
    dialog = LetterSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.page.letterhead
    form.fields["office"].setText("Kreisverwaltung Beispielkreis")
    form.fields["logo"].setText(str(tmp_path / "fehlt.png"))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["logo"].isVisible() and "fehlt.png" in form.errors["logo"].text()
    assert services.letters.letterhead().office != "Kreisverwaltung Beispielkreis"
    form.fields["logo"].setText("")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.status.text() == "Gespeichert." and not form.errors["logo"].isVisible()
    assert services.letters.letterhead().office == "Kreisverwaltung Beispielkreis"


def test_text_model_passes_the_model_tester(qtmodeltester, services):
    model = TextEntryModel()
    model.set_rows(services.letters.texts("ti"))
    assert model.rowCount() > 10
    qtmodeltester.check(model)


def test_settings_say_that_a_replaced_german_text_withdraws_its_translations(qtbot, ctx, services, qtmodeltester):
    dialog = LetterSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.page.texts
    dialog.page.tabs.setCurrentWidget(editor)
    editor.select_language("de")
    editor.select_key("intro")
    editor.replacement.setPlainText("Wir haben einen neuen Kurs für Sie.")
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert "Übersetzungen dieses Textes werden nicht mehr gedruckt" in editor.status.text()

    editor.select_language("fa")
    editor.select_key("intro")
    assert editor.outdated.isVisible() and "nicht gedruckt" in editor.outdated.text()
    row = editor.model.row_of("intro")
    assert editor.model.data(editor.model.index(row, 2)) == "– veraltet, wird nicht gedruckt –"
    qtmodeltester.check(editor.model)
    editor.replacement.setPlainText("یک دوره جدید برای شما داریم.")
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert not editor.outdated.isVisible() and editor.status.text() == "Übernommen."
    assert editor.model.data(editor.model.index(row, 3)) == "یک دوره جدید برای شما داریم."
    editor.select_key("closing")
    assert not editor.outdated.isVisible()


def test_past_dates_are_named_and_printing_needs_a_confirmation(qtbot, ctx, services, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    services.letters.set_letterhead(HEAD)
    today = date.today()
    course_id = services.courses.create(CourseData(
        provider="VHS Konz", course_number="IK-ALT-1", course_type="ik_allgemein", entry_level="A1",
        target_level="B1", start=today - timedelta(days=3), end=today + timedelta(days=200),
        registration_deadline=today - timedelta(days=10), days=["mo"], time_from="08:30", time_to="12:45",
        municipality="Konz", places=10, status="laufend"))
    pid = services.people.create(PersonData(family_name="Haddad", given_name="Rana", consent_date=today,
                                            letter_language="de", address="Hauptstraße 1, 54329 Konz"))
    rid = services.referrals.refer(pid, course_id)
    dialog = open_dialog(qtbot, ctx, [rid])
    assert dialog.preview.pages, "the preview shows the letter"
    assert "Termine in der Vergangenheit" in dialog.status.text() and "Anmeldeschluss" in dialog.status.text()
    target = tmp_path / "gedruckt.pdf"
    dialog.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog.printer.setOutputFileName(str(target))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    asked: list[str] = []

    def answer(reply):
        def question(parent, title, text, *args):
            asked.append(text)
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog._on_print_button_clicked()
    assert not target.exists() and "Kursbeginn" in asked[0]
    assert f"{today - timedelta(days=10):%d.%m.%Y}" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    dialog._on_print_button_clicked()
    settle(qtbot, dialog)
    assert target.exists()


def test_the_first_letter_on_a_real_database_asks_for_the_letterhead(qtbot, ctx, services, monkeypatch):
    from bildungskoordination.gui.letters.settings_page import LetterSettingsDialog

    today = date.today()
    course_id = services.courses.create(CourseData(
        provider="VHS Konz", course_number="IK-26-9", course_type="ik_allgemein", entry_level="A1", target_level="B1",
        start=today + timedelta(days=30), end=today + timedelta(days=300), days=["mo"], time_from="08:30",
        time_to="12:45", municipality="Konz", places=10, status="offen"))
    pid = services.people.create(PersonData(family_name="Haddad", given_name="Rana", consent_date=today,
                                            letter_language="de", address="Hauptstraße 1, 54329 Konz"))
    rid = services.referrals.refer(pid, course_id)
    assert services.letters.needs_letterhead() and services.letters.letterhead().office == ""

    def enter(dialog):
        shown.append(list(letter.preview.pages))  # what the letter dialog showed when it asked
        form = dialog.page.letterhead
        form.fields["office"].setText("Kreisverwaltung Beispielkreis")
        form.fields["postcode_city"].setText("12345 Beispielstadt")
        form._on_save_button_clicked()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LetterSettingsDialog, "exec", enter)
    shown: list[list] = []
    dialog = letter = LetterDialog(ctx, [rid])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [[]]  # no letter with a silent default  # no letter with a silent default
    qtbot.waitUntil(lambda: bool(dialog.preview.pages))
    assert not services.letters.needs_letterhead()
    assert services.letters.letterhead().office == "Kreisverwaltung Beispielkreis"
