"""ShuffleNetV2 x1.0 (Ma et al., 2018), as torchvision builds it."""

from __future__ import annotations

from cnncount.layers.channels import ChannelChunk, ChannelShuffle
from cnncount.layers.conv import Conv2d
from cnncount.layers.linear import Linear
from cnncount.layers.merge import Concat
from cnncount.layers.pointwise import ReLU
from cnncount.layers.pool import AdaptiveAvgPool2d, MaxPool2d
from cnncount.models.blocks import conv_norm_activation
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["STAGES", "shufflenet_v2_x1_0"]

STAGES = ((116, 4), (232, 8), (464, 4))
"""Each stage's output channels and blocks, at width x1.0."""


def shufflenet_v2_x1_0(input_shape: Shape, classes: int = 1000) -> Network:
    """Return ShuffleNetV2 x1.0: a stem, three stages of blocks that split the channels, transform
    half of them and shuffle the halves together, a 1x1 convolution, global pooling and a
    classifier.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(shufflenet_v2_x1_0(Shape(3, 224, 224))).totals.params
        2278604
    """
    net = Builder("shufflenet_v2_x1_0", input_shape)
    stem = Conv2d(24, 3, stride=2, padding=1, bias=False)
    conv_norm_activation(net, "conv1.", stem, ReLU())
    net.layer(MaxPool2d(3, stride=2, padding=1), "maxpool")
    channels = 24
    for stage, (out, repeats) in enumerate(STAGES, start=2):
        for block in range(repeats):
            _block(net, f"stage{stage}.{block}.", channels, out, 2 if block == 0 else 1)
            channels = out
    conv_norm_activation(net, "conv5.", Conv2d(1024, 1, bias=False), ReLU())
    net.layer(AdaptiveAvgPool2d(1), "mean")  # x.mean([2, 3])
    net.layer(Linear(classes), "fc")
    return net.build()


def _block(net: Builder, prefix: str, channels: int, out: int, stride: int) -> str:
    """Add an inverted residual block of ShuffleNetV2; return the shuffle's name.

    At stride 2 both branches read the whole input: a depthwise 3x3 then a 1x1 (``branch1``), and
    1x1, depthwise 3x3, 1x1 (``branch2``). At stride 1 the channels are cut in halves: the first
    passes by, ``branch2`` transforms the second. The halves are concatenated and shuffled."""
    entry = net.last
    half = out // 2
    if stride == 2:
        depthwise = Conv2d(channels, 3, stride=2, padding=1, groups=channels, bias=False)
        conv_norm_activation(net, f"{prefix}branch1.", depthwise, None, source=entry)
        pointwise = Conv2d(half, 1, bias=False)
        first = conv_norm_activation(net, f"{prefix}branch1.", pointwise, ReLU(), ("2", "3", "4"))
        second = entry
    else:
        first = net.layer(ChannelChunk(2, 0), f"{prefix}x1", source=entry)
        second = net.layer(ChannelChunk(2, 1), f"{prefix}x2", source=entry)
    branch = f"{prefix}branch2."
    conv_norm_activation(net, branch, Conv2d(half, 1, bias=False), ReLU(), source=second)
    depthwise = Conv2d(half, 3, stride=stride, padding=1, groups=half, bias=False)
    conv_norm_activation(net, branch, depthwise, None, ("3", "4"))
    last = conv_norm_activation(net, branch, Conv2d(half, 1, bias=False), ReLU(), ("5", "6", "7"))
    net.merge(Concat(), [first, last], f"{prefix}cat")
    return net.layer(ChannelShuffle(2), f"{prefix}channel_shuffle")
