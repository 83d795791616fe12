"""Two-dimensional convolution, its input channels taken from the shape it is given.

Kernels, strides, paddings and dilations may differ between the height and the width (Inception-v3's
1x7 and 7x1 kernels): each is given as one number for both axes or as a (height, width) pair, and
kept as a pair.
"""

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
    sliding_window_shape,
)
from cnncount.layers.windows import Window, preserving_padding, same_output_size, window_extent
from cnncount.shapes import Shape

__all__ = ["Conv2d", "check_groups"]


@dataclass(frozen=True, slots=True, init=False)
class Conv2d(Layer):
    """A convolution to ``out_channels`` maps, with a kh x kw kernel.

    ``padding`` is a pixel count on every side (per axis if a pair), or ``"same"`` for an output
    of ``ceil(size / stride)``. Input channels come from the input shape and must divide by
    ``groups``, as must ``out_channels``.

    Examples:
        >>> conv = Conv2d(256, 3, padding=1)
        >>> shape = Shape(128, 56, 56)
        >>> conv.weights(shape), conv.biases(shape), conv.params(shape)
        (294912, 256, 295168)
        >>> Conv2d(64, 7, stride=2, padding=3).output_shape(Shape(3, 224, 224))
        Shape(64, 112, 112)
        >>> Conv2d(64, 3, groups=64, bias=False).params(Shape(64, 56, 56))  # depthwise
        576
        >>> str(Conv2d(64, 7, stride=2, padding=3)), str(Conv2d(64, 3, groups=64, bias=False))
        ('conv7-64/s2', 'conv3-64/p0/g64/nobias')
        >>> seven_by_one = Conv2d(192, (7, 1), padding=(3, 0), bias=False)  # Inception-v3
        >>> str(seven_by_one), seven_by_one.output_shape(Shape(160, 17, 17)), seven_by_one.weights(Shape(160, 17, 17))
        ('conv7x1-192/nobias', Shape(192, 17, 17), 215040)
        >>> Conv2d(64, 3) == Conv2d(64, (3, 3), stride=(1, 1), padding=(0, 0))
        True
        >>> Conv2d(64, 3, stride=0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: stride must be positive, got 0
    """

    kind = "conv"
    category = "convolution"
    autocast = "lower"

    out_channels: int
    kernel_size: Pair
    stride: Pair
    padding: Pair | str
    dilation: Pair
    groups: int
    bias: bool

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | Pair,
        stride: int | Pair = 1,
        padding: int | Pair | str = 0,
        dilation: int | Pair = 1,
        groups: int = 1,
        bias: bool = True,
    ) -> None:
        require_positive(out_channels=out_channels, groups=groups)
        kernel = require_pair("kernel_size", kernel_size)
        strides = require_pair("stride", stride)
        dilations = require_pair("dilation", dilation)
        if padding == "same":
            paddings: Pair | str = "same"
        elif isinstance(padding, str):
            raise LayerError(f"padding must be 'same' or at least 0, got {padding!r}")
        else:
            try:
                paddings = require_pair("padding", padding, least=0)
            except LayerError:
                raise LayerError(f"padding must be 'same' or at least 0, got {padding!r}") from None
        if out_channels % groups:
            raise LayerError(f"output channels {out_channels} not divisible by groups {groups}")
        object.__setattr__(self, "out_channels", out_channels)
        object.__setattr__(self, "kernel_size", kernel)
        object.__setattr__(self, "stride", strides)
        object.__setattr__(self, "padding", paddings)
        object.__setattr__(self, "dilation", dilations)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "bias", bias)

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``out_channels`` maps of ``floor((in + 2p - d(k - 1) - 1) / s) + 1`` pixels per axis.

        Examples:
            >>> Conv2d(512, 3, padding=1).output_shape(Shape(256, 28, 28))
            Shape(512, 28, 28)
            >>> Conv2d(8, 3, stride=2, padding="same").output_shape(Shape(3, 15, 15))
            Shape(8, 8, 8)
            >>> Conv2d(8, (1, 3), stride=(1, 2)).output_shape(Shape(3, 15, 15))
            Shape(8, 15, 7)
            >>> Conv2d(8, 3, groups=2).output_shape(Shape(3, 15, 15))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: input channels 3 not divisible by groups 2
        """
        check_groups(shape.channels, self.groups)
        if isinstance(self.padding, str):  # "same"
            height, width = (
                same_output_size(size, stride)
                for size, stride in zip((shape.height, shape.width), self.stride)
            )
            return Shape(self.out_channels, height, width)
        return sliding_window_shape(
            shape, self.out_channels, self.kernel_size, self.stride, self.padding, self.dilation
        )

    def saves(self, shape: Shape) -> Saves:
        """Return its input, which the weights' gradient needs.

        Examples:
            >>> Conv2d(64, 3).saves(Shape(3, 224, 224)).input
            True
        """
        return INPUT_SAVED

    def window(self, shape: Shape) -> tuple[Window, Window]:
        """Return the kernel's window along each axis; "same" padding puts any odd pixel last.

        Examples:
            >>> Conv2d(8, 3, stride=2, padding="same").window(Shape(3, 15, 16))
            (Window(extent=3, stride=2, padding=1), Window(extent=3, stride=2, padding=0))
            >>> Conv2d(8, (1, 7), padding=(0, 3)).window(Shape(3, 17, 17))
            (Window(extent=1, stride=1, padding=0), Window(extent=7, stride=1, padding=3))
        """
        return (self._axis_window(0, shape.height), self._axis_window(1, shape.width))

    def _axis_window(self, axis: int, size: int) -> Window:
        extent = window_extent(self.kernel_size[axis], self.dilation[axis])
        stride = self.stride[axis]
        if not isinstance(self.padding, str):
            return Window(extent=extent, stride=stride, padding=self.padding[axis])
        total = max((same_output_size(size, stride) - 1) * stride + extent - size, 0)
        return Window(extent=extent, stride=stride, padding=total // 2)

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return ``((kh, kw, in / groups), (out,))``: one kh x kw x in/g filter per output map.

        Examples:
            >>> Conv2d(64, 3, padding=1).weight_factors(Shape(3, 224, 224))
            ((3, 3, 3), (64,))
        """
        return ((*self.kernel_size, shape.channels // self.groups), (self.out_channels,))

    def weights(self, shape: Shape) -> int:
        """Return ``kh * kw * (in / groups) * out``.

        Examples:
            >>> Conv2d(256, 3).weights(Shape(256, 56, 56)), Conv2d(192, (1, 7)).weights(Shape(128, 17, 17))
            (589824, 172032)
        """
        height, width = self.kernel_size
        return height * width * (shape.channels // self.groups) * self.out_channels

    def biases(self, shape: Shape) -> int:
        """Return one bias per output map, or none without ``bias``.

        Examples:
            >>> Conv2d(256, 3).biases(Shape(256, 56, 56)), Conv2d(256, 3, bias=False).biases(Shape(256, 56, 56))
            (256, 0)
        """
        return self.out_channels if self.bias else 0

    def macs(self, shape: Shape) -> int:
        """Return one multiply-accumulate per weight of a filter, per output value.

        Examples:
            >>> Conv2d(128, 3, padding=1).macs(Shape(64, 112, 112))  # 112*112*128 * 3*3*64
            924844032
        """
        height, width = self.kernel_size
        out = self.output_shape(shape)
        return out.numel * height * width * (shape.channels // self.groups)

    def __str__(self) -> str:
        options = [f"s{pair_text(self.stride)}"] if self.stride != (1, 1) else []
        preserving = tuple(map(preserving_padding, self.kernel_size, self.dilation))
        if isinstance(self.padding, str):
            options.append("same")
        elif self.padding != preserving:
            options.append(f"p{pair_text(self.padding)}")
        options += [f"d{pair_text(self.dilation)}"] if self.dilation != (1, 1) else []
        options += [f"g{self.groups}"] if self.groups != 1 else []
        options += [] if self.bias else ["nobias"]
        return "/".join([f"conv{pair_text(self.kernel_size)}-{self.out_channels}", *options])


def check_groups(channels: int, groups: int) -> None:
    """Raise :class:`~cnncount.errors.LayerError` where ``channels`` input channels do not divide
    into ``groups``.

    Examples:
        >>> check_groups(3, 2)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: input channels 3 not divisible by groups 2
    """
    if channels % groups:
        raise LayerError(f"input channels {channels} not divisible by groups {groups}")
