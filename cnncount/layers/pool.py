"""Max, average and adaptive average pooling: no parameters, only a change of resolution."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import (
    INPUT_SAVED,
    NOTHING_SAVED,
    Layer,
    Saves,
    require_positive,
    sliding_window_shape,
)
from cnncount.layers.windows import Window
from cnncount.shapes import Shape

__all__ = ["INDEX_BYTES", "AdaptiveAvgPool2d", "AvgPool2d", "MaxPool2d"]

INDEX_BYTES = 8
"""Bytes of one max-pooling index (int64), whatever the data type of the values."""


@dataclass(frozen=True, slots=True, init=False)
class _Pool2d(Layer):
    """A square pooling window; the stride defaults to the kernel, as in PyTorch."""

    category = "pooling"
    token = ""

    kernel_size: int
    stride: int
    padding: int
    ceil_mode: bool

    def __init__(
        self,
        kernel_size: int = 2,
        stride: int | None = None,
        padding: int = 0,
        ceil_mode: bool = False,
    ) -> None:
        stride = kernel_size if stride is None else stride
        require_positive(kernel_size=kernel_size, stride=stride)
        if not isinstance(padding, int) or not 0 <= 2 * padding <= kernel_size:
            msg = f"padding must be from 0 to half the kernel {kernel_size}, got {padding!r}"
            raise LayerError(msg)
        object.__setattr__(self, "kernel_size", kernel_size)
        object.__setattr__(self, "stride", stride)
        object.__setattr__(self, "padding", padding)
        object.__setattr__(self, "ceil_mode", ceil_mode)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the pooled shape: the channels kept, each axis slid over by the window.

        Examples:
            >>> MaxPool2d().output_shape(Shape(64, 224, 224))
            Shape(64, 112, 112)
            >>> MaxPool2d(3, stride=2, ceil_mode=True).output_shape(Shape(96, 55, 55))
            Shape(96, 27, 27)
            >>> MaxPool2d().output_shape(Shape(512, 1, 1))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: kernel 2 with padding 0 does not fit input 1x1
        """
        return sliding_window_shape(
            shape,
            shape.channels,
            self.kernel_size,
            self.stride,
            self.padding,
            ceil_mode=self.ceil_mode,
        )

    def saves(self, shape: Shape) -> Saves:
        """Return its input, which the gradient is spread back over.

        Examples:
            >>> AvgPool2d(2).saves(Shape(64, 8, 8)).input
            True
        """
        return INPUT_SAVED

    def window(self, shape: Shape) -> tuple[Window, Window]:
        """Return the pooling window along each axis; ceil mode adds a last window but changes none
        of its sizes.

        Examples:
            >>> MaxPool2d(3, stride=2, padding=1).window(Shape(64, 112, 112))[0]
            Window(extent=3, stride=2, padding=1)
        """
        window = Window(extent=self.kernel_size, stride=self.stride, padding=self.padding)
        return window, window

    def __str__(self) -> str:
        options = [] if self.stride == self.kernel_size else [f"s{self.stride}"]
        options += [f"p{self.padding}"] if self.padding else []
        options += ["ceil"] if self.ceil_mode else []
        kernel = "" if self.kernel_size == 2 else str(self.kernel_size)
        return "/".join([f"{self.token}{kernel}", *options])


@dataclass(frozen=True, slots=True, init=False)
class MaxPool2d(_Pool2d):
    """Max pooling; the default is the VGG paper's 2x2 window at stride 2.

    Examples:
        >>> MaxPool2d()
        MaxPool2d(kernel_size=2, stride=2, padding=0, ceil_mode=False)
        >>> str(MaxPool2d()), str(MaxPool2d(3, stride=2, padding=1))
        ('maxpool', 'maxpool3/s2/p1')
        >>> MaxPool2d(3, padding=2)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: padding must be from 0 to half the kernel 3, got 2
    """

    kind = "maxpool"
    token = "maxpool"

    def saves(self, shape: Shape) -> Saves:
        """Return its input and where each maximum was: an int64 index per output value.

        Examples:
            >>> MaxPool2d().saves(Shape(64, 224, 224)).other_bytes == 8 * 64 * 112 * 112
            True
        """
        return Saves(input=True, other_bytes=self.transient_bytes(shape))

    def transient_bytes(self, shape: Shape) -> int:
        """Return its indices, which PyTorch allocates in inference too.

        Examples:
            >>> MaxPool2d().transient_bytes(Shape(64, 224, 224)) == 8 * 64 * 112 * 112
            True
        """
        return INDEX_BYTES * self.output_shape(shape).numel


@dataclass(frozen=True, slots=True, init=False)
class AvgPool2d(_Pool2d):
    """Average pooling (zero padding counted in the average, as PyTorch's default).

    Examples:
        >>> AvgPool2d(7, stride=1).output_shape(Shape(1024, 7, 7))
        Shape(1024, 1, 1)
        >>> str(AvgPool2d(7, stride=1))
        'avgpool7/s1'
    """

    kind = "avgpool"
    token = "avgpool"


@dataclass(frozen=True, slots=True, init=False)
class AdaptiveAvgPool2d(Layer):
    """Average pooling to a fixed ``height`` x ``width``, whatever the input size.

    Examples:
        >>> AdaptiveAvgPool2d(7).output_shape(Shape(512, 14, 14))
        Shape(512, 7, 7)
        >>> str(AdaptiveAvgPool2d(1)), str(AdaptiveAvgPool2d(6, 4))
        ('gap', 'adaptiveavgpool6x4')
    """

    kind = "adaptiveavgpool"
    category = "pooling"

    height: int
    width: int

    def __init__(self, height: int, width: int | None = None) -> None:
        width = height if width is None else width
        require_positive(height=height, width=width)
        object.__setattr__(self, "height", height)
        object.__setattr__(self, "width", width)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input's channels at the fixed resolution.

        Examples:
            >>> AdaptiveAvgPool2d(1).output_shape(Shape(2048, 7, 7))
            Shape(2048, 1, 1)
        """
        return Shape(shape.channels, self.height, self.width)

    def saves(self, shape: Shape) -> Saves:
        """Return its input, except when it pools to one value a channel: PyTorch then takes the
        mean, whose gradient needs only the input's size.

        Examples:
            >>> AdaptiveAvgPool2d(7).saves(Shape(512, 14, 14)).input, AdaptiveAvgPool2d(1).saves(Shape(512, 7, 7)).input
            (True, False)
        """
        return NOTHING_SAVED if (self.height, self.width) == (1, 1) else INPUT_SAVED

    def window(self, shape: Shape) -> tuple[Window, Window] | None:
        """Return, along each axis, a window of ``input / output`` pixels at that stride, or None
        where the output keeps the input's size.

        Where the input is not a multiple of the output the windows vary; the largest window and
        the rounded-down stride stand for them.

        Examples:
            >>> AdaptiveAvgPool2d(7).window(Shape(512, 14, 14))[0]
            Window(extent=2, stride=2, padding=0)
            >>> AdaptiveAvgPool2d(7).window(Shape(512, 7, 7)) is None
            True
        """
        if (shape.height, shape.width) == (self.height, self.width):
            return None
        return _adaptive_window(shape.height, self.height), _adaptive_window(
            shape.width, self.width
        )

    def __str__(self) -> str:
        if (self.height, self.width) == (1, 1):
            return "gap"
        size = self.height if self.height == self.width else f"{self.height}x{self.width}"
        return f"adaptiveavgpool{size}"


def _adaptive_window(size: int, out: int) -> Window:
    largest = max(-(-(i + 1) * size // out) - i * size // out for i in range(out))
    return Window(extent=largest, stride=max(size // out, 1), padding=0)
