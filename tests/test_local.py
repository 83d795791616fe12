"""The locally connected layer, a convolution without weight sharing: its counts against closed
forms, its shared twin, its token in the notation, and its refusals."""

from __future__ import annotations

import pytest

from cnncount import (
    Conv2d,
    LayerError,
    LocallyConnected2d,
    Shape,
    SpecError,
    parse_layer,
    parse_network,
    summarize,
)
from cnncount.conventions import compute_count, get_convention
from cnncount.layers.base import CATEGORIES
from cnncount.layers.windows import Window
from cnncount.memory import kept_for_backward_bytes, training_memory
from cnncount.receptive import receptive_fields

ALEXNET_INPUT = Shape(3, 227, 227)


def test_alexnets_first_layer_without_sharing() -> None:
    """96 filters of 11 x 11 x 3 at stride 4 on 227 x 227: 55 x 55 positions, each its own."""
    local = LocallyConnected2d(96, 11, stride=4)
    assert local.output_shape(ALEXNET_INPUT) == Shape(96, 55, 55)
    assert local.weights(ALEXNET_INPUT) == 55 * 55 * 11 * 11 * 3 * 96
    assert local.biases(ALEXNET_INPUT) == 96 * 55 * 55
    assert local.params(ALEXNET_INPUT) == 55 * 55 * 11 * 11 * 3 * 96 + 96 * 55 * 55
    assert local.macs(ALEXNET_INPUT) == 96 * 55 * 55 * 11 * 11 * 3
    assert local.weight_factors(ALEXNET_INPUT) == ((55, 55), (11, 11, 3), (96,))


@pytest.mark.parametrize(
    ("local", "shape", "output"),
    [
        (LocallyConnected2d(64, 3), Shape(3, 32, 32), Shape(64, 30, 30)),  # Keras's example
        (LocallyConnected2d(8, (1, 7), padding=(0, 3)), Shape(4, 9, 9), Shape(8, 9, 9)),
        (LocallyConnected2d(5, (3, 2), stride=(2, 1), bias=False), Shape(2, 9, 6), Shape(5, 4, 5)),
    ],
)
def test_counts_are_the_shared_twins_once_per_position(local, shape, output) -> None:
    shared = local.shared()
    assert local.output_shape(shape) == shared.output_shape(shape) == output
    positions = output.height * output.width
    kernel_h, kernel_w = local.kernel_size
    assert (
        local.weights(shape) == positions * kernel_h * kernel_w * shape.channels * output.channels
    )
    assert local.weights(shape) == positions * shared.weights(shape)
    assert local.biases(shape) == (output.numel if local.bias else 0)
    assert (
        local.macs(shape)
        == shared.macs(shape)
        == output.numel * kernel_h * kernel_w * shape.channels
    )
    assert local.window(shape) == shared.window(shape)
    assert local.saves(shape) == shared.saves(shape)


def test_it_states_a_convolutions_facts() -> None:
    local = LocallyConnected2d(8, 3)
    assert local.category in CATEGORIES and local.category == "convolution"
    assert (local.in_place, local.sees_whole_input, local.autocast) == (False, False, "lower")
    assert local.window(Shape(3, 17, 17)) == (Window(extent=3, stride=1, padding=0),) * 2


def test_its_receptive_field_is_a_convolutions() -> None:
    shape = Shape(3, 64, 64)
    local = receptive_fields(summarize(parse_network("local5-8/s2 local3-8", shape)))
    conv = receptive_fields(summarize(parse_network("conv5-8/s2 conv3-8", shape)))
    assert [field.size for field in local] == [field.size for field in conv] == [1, 5, 9]


def test_one_bias_per_output_value_is_added_once() -> None:
    """torchinfo's convention adds each bias to its output value: here every output has its own."""
    summary = summarize(parse_network("local3-8/p0", Shape(3, 10, 10)))
    added = compute_count(summary, get_convention("torchinfo")) - summary.totals.macs
    assert added == 8 * 8 * 8 == summary.rows[1].biases


def test_training_memory_grows_only_by_its_parameters() -> None:
    """It keeps what the shared convolution keeps for the backward pass; only the parameters,
    their gradients and the optimizer's state grow."""
    shape = Shape(3, 16, 16)
    local = summarize(parse_network("local3-8/p0 relu local3-8/p0", shape))
    conv = summarize(parse_network("conv3-8/p0 relu conv3-8/p0", shape))
    assert kept_for_backward_bytes(local) == kept_for_backward_bytes(conv) > 0
    parts = dict(training_memory(local, optimizer="momentum").parts)
    params = 14 * 14 * (3 * 3 * 3 * 8 + 8) + 12 * 12 * (3 * 3 * 8 * 8 + 8)
    assert local.totals.params == params
    assert parts["parameters"] == parts["gradients"] == parts["optimizer state"] == 4 * params


@pytest.mark.parametrize(
    ("token", "layer"),
    [
        ("local3-64", LocallyConnected2d(64, 3, padding=1)),
        ("local11-96/s4/p2", LocallyConnected2d(96, 11, stride=4, padding=2)),
        ("local11-96/s4/p0", LocallyConnected2d(96, 11, stride=4)),
        ("local3x5-64", LocallyConnected2d(64, (3, 5), padding=(1, 2))),
        ("local1x7-8/p0", LocallyConnected2d(8, (1, 7))),
        ("local3-8/s2x1/p0x1/nobias", LocallyConnected2d(8, 3, (2, 1), (0, 1), bias=False)),
    ],
)
def test_each_token_reads_as_its_layer_and_is_written_back(token, layer) -> None:
    assert parse_layer(token) == layer
    assert str(layer) == token


@pytest.mark.parametrize(
    "conv", ["conv3-64", "conv11-96/s4/p2", "conv3x5-64/s2", "conv1x7-8/p0/nobias", "conv4-8"]
)
def test_a_conv_token_becomes_local_by_its_name_alone(conv) -> None:
    """The same options and defaults: padding d(k-1)/2 unless given."""
    shared, local = parse_layer(conv), parse_layer("local" + conv.removeprefix("conv"))
    assert isinstance(local, LocallyConnected2d) and isinstance(shared, Conv2d)
    assert local.shared() == shared
    assert str(local) == "local" + str(shared).removeprefix("conv")


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("local3-8/g2", "unknown option 'g' for local; options: s, p, nobias"),
        ("local3-8/d2", "unknown option 'd' for local; options: s, p, nobias"),
        ("local3-8/same", "unknown option 'same' for local; options: s, p, nobias"),
        ("local3", "expected local<kernel>-<channels>, e.g. local3-64 or local1x7-192"),
        ("local3-0", "out_channels must be positive, got 0"),
        ("local3x0-8", "kernel_size must be positive, got (3, 0)"),
        ("local3-8/s0", "stride must be positive, got 0"),
    ],
)
def test_a_malformed_token_says_what_is_wrong(token, message) -> None:
    with pytest.raises(SpecError) as caught:
        parse_layer(token)
    assert str(caught.value) == f"spec token 1 {token!r} (column 1): {message}"


def test_a_kernel_that_does_not_fit_is_refused_naming_the_layer() -> None:
    with pytest.raises(LayerError) as caught:
        LocallyConnected2d(8, (1, 7)).output_shape(Shape(3, 8, 5))
    assert str(caught.value) == "kernel 1x7 with padding 0 does not fit input 8x5"
    with pytest.raises(LayerError) as caught:
        summarize(parse_network("local5-8/p0 local5-8/p0", Shape(3, 8, 8)))
    assert "local2 (local5-8/p0)" in str(caught.value)
    assert "kernel 5 with padding 0 does not fit input 4x4" in str(caught.value)
