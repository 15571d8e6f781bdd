"""Helpers for tests that need a tool from the system (poppler, unshare, fonts)."""

from __future__ import annotations

import os


def missing_tool(reason: str) -> None:
    """A required tool is not installed: skip on a developer's machine, fail in CI (where .ci/run installs it),
    so a green CI never hides a test that did not run."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason} – CI must install it (.ci/run)")
    pytest.skip(reason)
