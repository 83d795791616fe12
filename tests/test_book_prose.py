"""No figure is typed in a chapter's prose: every number there must come from executed code.

The prose is what a reader reads: the text, what the directives say (exercises, solutions,
notes) and the figures' captions, without code, math roles, inline code or link targets
(tests/book.py). Three kinds of typed number are refused.

**Numerals of two or more digits.** Allowed, because they are names or fixed conventions rather
than results:

- years (1900 to 2099), such as the paper's 2014;
- 224, the input size every chapter starts from;
- kernel sizes up to 11, written as ``11x11`` or alone;
- section numbers of the VGG paper, written ``Section 2.3``;
- digits that are part of a name: VGG-16, CS231n, conv3, fc1, A-LRN, and a vision transformer's
  patch size in its name, ViT-B/16.

Single digits are allowed: a kernel of 3, a stride of 2, the 3 colour channels.

**Chapter numbers.** ``chapter 5``, ``chapter five``: a chapter is referred to by its title,
through ``{doc}``, ``{ref}`` or ``{numref}``, so that the reference follows the table of contents.

**Spelled-out counts.** A number word at most two words before something the calculator
counts ("thirteen convolutions", "six VGG configurations", "three fully connected layers") is a
computed count typed by hand: glue it. Allowed, because the number is part of a definition or of
a design being described, not a result:

- "one" is never refused ("one filter per output channel", "one bias");
- the phrases of :data:`ALLOWED_PHRASES`, each a definition ("two FLOPs" per multiply-accumulate);
- a number word further from its noun, as in "three $3 \times 3$ convolutions", the premise of the
  VGG paper's argument: the math between them is more than two words.
"""

from __future__ import annotations

import re

import pytest

from tests.book import chapters, prose

ALLOWED = {"224", *(str(kernel) for kernel in range(2, 12))}
_SECTION = re.compile(r"Section \d+(\.\d+)*")
_VIT = re.compile(r"\bViT-[A-Z]/\d+")  # a vision transformer's name: its size, then its patch size
_NUMBER = re.compile(r"(?<![\w.,-])\d[\d,.]*\d")

NUMBER_WORDS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
]
"""Number words that may stand for a count ("one" is left out: it is nearly always a definition)."""

COUNTED = [
    "layers",
    "layer",
    "convolutions",
    "convolution",
    "poolings",
    "pooling",
    "configurations",
    "models",
    "networks",
    "stages",
    "blocks",
    "projections",
    "parameters",
    "weights",
    "biases",
    "channels",
    "filters",
    "rows",
    "figures",
    "exercises",
    "segments",
    "rectifiers",
    "ReLUs",
    "columns",
    "chapters",
]
"""What the calculator counts, and so what a number word must not be typed before."""

ALLOWED_PHRASES = {
    "two FLOPs",  # a definition: a multiply-accumulate is two floating-point operations
}
"""Phrases with a number word that are definitions or premises, not computed counts."""

_CHAPTER = re.compile(rf"\bchapters?\s+(\d+|{'|'.join(['one', *NUMBER_WORDS])})\b", re.IGNORECASE)
_COUNT = re.compile(
    rf"\b({'|'.join(NUMBER_WORDS)})((?:\s+[\w$\\{{}}-]+){{0,2}}?)\s+({'|'.join(COUNTED)})\b",
    re.IGNORECASE,
)


def typed_figures(text: str) -> list[str]:
    """Return the multi-digit numbers written in ``text`` that are not allowed.

    Examples:
        >>> typed_figures("VGG-16 has 138,357,544 parameters, or 138M, in 2014 (Section 2.3) at 224x224.")
        ['138,357,544', '138']
        >>> typed_figures("fc1 sees 7x7x512 = 25088 values, 93.5 MB; CS231n and conv3-64 are names.")
        ['512', '25088', '93.5']
        >>> typed_figures("ViT-B/16 cuts the image into 196 patches of 16x16 pixels.")
        ['196', '16', '16']
    """
    text = _VIT.sub("", _SECTION.sub("", text)).replace("x", " x ")
    found = []
    for number in _NUMBER.findall(text):
        digits = number.replace(",", "").replace(".", "")
        if len(digits) < 2 or number in ALLOWED or re.fullmatch(r"(19|20)\d\d", number):
            continue
        found.append(number.rstrip(".,"))
    return found


def chapter_numbers(text: str) -> list[str]:
    """Return the chapter numbers typed in ``text``.

    Examples:
        >>> chapter_numbers("See [chapter 5](vgg16.md), chapter five, and the next chapter.")
        ['chapter 5', 'chapter five']
    """
    return [match.group(0) for match in _CHAPTER.finditer(text)]


def spelled_counts(text: str) -> list[str]:
    """Return the number words typed before something that the calculator counts.

    Examples:
        >>> spelled_counts("All thirteen convolutions; six VGG configurations; three fully connected layers.")
        ['thirteen convolutions', 'six VGG configurations', 'three fully connected layers']
        >>> spelled_counts("One filter, two FLOPs per MAC, the two others, divided by two.")
        []
    """
    found = []
    for match in _COUNT.finditer(text):
        phrase = " ".join(match.group(0).split())
        if not any(allowed.lower() in phrase.lower() for allowed in ALLOWED_PHRASES):
            found.append(phrase)
    return found


@pytest.mark.parametrize("chapter", chapters(), ids=lambda path: path.name)
def test_no_figure_is_typed_in_the_prose(chapter) -> None:
    assert typed_figures(prose(chapter.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("chapter", chapters(), ids=lambda path: path.name)
def test_no_chapter_number_is_typed(chapter) -> None:
    assert chapter_numbers(prose(chapter.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("chapter", chapters(), ids=lambda path: path.name)
def test_no_count_is_spelled_out(chapter) -> None:
    assert spelled_counts(prose(chapter.read_text(encoding="utf-8"))) == []
