"""Training and inference memory: parts that add up, budgets that fit, errors that name the values."""

from __future__ import annotations

import pytest

from cnncount import CnncountError, get_model, parse_network, summarize
from cnncount.memory import (
    OPTIMIZER_STATE,
    inference_peak_bytes,
    kept_for_backward_bytes,
    largest_batch,
    training_memory,
)
from cnncount.precision import BYTES_PER_VALUE, Batch
from cnncount.units import parse_bytes

VGG16 = summarize(get_model("vgg16"))


@pytest.mark.parametrize("optimizer", list(OPTIMIZER_STATE))
@pytest.mark.parametrize("dtype", list(BYTES_PER_VALUE))
def test_parts_add_up_and_scale(optimizer, dtype) -> None:
    memory = training_memory(VGG16, Batch(64, dtype), optimizer=optimizer)
    parts = dict(memory.parts)
    size = BYTES_PER_VALUE[dtype]
    assert memory.total == sum(parts.values())
    assert parts["parameters"] == parts["gradients"] == 138_357_544 * size
    assert parts["optimizer state"] == OPTIMIZER_STATE[optimizer] * parts["parameters"]
    assert parts["inputs"] == 64 * 3 * 224 * 224 * size
    assert parts["activations kept for backward"] == kept_for_backward_bytes(
        VGG16, Batch(64, dtype)
    )


def test_kept_for_backward_counts_outputs_once_and_pooling_indices() -> None:
    outputs = VGG16.totals.activations - VGG16.rows[0].activations
    pooled = sum(row.activations for row in VGG16.rows if row.kind == "maxpool")
    assert kept_for_backward_bytes(VGG16) == 4 * outputs + 8 * pooled
    modules = summarize(
        get_model("vgg16-modules")
    )  # in-place ReLUs add nothing; dropouts their masks
    dropped = sum(row.activations for row in modules.rows if row.kind == "dropout")
    assert kept_for_backward_bytes(modules) == kept_for_backward_bytes(VGG16) + 2 * 4 * dropped


def test_inference_peak_is_the_largest_live_pair() -> None:
    conv2 = VGG16.rows[2]
    assert inference_peak_bytes(VGG16, Batch(2)) == 4 * (
        VGG16.totals.params + 2 * (conv2.input_shape.numel + conv2.activations)
    )


@pytest.mark.parametrize("optimizer", [None, "sgd", "adam"])
@pytest.mark.parametrize("budget", ["8GiB", "16GiB", "80GB"])
def test_largest_batch_fits_and_one_more_does_not(optimizer, budget) -> None:
    limit = parse_bytes(budget)
    batch = largest_batch(VGG16, limit, optimizer=optimizer)

    def needed(n: int) -> int:
        if optimizer is None:
            return inference_peak_bytes(VGG16, Batch(n))
        return training_memory(VGG16, Batch(n), optimizer=optimizer).total

    assert needed(batch) <= limit < needed(batch + 1)


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        (
            "512MiB",
            "budget 536,870,912 bytes is less than the 2,213,720,704 bytes this model needs before its first image",
        ),
        (
            "2213720710B",
            "budget 2,213,720,710 bytes does not fit one image: 2,286,914,080 bytes needed",
        ),
    ],
)
def test_a_budget_too_small_says_by_how_much(budget, message) -> None:
    with pytest.raises(CnncountError) as caught:
        largest_batch(VGG16, parse_bytes(budget), optimizer="adam")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text", ["", "GiB", "-1GiB", "0", "16 GiBs", "1e400GB", "nanMB", "0.1B", "16 gibibytes"]
)
def test_unreadable_sizes_are_refused(text) -> None:
    with pytest.raises(CnncountError, match="expected a number and a unit such as 16GiB or 500MB"):
        parse_bytes(text)


@pytest.mark.parametrize(
    ("text", "size"),
    [("16GiB", 16 * 2**30), ("16gb", 16 * 10**9), ("1.5 MiB", 1_572_864), ("2kB", 2000), ("7", 7)],
)
def test_sizes_in_decimal_and_binary_units(text, size) -> None:
    assert parse_bytes(text) == size


def test_unknown_optimizer() -> None:
    with pytest.raises(
        CnncountError, match="unknown optimizer 'lamb'; optimizers: sgd, momentum, adam"
    ):
        training_memory(VGG16, optimizer="lamb")


def test_in_place_relu_does_not_raise_the_inference_peak() -> None:
    plain = summarize(
        parse_network(
            "conv3-64 conv3-64",
        )
    )
    with_relu = summarize(parse_network("conv3-64 relu conv3-64 relu"))
    assert inference_peak_bytes(plain) == inference_peak_bytes(with_relu)
