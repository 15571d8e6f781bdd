"""The Linux package, built as IT would from this checkout (``python3 packaging/build.py``), unpacked with
``dpkg-deb -x`` and started through its launcher outside any virtualenv: the bundle must carry everything."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tooling import missing_tool

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200),
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb is built on Linux")]


def _outside_any_venv(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("BILDUNGSKOORDINATION_")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"  # no venv's bin, no pyenv shims
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", BILDUNGSKOORDINATION_DATA_DIR=str(home / "daten"),
               XDG_CONFIG_HOME=str(home / ".config"), LANG="C.UTF-8")
    return env


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for tool, package in (("dpkg-deb", "dpkg"), ("objdump", "binutils")):
        if shutil.which(tool) is None:
            missing_tool(f"{tool} fehlt ({package})")
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    # build/ of this checkout: the build environment is made once and reused by later runs.
    build = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--dist-dir", str(out)],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    debs = list(out.glob("bildungskoordination_*.deb"))
    assert len(debs) == 1, build.stdout[-2000:]
    control = subprocess.run(["dpkg-deb", "--field", str(debs[0]), "Depends"], capture_output=True, text=True)
    assert "libxcb-cursor0" in control.stdout and "libxkbcommon-x11-0" in control.stdout
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(root)], check=True)
    return root


def test_the_package_holds_launcher_desktop_file_icon_and_data(unpacked: Path):
    launcher = unpacked / "usr/bin/bildungskoordination"
    assert launcher.is_file() and os.access(launcher, os.X_OK)
    desktop = (unpacked / "usr/share/applications/bildungskoordination.desktop").read_text(encoding="utf-8")
    assert "Exec=bildungskoordination" in desktop and "Icon=bildungskoordination" in desktop
    assert (unpacked / "usr/share/icons/hicolor/scalable/apps/bildungskoordination.svg").is_file()
    data = unpacked / "opt/bildungskoordination/_internal/bildungskoordination/_data"
    assert (data / "translations/en/LC_MESSAGES/bildungskoordination.mo").is_file()  # compiled at build time
    assert (data / "resources/fonts/NotoSansEthiopic-Regular.ttf").is_file() and (data / "resources/settings.toml").is_file()
    assert (data / "ui").is_dir()


def test_the_launcher_passes_the_smoke_test_outside_any_virtualenv(unpacked: Path, tmp_path: Path):
    result = subprocess.run([str(unpacked / "usr/bin/bildungskoordination"), "--demo", "--smoke-test"],
                            env=_outside_any_venv(tmp_path), capture_output=True, text=True, timeout=180,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] and report["persons"] == 400
    print("installed bundle:", report)


def test_the_packaged_command_line_writes_a_bilingual_letter(unpacked: Path, tmp_path: Path):
    """Letters use ReportLab, HarfBuzz, bidi, pikepdf and the bundled fonts: all must be in the bundle."""
    launcher, env = str(unpacked / "usr/bin/bildungskoordination"), _outside_any_venv(tmp_path)
    db = tmp_path / "demo.sqlite3"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([launcher, "--db", str(db), *args], env=env, capture_output=True, text=True,
                              timeout=180, stdin=subprocess.DEVNULL)

    demo = run("demo", "--persons", "30")
    assert demo.returncode == 0, demo.stderr
    letter = run("letter", "1", "--lang", "ar", "--allow-past-dates", "--out", str(tmp_path / "brief.pdf"))
    assert letter.returncode == 0, letter.stdout + letter.stderr
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF")
