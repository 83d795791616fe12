"""Fixtures shared by the tests: one build of the book, one wheel and one reader's venv per test session.

A test that uses one of them, even through another fixture, is marked ``slow``: `make check`
leaves it out, `make test` runs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.book import BOOK, NPM, build_book, has_npm
from tests.reader import build_wheel, make_reader_venv

collect_ignore = ["torch_twins.py", "torch_memory.py"]
"""Helpers, not tests, that import an optional dependency: the tests that need them import them
where it is installed, and skip with the reason where it is not."""

SLOW_FIXTURES = frozenset({"offline_pyodide", "book_html", "wheel", "reader_venv"})
"""The fixtures below that build something: a test that needs one is slow."""

ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
"""Where the tests leave what a person may want to look at: screenshots, the external links."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that uses a fixture of ``SLOW_FIXTURES``, directly or not."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def offline_pyodide(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Lay out Pyodide from npm and PyPI, as `make book-offline` does; return its folder, or None
    where npm is missing."""
    if not has_npm():
        return None
    folder = tmp_path_factory.mktemp("pyodide")
    script = BOOK.parent / "tools" / "pyodide_offline.py"
    result = subprocess.run(
        [sys.executable, str(script), str(folder), "--npm", NPM],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


@pytest.fixture(scope="session")
def book_html(tmp_path_factory: pytest.TempPathFactory, offline_pyodide: Path | None) -> Path:
    """Build the book into a fresh folder, every chapter executed, as `make book` does, with the
    offline Pyodide where there is one (`make book-offline`); return its HTML."""
    output = tmp_path_factory.mktemp("book")
    build_book(output, offline_pyodide)
    return output / "_build" / "html"


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the package's wheel from the checkout; return its path."""
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def reader_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """Make a fresh venv with only the wheel, its notebooks extra, nbclient and ipykernel; return its folder."""
    return make_reader_venv(tmp_path_factory.mktemp("reader") / "venv", wheel)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Return the folder for test artefacts, created if need be."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
