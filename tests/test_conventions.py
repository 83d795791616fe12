"""Every published VGG-16 figure is reproduced, to its printed precision, by a named convention."""

from __future__ import annotations

import pytest

from cnncount import CnncountError, get_model, summarize
from cnncount.conventions import (
    CONVENTIONS,
    activation_bytes,
    activation_figure,
    activation_values,
    compute_count,
    compute_figure,
    get_convention,
)
from cnncount.published import published_figures

PUBLISHED = published_figures()


def _number(figure: str) -> str:
    return figure.split()[0]


@pytest.mark.parametrize(
    "entry", PUBLISHED, ids=lambda entry: f"{entry.convention}-{entry.quantity}-{entry.model}"
)
def test_published_figure_is_reproduced(entry) -> None:
    summary = summarize(get_model(entry.model))
    convention = get_convention(entry.convention)
    figure = (
        activation_figure(summary, convention)
        if entry.quantity == "memory"
        else compute_figure(summary, convention)
    )
    assert _number(figure) == entry.published


def test_every_convention_reproduces_a_published_figure() -> None:
    assert {entry.convention for entry in PUBLISHED} == set(CONVENTIONS)


def test_exact_counts_behind_the_figures() -> None:
    vgg16 = summarize(get_model("vgg16"))
    assert compute_count(vgg16, get_convention("cnncount")) == 15_470_264_320
    assert compute_count(vgg16, get_convention("flops")) == 2 * 15_470_264_320
    assert activation_values(vgg16, get_convention("cs231n")) == 15_237_608
    # torchinfo: the outputs of the 16 weighted layers, twice, in float32
    weighted = sum(row.activations for row in vgg16.rows if row.params)
    assert activation_bytes(vgg16, get_convention("torchinfo")) == 2 * 4 * weighted


def test_memory_scales_with_batch_and_dtype() -> None:
    vgg16 = summarize(get_model("vgg16"))
    torchinfo = get_convention("torchinfo")
    assert activation_bytes(vgg16, torchinfo, batch=8, dtype="float16") == 4 * activation_bytes(
        vgg16, torchinfo
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda s: activation_figure(s, get_convention("ptflops")),
            "convention 'ptflops' counts no activation memory",
        ),
        (
            lambda s: compute_figure(s, get_convention("torchsummary")),
            "convention 'torchsummary' counts no compute",
        ),
        (
            lambda s: get_convention("keras"),
            (
                "unknown convention 'keras'; conventions: cnncount, cs231n, convnet-burden, "
                "torchinfo, torchsummary, flops, ptflops, calflops"
            ),
        ),
    ],
)
def test_convention_errors(call, message) -> None:
    with pytest.raises(CnncountError) as caught:
        call(summarize(get_model("vgg16")))
    assert str(caught.value) == message
