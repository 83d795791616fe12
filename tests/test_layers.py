"""Each layer's shape arithmetic and counts, as tables of (layer, input, expected)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, is_dataclass, replace

import pytest

from cnncount import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    LayerError,
    Linear,
    LocalResponseNorm,
    MaxPool2d,
    ReLU,
    Shape,
    Softmax,
    layers,
)
from cnncount.layers.windows import preserving_padding, window_output_size


@pytest.mark.parametrize(
    ("layer", "shape", "output", "weights", "biases", "macs"),
    [
        (Conv2d(64, 3, padding=1), Shape(3, 224, 224), Shape(64, 224, 224), 1728, 64, 86_704_128),
        (
            Conv2d(256, 3, padding=1),
            Shape(128, 56, 56),
            Shape(256, 56, 56),
            294_912,
            256,
            924_844_032,
        ),
        (
            Conv2d(64, 7, stride=2, padding=3),
            Shape(3, 224, 224),
            Shape(64, 112, 112),
            9408,
            64,
            118_013_952,
        ),
        (Conv2d(96, 11, stride=4), Shape(3, 227, 227), Shape(96, 55, 55), 34_848, 96, 105_415_200),
        (
            Conv2d(256, 5, padding=2, groups=2),
            Shape(96, 27, 27),
            Shape(256, 27, 27),
            307_200,
            256,
            223_948_800,
        ),
        (
            Conv2d(32, 3, padding=1, groups=32, bias=False),
            Shape(32, 112, 112),
            Shape(32, 112, 112),
            288,
            0,
            3_612_672,
        ),
        (Conv2d(8, 3, dilation=2, padding=2), Shape(4, 10, 10), Shape(8, 10, 10), 288, 8, 28_800),
        (Conv2d(8, 2, padding="same"), Shape(4, 9, 9), Shape(8, 9, 9), 128, 8, 10_368),
        (Conv2d(8, 3, stride=2, padding="same"), Shape(4, 9, 9), Shape(8, 5, 5), 288, 8, 7200),
        (MaxPool2d(), Shape(64, 224, 224), Shape(64, 112, 112), 0, 0, 0),
        (MaxPool2d(3, stride=2), Shape(96, 55, 55), Shape(96, 27, 27), 0, 0, 0),
        (MaxPool2d(3, stride=2, ceil_mode=True), Shape(64, 112, 112), Shape(64, 56, 56), 0, 0, 0),
        (
            MaxPool2d(2, stride=2, padding=1, ceil_mode=True),
            Shape(1, 5, 5),
            Shape(1, 3, 3),
            0,
            0,
            0,
        ),
        (AvgPool2d(7, stride=1), Shape(1024, 7, 7), Shape(1024, 1, 1), 0, 0, 0),
        (AdaptiveAvgPool2d(7), Shape(512, 1, 1), Shape(512, 7, 7), 0, 0, 0),
        (Linear(4096), Shape(512, 7, 7), Shape(4096, 1, 1), 102_760_448, 4096, 102_760_448),
        (Linear(10, bias=False), Shape(84, 1, 1), Shape(10, 1, 1), 840, 0, 840),
        (Flatten(), Shape(256, 6, 6), Shape(9216, 1, 1), 0, 0, 0),
        (ReLU(), Shape(64, 56, 56), Shape(64, 56, 56), 0, 0, 0),
        (Dropout(0.2), Shape(4096, 1, 1), Shape(4096, 1, 1), 0, 0, 0),
        (Softmax(), Shape(1000, 1, 1), Shape(1000, 1, 1), 0, 0, 0),
        (LocalResponseNorm(), Shape(96, 55, 55), Shape(96, 55, 55), 0, 0, 0),
        (BatchNorm2d(), Shape(64, 112, 112), Shape(64, 112, 112), 64, 64, 0),
    ],
)
def test_layer_counts(layer, shape, output, weights, biases, macs) -> None:
    assert layer.output_shape(shape) == output
    assert (layer.weights(shape), layer.biases(shape), layer.macs(shape)) == (weights, biases, macs)
    assert layer.params(shape) == weights + biases


@pytest.mark.parametrize(
    ("layer", "shape"),
    [
        (Conv2d(64, 3, padding=1), Shape(3, 8, 8)),
        (Linear(4096), Shape(512, 7, 7)),
        (BatchNorm2d(), Shape(8, 2, 2)),
    ],
)
def test_weight_factors_multiply_to_the_weights(layer, shape) -> None:
    product = 1
    for group in layer.weight_factors(shape):
        for factor in group:
            product *= factor
    assert product == layer.weights(shape)


def test_batch_norm_reports_running_statistics_as_buffers() -> None:
    assert BatchNorm2d().buffers(Shape(256, 14, 14)) == 512
    assert BatchNorm2d().params(Shape(256, 14, 14)) == 512


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Conv2d(0, 3), "out_channels must be positive, got 0"),
        (lambda: Conv2d(64, -1), "kernel_size must be positive, got -1"),
        (lambda: Conv2d(64, 3, dilation=0), "dilation must be positive, got 0"),
        (lambda: Conv2d(64, 3, padding=-1), "padding must be 'same' or at least 0, got -1"),
        (lambda: Conv2d(64, 3, groups=3), "output channels 64 not divisible by groups 3"),
        (lambda: MaxPool2d(3, padding=2), "padding must be from 0 to half the kernel 3, got 2"),
        (lambda: MaxPool2d(2, stride=0), "stride must be positive, got 0"),
        (lambda: AdaptiveAvgPool2d(0), "height must be positive, got 0"),
        (lambda: Linear(0), "out_features must be positive, got 0"),
        (lambda: Dropout(-0.1), "dropout probability must be from 0 to 1, got -0.1"),
        (lambda: LocalResponseNorm(0), "size must be positive, got 0"),
    ],
)
def test_invalid_arguments_are_refused_with_the_values(make, message) -> None:
    with pytest.raises(LayerError) as caught:
        make()
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (Conv2d(512, 3), Shape(512, 2, 2), "kernel 3 with padding 0 does not fit input 2x2"),
        (
            Conv2d(8, 3, dilation=3),
            Shape(1, 6, 9),
            "kernel 3 (dilation 3, extent 7) with padding 0 does not fit input 6x9",
        ),
        (Conv2d(8, 3, groups=2), Shape(3, 8, 8), "input channels 3 not divisible by groups 2"),
        (MaxPool2d(), Shape(512, 1, 1), "kernel 2 with padding 0 does not fit input 1x1"),
    ],
)
def test_a_layer_that_does_not_fit_its_input_says_so(layer, shape, message) -> None:
    with pytest.raises(LayerError) as caught:
        layer.output_shape(shape)
    assert str(caught.value) == message


@pytest.mark.parametrize("size", range(1, 40))
@pytest.mark.parametrize("kernel", [1, 3, 5, 7])
def test_preserving_padding_keeps_the_resolution_of_odd_kernels(size, kernel) -> None:
    padding = preserving_padding(kernel)
    assert window_output_size(size, kernel, padding=padding) == size


def test_layers_are_immutable_values() -> None:
    conv = Conv2d(64, 3, padding=1)
    assert conv == Conv2d(64, 3, padding=1) and hash(conv) == hash(Conv2d(64, 3, padding=1))
    assert conv != Conv2d(64, 3) and MaxPool2d() != AvgPool2d()
    with pytest.raises(FrozenInstanceError, match="'stride'"):
        conv.stride = 2
    with pytest.raises(FrozenInstanceError, match="'stride'"):
        del conv.stride
    # A name that is not a field is refused too: FrozenInstanceError where CPython gh-105936 is
    # fixed, TypeError before (the frozen __setattr__ of a slotted dataclass names its old class).
    with pytest.raises((FrozenInstanceError, TypeError)):
        conv.note = "not a field"
    assert not hasattr(conv, "note")


@pytest.mark.parametrize("name", layers.__all__)
def test_every_layer_class_is_a_frozen_slotted_dataclass(name) -> None:
    """A subclass left undecorated would take a ``__dict__`` and accept any new attribute."""
    klass = getattr(layers, name)
    assert is_dataclass(klass) and klass.__dataclass_params__.frozen, name
    assert klass.__dictoffset__ == 0, f"{name} instances have a __dict__"


def test_replace_makes_a_validated_copy() -> None:
    assert replace(Conv2d(64, 3, padding=1), stride=2) == Conv2d(64, 3, stride=2, padding=1)
    with pytest.raises(LayerError, match="not divisible by groups 3"):
        replace(Conv2d(64, 3), groups=3)
