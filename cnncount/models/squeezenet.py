"""SqueezeNet 1.0 and 1.1 (Iandola et al., 2016), as torchvision builds them."""

from __future__ import annotations

from cnncount.layers.conv import Conv2d
from cnncount.layers.merge import Concat
from cnncount.layers.pointwise import Dropout, ReLU
from cnncount.layers.pool import AdaptiveAvgPool2d, MaxPool2d
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["squeezenet"]

POOL = (0, 0)
"""Stands for a max pooling among the Fire modules."""

FIRES = {
    "1.0": (
        (16, 64),
        (16, 64),
        (32, 128),
        POOL,
        (32, 128),
        (48, 192),
        (48, 192),
        (64, 256),
        POOL,
        (64, 256),
    ),
    "1.1": (
        (16, 64),
        (16, 64),
        POOL,
        (32, 128),
        (32, 128),
        POOL,
        (48, 192),
        (48, 192),
        (64, 256),
        (64, 256),
    ),
}
"""Each version's Fire modules (squeeze width, expand width of each branch) and max poolings."""


def squeezenet(version: str, input_shape: Shape, classes: int = 1000) -> Network:
    """Return SqueezeNet ``version`` ("1.0" or "1.1"): a stem, Fire modules, a convolutional classifier.

    Examples:
        >>> from cnncount import summarize
        >>> [summarize(squeezenet(v, Shape(3, 224, 224))).totals.params for v in ("1.0", "1.1")]
        [1248424, 1235496]
    """
    net = Builder(f"squeezenet{version.replace('.', '_')}", input_shape)
    stem = (
        Conv2d(96, 7, stride=2, padding=0)
        if version == "1.0"
        else Conv2d(64, 3, stride=2, padding=0)
    )
    net.layer(stem, "features.0")
    net.layer(ReLU(), "features.1")
    index = 2
    for squeeze, expand in (POOL, *FIRES[version]):
        if (squeeze, expand) == POOL:
            net.layer(MaxPool2d(3, stride=2, ceil_mode=True), f"features.{index}")
        else:
            _fire(net, f"features.{index}", squeeze, expand)
        index += 1
    net.layer(Dropout(0.5), "classifier.0")
    net.layer(Conv2d(classes, 1, padding=0), "classifier.1")
    net.layer(ReLU(), "classifier.2")
    net.layer(AdaptiveAvgPool2d(1), "classifier.3")
    return net.build()


def _fire(net: Builder, name: str, squeeze: int, expand: int) -> str:
    """Add a Fire module: a 1x1 squeeze, then 1x1 and 3x3 expansions side by side, concatenated."""
    net.layer(Conv2d(squeeze, 1, padding=0), f"{name}.squeeze")
    entry = net.layer(ReLU(), f"{name}.squeeze_activation")
    net.layer(Conv2d(expand, 1, padding=0), f"{name}.expand1x1", source=entry)
    left = net.layer(ReLU(), f"{name}.expand1x1_activation")
    net.layer(Conv2d(expand, 3, padding=1), f"{name}.expand3x3", source=entry)
    right = net.layer(ReLU(), f"{name}.expand3x3_activation")
    return net.merge(Concat(), [left, right], f"{name}.concat")
