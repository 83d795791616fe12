"""MobileNetV2 (Sandler et al., 2018) and MobileNetV3 Large and Small (Howard et al., 2019),
width 1.0, as torchvision builds them."""

from __future__ import annotations

from cnncount.layers.base import Layer
from cnncount.layers.conv import Conv2d
from cnncount.layers.gates import Hardsigmoid, Hardswish
from cnncount.layers.linear import Linear
from cnncount.layers.merge import Add
from cnncount.layers.norm import BatchNorm2d
from cnncount.layers.pointwise import Dropout, ReLU, ReLU6
from cnncount.layers.pool import AdaptiveAvgPool2d
from cnncount.models.blocks import conv_norm_activation, inverted_residual, make_divisible
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["V3_SETTINGS", "mobilenet_v2", "mobilenet_v3"]

SETTINGS = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)
"""Each stage's expansion factor t, output channels c, repeats n and first stride s."""


def mobilenet_v2(input_shape: Shape, classes: int = 1000) -> Network:
    """Return MobileNetV2: a stem, seventeen inverted residual blocks, a 1x1 convolution, a classifier.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(mobilenet_v2(Shape(3, 224, 224))).totals.params
        3504872
    """
    net = Builder("mobilenet_v2", input_shape)
    conv_norm_activation(
        net, "features.0.", Conv2d(32, 3, stride=2, padding=1, bias=False), ReLU6()
    )
    channels, index = 32, 1
    for expansion, out, repeats, first_stride in SETTINGS:
        for repeat in range(repeats):
            stride = first_stride if repeat == 0 else 1
            _inverted_residual(net, f"features.{index}.", channels, out, stride, expansion)
            channels, index = out, index + 1
    conv_norm_activation(net, f"features.{index}.", Conv2d(1280, 1, bias=False), ReLU6())
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Dropout(0.2), "classifier.0")
    net.layer(Linear(classes), "classifier.1")
    return net.build()


def _inverted_residual(
    net: Builder, prefix: str, channels: int, out: int, stride: int, expansion: int
) -> str:
    """Add a block: 1x1 expansion, 3x3 depthwise, linear 1x1 projection; residual when shapes allow."""
    entry = net.last
    hidden = channels * expansion
    layer = 0
    if expansion != 1:
        conv_norm_activation(net, f"{prefix}conv.0.", Conv2d(hidden, 1, bias=False), ReLU6())
        layer = 1
    depthwise = Conv2d(hidden, 3, stride=stride, padding=1, groups=hidden, bias=False)
    conv_norm_activation(net, f"{prefix}conv.{layer}.", depthwise, ReLU6())
    net.layer(Conv2d(out, 1, bias=False), f"{prefix}conv.{layer + 1}")
    projected = net.layer(BatchNorm2d(), f"{prefix}conv.{layer + 2}")
    if stride == 1 and channels == out:
        return net.merge(Add(), [entry, projected], f"{prefix}add")  # x + self.conv(x)
    return projected


V3_SETTINGS = {
    "large": (
        (3, 16, 16, False, "RE", 1),
        (3, 64, 24, False, "RE", 2),
        (3, 72, 24, False, "RE", 1),
        (5, 72, 40, True, "RE", 2),
        (5, 120, 40, True, "RE", 1),
        (5, 120, 40, True, "RE", 1),
        (3, 240, 80, False, "HS", 2),
        (3, 200, 80, False, "HS", 1),
        (3, 184, 80, False, "HS", 1),
        (3, 184, 80, False, "HS", 1),
        (3, 480, 112, True, "HS", 1),
        (3, 672, 112, True, "HS", 1),
        (5, 672, 160, True, "HS", 2),
        (5, 960, 160, True, "HS", 1),
        (5, 960, 160, True, "HS", 1),
    ),
    "small": (
        (3, 16, 16, True, "RE", 2),
        (3, 72, 24, False, "RE", 2),
        (3, 88, 24, False, "RE", 1),
        (5, 96, 40, True, "HS", 2),
        (5, 240, 40, True, "HS", 1),
        (5, 240, 40, True, "HS", 1),
        (5, 120, 48, True, "HS", 1),
        (5, 144, 48, True, "HS", 1),
        (5, 288, 96, True, "HS", 2),
        (5, 576, 96, True, "HS", 1),
        (5, 576, 96, True, "HS", 1),
    ),
}
"""Each block's kernel, expanded and output channels, squeeze-and-excitation, activation (ReLU
or hard swish) and stride, for the two sizes (torchvision's ``_mobilenet_v3_conf``)."""

V3_LAST_CHANNELS = {"large": 1280, "small": 1024}
"""The width of the classifier's hidden layer."""


def mobilenet_v3(size: str, input_shape: Shape, classes: int = 1000) -> Network:
    """Return MobileNetV3 ``"large"`` or ``"small"``: a stem, inverted residual blocks, some with
    squeeze-and-excitation, a 1x1 convolution, and a classifier with a hidden layer.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(mobilenet_v3("large", Shape(3, 224, 224))).totals.params
        5483032
        >>> summarize(mobilenet_v3("small", Shape(3, 224, 224))).totals.params
        2542856
    """
    net = Builder(f"mobilenet_v3_{size}", input_shape)
    stem = Conv2d(16, 3, stride=2, padding=1, bias=False)
    conv_norm_activation(net, "features.0.", stem, Hardswish())
    channels = 16
    for index, (kernel, hidden, out, se, activation, stride) in enumerate(
        V3_SETTINGS[size], start=1
    ):
        squeeze = (make_divisible(hidden // 4), ReLU(), Hardsigmoid()) if se else None
        act = ReLU() if activation == "RE" else Hardswish()
        prefix = f"features.{index}."
        inverted_residual(net, prefix, channels, hidden, out, kernel, stride, act, squeeze)
        channels = out
    last = f"features.{len(V3_SETTINGS[size]) + 1}."
    conv_norm_activation(net, last, Conv2d(6 * channels, 1, bias=False), Hardswish())
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Linear(V3_LAST_CHANNELS[size]), "classifier.0")
    net.layer(Hardswish(), "classifier.1")
    net.layer(Dropout(0.2), "classifier.2")
    net.layer(Linear(classes), "classifier.3")
    return net.build()


def _activation(name: str) -> Layer:
    return ReLU() if name == "RE" else Hardswish()
