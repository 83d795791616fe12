"""RegNetY-400MF (Radosavovic et al., 2020), as torchvision builds it."""

from __future__ import annotations

from cnncount.layers.conv import Conv2d
from cnncount.layers.linear import Linear
from cnncount.layers.merge import Add
from cnncount.layers.pointwise import ReLU
from cnncount.layers.pool import AdaptiveAvgPool2d
from cnncount.models.blocks import conv_norm_activation, squeeze_excitation
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["STAGES", "regnet_y_400mf"]

STAGES = ((48, 1), (104, 3), (208, 6), (440, 6))
"""Each stage's width and blocks, as torchvision's ``BlockParams.from_init_params(depth=16,
w_0=48, w_a=27.89, w_m=2.09, group_width=8)`` makes them (its block widths, rounded to multiples
of 8, fall into four runs)."""

GROUP_WIDTH = 8
"""Channels per group of each block's 3x3 convolution."""

SE_RATIO = 0.25
"""Squeeze-and-excitation narrows to this share of the block's input width."""


def regnet_y_400mf(input_shape: Shape, classes: int = 1000) -> Network:
    """Return RegNetY-400MF: a stem, four stages of residual bottleneck blocks with grouped
    convolutions and squeeze-and-excitation, each stage halving the resolution, and a classifier.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(regnet_y_400mf(Shape(3, 224, 224))).totals.params
        4344144
    """
    net = Builder("regnet_y_400mf", input_shape)
    stem = Conv2d(32, 3, stride=2, padding=1, bias=False)
    conv_norm_activation(net, "stem.", stem, ReLU())
    channels = 32
    for stage, (width, depth) in enumerate(STAGES, start=1):
        for block in range(depth):
            prefix = f"trunk_output.block{stage}.block{stage}-{block}."
            _block(net, prefix, channels, width, 2 if block == 0 else 1)
            channels = width
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Linear(classes), "fc")
    return net.build()


def _block(net: Builder, prefix: str, channels: int, width: int, stride: int) -> str:
    """Add a residual bottleneck block (``ResBottleneckBlock``): 1x1, grouped 3x3 at ``stride``,
    squeeze-and-excitation, 1x1; a projection shortcut where the shape changes; the sum, then ReLU."""
    entry = shortcut = net.last
    if stride != 1 or channels != width:  # computed first: x = proj(x) + f(x)
        projection = Conv2d(width, 1, stride=stride, bias=False)
        shortcut = conv_norm_activation(net, f"{prefix}proj.", projection, None, source=entry)
    conv_norm_activation(net, f"{prefix}f.a.", Conv2d(width, 1, bias=False), ReLU(), source=entry)
    grouped = Conv2d(width, 3, stride=stride, padding=1, groups=width // GROUP_WIDTH, bias=False)
    conv_norm_activation(net, f"{prefix}f.b.", grouped, ReLU())
    squeeze_excitation(net, f"{prefix}f.se.", width, round(SE_RATIO * channels))
    residual = conv_norm_activation(net, f"{prefix}f.c.", Conv2d(width, 1, bias=False), None)
    net.merge(Add(), [shortcut, residual], f"{prefix}add")
    return net.layer(ReLU(), f"{prefix}activation")
