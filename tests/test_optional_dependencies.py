"""The test command passes where the optional dependencies are missing: nothing that needs them is
imported when the tests are collected, and the tests that need them say why they are skipped.

CI installs PyTorch, Chromium and npm, so it never sees a machine without them; this test makes
one, by hiding the optional packages from a fresh interpreter and naming a browser and an npm that
do not exist, and collects the whole suite there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # collects the whole suite twice, in a fresh interpreter

ROOT = Path(__file__).parent.parent
OPTIONAL = ("torch", "torchvision", "playwright")
"""Packages the suite uses where they are installed, and skips without."""

_WITHOUT_OPTIONAL = f"""
import sys
for name in {OPTIONAL!r}:
    sys.modules[name] = None  # import raises ImportError, as where it is not installed
import pytest
sys.exit(pytest.main(sys.argv[1:]))
"""


def collect_without_optional(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run pytest with ``arguments`` in a fresh interpreter that cannot import the optional packages."""
    return subprocess.run(
        [sys.executable, "-c", _WITHOUT_OPTIONAL, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "CNNCOUNT_CHROMIUM": "/nonexistent/chromium",
            "CNNCOUNT_NPM": "/nonexistent/npm",
        },
    )


def test_collection_needs_no_optional_dependency() -> None:
    result = collect_without_optional("--collect-only", "-q")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "error" not in result.stdout.splitlines()[-1].lower(), result.stdout[-3000:]


def test_tests_that_need_them_are_skipped_with_the_reason() -> None:
    modules = ["tests/test_torch_crosscheck.py", "tests/test_browser.py", "tests/test_live.py"]
    result = collect_without_optional(*modules, "-q")
    assert result.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
    assert result.stdout.splitlines()[-1].split()[1:2] == ["skipped"]
    assert "PyTorch is not installed" in result.stdout
    assert (
        "Chromium is not installed" in result.stdout
        or "Playwright is not installed" in result.stdout
    )
    assert "npm is not installed (/nonexistent/npm)" in result.stdout
