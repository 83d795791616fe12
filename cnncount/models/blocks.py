"""The blocks that many families share: a convolution with its batch norm and activation, a
squeeze-and-excitation gate, and a chain named as torchvision's ``nn.Sequential`` names it."""

from __future__ import annotations

from cnncount.layers.base import Layer, Pair
from cnncount.layers.conv import Conv2d
from cnncount.layers.merge import Add
from cnncount.layers.norm import BatchNorm2d
from cnncount.layers.pointwise import ReLU
from cnncount.layers.pool import AdaptiveAvgPool2d
from cnncount.network import Builder, Network
from cnncount.notation import parse_layers
from cnncount.shapes import Shape

__all__ = [
    "basic_conv",
    "conv_norm_activation",
    "inverted_residual",
    "make_divisible",
    "norm_activation_conv",
    "sequential",
    "squeeze_excitation",
]


def sequential(
    input_shape: Shape, parts: tuple[tuple[str, str], ...], name: str = "net"
) -> Network:
    """Return the chain that ``parts`` write in the notation, each layer named as torchvision
    names it: ``prefix`` and its index within the part where the prefix ends with a dot (an
    ``nn.Sequential``), ``prefix`` alone for a part of one layer.

    Examples:
        >>> net = sequential(Shape(3, 32, 32), (("features.", "conv3-8 relu maxpool"), ("avgpool", "gap"), ("classifier.", "FC-10")))
        >>> [node.name for node in net.nodes]
        ['features.0', 'features.1', 'features.2', 'avgpool', 'classifier.0']
    """
    net = Builder(name, input_shape)
    for prefix, spec in parts:
        layers = parse_layers(spec)
        if prefix.endswith("."):
            for index, layer in enumerate(layers):
                net.layer(layer, f"{prefix}{index}")
        else:
            (layer,) = layers
            net.layer(layer, prefix)
    return net.build()


def conv_norm_activation(
    net: Builder,
    prefix: str,
    conv: Conv2d,
    activation: Layer | None,
    names: tuple[str, ...] = ("0", "1", "2"),
    source: str | None = None,
) -> str:
    """Add ``conv``, a batch norm and ``activation`` (none if None), named ``prefix`` and ``names``
    as torchvision's ``Conv2dNormActivation`` names them (the third name only with an
    activation); return the last name.

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


def basic_conv(
    net: Builder,
    name: str,
    out: int,
    kernel: int | Pair,
    stride: int = 1,
    padding: int | Pair = 0,
    source: str | None = None,
) -> str:
    """Add torchvision's ``BasicConv2d`` of GoogLeNet and Inception-v3: a convolution without
    bias, batch norm, and a functional in-place ReLU (named ``relu`` here); return its name.

    Examples:
        >>> from cnncount import Shape
        >>> net = Builder("net", Shape(128, 17, 17))
        >>> basic_conv(net, "branch7x7_2", 128, (1, 7), padding=(0, 3))
        'branch7x7_2.relu'
        >>> [node.name for node in net.build().nodes]
        ['branch7x7_2.conv', 'branch7x7_2.bn', 'branch7x7_2.relu']
    """
    conv = Conv2d(out, kernel, stride=stride, padding=padding, bias=False)
    return conv_norm_activation(net, f"{name}.", conv, ReLU(), ("conv", "bn", "relu"), source)


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


def squeeze_excitation(
    net: Builder,
    prefix: str,
    channels: int,
    squeeze: int,
    activation: Layer | None = None,
    gate: Layer | None = None,
) -> str:
    """Add torchvision's ``SqueezeExcitation`` on the last layer, a map of ``channels``: global
    pooling, a 1x1 convolution to ``squeeze`` channels, ``activation`` (ReLU unless told), a 1x1
    convolution back, ``gate`` (a sigmoid unless told), and the gate times the map; return the
    product's name.

    Examples:
        >>> from cnncount import SiLU, summarize
        >>> net = Builder("net", Shape(96, 56, 56))
        >>> squeeze_excitation(net, "se.", 96, 4, SiLU())
        'se.mul'
        >>> [(row.name, str(row.output_shape), row.params) for row in summarize(net.build()).rows[1:]]
        [('se.avgpool', '96x1x1', 0), ('se.fc1', '4x1x1', 388), ('se.activation', '4x1x1', 0), ('se.fc2', '96x1x1', 480), ('se.scale_activation', '96x1x1', 0), ('se.mul', '96x56x56', 0)]
    """
    from cnncount.layers.gates import Sigmoid  # the gates of the blocks that squeeze only
    from cnncount.layers.merge import Multiply

    entry = net.last
    net.layer(AdaptiveAvgPool2d(1), f"{prefix}avgpool")
    net.layer(Conv2d(squeeze, 1), f"{prefix}fc1")
    net.layer(ReLU() if activation is None else activation, f"{prefix}activation")
    net.layer(Conv2d(channels, 1), f"{prefix}fc2")
    net.layer(Sigmoid() if gate is None else gate, f"{prefix}scale_activation")
    return net.merge(Multiply(), [net.last, entry], f"{prefix}mul")  # scale * input


def make_divisible(value: float, divisor: int = 8) -> int:
    """Return ``value`` rounded to a multiple of ``divisor``, never below 90% of it, as
    torchvision's ``_make_divisible`` rounds channel widths.

    Examples:
        >>> make_divisible(72 // 4), make_divisible(120 // 4), make_divisible(16)
        (24, 32, 16)
    """
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def inverted_residual(
    net: Builder,
    prefix: str,
    channels: int,
    hidden: int,
    out: int,
    kernel: int,
    stride: int,
    activation: Layer,
    squeeze: tuple[int, Layer, Layer] | None = None,
    drop: float | None = None,
) -> str:
    """Add the inverted residual block of MobileNetV3 and EfficientNet (MBConv), named as
    torchvision names its ``block`` Sequential; return the last name.

    A 1x1 expansion from ``channels`` to ``hidden`` (left out where they are equal), a depthwise
    ``kernel`` x ``kernel`` convolution at ``stride``, each with batch norm and ``activation``;
    squeeze-and-excitation where ``squeeze`` gives its width, activation and gate; a 1x1 projection
    to ``out`` with batch norm and no activation; and, where the shapes allow, stochastic depth
    with probability ``drop`` (unless None) and the residual addition.

    Examples:
        >>> from cnncount import Hardsigmoid, Hardswish, Shape, summarize
        >>> net = Builder("net", Shape(40, 28, 28))
        >>> se = (32, ReLU(), Hardsigmoid())
        >>> inverted_residual(net, "features.5.", 40, 120, 40, 5, 1, Hardswish(), se)
        'features.5.add'
        >>> summarize(net.build()).totals.params  # torchvision's features.5 of MobileNetV3 Large
        20992
    """
    from cnncount.layers.residual import StochasticDepth  # of the blocks that drop paths only

    entry = net.last
    layer = 0
    if hidden != channels:
        expand = Conv2d(hidden, 1, bias=False)
        conv_norm_activation(net, f"{prefix}block.0.", expand, activation)
        layer = 1
    depthwise = Conv2d(
        hidden, kernel, stride=stride, padding=(kernel - 1) // 2, groups=hidden, bias=False
    )
    conv_norm_activation(net, f"{prefix}block.{layer}.", depthwise, activation)
    if squeeze is not None:
        layer += 1
        squeeze_excitation(net, f"{prefix}block.{layer}.", hidden, *squeeze)
    project = Conv2d(out, 1, bias=False)
    projected = conv_norm_activation(net, f"{prefix}block.{layer + 1}.", project, None)
    if stride != 1 or channels != out:
        return projected
    if drop is not None:
        net.layer(StochasticDepth(drop), f"{prefix}stochastic_depth")
    return net.merge(Add(in_place=True), [net.last, entry], f"{prefix}add")  # result += input
