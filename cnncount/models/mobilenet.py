"""MobileNetV2 (Sandler et al., 2018), width 1.0, as torchvision builds it."""

from __future__ import annotations

from cnncount.layers import AdaptiveAvgPool2d, Add, BatchNorm2d, Conv2d, Dropout, Linear, ReLU6
from cnncount.models.blocks import conv_norm_activation
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["mobilenet_v2"]

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
