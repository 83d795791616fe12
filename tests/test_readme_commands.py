"""The README's command-line examples run, and those that show their output show what they print."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from cnncount.cli import main

README = Path(__file__).parent.parent / "README.md"


def console_examples() -> list[tuple[list[str], list[str]]]:
    """Return each ``$ cnncount ...`` line of the README's console blocks and the lines shown after it."""
    examples: list[tuple[list[str], list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                words = shlex.split(line[2:], comments=True)
                examples.append((words, []))
            elif examples:
                examples[-1][1].append(line)
    return [(words[1:], shown) for words, shown in examples if words[0] == "cnncount"]


@pytest.mark.parametrize(
    ("args", "shown"),
    console_examples(),
    ids=lambda item: " ".join(item) if item and isinstance(item[0], str) else "",
)
def test_readme_example(args, shown, capsys) -> None:
    status = main(args)
    out, err = capsys.readouterr()
    if shown:
        assert (out + err).splitlines() == shown
    else:
        assert status == 0 and out
