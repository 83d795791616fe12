"""LeNet-5 (LeCun et al., 1998), in the layer notation."""

from __future__ import annotations

from cnncount.network import Network
from cnncount.notation import parse_network
from cnncount.shapes import Shape

__all__ = ["LENET5", "lenet5"]

LENET5 = "conv5-6/p0 avgpool conv5-16/p0 avgpool FC-120 FC-84 FC-10"
"""LeNet-5, its subsampling written as plain average pooling and its tanh left out."""


def lenet5(input_shape: Shape) -> Network:
    """Return LeNet-5, fed ``input_shape`` (the paper's is 1x32x32).

    Examples:
        >>> from cnncount import summarize
        >>> summarize(lenet5(Shape(1, 32, 32))).totals.params
        61706
    """
    return parse_network(LENET5, input_shape)
