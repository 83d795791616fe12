"""AlexNet (Krizhevsky et al., 2012), as the paper and as torchvision build it, in the layer notation."""

from __future__ import annotations

from cnncount.models.blocks import sequential
from cnncount.network import Network
from cnncount.notation import parse_network
from cnncount.shapes import Shape

__all__ = ["ALEXNET", "ALEXNET_PAPER", "alexnet", "alexnet_paper"]

ALEXNET_PARTS = (
    (
        "features.",
        (
            "conv11-64/s4/p2 relu maxpool3/s2 conv5-192 relu maxpool3/s2 conv3-384 relu "
            "conv3-256 relu conv3-256 relu maxpool3/s2"
        ),
    ),
    ("avgpool", "adaptiveavgpool6"),
    ("classifier.", "dropout FC-4096 relu dropout FC-4096 relu FC-1000"),
)
"""AlexNet as torchvision ships it, module by module, part by part as torchvision names them."""

ALEXNET = " ".join(spec for _, spec in ALEXNET_PARTS)
"""AlexNet as torchvision ships it, module by module, with one tower and 64 filters first."""

ALEXNET_PAPER = (
    "conv11-96/s4/p0 relu LRN maxpool3/s2 conv5-256/g2 relu LRN maxpool3/s2 "
    "conv3-384 relu conv3-384/g2 relu conv3-256/g2 relu maxpool3/s2 "
    "FC-4096 relu dropout FC-4096 relu dropout FC-1000"
)
"""AlexNet of the paper, split over two GPUs, hence groups of two in layers 2, 4 and 5."""


def alexnet(input_shape: Shape) -> Network:
    """Return AlexNet as torchvision ships it, each layer named as torchvision's module.

    Examples:
        >>> from cnncount import summarize
        >>> summary = summarize(alexnet(Shape(3, 224, 224)))
        >>> summary.totals.params, summary.rows[1].name
        (61100840, 'features.0')
    """
    return sequential(input_shape, ALEXNET_PARTS)


def alexnet_paper(input_shape: Shape) -> Network:
    """Return AlexNet of the paper (Krizhevsky et al., 2012), fed 227x227 images.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(alexnet_paper(Shape(3, 227, 227))).totals.params
        60965224
    """
    return parse_network(ALEXNET_PAPER, input_shape)
