"""MobileNetV2 (Sandler et al., 2018), width 1.0, as torchvision builds it."""

from __future__ import annotations

from cnncount.builder import Builder
from cnncount.layers import AdaptiveAvgPool2d, Add, BatchNorm2d, Conv2d, Dropout, Linear, ReLU6
from cnncount.network import Network
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
        >>> summarize(mobilenet_v2(Shape(3, 224, 224))).totals["params"]
        3504872
    """
    net = Builder("mobilenet_v2", input_shape)
    _conv_bn(net, "features.0", 32, 3, stride=2, relu=True)
    channels, index = 32, 1
    for expansion, out, repeats, first_stride in SETTINGS:
        for repeat in range(repeats):
            _inverted_residual(
                net,
                f"features.{index}",
                channels,
                out,
                first_stride if repeat == 0 else 1,
                expansion,
            )
            channels, index = out, index + 1
    _conv_bn(net, f"features.{index}", 1280, 1, relu=True)
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Dropout(0.2), "classifier.0")
    net.layer(Linear(classes), "classifier.1")
    return net.build()


def _conv_bn(
    net: Builder,
    name: str,
    out: int,
    kernel: int,
    stride: int = 1,
    groups: int = 1,
    relu: bool = False,
) -> str:
    """Add a convolution without bias and its batch norm, and ReLU6 if ``relu``."""
    net.layer(
        Conv2d(out, kernel, stride=stride, padding=(kernel - 1) // 2, groups=groups, bias=False),
        f"{name}.conv",
    )
    net.layer(BatchNorm2d(), f"{name}.bn")
    return net.layer(ReLU6(), f"{name}.relu6") if relu else net.last


def _inverted_residual(
    net: Builder, name: str, channels: int, out: int, stride: int, expansion: int
) -> str:
    """Add a block: 1x1 expansion, 3x3 depthwise, linear 1x1 projection; residual when shapes allow."""
    entry = net.last
    hidden = channels * expansion
    if expansion != 1:
        _conv_bn(net, f"{name}.expand", hidden, 1, relu=True)
    _conv_bn(net, f"{name}.depthwise", hidden, 3, stride=stride, groups=hidden, relu=True)
    projected = _conv_bn(net, f"{name}.project", out, 1)
    if stride == 1 and channels == out:
        return net.merge(Add(), [projected, entry], f"{name}.add")
    return projected
