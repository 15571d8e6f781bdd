"""The machine-wide configuration file of IT: read, typed, and refused as a whole with file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bildungskoordination.domain.machine_config import (
    MachineConfig,
    MachineConfigError,
    expand_folder,
    load_machine_config,
    system_config_path,
)
from bildungskoordination.services import Services

EXAMPLE = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "bildungskoordination.example.toml"


def test_the_shipped_example_loads_with_every_value():
    config = load_machine_config(EXAMPLE)
    assert config.district == "Landkreis Trier-Saarburg"
    assert config.letterhead["office"] == "Kreisverwaltung Trier-Saarburg"
    assert config.backup_folder.endswith("{user}") and config.lock_minutes == 10.0
    assert config.audit_keep_days == 730 and config.retention == {"inaktiv": {"years": 3, "days": 0}}


def test_no_file_is_an_empty_configuration(tmp_path: Path):
    assert load_machine_config(tmp_path / "fehlt.toml").empty


def test_the_system_location_and_its_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("BILDUNGSKOORDINATION_SYSTEM_CONFIG", raising=False)
    default = system_config_path()
    assert default.name == "bildungskoordination.toml" and "bildungskoordination" in default.parent.name
    monkeypatch.setenv("BILDUNGSKOORDINATION_SYSTEM_CONFIG", str(tmp_path / "x.toml"))
    assert system_config_path() == tmp_path / "x.toml"


@pytest.mark.parametrize(("text", "line", "key", "problem"), [
    ('district = "A"\nbackup_ordner = "/x"\n', 2, "backup_ordner", "unbekannter Eintrag"),
    ('district = "A"\n\nlock_minutes = "zehn"\n', 3, "lock_minutes", "Zahl erwartet"),
    ("lock_minutes = 0\n", 1, "lock_minutes", "mindestens 1"),
    ('[letterhead]\noffice = "Amt"\nfax = "1"\n', 3, "letterhead.fax", "unbekanntes Feld"),
    ("[retention.vergessen]\nyears = 2\n", 1, "retention.vergessen", "unbekannte Löschregel"),
    ("[retention.inaktiv]\nyears = -1\n", 2, "retention.inaktiv.years", "ganzen Zahl ab 0"),
    ('district = "A"\ndistrict = "B"\n', 2, "", "kein gültiges TOML"),
    ("audit_keep_days = 1.5\n", 1, "audit_keep_days", "ganze Zahl erwartet"),
])
def test_a_bad_file_names_file_line_and_key(tmp_path: Path, text: str, line: int, key: str, problem: str):
    path = tmp_path / "bildungskoordination.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MachineConfigError) as caught:
        load_machine_config(path)
    error = caught.value
    assert (error.line, error.key) == (line, key)
    assert str(path) in str(error) and f"Zeile {line}" in str(error) and problem in str(error)


def test_not_utf8_is_named(tmp_path: Path):
    path = tmp_path / "bildungskoordination.toml"
    path.write_bytes('district = "Kreis"\ndistrict_x = "Stra\xdfe"\n'.encode("latin-1"))
    with pytest.raises(MachineConfigError, match="Zeile 2.*UTF-8"):
        load_machine_config(path)


def test_user_placeholder_in_the_backup_folder(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("getpass.getuser", lambda: "mmuster")
    assert expand_folder("/mnt/sicherungen/{user}") == "/mnt/sicherungen/mmuster"
    assert expand_folder("/mnt/sicherungen") == "/mnt/sicherungen"


def test_first_start_stores_district_letterhead_and_periods():
    services = Services.open(None)
    try:
        config = MachineConfig(audit_keep_days=400, retention={"inaktiv": {"years": 5, "days": 0}})
        services.apply_first_start(district="Landkreis Beispiel", letterhead={"office": "Kreisverwaltung Beispiel",
                                   "street": " "}, config=config)
        assert services.settings.get("district.name") == "Landkreis Beispiel"
        assert services.letters.letterhead().office == "Kreisverwaltung Beispiel"
        assert not services.letters.needs_letterhead()
        assert services.settings.get("audit.keep_days") == 400
        assert services.settings.get("retention.inaktiv.years") == 5
    finally:
        services.close()


def test_check_config_for_it(tmp_path: Path, capsys):
    from bildungskoordination.cli import main

    assert main(["check-config", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "in Ordnung" in out and "district = Landkreis Trier-Saarburg" in out and "retention.inaktiv.years = 3" in out
    bad = tmp_path / "bildungskoordination.toml"
    bad.write_text("lock_minutes = true\n", encoding="utf-8")
    assert main(["check-config", str(bad)]) == 1
    assert f"{bad}, Zeile 1: lock_minutes: Zahl erwartet" in capsys.readouterr().err
