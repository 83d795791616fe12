"""Weight-standardised convolution: each filter's weights normalised before they are used."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Pair, WeightFactors
from cnncount.layers.conv import Conv2d
from cnncount.shapes import Shape

__all__ = ["StdConv2d"]


@dataclass(frozen=True, slots=True, init=False)
class StdConv2d(Conv2d):
    """A convolution whose filters are standardised, to mean 0 and variance 1 over each filter's
    kh x kw x C_in / groups weights, before they slide over the input (BiT's ResNets: timm's
    ``StdConv2d``). With ``gain`` each standardised filter is also multiplied by a learned factor
    (NFNets: timm's ``ScaledStdConv2d``).

    The closed forms are the convolution's, with ``out`` more weights with ``gain``:
    ``kh kw (C_in / groups) out (+ out)`` weights, ``out`` biases, and
    ``H_out W_out out kh kw C_in / groups`` multiply-accumulates. Standardising the weights costs
    no multiply-accumulate of the image's, and ``flop_counter`` counts none for it. Its backward
    pass keeps the input, as a convolution's does; the standardised filters and their statistics,
    kept once for the whole batch, are left out.

    Examples:
        >>> conv, shape = StdConv2d(64, 7, stride=2, padding=3, bias=False), Shape(3, 224, 224)
        >>> conv.weights(shape), conv.macs(shape), str(conv)
        (9408, 118013952, 'stdconv7-64/s2/nobias')
        >>> scaled = StdConv2d(16, 3, stride=2, padding=1, gain=True)
        >>> scaled.weights(shape), scaled.biases(shape), str(scaled)  # 3*3*3*16 + 16
        (448, 16, 'stdconv3-16/s2/gain')
    """

    kind = "stdconv"

    gain: bool

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | Pair,
        stride: int | Pair = 1,
        padding: int | Pair | str = 0,
        dilation: int | Pair = 1,
        groups: int = 1,
        bias: bool = True,
        gain: bool = False,
    ) -> None:
        Conv2d.__init__(self, out_channels, kernel_size, stride, padding, dilation, groups, bias)
        object.__setattr__(self, "gain", gain)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the convolution's output, once each filter has more than one weight to
        standardise: a single weight has no variance, and timm's ``StdConv2d`` refuses it too.

        Examples:
            >>> StdConv2d(8, 3).output_shape(Shape(1, 16, 16))
            Shape(8, 14, 14)
            >>> StdConv2d(8, 1).output_shape(Shape(4, 16, 16))
            Shape(8, 16, 16)
            >>> StdConv2d(8, 1).output_shape(Shape(1, 16, 16))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: weight standardisation needs more than one weight per filter, got a 1x1 filter over 1 input channel
        """
        output = Conv2d.output_shape(self, shape)
        (height, width, channels), _ = Conv2d.weight_factors(self, shape)
        if height * width * channels == 1:
            msg = (
                "weight standardisation needs more than one weight per filter, got a 1x1 filter "
                "over 1 input channel"
            )
            raise LayerError(msg)
        return output

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return the filters' factors; with ``gain``, each filter's weights and its gain, per
        output map.

        Examples:
            >>> StdConv2d(64, 3).weight_factors(Shape(32, 8, 8))
            ((3, 3, 32), (64,))
            >>> StdConv2d(64, 3, gain=True).weight_factors(Shape(32, 8, 8))  # (3*3*32 + 1)*64
            ((289,), (64,))
        """
        filters = Conv2d.weight_factors(self, shape)
        if not self.gain:
            return filters
        height, width, channels = filters[0]
        return ((height * width * channels + 1,), (self.out_channels,))

    def weights(self, shape: Shape) -> int:
        """Return ``kh kw (C_in / groups) out``, plus ``out`` gains with ``gain``.

        Examples:
            >>> StdConv2d(64, 3, gain=True).weights(Shape(32, 8, 8))  # 3*3*32*64 + 64
            18496
        """
        return Conv2d.weights(self, shape) + (self.out_channels if self.gain else 0)

    def __str__(self) -> str:
        return "std" + Conv2d.__str__(self) + ("/gain" if self.gain else "")
