"""The real GUI on a real X display (Xvfb), not only Qt's offscreen platform: a system library the xcb platform
plugin needs (libxcb-cursor0 since Qt 6.5, …) that is missing makes this fail in CI instead of on a user's desk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tooling import missing_tool


def test_the_app_starts_and_paints_on_an_x_display(tmp_path: Path) -> None:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        missing_tool("Xvfb (Debian: xvfb) not installed")
    display = f":{90 + os.getpid() % 9}"
    server = subprocess.Popen([xvfb, display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "BILDUNGSKOORDINATION_DATA_DIR": str(tmp_path / "data")}
        result = subprocess.run([sys.executable, "-m", "bildungskoordination", "--demo", "--smoke-test"],
                                capture_output=True, text=True, timeout=180, env=env, stdin=subprocess.DEVNULL)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True and report["persons"] > 0
