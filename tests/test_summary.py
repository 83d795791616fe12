"""Summaries of the built-in models: totals, the VGG paper's Table 2, and structure."""

from __future__ import annotations

import pytest

from cnncount import CnncountError, Network, Node, ReLU, Shape, get_model, summarize
from cnncount.summary import COUNTS


@pytest.mark.parametrize(
    ("model", "millions"),
    [
        ("vgg11", 133),
        ("vgg11-lrn", 133),
        ("vgg13", 133),
        ("vgg16-c", 134),
        ("vgg16", 138),
        ("vgg19", 144),
    ],
)
def test_vgg_paper_table_2(model, millions) -> None:
    assert round(summarize(get_model(model)).totals.params / 1e6) == millions


def test_vgg16_matches_torchvision_exactly() -> None:
    totals = summarize(get_model("vgg16")).totals
    assert totals.params == 138_357_544
    assert (totals.weights, totals.biases) == (138_344_128, 13_416)


def test_vgg16_totals() -> None:
    totals = summarize(get_model("vgg16")).totals
    assert totals.activations == 15_237_608
    assert totals.macs == 15_470_264_320


@pytest.mark.parametrize("model", ["vgg11", "vgg11-lrn", "vgg16", "vgg19"])
def test_totals_are_the_sums_of_the_rows(model) -> None:
    summary = summarize(get_model(model))
    for count in COUNTS:
        assert getattr(summary.totals, count) == sum(getattr(row, count) for row in summary.rows)


def test_fc1_sees_7x7x512() -> None:
    fc1 = next(row for row in summarize(get_model("vgg16")).rows if row.name == "fc1")
    assert fc1.input_shape == Shape(512, 7, 7) and fc1.input_shape.numel == 25_088


def test_a_node_must_read_an_earlier_node() -> None:
    with pytest.raises(CnncountError, match="node 'a' reads 'b', which does not come before it"):
        Network("net", Shape(1, 4, 4), [Node(name="a", layer=ReLU(), inputs=("b",))])


def test_node_names_are_unique() -> None:
    relu = Node(name="a", layer=ReLU(), inputs=("input",))
    with pytest.raises(CnncountError, match="two nodes are called 'a'"):
        Network("net", Shape(1, 4, 4), [relu, relu])
