"""Sections of the reference breakdown in tests/data, read as plain lines."""

from __future__ import annotations

from pathlib import Path

REFERENCE = Path(__file__).parent / "data" / "vgg16-breakdown.txt"


def reference_lines() -> list[str]:
    """Return the reference file's lines, without line ends."""
    return REFERENCE.read_text(encoding="utf-8").splitlines()


def section(first: str, last: str) -> list[str]:
    """Return the lines from the first that starts with ``first`` to the last that starts with ``last``."""
    lines = reference_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = max(i for i, line in enumerate(lines) if line.startswith(last))
    return lines[start : end + 1]
