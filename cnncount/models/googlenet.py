"""GoogLeNet (Szegedy et al., 2014) without its auxiliary classifiers, as torchvision builds it."""

from __future__ import annotations

from cnncount.layers.linear import Linear
from cnncount.layers.merge import Concat
from cnncount.layers.pointwise import Dropout
from cnncount.layers.pool import AdaptiveAvgPool2d, MaxPool2d
from cnncount.models.blocks import basic_conv
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["googlenet"]

INCEPTIONS = {
    "inception3a": (64, 96, 128, 16, 32, 32),
    "inception3b": (128, 128, 192, 32, 96, 64),
    "inception4a": (192, 96, 208, 16, 48, 64),
    "inception4b": (160, 112, 224, 24, 64, 64),
    "inception4c": (128, 128, 256, 24, 64, 64),
    "inception4d": (112, 144, 288, 32, 64, 64),
    "inception4e": (256, 160, 320, 32, 128, 128),
    "inception5a": (256, 160, 320, 32, 128, 128),
    "inception5b": (384, 192, 384, 48, 128, 128),
}
"""Each Inception module's 1x1, 3x3-reduce, 3x3, 5x5-reduce, 5x5 and pool-projection widths."""


def googlenet(input_shape: Shape, classes: int = 1000) -> Network:
    """Return GoogLeNet: a stem, nine Inception modules, global pooling and a classifier.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(googlenet(Shape(3, 224, 224))).totals.params
        6624904
    """
    net = Builder("googlenet", input_shape)
    basic_conv(net, "conv1", 64, 7, stride=2, padding=3)
    net.layer(MaxPool2d(3, stride=2, ceil_mode=True), "maxpool1")
    basic_conv(net, "conv2", 64, 1)
    basic_conv(net, "conv3", 192, 3, padding=1)
    net.layer(MaxPool2d(3, stride=2, ceil_mode=True), "maxpool2")
    for name, widths in INCEPTIONS.items():
        _inception(net, name, *widths)
        if name == "inception3b":
            net.layer(MaxPool2d(3, stride=2, ceil_mode=True), "maxpool3")
        if name == "inception4e":
            net.layer(MaxPool2d(2, stride=2, ceil_mode=True), "maxpool4")
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Dropout(0.2), "dropout")
    net.layer(Linear(classes), "fc")
    return net.build()


def _inception(
    net: Builder,
    name: str,
    ch1x1: int,
    ch3x3red: int,
    ch3x3: int,
    ch5x5red: int,
    ch5x5: int,
    pool_proj: int,
) -> str:
    """Add an Inception module: four branches on the same input, concatenated."""
    entry = net.last
    ends = [basic_conv(net, f"{name}.branch1", ch1x1, 1, source=entry)]
    basic_conv(net, f"{name}.branch2.0", ch3x3red, 1, source=entry)
    ends.append(basic_conv(net, f"{name}.branch2.1", ch3x3, 3, padding=1))
    basic_conv(net, f"{name}.branch3.0", ch5x5red, 1, source=entry)
    # torchvision's 3x3, not the paper's 5x5
    ends.append(basic_conv(net, f"{name}.branch3.1", ch5x5, 3, padding=1))
    net.layer(MaxPool2d(3, stride=1, padding=1, ceil_mode=True), f"{name}.branch4.0", source=entry)
    ends.append(basic_conv(net, f"{name}.branch4.1", pool_proj, 1))
    return net.merge(Concat(), ends, f"{name}.concat")
