"""Inception-v3 (Szegedy et al., 2015) without its auxiliary classifier, as torchvision builds it,
on 299x299 images."""

from __future__ import annotations

from cnncount.layers.linear import Linear
from cnncount.layers.merge import Concat
from cnncount.layers.pointwise import Dropout
from cnncount.layers.pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from cnncount.models.blocks import basic_conv
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["inception_v3"]

Pair = tuple[int, int]


def inception_v3(input_shape: Shape, classes: int = 1000) -> Network:
    """Return Inception-v3: a stem of five convolutions and two poolings, eleven Inception modules
    of four kinds (with 1x7 and 7x1, 1x3 and 3x1 convolutions), global pooling and a classifier.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(inception_v3(Shape(3, 299, 299))).totals.params
        23834568
    """
    net = Builder("inception_v3", input_shape)
    basic_conv(net, "Conv2d_1a_3x3", 32, 3, stride=2)
    basic_conv(net, "Conv2d_2a_3x3", 32, 3)
    basic_conv(net, "Conv2d_2b_3x3", 64, 3, padding=1)
    net.layer(MaxPool2d(3, stride=2), "maxpool1")
    basic_conv(net, "Conv2d_3b_1x1", 80, 1)
    basic_conv(net, "Conv2d_4a_3x3", 192, 3)
    net.layer(MaxPool2d(3, stride=2), "maxpool2")
    for name, pool_features in (("Mixed_5b", 32), ("Mixed_5c", 64), ("Mixed_5d", 64)):
        _inception_a(net, name, pool_features)
    _inception_b(net, "Mixed_6a")
    for name, width in (("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)):
        _inception_c(net, name, width)
    _inception_d(net, "Mixed_7a")
    _inception_e(net, "Mixed_7b")
    _inception_e(net, "Mixed_7c")
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Dropout(0.5), "dropout")
    net.layer(Linear(classes), "fc")
    return net.build()


def _pool_branch(net: Builder, name: str, entry: str, out: int) -> str:
    """Add the pooling branch: a functional 3x3 average pooling at stride 1, then a 1x1 convolution."""
    net.layer(AvgPool2d(3, stride=1, padding=1), f"{name}.avg_pool", source=entry)
    return basic_conv(net, f"{name}.branch_pool", out, 1)


def _inception_a(net: Builder, name: str, pool_features: int) -> str:
    """Add an InceptionA module at 35x35: 1x1; 1x1 then 5x5; 1x1 then two 3x3; pooling."""
    entry = net.last
    ends = [basic_conv(net, f"{name}.branch1x1", 64, 1, source=entry)]
    basic_conv(net, f"{name}.branch5x5_1", 48, 1, source=entry)
    ends.append(basic_conv(net, f"{name}.branch5x5_2", 64, 5, padding=2))
    basic_conv(net, f"{name}.branch3x3dbl_1", 64, 1, source=entry)
    basic_conv(net, f"{name}.branch3x3dbl_2", 96, 3, padding=1)
    ends.append(basic_conv(net, f"{name}.branch3x3dbl_3", 96, 3, padding=1))
    ends.append(_pool_branch(net, name, entry, pool_features))
    return net.merge(Concat(), ends, f"{name}.cat")


def _inception_b(net: Builder, name: str) -> str:
    """Add an InceptionB module, 35x35 to 17x17: 3x3 at stride 2; 1x1, 3x3, 3x3 at stride 2;
    max pooling."""
    entry = net.last
    ends = [basic_conv(net, f"{name}.branch3x3", 384, 3, stride=2, source=entry)]
    basic_conv(net, f"{name}.branch3x3dbl_1", 64, 1, source=entry)
    basic_conv(net, f"{name}.branch3x3dbl_2", 96, 3, padding=1)
    ends.append(basic_conv(net, f"{name}.branch3x3dbl_3", 96, 3, stride=2))
    ends.append(net.layer(MaxPool2d(3, stride=2), f"{name}.max_pool", source=entry))
    return net.merge(Concat(), ends, f"{name}.cat")


def _inception_c(net: Builder, name: str, width: int) -> str:
    """Add an InceptionC module at 17x17, whose 7x7 convolutions are factored into 1x7 and 7x1."""
    entry = net.last
    ends = [basic_conv(net, f"{name}.branch1x1", 192, 1, source=entry)]
    basic_conv(net, f"{name}.branch7x7_1", width, 1, source=entry)
    basic_conv(net, f"{name}.branch7x7_2", width, (1, 7), padding=(0, 3))
    ends.append(basic_conv(net, f"{name}.branch7x7_3", 192, (7, 1), padding=(3, 0)))
    basic_conv(net, f"{name}.branch7x7dbl_1", width, 1, source=entry)
    basic_conv(net, f"{name}.branch7x7dbl_2", width, (7, 1), padding=(3, 0))
    basic_conv(net, f"{name}.branch7x7dbl_3", width, (1, 7), padding=(0, 3))
    basic_conv(net, f"{name}.branch7x7dbl_4", width, (7, 1), padding=(3, 0))
    ends.append(basic_conv(net, f"{name}.branch7x7dbl_5", 192, (1, 7), padding=(0, 3)))
    ends.append(_pool_branch(net, name, entry, 192))
    return net.merge(Concat(), ends, f"{name}.cat")


def _inception_d(net: Builder, name: str) -> str:
    """Add an InceptionD module, 17x17 to 8x8: 1x1 then 3x3 at stride 2; 1x1, 1x7, 7x1, 3x3 at
    stride 2; max pooling."""
    entry = net.last
    basic_conv(net, f"{name}.branch3x3_1", 192, 1, source=entry)
    ends = [basic_conv(net, f"{name}.branch3x3_2", 320, 3, stride=2)]
    basic_conv(net, f"{name}.branch7x7x3_1", 192, 1, source=entry)
    basic_conv(net, f"{name}.branch7x7x3_2", 192, (1, 7), padding=(0, 3))
    basic_conv(net, f"{name}.branch7x7x3_3", 192, (7, 1), padding=(3, 0))
    ends.append(basic_conv(net, f"{name}.branch7x7x3_4", 192, 3, stride=2))
    ends.append(net.layer(MaxPool2d(3, stride=2), f"{name}.max_pool", source=entry))
    return net.merge(Concat(), ends, f"{name}.cat")


def _inception_e(net: Builder, name: str) -> str:
    """Add an InceptionE module at 8x8, whose 3x3 branches end in a 1x3 and a 3x1 convolution side
    by side, concatenated."""
    entry = net.last
    ends = [basic_conv(net, f"{name}.branch1x1", 320, 1, source=entry)]
    basic_conv(net, f"{name}.branch3x3_1", 384, 1, source=entry)
    ends.append(_side_by_side(net, f"{name}.branch3x3", "2"))
    basic_conv(net, f"{name}.branch3x3dbl_1", 448, 1, source=entry)
    basic_conv(net, f"{name}.branch3x3dbl_2", 384, 3, padding=1)
    ends.append(_side_by_side(net, f"{name}.branch3x3dbl", "3"))
    ends.append(_pool_branch(net, name, entry, 192))
    return net.merge(Concat(), ends, f"{name}.cat")


def _side_by_side(net: Builder, branch: str, step: str) -> str:
    """Add a 1x3 (``a``) and a 3x1 (``b``) convolution on the last layer, and their concatenation."""
    source = net.last
    wide = basic_conv(net, f"{branch}_{step}a", 384, (1, 3), padding=(0, 1), source=source)
    tall = basic_conv(net, f"{branch}_{step}b", 384, (3, 1), padding=(1, 0), source=source)
    return net.merge(Concat(), [wide, tall], f"{branch}_cat")
