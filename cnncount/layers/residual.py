"""What a modern residual block does to its branch before adding it back to the block's input:
scale each channel by a learned factor (layer scale), and, in training, drop the branch for some
images (stochastic depth)."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.layers.base import INPUT_SAVED, Layer, Saves, WeightFactors, number_text
from cnncount.layers.pointwise import require_probability
from cnncount.shapes import Shape

__all__ = ["LayerScale", "StochasticDepth"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerScale(Layer):
    """Layer scale (Touvron et al., 2021): each channel multiplied by its own learned factor,
    as ConvNeXt scales the output of a block's branch before the residual addition.

    It is a normalisation layer's learned scale without the normalisation or the shift: C
    weights, no biases, and, since ``flop_counter`` counts no element-wise product, no
    multiply-accumulates.

    Examples:
        >>> scale, shape = LayerScale(), Shape(96, 56, 56)
        >>> scale.weights(shape), scale.biases(shape), scale.macs(shape), scale.output_shape(shape)
        (96, 0, 0, Shape(96, 56, 56))
        >>> str(scale), scale.in_place
        ('layerscale', False)
    """

    kind = "layerscale"
    category = "normalization"
    autocast = "promote"

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return one factor per channel.

        Examples:
            >>> LayerScale().weight_factors(Shape(768, 7, 7))
            ((768,),)
        """
        return ((shape.channels,),)

    def weights(self, shape: Shape) -> int:
        """Return one learned factor per channel.

        Examples:
            >>> LayerScale().weights(Shape(768, 7, 7))
            768
        """
        return shape.channels

    def saves(self, shape: Shape) -> Saves:
        """Return its input, which the scales' gradient needs.

        Examples:
            >>> LayerScale().saves(Shape(96, 56, 56)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "layerscale"


@dataclass(frozen=True, slots=True, init=False)
class StochasticDepth(Layer):
    """Stochastic depth ("drop path") with probability ``p``: in training, a residual branch is
    dropped for a whole image at a time and the survivors scaled by ``1 / (1 - p)``; nothing is
    learned, and at inference it is the identity.

    Examples:
        >>> StochasticDepth(0.1), str(StochasticDepth(0.0125)), str(StochasticDepth(0.1 / 17))
        (StochasticDepth(p=0.1), 'droppath0.0125', 'droppath0.0058823529411764705')
        >>> from cnncount import Shape
        >>> StochasticDepth(0.1).params(Shape(96, 56, 56))
        0
        >>> StochasticDepth(-1)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: drop path probability must be from 0 to 1, got -1
    """

    kind = "stochasticdepth"
    category = "regularization"

    p: float

    def __init__(self, p: float) -> None:
        require_probability("drop path", p)
        object.__setattr__(self, "p", p)

    def passes_through(self, training: bool) -> bool:
        """Return whether it returns its input: in inference, or where it drops nothing.

        Examples:
            >>> StochasticDepth(0.1).passes_through(training=False), StochasticDepth(0.1).passes_through(training=True)
            (True, False)
        """
        return not training or self.p == 0

    def saves(self, shape: Shape) -> Saves:
        """Return its mask in training: one value for the image, which keeps or drops the branch.

        Examples:
            >>> StochasticDepth(0.1).saves(Shape(96, 56, 56)).values
            1
        """
        return Saves(values=1)

    def __str__(self) -> str:
        return f"droppath{number_text(self.p)}"
