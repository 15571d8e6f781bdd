"""The core never imports Qt; widgets never reach the database except through services."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold():
    code = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "pyproject.toml")],
                            cwd=ROOT, capture_output=True, text=True)
    assert "Contracts: 3 kept, 0 broken" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


def test_headless_commands_do_not_load_qt():
    code = ("import sys\n"
            "from bildungskoordination import cli, services\n"
            "from bildungskoordination.people import importer, service, contacts\n"
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_no_qt_contract_covers_every_module_but_gui():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if "Qt" in c["name"])
    listed = {m.removeprefix("bildungskoordination.") for m in contract["source_modules"]}
    package = ROOT / "bildungskoordination"
    present = {p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    present |= {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert present - {"gui"} == listed, (present - {"gui"}) ^ listed


def test_every_setting_key_is_declared_once_with_its_scope():
    """resources/settings.toml owns the keys: the database settings and the machine settings refuse others."""
    import pytest

    from bildungskoordination.domain.settings_keys import UnknownSetting, declared, setting_keys
    from bildungskoordination.letters.service import LETTERHEAD_KEY
    from bildungskoordination.monitoring.service import K_SETTING
    from bildungskoordination.privacy.policy import AUDIT_KEEP_DAYS, retention_key
    from bildungskoordination.services import Services

    keys = [k.key for k in setting_keys()]
    assert len(keys) == len(set(keys))
    for key in (LETTERHEAD_KEY, K_SETTING, AUDIT_KEEP_DAYS, retention_key("inaktiv", "years")):
        assert declared(key, "database").scope == "database"
    for key in ("ui/language", "privacy/lock_minutes", "backup/folder", "window/geometry"):
        assert declared(key, "machine").scope == "machine"
    with pytest.raises(UnknownSetting):
        declared("ui/language", "database")
    services = Services.open(None)
    try:
        with pytest.raises(UnknownSetting):
            services.settings.set("audit.keepdays", 30)  # a typo is refused, not stored as a second setting
        assert services.settings.all() == {}
    finally:
        services.close()
