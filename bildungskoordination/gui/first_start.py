"""First start: a short wizard – passphrase (twice), district and letterhead, backup folder – prefilled from the
machine-wide configuration file of IT (domain/machine_config.py). Replaces the bare passphrase dialog."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from bildungskoordination.domain.machine_config import LETTERHEAD_FIELDS, MachineConfig, expand_folder
from bildungskoordination.gui.letters.letterhead_form import FIELD_LABELS
from bildungskoordination.gui.widgets import FieldError
from bildungskoordination.i18n import _
from bildungskoordination.services import MIN_PASSPHRASE_LENGTH, passphrase_strength

# The letterhead fields the wizard asks for (the rest – office hours, logo – under Datei → Briefe einrichten),
# with the labels of the letterhead form (one table of them).
_HEAD_LABELS = {key: FIELD_LABELS[key] for key in
                ("office", "department", "street", "postcode_city", "phone", "email", "coordinator")}


@dataclass
class FirstStartChoices:
    passphrase: str | None  # None: visibly chosen "without encryption"
    district: str = ""
    letterhead: dict[str, str] = field(default_factory=dict)
    backup_folder: str = ""


def _secret(name: str) -> QLineEdit:
    line = QLineEdit()
    line.setEchoMode(QLineEdit.EchoMode.Password)
    line.setAccessibleName(name)
    return line


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _labelled(form: QFormLayout, text: str, widget: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    form.addRow(label, widget)


class PassphrasePage(QWizardPage):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.setTitle(_("Passphrase festlegen"))
        layout = QVBoxLayout(self)
        layout.addWidget(_intro(_("Die Datenbank {path} wird neu angelegt und verschlüsselt. Am besten ein Satz oder "
                                  "vier zufällige Wörter. Ohne die Passphrase sind die Daten nicht zu öffnen; sie kann "
                                  "nicht wiederhergestellt werden.").format(path=path)))
        form = QFormLayout()
        self.first = _secret(_("Passphrase"))
        self.second = _secret(_("Passphrase wiederholen"))
        self.strength = QLabel(_("noch leer"))
        _labelled(form, _("Pa&ssphrase"), self.first)
        _labelled(form, _("&Wiederholen"), self.second)
        form.addRow(_("Stärke"), self.strength)
        layout.addLayout(form)
        self.error = FieldError()
        layout.addWidget(self.error)
        self.unencrypted = QCheckBox(_("&Ohne Verschlüsselung anlegen (nicht empfohlen: ein verlorener Laptop "
                                       "gibt dann alle Daten preis)"))
        layout.addWidget(self.unencrypted)
        self.first.textChanged.connect(self._on_first_text_changed)
        self.unencrypted.toggled.connect(self._on_unencrypted_toggled)

    def _on_first_text_changed(self, text: str) -> None:
        _score, hint = passphrase_strength(text)
        self.strength.setText(_(hint) if text else _("noch leer"))

    def _on_unencrypted_toggled(self, checked: bool) -> None:
        self.first.setEnabled(not checked)
        self.second.setEnabled(not checked)

    def validatePage(self) -> bool:  # noqa: N802 – Qt's name
        if self.unencrypted.isChecked():
            return True
        text = self.first.text()
        if len(text.strip()) < MIN_PASSPHRASE_LENGTH:
            self.error.show_message(_("Mindestens {n} Zeichen.").format(n=MIN_PASSPHRASE_LENGTH))
            self.first.setFocus()
            return False
        if text != self.second.text():
            self.error.show_message(_("Die beiden Eingaben stimmen nicht überein."))
            self.second.selectAll()
            self.second.setFocus()
            return False
        self.error.show_message("")
        return True


class LetterheadPage(QWizardPage):
    def __init__(self, config: MachineConfig) -> None:
        super().__init__()
        self.setTitle(_("Kreis und Briefkopf"))
        outer = QVBoxLayout(self)
        outer.addWidget(_intro(_("Erscheint auf den Vermittlungsbriefen und in der Auswertung. Später zu ändern unter "
                                 "Datei → Briefe einrichten …")))
        form = QFormLayout()
        outer.addLayout(form)
        self.district = QLineEdit(config.district)
        self.district.setAccessibleName(_("Kreis"))
        _labelled(form, _("&Kreis"), self.district)
        self.head: dict[str, QLineEdit] = {}
        for key in LETTERHEAD_FIELDS:
            if key not in _HEAD_LABELS:
                continue
            line = QLineEdit(config.letterhead.get(key, ""))
            line.setAccessibleName(_(_HEAD_LABELS[key]).replace("&", ""))
            self.head[key] = line
            _labelled(form, _(_HEAD_LABELS[key]), line)
        # Fields the wizard does not show but IT has set (office hours, logo) are kept as given.
        self._hidden = {k: v for k, v in config.letterhead.items() if k not in self.head}

    def letterhead(self) -> dict[str, str]:
        return {**self._hidden, **{key: line.text().strip() for key, line in self.head.items()}}


class BackupPage(QWizardPage):
    def __init__(self, config: MachineConfig, default_folder: Path) -> None:
        super().__init__()
        self.setTitle(_("Sicherungen"))
        layout = QVBoxLayout(self)
        layout.addWidget(_intro(_("Die Anwendung sichert beim Start, beim Beenden und täglich – verschlüsselt und "
                                  "geprüft. Ein Netzlaufwerk oder USB-Stick schützt auch vor einem Defekt des Laptops.")))
        row = QHBoxLayout()
        self.folder = QLineEdit(expand_folder(config.backup_folder) if config.backup_folder else str(default_folder))
        self.folder.setAccessibleName(_("Ordner der Sicherungen"))
        label = QLabel(_("&Ordner"))
        label.setBuddy(self.folder)
        row.addWidget(label)
        row.addWidget(self.folder, 1)
        self.browse = QPushButton(_("&Durchsuchen …"))
        self.browse.clicked.connect(self._on_browse_clicked)
        row.addWidget(self.browse)
        layout.addLayout(row)
        if config.backup_folder:
            note = QLabel(_("Vorgabe der IT (aus {path}).").format(path=config.path))
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addStretch(1)

    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Ordner der Sicherungen"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)


class FirstStartWizard(QWizard):
    """Three pages; ``choices()`` after it was accepted."""

    def __init__(self, path: Path, config: MachineConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Bildungskoordination einrichten"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Weiter >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Zurück"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Fertig"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Abbrechen"))
        self.passphrase_page = PassphrasePage(str(path))
        self.letterhead_page = LetterheadPage(config)
        self.backup_page = BackupPage(config, path.parent / "Sicherungen")
        for page in (self.passphrase_page, self.letterhead_page, self.backup_page):
            self.addPage(page)
        self.resize(640, 480)

    def choices(self) -> FirstStartChoices:
        page = self.passphrase_page
        return FirstStartChoices(
            passphrase=None if page.unencrypted.isChecked() else page.first.text(),
            district=self.letterhead_page.district.text().strip(),
            letterhead=self.letterhead_page.letterhead(),
            backup_folder=self.backup_page.folder.text().strip(),
        )
