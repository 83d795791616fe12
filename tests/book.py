"""The book's chapters as the tests see them: their paths, and their prose without code."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

BOOK = Path(__file__).parent.parent / "book"
BUILD_OPTIONS = ("--warningiserror", "--nitpick", "--keep-going")
"""The options of the README's `make book`: warnings (broken references included) are errors."""


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
_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.DOTALL | re.MULTILINE)
_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def prose(text: str) -> str:
    """Return a chapter's text without its front matter, code, roles, inline code and link targets.

    Examples:
        >>> prose("Has {glue:text}`params:,` params, `conv3-64`, and [a link](x.md).\\n```python\\n42\\n```\\n")
        'Has  params, , and [a link].\\n\\n'
    """
    for pattern in (_FRONT_MATTER, _FENCE, _COMMENT, _ROLE, _INLINE_CODE):
        text = pattern.sub("", text)
    return _LINK_TARGET.sub("]", text)
