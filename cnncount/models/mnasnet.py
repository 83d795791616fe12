"""MNASNet 1.0 (Tan et al., 2019; the B1 search result at depth multiplier 1.0), as torchvision
builds it."""

from __future__ import annotations

from cnncount.layers.conv import Conv2d
from cnncount.layers.linear import Linear
from cnncount.layers.merge import Add
from cnncount.layers.pointwise import Dropout, ReLU
from cnncount.layers.pool import AdaptiveAvgPool2d
from cnncount.models.blocks import conv_norm_activation
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["STACKS", "mnasnet1_0"]

STACKS = (
    (24, 3, 2, 3, 3),
    (40, 5, 2, 3, 3),
    (80, 5, 2, 6, 3),
    (96, 3, 1, 6, 2),
    (192, 5, 2, 6, 4),
    (320, 3, 1, 6, 1),
)
"""Each stack's output channels, kernel, first stride, expansion and blocks (``layers.8`` to
``layers.13``)."""


def mnasnet1_0(input_shape: Shape, classes: int = 1000) -> Network:
    """Return MNASNet 1.0: a stem with a depthwise separable convolution, six stacks of inverted
    residual blocks without squeeze-and-excitation, a 1x1 convolution and a classifier, all in
    one flat ``layers`` Sequential as torchvision names it.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(mnasnet1_0(Shape(3, 224, 224))).totals.params
        4383312
    """
    net = Builder("mnasnet1_0", input_shape)
    conv_norm_activation(net, "layers.", Conv2d(32, 3, stride=2, padding=1, bias=False), ReLU())
    depthwise = Conv2d(32, 3, padding=1, groups=32, bias=False)
    conv_norm_activation(net, "layers.", depthwise, ReLU(), ("3", "4", "5"))
    conv_norm_activation(net, "layers.", Conv2d(16, 1, bias=False), None, ("6", "7"))
    channels = 16
    for stack, (out, kernel, stride, expansion, repeats) in enumerate(STACKS, start=8):
        for block in range(repeats):
            prefix = f"layers.{stack}.{block}."
            _block(net, prefix, channels, out, kernel, stride if block == 0 else 1, expansion)
            channels = out
    head = Conv2d(1280, 1, bias=False)
    conv_norm_activation(net, "layers.", head, ReLU(), ("14", "15", "16"))
    net.layer(AdaptiveAvgPool2d(1), "mean")  # x.mean([2, 3])
    net.layer(Dropout(0.2), "classifier.0")
    net.layer(Linear(classes), "classifier.1")
    return net.build()


def _block(
    net: Builder, prefix: str, channels: int, out: int, kernel: int, stride: int, expansion: int
) -> str:
    """Add an inverted residual block: 1x1 expansion, depthwise ``kernel`` x ``kernel``, linear 1x1
    projection (``layers.0`` to ``layers.7``); the residual addition where shapes allow."""
    entry = net.last
    hidden = channels * expansion
    conv_norm_activation(net, f"{prefix}layers.", Conv2d(hidden, 1, bias=False), ReLU())
    depthwise = Conv2d(
        hidden, kernel, stride=stride, padding=kernel // 2, groups=hidden, bias=False
    )
    conv_norm_activation(net, f"{prefix}layers.", depthwise, ReLU(), ("3", "4", "5"))
    project = Conv2d(out, 1, bias=False)
    projected = conv_norm_activation(net, f"{prefix}layers.", project, None, ("6", "7"))
    if stride == 1 and channels == out:
        return net.merge(Add(), [projected, entry], f"{prefix}add")  # self.layers(input) + input
    return projected
