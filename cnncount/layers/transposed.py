"""Transposed convolution, the upsampling of decoders, its input channels taken from the shape it
is given."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import (
    INPUT_SAVED,
    Layer,
    Pair,
    Saves,
    WeightFactors,
    pair_text,
    require_pair,
    require_positive,
)
from cnncount.layers.conv import check_groups
from cnncount.layers.windows import window_extent
from cnncount.shapes import Shape

__all__ = ["ConvTranspose2d"]


@dataclass(frozen=True, slots=True, init=False)
class ConvTranspose2d(Layer):
    """A transposed convolution to ``out_channels`` maps: it spreads each input pixel over a
    kh x kw patch of the output, ``stride`` pixels apart, and so enlarges the map (a decoder's
    upsampling).

    Along each axis the output has ``(n - 1)s - 2p + d(k - 1) + output_padding + 1`` pixels;
    ``output_padding`` (less than the stride or the dilation) adds pixels on one side only, and
    ``padding`` (default 0, as in PyTorch) takes them away from both. The weights are
    ``in x (out / groups) x kh x kw``, as for a convolution from ``out`` to ``in``.

    It slides no window over its input: output pixels ``1 / stride`` of an input pixel apart read
    about ``k / stride`` input pixels each, a fraction of a jump that the receptive fields (whole
    jumps) cannot follow, so :meth:`~cnncount.layers.base.Layer.window` is None.

    Examples:
        >>> up = ConvTranspose2d(64, 4, stride=2, padding=1)
        >>> shape = Shape(128, 28, 28)
        >>> up.output_shape(shape), up.weights(shape), up.biases(shape)
        (Shape(64, 56, 56), 131072, 64)
        >>> str(up), str(ConvTranspose2d(16, 3, stride=2, padding=1, output_padding=1, bias=False))
        ('convt4-64/s2/p1', 'convt3-16/s2/p1/op1/nobias')
        >>> ConvTranspose2d(8, 3, stride=2, output_padding=2)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: output padding 2 must be smaller than the stride 2 or the dilation 1
    """

    kind = "convt"
    category = "convolution"
    autocast = "lower"

    out_channels: int
    kernel_size: Pair
    stride: Pair
    padding: Pair
    output_padding: Pair
    dilation: Pair
    groups: int
    bias: bool

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | Pair,
        stride: int | Pair = 1,
        padding: int | Pair = 0,
        output_padding: int | Pair = 0,
        dilation: int | Pair = 1,
        groups: int = 1,
        bias: bool = True,
    ) -> None:
        require_positive(out_channels=out_channels, groups=groups)
        strides = require_pair("stride", stride)
        dilations = require_pair("dilation", dilation)
        extra = require_pair("output_padding", output_padding, least=0)
        if any(pad >= max(s, d) for pad, s, d in zip(extra, strides, dilations)):
            msg = (
                f"output padding {pair_text(extra)} must be smaller than the stride "
                f"{pair_text(strides)} or the dilation {pair_text(dilations)}"
            )
            raise LayerError(msg)
        if out_channels % groups:
            raise LayerError(f"output channels {out_channels} not divisible by groups {groups}")
        object.__setattr__(self, "out_channels", out_channels)
        object.__setattr__(self, "kernel_size", require_pair("kernel_size", kernel_size))
        object.__setattr__(self, "stride", strides)
        object.__setattr__(self, "padding", require_pair("padding", padding, least=0))
        object.__setattr__(self, "output_padding", extra)
        object.__setattr__(self, "dilation", dilations)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "bias", bias)

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``out_channels`` maps of ``(n - 1)s - 2p + d(k - 1) + output_padding + 1`` pixels
        per axis.

        Examples:
            >>> ConvTranspose2d(32, 2, stride=2).output_shape(Shape(64, 14, 14))
            Shape(32, 28, 28)
            >>> ConvTranspose2d(8, 3, padding=2).output_shape(Shape(4, 1, 1))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: kernel 3 with padding 2 leaves no output from input 1x1
        """
        check_groups(shape.channels, self.groups)
        height, width = (
            (size - 1) * stride - 2 * padding + window_extent(kernel, dilation) + extra
            for size, stride, padding, kernel, dilation, extra in zip(
                (shape.height, shape.width),
                self.stride,
                self.padding,
                self.kernel_size,
                self.dilation,
                self.output_padding,
            )
        )
        if height < 1 or width < 1:
            msg = (
                f"kernel {pair_text(self.kernel_size)} with padding {pair_text(self.padding)} "
                f"leaves no output from input {shape.height}x{shape.width}"
            )
            raise LayerError(msg)
        return Shape(self.out_channels, height, width)

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return ``((kh, kw, out / groups), (in,))``: one kh x kw x out/g patch per input map.

        Examples:
            >>> ConvTranspose2d(64, 4, stride=2, padding=1).weight_factors(Shape(128, 28, 28))
            ((4, 4, 64), (128,))
        """
        return ((*self.kernel_size, self.out_channels // self.groups), (shape.channels,))

    def weights(self, shape: Shape) -> int:
        """Return ``kh * kw * (out / groups) * in``.

        Examples:
            >>> ConvTranspose2d(64, 2, stride=2, groups=2).weights(Shape(128, 28, 28))
            16384
        """
        height, width = self.kernel_size
        return height * width * (self.out_channels // self.groups) * shape.channels

    def biases(self, shape: Shape) -> int:
        """Return one bias per output map, or none without ``bias``.

        Examples:
            >>> ConvTranspose2d(64, 2, stride=2).biases(Shape(128, 28, 28))
            64
        """
        return self.out_channels if self.bias else 0

    def macs(self, shape: Shape) -> int:
        """Return one multiply-accumulate per weight for each input pixel, as PyTorch's
        ``flop_counter`` counts a transposed convolution: ``H_in * W_in * kh * kw * in * out / groups``.

        Each input value is multiplied by its kh x kw x out/g patch of weights and added into the
        output, whatever the padding crops away afterwards.

        Examples:
            >>> ConvTranspose2d(64, 4, stride=2, padding=1).macs(Shape(128, 28, 28))  # 28*28 * 4*4*128*64
            102760448
        """
        self.output_shape(shape)  # raises where nothing comes out
        return shape.height * shape.width * self.weights(shape)

    def saves(self, shape: Shape) -> Saves:
        """Return its input, which the weights' gradient needs.

        Examples:
            >>> ConvTranspose2d(64, 4, stride=2, padding=1).saves(Shape(128, 14, 14)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        options = [f"s{pair_text(self.stride)}"] if self.stride != (1, 1) else []
        options += [f"p{pair_text(self.padding)}"] if self.padding != (0, 0) else []
        options += [f"op{pair_text(self.output_padding)}"] if self.output_padding != (0, 0) else []
        options += [f"d{pair_text(self.dilation)}"] if self.dilation != (1, 1) else []
        options += [f"g{self.groups}"] if self.groups != 1 else []
        options += [] if self.bias else ["nobias"]
        return "/".join([f"convt{pair_text(self.kernel_size)}-{self.out_channels}", *options])
