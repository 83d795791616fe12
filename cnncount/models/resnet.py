"""ResNet-18, 34, 50, 101 and 152 (He et al., 2015), ResNeXt-50 32x4d (Xie et al., 2017) and
Wide ResNet-50-2 (Zagoruyko & Komodakis, 2016), as torchvision builds them, and the paper's v1.

torchvision's bottleneck halves the map in its 3x3 convolution, a change known as ResNet v1.5.
The paper's v1 halves it in the first 1x1 convolution, so that the 1x1 reads the full map but
writes a quarter of it. Basic blocks have their stride in the first 3x3 in both.
"""

from __future__ import annotations

from cnncount.layers.conv import Conv2d
from cnncount.layers.linear import Linear
from cnncount.layers.merge import Add
from cnncount.layers.pointwise import ReLU
from cnncount.layers.pool import AdaptiveAvgPool2d, MaxPool2d
from cnncount.models.blocks import conv_norm_activation
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["resnet"]

DEPTHS = {
    18: (2, 2, 2, 2),
    34: (3, 4, 6, 3),
    50: (3, 4, 6, 3),
    101: (3, 4, 23, 3),
    152: (3, 8, 36, 3),
}
"""Blocks per stage of each depth; 18 and 34 use basic blocks, the deeper ones bottlenecks."""


def resnet(
    depth: int,
    input_shape: Shape,
    classes: int = 1000,
    groups: int = 1,
    width_per_group: int = 64,
    stride_in_first: bool = False,
) -> Network:
    """Return ResNet of ``depth`` layers: a stem, four stages of residual blocks, a classifier.

    A bottleneck's 3x3 convolution has ``groups`` groups of ``width_per_group`` channels in the
    first stage (twice as many in each stage after): ResNeXt-50 32x4d has 32 groups of 4, Wide
    ResNet-50-2 one group of 128, where ResNet-50 has one of 64.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(resnet(50, Shape(3, 224, 224))).totals.params
        25557032
        >>> summarize(resnet(50, Shape(3, 224, 224), groups=32, width_per_group=4)).totals.params
        25028904
        >>> summarize(resnet(50, Shape(3, 224, 224), width_per_group=128)).totals.params
        68883240
        >>> v1 = summarize(resnet(50, Shape(3, 224, 224), stride_in_first=True)).totals
        >>> v1.params, v1.macs
        (25557032, 3857973248)
    """
    bottleneck = depth >= 50
    net = Builder(f"resnet{depth}", input_shape)
    stem = Conv2d(64, 7, stride=2, padding=3, bias=False)
    conv_norm_activation(net, "", stem, ReLU(), ("conv1", "bn1", "relu"))
    net.layer(MaxPool2d(3, stride=2, padding=1), "maxpool")
    channels = 64
    for stage, blocks in enumerate(DEPTHS[depth], start=1):
        width = 64 * 2 ** (stage - 1)
        for block in range(blocks):
            stride = 2 if stage > 1 and block == 0 else 1
            prefix = f"layer{stage}.{block}."
            strides = (stride, 1) if stride_in_first else (1, stride)
            channels = _block(
                net, prefix, channels, width, strides, bottleneck, groups, width_per_group
            )
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Linear(classes), "fc")
    return net.build()


def _block(
    net: Builder,
    prefix: str,
    channels: int,
    width: int,
    strides: tuple[int, int],
    bottleneck: bool,
    groups: int,
    width_per_group: int,
) -> int:
    """Add one residual block of ``width`` planes reading ``net.last``; return its output channels.

    A bottleneck puts ``strides`` on its 1x1 and 3x3 convolutions; a basic block puts the
    stride, whichever of the two holds it, on its first 3x3.
    """
    entry = net.last
    stride = max(strides)
    out = width * 4 if bottleneck else width
    if bottleneck:
        inner = width * width_per_group // 64 * groups
        convs = [
            Conv2d(inner, 1, stride=strides[0], bias=False),
            Conv2d(inner, 3, stride=strides[1], padding=1, groups=groups, bias=False),
            Conv2d(out, 1, bias=False),
        ]
    else:
        convs = [
            Conv2d(width, 3, stride=stride, padding=1, bias=False),
            Conv2d(width, 3, padding=1, bias=False),
        ]
    for index, conv in enumerate(convs, start=1):
        activation = ReLU() if index < len(convs) else None
        names = (f"conv{index}", f"bn{index}", f"relu{index}")
        residual = conv_norm_activation(net, prefix, conv, activation, names)
    shortcut = entry
    if stride != 1 or channels != out:  # the projection shortcut
        projection = Conv2d(out, 1, stride=stride, bias=False)
        shortcut = conv_norm_activation(net, f"{prefix}downsample.", projection, None, source=entry)
    net.merge(Add(in_place=True), [residual, shortcut], f"{prefix}add")  # out += identity
    net.layer(ReLU(), f"{prefix}relu{len(convs)}")
    return out
