"""The blocks that many families share: a convolution with its batch norm and activation."""

from __future__ import annotations

from cnncount.layers import BatchNorm2d, Conv2d, Layer
from cnncount.network import Builder

__all__ = ["conv_norm_activation", "norm_activation_conv"]


def conv_norm_activation(
    net: Builder,
    prefix: str,
    conv: Conv2d,
    activation: Layer | None,
    names: tuple[str, str, str] = ("0", "1", "2"),
    source: str | None = None,
) -> str:
    """Add ``conv``, a batch norm and ``activation`` (none if None), named ``prefix`` and ``names``
    as torchvision's ``Conv2dNormActivation`` names them; return the last name.

    Examples:
        >>> from cnncount import ReLU6, Shape
        >>> net = Builder("net", Shape(3, 32, 32))
        >>> conv_norm_activation(net, "features.0.", Conv2d(32, 3, stride=2, padding=1, bias=False), ReLU6())
        'features.0.2'
        >>> [node.name for node in net.build().nodes]
        ['features.0.0', 'features.0.1', 'features.0.2']
    """
    net.layer(conv, prefix + names[0], source)
    last = net.layer(BatchNorm2d(), prefix + names[1])
    return last if activation is None else net.layer(activation, prefix + names[2])


def norm_activation_conv(
    net: Builder,
    prefix: str,
    activation: Layer,
    conv: Conv2d,
    names: tuple[str, str, str],
    source: str | None = None,
) -> str:
    """Add a batch norm, ``activation`` and ``conv``, in that order (pre-activation, as in
    DenseNet), named ``prefix`` and ``names``; return the last name.

    Examples:
        >>> from cnncount import ReLU, Shape
        >>> net = Builder("net", Shape(64, 8, 8))
        >>> norm_activation_conv(net, "layer.", ReLU(), Conv2d(32, 1, bias=False), ("norm1", "relu1", "conv1"))
        'layer.conv1'
    """
    net.layer(BatchNorm2d(), prefix + names[0], source)
    net.layer(activation, prefix + names[1])
    return net.layer(conv, prefix + names[2])
