"""DenseNet-121 (Huang et al., 2017), as torchvision builds it."""

from __future__ import annotations

from cnncount.builder import Builder
from cnncount.layers import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Concat,
    Conv2d,
    Linear,
    MaxPool2d,
    ReLU,
)
from cnncount.network import Network
from cnncount.shapes import Shape

__all__ = ["densenet121"]

BLOCKS = (6, 12, 24, 16)
"""Dense layers in each of DenseNet-121's four blocks."""
GROWTH = 32
"""Channels each dense layer adds."""
BOTTLENECK = 4
"""A dense layer's 1x1 convolution widens to this many times the growth."""


def densenet121(input_shape: Shape, classes: int = 1000) -> Network:
    """Return DenseNet-121: a stem, four dense blocks joined by transitions, a classifier.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(densenet121(Shape(3, 224, 224))).totals["params"]
        7978856
    """
    net = Builder("densenet121", input_shape)
    net.layer(Conv2d(64, 7, stride=2, padding=3, bias=False), "features.conv0")
    net.layer(BatchNorm2d(), "features.norm0")
    net.layer(ReLU(), "features.relu0")
    net.layer(MaxPool2d(3, stride=2, padding=1), "features.pool0")
    channels = 64
    for block, layers in enumerate(BLOCKS, start=1):
        features = [net.last]
        for layer in range(1, layers + 1):
            prefix = f"features.denseblock{block}.denselayer{layer}."
            if len(features) > 1:
                net.merge(Concat(), features, f"{prefix}cat")
            net.chain(
                [BatchNorm2d(), ReLU(), Conv2d(BOTTLENECK * GROWTH, 1, bias=False)], prefix=prefix
            )
            net.chain(
                [BatchNorm2d(), ReLU(), Conv2d(GROWTH, 3, padding=1, bias=False)], prefix=prefix
            )
            features.append(net.last)
        net.merge(Concat(), features, f"features.denseblock{block}.cat")
        channels += layers * GROWTH
        if block < len(BLOCKS):
            prefix = f"features.transition{block}."
            channels //= 2
            net.chain(
                [BatchNorm2d(), ReLU(), Conv2d(channels, 1, bias=False), AvgPool2d(2)],
                prefix=prefix,
            )
    net.layer(BatchNorm2d(), "features.norm5")
    net.layer(ReLU(), "relu")
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Linear(classes), "classifier")
    return net.build()
