"""DenseNet-121 and DenseNet-161 (Huang et al., 2017), as torchvision builds them."""

from __future__ import annotations

from cnncount.layers.conv import Conv2d
from cnncount.layers.linear import Linear
from cnncount.layers.merge import Concat
from cnncount.layers.norm import BatchNorm2d
from cnncount.layers.pointwise import ReLU
from cnncount.layers.pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from cnncount.models.blocks import conv_norm_activation, norm_activation_conv
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["CONFIGURATIONS", "densenet"]

CONFIGURATIONS = {121: (32, (6, 12, 24, 16), 64), 161: (48, (6, 12, 36, 24), 96)}
"""Each depth's growth (the channels each dense layer adds), dense layers per block, and the
stem's channels."""
BOTTLENECK = 4
"""A dense layer's 1x1 convolution widens to this many times the growth."""


def densenet(depth: int, input_shape: Shape, classes: int = 1000) -> Network:
    """Return DenseNet-121 or DenseNet-161: a stem, four dense blocks joined by transitions that
    halve the channels and the resolution, a classifier.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(densenet(121, Shape(3, 224, 224))).totals.params
        7978856
        >>> summarize(densenet(161, Shape(3, 224, 224))).totals.params
        28681000
    """
    growth, blocks, channels = CONFIGURATIONS[depth]
    net = Builder(f"densenet{depth}", input_shape)
    stem = Conv2d(channels, 7, stride=2, padding=3, bias=False)
    conv_norm_activation(net, "features.", stem, ReLU(), ("conv0", "norm0", "relu0"))
    net.layer(MaxPool2d(3, stride=2, padding=1), "features.pool0")
    for block, layers in enumerate(blocks, start=1):
        features = [net.last]
        for layer in range(1, layers + 1):
            prefix = f"features.denseblock{block}.denselayer{layer}."
            if len(features) > 1:
                net.merge(Concat(), features, f"{prefix}cat")
            squeeze = Conv2d(BOTTLENECK * growth, 1, bias=False)
            norm_activation_conv(net, prefix, ReLU(), squeeze, ("norm1", "relu1", "conv1"))
            grow = Conv2d(growth, 3, padding=1, bias=False)
            features.append(
                norm_activation_conv(net, prefix, ReLU(), grow, ("norm2", "relu2", "conv2"))
            )
        net.merge(Concat(), features, f"features.denseblock{block}.cat")
        channels += layers * growth
        if block < len(blocks):
            prefix = f"features.transition{block}."
            channels //= 2
            norm_activation_conv(
                net, prefix, ReLU(), Conv2d(channels, 1, bias=False), ("norm", "relu", "conv")
            )
            net.layer(AvgPool2d(2), f"{prefix}pool")
    net.layer(BatchNorm2d(), "features.norm5")
    net.layer(ReLU(), "relu")
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Linear(classes), "classifier")
    return net.build()
