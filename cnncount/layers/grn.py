"""Global response normalisation, ConvNeXt V2's competition between channels."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.layers.base import Layer, Saves, WeightFactors
from cnncount.shapes import Shape

__all__ = ["GlobalResponseNorm"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GlobalResponseNorm(Layer):
    """Global response normalisation (ConvNeXt V2, timm's ``GlobalResponseNorm``): each channel's
    L2 norm over the H x W positions, divided by the mean of those norms over the channels,
    scales the map, with a learned scale and shift per channel, added to the input:
    ``x + gamma (x N(x)) + beta``.

    The closed forms, for C channels: C weights (gamma) and C biases (beta), no buffers, and no
    multiply-accumulates in ``flop_counter``'s terms (norms and element-wise products only).

    Examples:
        >>> grn, shape = GlobalResponseNorm(), Shape(160, 14, 14)
        >>> grn.weights(shape), grn.biases(shape), grn.macs(shape), grn.output_shape(shape)
        (160, 160, 0, Shape(160, 14, 14))
        >>> str(grn)
        'grn'
    """

    kind = "grn"
    category = "normalization"

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return one scale per channel.

        Examples:
            >>> GlobalResponseNorm().weight_factors(Shape(40, 56, 56))
            ((40,),)
        """
        return ((shape.channels,),)

    def weights(self, shape: Shape) -> int:
        """Return gamma, one learned scale per channel: C.

        Examples:
            >>> GlobalResponseNorm().weights(Shape(40, 56, 56))
            40
        """
        return shape.channels

    def biases(self, shape: Shape) -> int:
        """Return beta, one learned shift per channel: C.

        Examples:
            >>> GlobalResponseNorm().biases(Shape(40, 56, 56))
            40
        """
        return shape.channels

    def saves(self, shape: Shape) -> Saves:
        """Return what autograd keeps of timm's forward: its input, the map ``x N(x)`` that
        gamma's gradient needs, the C norms (twice), their mean, and the C ratios ``N(x)``.

        Examples:
            >>> GlobalResponseNorm().saves(Shape(40, 56, 56)).values == 40 * 56 * 56 + 3 * 40 + 1
            True
        """
        return Saves(input=True, values=shape.numel + 3 * shape.channels + 1)

    def __str__(self) -> str:
        return "grn"
