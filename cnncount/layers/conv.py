"""Two-dimensional convolution, its input channels taken from the shape it is given."""

from __future__ import annotations

from cnncount.errors import LayerError
from cnncount.layers.base import (
    INPUT_SAVED,
    Layer,
    Saves,
    WeightFactors,
    require_positive,
    sliding_window_shape,
)
from cnncount.layers.windows import Window, preserving_padding, same_output_size, window_extent
from cnncount.shapes import Shape

__all__ = ["Conv2d"]


class Conv2d(Layer):
    """A square-kernel convolution to ``out_channels`` maps.

    ``padding`` is a pixel count on every side, or ``"same"`` for an output of
    ``ceil(size / stride)``. Input channels come from the input shape and must divide by
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
        >>> Conv2d(64, 3, stride=0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: stride must be positive, got 0
    """

    __slots__ = ("out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias")
    kind = "conv"
    category = "convolution"
    autocast = "lower"

    out_channels: int
    kernel_size: int
    stride: int
    padding: int | str
    dilation: int
    groups: int
    bias: bool

    def __init__(
        self,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int | str = 0,
        dilation: int = 1,
        groups: int = 1,
        bias: bool = True,
    ) -> None:
        require_positive(
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=stride,
            dilation=dilation,
            groups=groups,
        )
        if padding != "same" and (not isinstance(padding, int) or padding < 0):
            raise LayerError(f"padding must be 'same' or at least 0, got {padding!r}")
        if out_channels % groups:
            raise LayerError(f"output channels {out_channels} not divisible by groups {groups}")
        self._set(
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            groups=groups,
            bias=bias,
        )

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``out_channels`` maps of ``floor((in + 2p - d(k - 1) - 1) / s) + 1`` pixels.

        Examples:
            >>> Conv2d(512, 3, padding=1).output_shape(Shape(256, 28, 28))
            Shape(512, 28, 28)
            >>> Conv2d(8, 3, stride=2, padding="same").output_shape(Shape(3, 15, 15))
            Shape(8, 8, 8)
            >>> Conv2d(8, 3, groups=2).output_shape(Shape(3, 15, 15))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: input channels 3 not divisible by groups 2
        """
        if shape.channels % self.groups:
            msg = f"input channels {shape.channels} not divisible by groups {self.groups}"
            raise LayerError(msg)
        if isinstance(self.padding, str):  # "same"
            height, width = (same_output_size(n, self.stride) for n in (shape.height, shape.width))
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
        """
        extent = window_extent(self.kernel_size, self.dilation)
        return (self._axis_window(shape.height, extent), self._axis_window(shape.width, extent))

    def _axis_window(self, size: int, extent: int) -> Window:
        if isinstance(self.padding, int):
            return Window(extent=extent, stride=self.stride, padding=self.padding)
        total = max((same_output_size(size, self.stride) - 1) * self.stride + extent - size, 0)
        return Window(extent=extent, stride=self.stride, padding=total // 2)

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return ``((k, k, in / groups), (out,))``: one k x k x in/g filter per output map.

        Examples:
            >>> Conv2d(64, 3, padding=1).weight_factors(Shape(3, 224, 224))
            ((3, 3, 3), (64,))
        """
        per_filter = (self.kernel_size, self.kernel_size, shape.channels // self.groups)
        return (per_filter, (self.out_channels,))

    def weights(self, shape: Shape) -> int:
        """Return ``k * k * (in / groups) * out``.

        Examples:
            >>> Conv2d(256, 3).weights(Shape(256, 56, 56))
            589824
        """
        return self.kernel_size**2 * (shape.channels // self.groups) * self.out_channels

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
        out = self.output_shape(shape)
        return out.numel * self.kernel_size**2 * (shape.channels // self.groups)

    def __str__(self) -> str:
        options = [f"s{self.stride}"] if self.stride != 1 else []
        if self.padding == "same":
            options.append("same")
        elif self.padding != preserving_padding(self.kernel_size, self.dilation):
            options.append(f"p{self.padding}")
        options += [f"d{self.dilation}"] if self.dilation != 1 else []
        options += [f"g{self.groups}"] if self.groups != 1 else []
        options += [] if self.bias else ["nobias"]
        return "/".join([f"conv{self.kernel_size}-{self.out_channels}", *options])
