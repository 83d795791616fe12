"""EfficientNet-B0 (Tan & Le, 2019), as torchvision builds it."""

from __future__ import annotations

from cnncount.layers.conv import Conv2d
from cnncount.layers.gates import Sigmoid, SiLU
from cnncount.layers.linear import Linear
from cnncount.layers.pointwise import Dropout
from cnncount.layers.pool import AdaptiveAvgPool2d
from cnncount.models.blocks import conv_norm_activation, inverted_residual
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["efficientnet_b0"]

STAGES = (
    (1, 3, 1, 32, 16, 1),
    (6, 3, 2, 16, 24, 2),
    (6, 5, 2, 24, 40, 2),
    (6, 3, 2, 40, 80, 3),
    (6, 5, 1, 80, 112, 3),
    (6, 5, 2, 112, 192, 4),
    (6, 3, 1, 192, 320, 1),
)
"""Each stage's expansion ratio, kernel, first stride, input and output channels, and blocks."""

STOCHASTIC_DEPTH = 0.2
"""The drop-path probability of the last block; block i of n drops with 0.2 i / n."""


def efficientnet_b0(input_shape: Shape, classes: int = 1000) -> Network:
    """Return EfficientNet-B0: a stem, sixteen MBConv blocks with squeeze-and-excitation, a 1x1
    convolution and a classifier, with SiLU throughout.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(efficientnet_b0(Shape(3, 224, 224))).totals.params
        5288548
    """
    net = Builder("efficientnet_b0", input_shape)
    stem = Conv2d(32, 3, stride=2, padding=1, bias=False)
    conv_norm_activation(net, "features.0.", stem, SiLU())
    blocks = sum(stage[-1] for stage in STAGES)
    index = 0
    for stage, (expansion, kernel, stride, channels, out, repeats) in enumerate(STAGES, start=1):
        for repeat in range(repeats):
            entering = channels if repeat == 0 else out
            se = (max(1, entering // 4), SiLU(), Sigmoid())  # a quarter of the block's input
            inverted_residual(
                net,
                f"features.{stage}.{repeat}.",
                entering,
                entering * expansion,
                out,
                kernel,
                stride if repeat == 0 else 1,
                SiLU(),
                se,
                drop=STOCHASTIC_DEPTH * index / blocks,
            )
            index += 1
    head = Conv2d(4 * STAGES[-1][4], 1, bias=False)
    conv_norm_activation(net, f"features.{len(STAGES) + 1}.", head, SiLU())
    net.layer(AdaptiveAvgPool2d(1), "avgpool")
    net.layer(Dropout(0.2), "classifier.0")
    net.layer(Linear(classes), "classifier.1")
    return net.build()
