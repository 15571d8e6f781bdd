"""The core never imports Qt; widgets never reach the database except through services."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold():
    code = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "pyproject.toml")],
                            cwd=ROOT, capture_output=True, text=True)
    assert "Contracts: 2 kept, 0 broken" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


def test_headless_commands_do_not_load_qt():
    code = ("import sys\n"
            "from bildungskoordination import cli, services\n"
            "from bildungskoordination.people import importer, service, contacts\n"
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
