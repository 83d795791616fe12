"""CONTRIBUTING.md says what is there: every path it names in backticks exists, every make target
it names is the Makefile's, and its fast loop is the Makefile's `make check`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
FENCE = re.compile(r"^(`{3,})[^\n]*\n.*?^\1$", re.MULTILINE | re.DOTALL)
PATH = re.compile(r"^\.?[\w.-]+(/[\w.-]*)*$")
"""A word that reads as a path: ``tests/conftest.py``, ``cnncount/layers/``, ``.ci/run``, ``LICENSE``."""


def inline_code() -> list[str]:
    """Return what the guide's prose writes in backticks, outside its fenced blocks."""
    return re.findall(r"`([^`\n]+)`", FENCE.sub("", GUIDE))


BUILT = ("_build/", ".venv/")
"""Where make writes: the guide names these folders, a fresh clone has none of them."""


def named_paths() -> list[str]:
    """Return the paths of the checkout that the guide names in backticks."""
    return [
        code
        for code in inline_code()
        if PATH.match(code)
        and ("/" in code or re.search(r"\.(md|py|yml|toml|cff|csv)$", code))
        and not code.startswith(BUILT)
    ]


def test_the_guide_names_paths() -> None:
    assert {"tests/conftest.py", "book/_toc.yml", "cnncount/layers/gates.py"} <= set(named_paths())


def test_every_path_it_names_exists() -> None:
    missing = [path for path in named_paths() if not (ROOT / path).exists()]
    assert missing == []


def test_every_make_target_it_names_is_the_makefiles() -> None:
    targets = set(re.findall(r"^([\w-]+):", MAKEFILE, re.MULTILINE))
    named = set(re.findall(r"\bmake ([\w-]+)", GUIDE))
    assert {"check", "test"} <= named <= targets


def test_its_fast_loop_is_make_check() -> None:
    (recipe,) = re.findall(r"^check:.*\n\t(.*)$", MAKEFILE, re.MULTILINE)
    assert recipe == '$(BIN)/python -m pytest -m "not slow"'
    assert '`make check` runs `pytest -m "not slow"`' in GUIDE
