"""ConvNeXt-Tiny (Liu et al., 2022), as torchvision builds it."""

from __future__ import annotations

from cnncount.layers.conv import Conv2d
from cnncount.layers.gates import GELU
from cnncount.layers.linear import Flatten, Linear, PositionwiseLinear
from cnncount.layers.merge import Add
from cnncount.layers.norm import LayerNorm
from cnncount.layers.pool import AdaptiveAvgPool2d
from cnncount.layers.residual import LayerScale, StochasticDepth
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["STAGES", "convnext_tiny"]

STAGES = ((96, 3), (192, 3), (384, 9), (768, 3))
"""Each stage's channels and blocks."""

STOCHASTIC_DEPTH = 0.1
"""The drop-path probability of the last block; block i of n drops with 0.1 i / (n - 1)."""


def convnext_tiny(input_shape: Shape, classes: int = 1000) -> Network:
    """Return ConvNeXt-Tiny: a 4x4 patchify stem, four stages of ConvNeXt blocks joined by 2x2
    downsampling convolutions, and a classifier; layer normalisation throughout.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(convnext_tiny(Shape(3, 224, 224))).totals.params
        28589128
    """
    net = Builder("convnext_tiny", input_shape)
    net.layer(Conv2d(STAGES[0][0], 4, stride=4), "features.0.0")
    net.layer(LayerNorm(), "features.0.1")
    blocks = sum(depth for _, depth in STAGES)
    index = 0
    for stage, (channels, depth) in enumerate(STAGES):
        if stage:
            net.layer(LayerNorm(), f"features.{2 * stage}.0")
            net.layer(Conv2d(channels, 2, stride=2), f"features.{2 * stage}.1")
        for block in range(depth):
            drop = STOCHASTIC_DEPTH * index / (blocks - 1)
            _block(net, f"features.{2 * stage + 1}.{block}.", channels, drop)
            index += 1
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(LayerNorm(), "classifier.0")
    net.layer(Flatten(), "classifier.1")
    net.layer(Linear(classes), "classifier.2")
    return net.build()


def _block(net: Builder, prefix: str, channels: int, drop: float) -> str:
    """Add a ConvNeXt block: depthwise 7x7, layer norm, a 4x wider linear layer per position,
    GELU, back to ``channels``, layer scale, stochastic depth, and the residual addition.

    torchvision permutes the map to channels last around the norm and the linear layers (modules
    ``block.1`` and ``block.6``); cnncount writes every map channels first and leaves them out."""
    entry = net.last
    net.layer(Conv2d(channels, 7, padding=3, groups=channels), f"{prefix}block.0")
    net.layer(LayerNorm(), f"{prefix}block.2")
    net.layer(PositionwiseLinear(4 * channels), f"{prefix}block.3")
    net.layer(GELU(), f"{prefix}block.4")
    net.layer(PositionwiseLinear(channels), f"{prefix}block.5")
    net.layer(LayerScale(), f"{prefix}layer_scale")
    net.layer(StochasticDepth(drop), f"{prefix}stochastic_depth")
    return net.merge(Add(in_place=True), [net.last, entry], f"{prefix}add")  # result += input
