"""Every published VGG-16 figure is reproduced, to its printed precision, by a named convention."""

from __future__ import annotations

import pytest

from cnncount import Batch, CnncountError, get_model, summarize
from cnncount.conventions import CONVENTIONS, activation_values, compute_count, get_convention
from cnncount.published import published_figures
from cnncount.render.cost import activation_figure, compute_figure
from cnncount.views import compute_views

PUBLISHED = published_figures()


def figure_of(model: str, convention: str, quantity: str) -> str:
    """Return the figure a convention prints for a built-in model, as the tool prints it."""
    count = compute_views(summarize(get_model(model)), convention=convention).convention
    return activation_figure(count) if quantity == "memory" else compute_figure(count)


@pytest.mark.parametrize(
    "entry", PUBLISHED, ids=lambda entry: f"{entry.convention}-{entry.quantity}-{entry.model}"
)
def test_published_figure_is_reproduced(entry) -> None:
    figure = figure_of(entry.model, entry.convention, entry.quantity)
    assert figure.split()[0] == entry.published


def test_every_convention_reproduces_a_published_figure() -> None:
    """Keras's convention prints parameters only; tests/test_keras_reader.py checks its lines
    against Keras's own summary."""
    counting = {name for name, rule in CONVENTIONS.items() if rule.memory or rule.compute}
    assert {entry.convention for entry in PUBLISHED} == counting


def test_exact_counts_behind_the_figures() -> None:
    vgg16 = summarize(get_model("vgg16"))
    assert compute_count(vgg16, get_convention("cnncount")) == 15_470_264_320
    assert compute_count(vgg16, get_convention("flops")) == 2 * 15_470_264_320
    assert activation_values(vgg16, get_convention("cs231n")) == 15_237_608
    # torchinfo: the outputs of the 16 weighted layers, twice, in float32
    weighted = sum(row.activations for row in vgg16.rows if row.params)
    assert (
        compute_views(vgg16, convention="torchinfo").convention.activation_bytes == 2 * 4 * weighted
    )


def test_memory_scales_with_batch_and_dtype() -> None:
    vgg16 = summarize(get_model("vgg16"))
    one = compute_views(vgg16, convention="torchinfo").convention
    eight = compute_views(vgg16, Batch(8, "float16"), convention="torchinfo").convention
    assert eight.activation_bytes == 4 * one.activation_bytes


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s: activation_values(s, get_convention("ptflops")),
            "convention 'ptflops' counts no activation memory",
        ),
        (
            lambda s: compute_count(s, get_convention("torchsummary")),
            "convention 'torchsummary' counts no compute",
        ),
        (
            lambda s: get_convention("thop"),
            (
                "unknown convention 'thop'; conventions: cnncount, cs231n, convnet-burden, "
                "torchinfo, torchsummary, flops, ptflops, calflops, keras"
            ),
        ),
    ],
)
def test_convention_errors(call, message) -> None:
    with pytest.raises(CnncountError) as caught:
        call(summarize(get_model("vgg16")))
    assert str(caught.value) == message
