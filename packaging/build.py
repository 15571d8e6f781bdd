#!/usr/bin/env python3
"""Build the self-contained app and (on Linux) a .deb: ``python3 packaging/build.py``.

Needs only Python 3.11+ with ``venv`` (Debian: ``python3-venv``), ``binutils`` (PyInstaller reads the libraries'
dependencies with objdump) and ``dpkg-deb`` (Debian: ``dpkg``). Everything else is installed into a build
environment of its own under ``build/venv`` – the system Python stays untouched:

1. ``build/venv``: a fresh virtual environment with the app (as a wheel, from this checkout) and PyInstaller;
2. ``build/pyinstaller/dist/bildungskoordination``: the bundle (onedir) with Python, Qt, resources/,
   translations/ (compiled to .mo), fonts and ui/ – runs on a machine without Python;
3. ``dist/bildungskoordination_<version>_<arch>.deb`` (Linux): the bundle under /opt/bildungskoordination,
   the launcher /usr/bin/bildungskoordination, a .desktop file and the icon.

Windows and macOS run steps 1–2 the same way (``--no-deb``) and then their own packaging
(packaging/windows/, packaging/macos/, .github/workflows/).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
NAME = "bildungskoordination"
PYINSTALLER = "pyinstaller>=6.10,<7"

# What the bundled Qt (xcb platform plugin) needs from Debian/Ubuntu; the README names the same list.
DEB_DEPENDS = [
    "libgl1", "libegl1", "libfontconfig1", "libfreetype6", "libxkbcommon0",
    "libxkbcommon-x11-0", "libglib2.0-0t64 | libglib2.0-0", "libdbus-1-3", "libx11-xcb1", "libxcb1",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0",
    "libxcb-shape0", "libxcb-xinerama0", "libxcb-xkb1", "libxcb-xfixes0", "libxcb-sync1", "libxcb-shm0",
    "libxcb-render0",
]


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(*cmd: str | Path, **kw: object) -> None:
    log(" ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def make_venv(folder: Path) -> Path:
    """The build environment: created once, then reused (the app itself is reinstalled every time)."""
    python = venv_python(folder)
    if not python.exists():
        log(f"creating the build environment {folder}")
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(folder)
        except (OSError, subprocess.CalledProcessError) as exc:
            sys.exit(f"The build environment cannot be created ({exc}). On Debian/Ubuntu: apt-get install python3-venv")
    env = clean_env()
    # The app as a wheel (not editable): its resources land in bildungskoordination/_data, as in any install.
    run(python, "-m", "pip", "install", "--quiet", PYINSTALLER, ROOT, env=env)
    # ... and again without its dependencies, so a reused environment gets this checkout's state.
    run(python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", ROOT, env=env)
    return python


def clean_env() -> dict[str, str]:
    """No PYTHONPATH or outer virtualenv leaking into the build (or into the bundle's smoke test)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def build_bundle(python: Path, work: Path) -> Path:
    dist = work / "dist"
    work.mkdir(parents=True, exist_ok=True)
    # Catalogs compiled once, in the installed package, before PyInstaller collects it (also into the macOS
    # .app): the installed app does not compile .po files at every start.
    package = subprocess.run([str(python), "-c", "import bildungskoordination, os; "
                              "print(os.path.dirname(bildungskoordination.__file__))"],
                             check=True, capture_output=True, text=True, env=clean_env(), cwd=work).stdout.strip()
    run(python, PACKAGING / "compile_catalogs.py", package, env=clean_env())
    run(python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", dist,
        "--workpath", work / "work", PACKAGING / f"{NAME}.spec", env=clean_env(), cwd=work)
    # (not cwd=ROOT: the source tree would shadow the installed wheel, which alone holds _data/)
    return dist / NAME


def deb_arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf"}.get(machine, machine)


def libc_dependency() -> str:
    """The bundle's Python and libraries were linked against this machine's glibc: no older one will do."""
    name, found = platform.libc_ver()
    return f"libc6 (>= {found})" if name == "glibc" and found else "libc6"


def build_deb(bundle: Path, out_dir: Path, work: Path, compression: str = "zstd") -> Path:
    """dpkg-deb from a staged tree; the bundle goes to /opt, a launcher to /usr/bin."""
    if shutil.which("dpkg-deb") is None:
        sys.exit("dpkg-deb is missing (Debian/Ubuntu: apt-get install dpkg)")
    stage = work / "deb"
    shutil.rmtree(stage, ignore_errors=True)
    opt = stage / "opt" / NAME
    shutil.copytree(bundle, opt, symlinks=True)
    linux = PACKAGING / "linux"
    for source, target, mode in [
        (linux / "launcher.sh", stage / "usr/bin" / NAME, 0o755),
        (linux / f"{NAME}.desktop", stage / "usr/share/applications" / f"{NAME}.desktop", 0o644),
        (PACKAGING / "icons" / f"{NAME}.svg", stage / "usr/share/icons/hicolor/scalable/apps" / f"{NAME}.svg", 0o644),
        (linux / "bildungskoordination.example.toml", stage / "usr/share/doc" / NAME / "bildungskoordination.example.toml",
         0o644),
    ]:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        target.chmod(mode)
    for path in stage.rglob("*"):  # dpkg wants sane permissions: nothing group/world-writable
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o022 | (0o755 if path.is_dir() else 0))
    size_kib = sum(p.stat().st_size for p in stage.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir(parents=True)
    control.write_text(
        f"Package: {NAME}\nVersion: {version()}\nArchitecture: {deb_arch()}\n"
        "Maintainer: Bildungskoordination <bildungskoordination@example.org>\n"
        f"Installed-Size: {size_kib}\nSection: misc\nPriority: optional\n"
        f"Depends: {', '.join([libc_dependency(), *DEB_DEPENDS])}\n"
        "Description: Fallverwaltung für die Bildungskoordination für Neuzugewanderte\n"
        " Erfassung von Personen, Beratungskontakten, Wiedervorlagen, Kursen und\n"
        " Vermittlungen; verschlüsselte Datenbank im Datenordner der Benutzerin.\n"
        " Enthält Python und Qt (PyInstaller); die Daten bleiben bei Update und\n"
        " Deinstallation erhalten.\n", encoding="utf-8")
    control.parent.chmod(0o755)
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{NAME}_{version()}_{deb_arch()}.deb"
    # Measured on the 310 MB bundle: zstd -3 8 s / 122 MB, gzip -1 18 s / 136 MB, gzip -6 48 s / 124 MB, xz far
    # longer. zstd needs dpkg 1.21.18+ (Debian 12, Ubuntu 22.04); --deb-compression gzip for older systems.
    level = {"zstd": "-z3", "gzip": "-z6", "xz": "-z6"}[compression]
    run("dpkg-deb", "--root-owner-group", f"-Z{compression}", level, "--build", stage, deb)
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build", help="build folder (default: build/)")
    parser.add_argument("--dist-dir", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--no-deb", action="store_true", help="only the bundle (Windows, macOS, or without dpkg-deb)")
    parser.add_argument("--deb-compression", choices=["zstd", "gzip", "xz"], default="zstd",
                        help="zstd (default, Debian 12+/Ubuntu 22.04+) or gzip (older dpkg)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    python = make_venv(args.build_dir / "venv")
    installed = time.perf_counter()
    bundle = build_bundle(python, args.build_dir / "pyinstaller")
    bundled = time.perf_counter()
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    log(f"bundle: {bundle} ({size / 1e6:.0f} MB) – environment {installed - started:.0f} s, "
        f"PyInstaller {bundled - installed:.0f} s")
    if sys.platform.startswith("linux") and not args.no_deb:
        deb = build_deb(bundle, args.dist_dir, args.build_dir, args.deb_compression)
        log(f"package: {deb} ({deb.stat().st_size / 1e6:.0f} MB) – {time.perf_counter() - bundled:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
