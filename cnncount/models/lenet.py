"""LeNet-5 (LeCun et al., 1998), in the layer notation."""

from __future__ import annotations

from cnncount.network import Network
from cnncount.notation import parse_network
from cnncount.shapes import Shape

__all__ = ["LENET5", "lenet5"]

LENET5 = "conv5-6/p0 avgpool conv5-16/p0 avgpool FC-120 FC-84 FC-10"
"""LeNet-5 in the simplified form often drawn, its tanh left out. C3 reads every map of S2, where
the paper's table connects each of C3's maps to some of them; the subsampling is plain average
pooling, where the paper's learns a coefficient and a bias per map; and the output is a fully
connected layer, where the paper's is fixed radial basis functions. Its 61,706 parameters are a
sum made by hand, not the paper's: the paper's trainable layers, C1 to F6, sum to 60,000."""


def lenet5(input_shape: Shape) -> Network:
    """Return LeNet-5, fed ``input_shape`` (the paper's is 1x32x32).

    Examples:
        >>> from cnncount import summarize
        >>> summarize(lenet5(Shape(1, 32, 32))).totals.params
        61706
    """
    return parse_network(LENET5, input_shape)
