"""No figure is typed in a chapter's prose: every number there must come from executed code.

Allowed, because they are names or fixed conventions rather than results:

- years (1900 to 2099), such as the paper's 2014;
- 224, the input size every chapter starts from;
- kernel sizes up to 11, written as ``11x11`` or alone;
- section numbers of the VGG paper, written ``Section 2.3``;
- digits that are part of a name: VGG-16, CS231n, conv3, fc1, A-LRN.
"""

from __future__ import annotations

import re

import pytest

from tests.book import chapters, prose

ALLOWED = {"224", *(str(kernel) for kernel in range(2, 12))}
_SECTION = re.compile(r"Section \d+(\.\d+)*")
_NUMBER = re.compile(r"(?<![\w.,-])\d[\d,.]*\d")


def typed_figures(text: str) -> list[str]:
    """Return the multi-digit numbers written in ``text`` that are not allowed.

    Examples:
        >>> typed_figures("VGG-16 has 138,357,544 parameters, or 138M, in 2014 (Section 2.3) at 224x224.")
        ['138,357,544', '138']
        >>> typed_figures("fc1 sees 7x7x512 = 25088 values, 93.5 MB; CS231n and conv3-64 are names.")
        ['512', '25088', '93.5']
    """
    text = _SECTION.sub("", text).replace("x", " x ")
    found = []
    for number in _NUMBER.findall(text):
        digits = number.replace(",", "").replace(".", "")
        if len(digits) < 2 or number in ALLOWED or re.fullmatch(r"(19|20)\d\d", number):
            continue
        found.append(number.rstrip(".,"))
    return found


@pytest.mark.parametrize("chapter", chapters(), ids=lambda path: path.name)
def test_no_figure_is_typed_in_the_prose(chapter) -> None:
    assert typed_figures(prose(chapter.read_text(encoding="utf-8"))) == []
