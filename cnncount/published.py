"""Figures published by others that cnncount reproduces, shipped inside the package as data.

The files live in ``cnncount/data`` and are read with ``importlib.resources``, so the book's
chapters and the tests find them from any working directory, and so does an installed wheel:

- ``vgg16-breakdown.txt``: the widely quoted layer-by-layer breakdown of VGG-16 (a Stack
  Overflow answer reproducing the CS231n notes' "VGGNet in detail" table);
- ``published-vgg16.csv``: VGG-16's memory and compute as tools print them (with the version
  each was confirmed against), and our own conventions beside them;
- ``published-params.csv``: the parameter count its authors or torchvision publish for each
  built-in model;
- ``published-macs.csv``: the compute torchvision publishes for each model it ships (its
  weights' ``meta["_ops"]``, printed as "GFLOPS" but counting multiply-accumulates, in units of
  10^9 to three decimals).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files

__all__ = [
    "PublishedFigure",
    "breakdown_lines",
    "breakdown_section",
    "published_figures",
    "published_macs",
    "published_params",
    "published_sources",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedFigure:
    """A figure for VGG-16, printed by a tool or computed by us for comparison, and the convention
    that reproduces it.

    ``quantity`` is ``"memory"`` or ``"compute"``; ``published`` is the number as printed;
    ``as_printed`` says who printed it, with which version, and how; ``origin`` is ``"tool"`` for
    a figure a tool or its documentation really printed and ``"ours"`` for one of our own
    conventions, shown beside them; ``source`` is the key of its entry in the book's
    bibliography, if any.

    Examples:
        >>> figure = published_figures()[0]
        >>> figure.quantity, figure.convention, figure.model, figure.published, figure.origin
        ('memory', 'cs231n', 'vgg16', '15,237,608', 'ours')
        >>> sorted({figure.origin for figure in published_figures()})
        ['ours', 'tool']
    """

    quantity: str
    convention: str
    model: str
    published: str
    as_printed: str
    origin: str
    source: str


def breakdown_lines() -> list[str]:
    """Return the lines of the VGG-16 breakdown, without line ends.

    Examples:
        >>> lines = breakdown_lines()
        >>> lines[0]
        'How to calculate the number of parameters of convolutional neural networks?'
    """
    return _read("vgg16-breakdown.txt").splitlines()


def breakdown_section(first: str, last: str) -> list[str]:
    """Return the breakdown's lines from the first that starts with ``first`` to the last that
    starts with ``last``.

    Examples:
        >>> breakdown_section("TOTAL memory:", "TOTAL params:")
        ['TOTAL memory: 24M * 4 bytes ~= 93MB / image (only forward! ~*2 for bwd)', 'TOTAL params: 138M parameters']
    """
    lines = breakdown_lines()
    start = next(index for index, line in enumerate(lines) if line.startswith(first))
    end = max(index for index, line in enumerate(lines) if line.startswith(last))
    return lines[start : end + 1]


def published_figures() -> list[PublishedFigure]:
    """Return every VGG-16 figure that a convention reproduces, those tools printed and our own.

    Examples:
        >>> sorted({figure.quantity for figure in published_figures()})
        ['compute', 'memory']
    """
    return [PublishedFigure(**row) for row in _csv_rows("published-vgg16.csv")]


def published_params() -> dict[str, int]:
    """Return the published parameter count of each built-in model, by its name.

    Examples:
        >>> published_params()["vgg16"], published_params()["resnet50"]
        (138357544, 25557032)
    """
    return {row["model"]: int(row["params"]) for row in _csv_rows("published-params.csv")}


def published_sources() -> dict[str, str]:
    """Return where each built-in model's published parameter count comes from, by its name.

    ``torchvision <name>`` means torchvision's model reports the count to the last digit; other
    sources are a paper's rounded figure or a sum made by hand from a paper's layers.

    Examples:
        >>> published_sources()["resnet50"], published_sources()["vgg16-c"]
        ('torchvision resnet50', 'VGG paper, Table 2: 134 million')
    """
    return {row["model"]: row["source"] for row in _csv_rows("published-params.csv")}


def published_macs() -> dict[str, float]:
    """Return the multiply-accumulates torchvision publishes for each built-in model that
    reproduces one of its models, by the model's name, in units of 10^9 to three decimals.

    Examples:
        >>> published_macs()["resnet50"], published_macs()["vit-b-16"]
        (4.089, 17.564)
    """
    return {row["model"]: float(row["gmacs"]) for row in _csv_rows("published-macs.csv")}


def _read(name: str) -> str:
    return files("cnncount").joinpath("data", name).read_text(encoding="utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_read(name).splitlines()))
