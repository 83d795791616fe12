"""The locally connected layer: a convolution whose filters are not shared across positions."""

from __future__ import annotations

from dataclasses import dataclass

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
from cnncount.layers.conv import Conv2d
from cnncount.layers.windows import Window, preserving_padding
from cnncount.shapes import Shape

__all__ = ["LocallyConnected2d"]


@dataclass(frozen=True, slots=True, init=False)
class LocallyConnected2d(Layer):
    """A convolution without weight sharing: each output position has its own filters.

    It slides the same kh x kw window as its :meth:`shared` twin, a
    :class:`~cnncount.layers.conv.Conv2d`, and so has the same output shape,
    multiply-accumulates, window and receptive field. Its weights are the twin's once per output
    position, ``H_out * W_out * kh * kw * C_in * C_out``. Its biases are one per output value,
    ``C_out * H_out * W_out``: the default of Keras 2's ``LocallyConnected2D``, whose example
    counts ``(30*30)*(3*3*3*64) + (30*30)*64`` parameters. ``padding`` is a pixel count on every
    side (per axis if a pair); Keras pads nothing.

    Examples:
        >>> local = LocallyConnected2d(64, 3)
        >>> shape = Shape(3, 32, 32)  # Keras's example
        >>> local.output_shape(shape), local.weights(shape), local.biases(shape)
        (Shape(64, 30, 30), 1555200, 57600)
        >>> local.params(shape) == (30 * 30) * (3 * 3 * 3 * 64) + (30 * 30) * 64
        True
        >>> local.macs(shape) == local.shared().macs(shape)
        True
        >>> str(LocallyConnected2d(96, 11, stride=4)), str(LocallyConnected2d(64, (1, 7), bias=False))
        ('local11-96/s4/p0', 'local1x7-64/p0/nobias')
        >>> LocallyConnected2d(64, 3, stride=0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: stride must be positive, got 0
    """

    kind = "local"
    category = "convolution"
    autocast = "lower"

    out_channels: int
    kernel_size: Pair
    stride: Pair
    padding: Pair
    bias: bool

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | Pair,
        stride: int | Pair = 1,
        padding: int | Pair = 0,
        bias: bool = True,
    ) -> None:
        require_positive(out_channels=out_channels)
        object.__setattr__(self, "out_channels", out_channels)
        object.__setattr__(self, "kernel_size", require_pair("kernel_size", kernel_size))
        object.__setattr__(self, "stride", require_pair("stride", stride))
        object.__setattr__(self, "padding", require_pair("padding", padding, least=0))
        object.__setattr__(self, "bias", bias)

    def shared(self) -> Conv2d:
        """Return the convolution with the same window, whose one set of filters every position
        shares.

        Examples:
            >>> LocallyConnected2d(96, 11, stride=4).shared()
            Conv2d(out_channels=96, kernel_size=(11, 11), stride=(4, 4), padding=(0, 0), dilation=(1, 1), groups=1, bias=True)
        """
        return Conv2d(
            self.out_channels, self.kernel_size, self.stride, self.padding, bias=self.bias
        )

    def output_shape(self, shape: Shape) -> Shape:
        """Return the shared convolution's output shape, or raise if the kernel does not fit.

        Examples:
            >>> LocallyConnected2d(96, 11, stride=4).output_shape(Shape(3, 227, 227))
            Shape(96, 55, 55)
            >>> LocallyConnected2d(8, 5).output_shape(Shape(3, 4, 4))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: kernel 5 with padding 0 does not fit input 4x4
        """
        return self.shared().output_shape(shape)

    def saves(self, shape: Shape) -> Saves:
        """Return its input, which the weights' gradient needs, as a convolution's does.

        Examples:
            >>> LocallyConnected2d(64, 3).saves(Shape(3, 32, 32)).input
            True
        """
        return INPUT_SAVED

    def window(self, shape: Shape) -> tuple[Window, Window]:
        """Return the kernel's window along each axis, the shared convolution's.

        Examples:
            >>> LocallyConnected2d(8, (1, 7), padding=(0, 3)).window(Shape(3, 17, 17))
            (Window(extent=1, stride=1, padding=0), Window(extent=7, stride=1, padding=3))
        """
        return self.shared().window(shape)

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return ``((H_out, W_out), (kh, kw, in), (out,))``: the shared filters at each position.

        Examples:
            >>> LocallyConnected2d(96, 11, stride=4).weight_factors(Shape(3, 227, 227))
            ((55, 55), (11, 11, 3), (96,))
        """
        out = self.output_shape(shape)
        return ((out.height, out.width), *self.shared().weight_factors(shape))

    def weights(self, shape: Shape) -> int:
        """Return ``H_out * W_out * kh * kw * in * out``.

        Examples:
            >>> LocallyConnected2d(96, 11, stride=4).weights(Shape(3, 227, 227)) == 55 * 55 * 11 * 11 * 3 * 96
            True
        """
        out = self.output_shape(shape)
        return out.height * out.width * self.shared().weights(shape)

    def biases(self, shape: Shape) -> int:
        """Return one bias per output value, ``out * H_out * W_out``, or none without ``bias``.

        Examples:
            >>> LocallyConnected2d(96, 11, stride=4).biases(Shape(3, 227, 227)) == 96 * 55 * 55
            True
            >>> LocallyConnected2d(96, 11, stride=4, bias=False).biases(Shape(3, 227, 227))
            0
        """
        return self.output_shape(shape).numel if self.bias else 0

    def macs(self, shape: Shape) -> int:
        """Return the shared convolution's multiply-accumulates: the same products, other weights.

        Examples:
            >>> LocallyConnected2d(96, 11, stride=4).macs(Shape(3, 227, 227)) == 96 * 55 * 55 * 11 * 11 * 3
            True
        """
        return self.shared().macs(shape)

    def __str__(self) -> str:
        options = [f"s{pair_text(self.stride)}"] if self.stride != (1, 1) else []
        if self.padding != tuple(map(preserving_padding, self.kernel_size)):
            options.append(f"p{pair_text(self.padding)}")
        options += [] if self.bias else ["nobias"]
        return "/".join([f"local{pair_text(self.kernel_size)}-{self.out_channels}", *options])
