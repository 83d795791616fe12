"""The book's chapters as the tests see them: their paths, and their prose without code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

BOOK = Path(__file__).parent.parent / "book"
BUILD_OPTIONS = ("--warningiserror", "--nitpick", "--keep-going")
"""The options of the README's `make book`: warnings (broken references included) are errors."""

NPM = os.environ.get("CNNCOUNT_NPM") or shutil.which("npm") or "npm"
"""npm, which fetches Pyodide for the book's live code to run offline, or the one named by $CNNCOUNT_NPM."""

NPM_MISSING = (
    f"npm is not installed ({NPM}): apt-get install npm lays out the offline Pyodide"
    " that the tests of live code need (tools/pyodide_offline.py)"
)


PYODIDE = "CNNCOUNT_PYODIDE"
"""The variable that makes the build serve Pyodide from the site (book/_ext/lite.py)."""


def build_book(output: Path, pyodide: Path | None) -> None:
    """Build the book into ``output`` as `make book` does, or, given the folder that
    tools/pyodide_offline.py made, as `make book-offline` does; fail the test if it fails."""
    environment = {name: value for name, value in os.environ.items() if name != PYODIDE}
    if pyodide is not None:
        environment[PYODIDE] = str(pyodide)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(BOOK), *BUILD_OPTIONS, "--path-output", str(output)],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "build succeeded" in result.stdout


def has_npm() -> bool:
    """Return whether npm is installed, as $CNNCOUNT_NPM or on the PATH."""
    return shutil.which(NPM) is not None


def chapters() -> list[Path]:
    """Return the chapters in the order of the table of contents."""
    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"], *(entry["file"] for entry in toc["chapters"])]
    return [BOOK / f"{name}.md" for name in names]


def notebooks() -> list[Path]:
    """Return the chapters that are notebooks: those with a jupytext header."""
    return [
        path for path in chapters() if path.read_text(encoding="utf-8").startswith("---\njupytext:")
    ]


_FILE_NAME = re.compile(r"[\w./-]+\.(png|jpe?g|gif|svg|webp)", re.IGNORECASE)


def describes_an_image(alt: str | None) -> bool:
    """Return whether ``alt`` is an alt text that says something: neither empty nor a file name.

    Examples:
        >>> describes_an_image("Two bar charts over VGG-16's layers."), describes_an_image(" ")
        (True, False)
        >>> describes_an_image("_images/edd6c310.png"), describes_an_image(None)
        (False, False)
    """
    return bool(alt and alt.strip()) and not _FILE_NAME.fullmatch(alt.strip())


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_FENCE_OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}")
_OPTION = re.compile(r"^:[\w-]+:")
_CAPTION = re.compile(r"^\s+caption:\s*(?P<caption>.+)$")
CODE_DIRECTIVES = {
    "code-cell",
    "code-block",
    "code",
    "sourcecode",
    "eval-rst",
    "math",
    "bibliography",
    "literalinclude",
}
"""Directives whose content is code, math or generated, not prose: dropped with their fence."""
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def prose(text: str) -> str:
    """Return a chapter's prose: its text without front matter, code, roles, inline code and link
    targets, but with what directives such as ``{exercise}``, ``{solution}`` and ``{note}`` say,
    and with the caption of each figure.

    Examples:
        >>> prose("Has {glue:text}`params:,` params, `conv3-64`, and [a link](x.md).\\n```python\\n42\\n```\\n")
        'Has  params, , and [a link].\\n'
        >>> print(prose("````{solution} ex-1\\n:class: dropdown\\nIt is 42.\\n```python\\n>>> 6 * 7\\n```\\n````"))
        It is 42.
        >>> print(prose("```{code-cell} ipython3\\n---\\nmystnb:\\n  figure:\\n    caption: All 13 layers.\\n---\\nplot()\\n```"))
        All 13 layers.
    """
    lines = _FRONT_MATTER.sub("", text).split("\n")
    kept: list[str] = []
    open_fences: list[str] = []  # the fences of the directives we are inside, innermost last
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE_OPEN.match(line)
        if open_fences and line.strip() == open_fences[-1]:
            open_fences.pop()
        elif opening:
            fence, info = opening.group("fence"), opening.group("info").strip()
            directive = _DIRECTIVE.match(info)
            if directive and directive.group("name") not in CODE_DIRECTIVES:
                open_fences.append(fence)
                while index + 1 < len(lines) and _OPTION.match(lines[index + 1]):
                    index += 1  # a directive's options are not prose
            else:  # code: skip to its closing fence, keeping only figure captions
                index += 1
                while index < len(lines) and lines[index].strip() != fence:
                    caption = _CAPTION.match(lines[index])
                    if caption:
                        kept.append(caption.group("caption"))
                    index += 1
        else:
            kept.append(line)
        index += 1
    text = "\n".join(kept)
    for pattern in (_COMMENT, _ROLE, _INLINE_CODE):
        text = pattern.sub("", text)
    return _LINK_TARGET.sub("]", text)
