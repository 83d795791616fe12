"""Two-dimensional convolution and transposed convolution, their input channels taken from the
shape they are given.

Kernels, strides, paddings and dilations may differ between the height and the width (Inception-v3's
1x7 and 7x1 kernels): each is given as one number for both axes or as a (height, width) pair, and
kept as a pair.
"""

from __future__ import annotations

from cnncount.errors import LayerError
from cnncount.layers.base import (
    Layer,
    Pair,
    WeightFactors,
    pair_text,
    require_pair,
    require_positive,
    sliding_window_shape,
)
from cnncount.layers.windows import Window, preserving_padding, same_output_size, window_extent
from cnncount.shapes import Shape

__all__ = ["Conv2d", "ConvTranspose2d"]


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

    __slots__ = ("out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias")
    kind = "conv"
    category = "convolution"

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
        self._set(
            out_channels=out_channels,
            kernel_size=kernel,
            stride=strides,
            padding=paddings,
            dilation=dilations,
            groups=groups,
            bias=bias,
        )

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
        _check_groups(shape.channels, self.groups)
        if isinstance(self.padding, str):  # "same"
            height, width = (
                same_output_size(size, stride)
                for size, stride in zip((shape.height, shape.width), self.stride)
            )
            return Shape(self.out_channels, height, width)
        return sliding_window_shape(
            shape, self.out_channels, self.kernel_size, self.stride, self.padding, self.dilation
        )

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


class ConvTranspose2d(Layer):
    """A transposed convolution to ``out_channels`` maps: it spreads each input pixel over a
    kh x kw patch of the output, ``stride`` pixels apart, and so enlarges the map (a decoder's
    upsampling).

    Along each axis the output has ``(n - 1)s - 2p + d(k - 1) + output_padding + 1`` pixels;
    ``output_padding`` (less than the stride or the dilation) adds pixels on one side only, and
    ``padding`` (default 0, as in PyTorch) takes them away from both. The weights are
    ``in x (out / groups) x kh x kw``, as for a convolution from ``out`` to ``in``.

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

    __slots__ = (
        "out_channels",
        "kernel_size",
        "stride",
        "padding",
        "output_padding",
        "dilation",
        "groups",
        "bias",
    )
    kind = "convt"
    category = "convolution"

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
        self._set(
            out_channels=out_channels,
            kernel_size=require_pair("kernel_size", kernel_size),
            stride=strides,
            padding=require_pair("padding", padding, least=0),
            output_padding=extra,
            dilation=dilations,
            groups=groups,
            bias=bias,
        )

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
        _check_groups(shape.channels, self.groups)
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

    def __str__(self) -> str:
        options = [f"s{pair_text(self.stride)}"] if self.stride != (1, 1) else []
        options += [f"p{pair_text(self.padding)}"] if self.padding != (0, 0) else []
        options += [f"op{pair_text(self.output_padding)}"] if self.output_padding != (0, 0) else []
        options += [f"d{pair_text(self.dilation)}"] if self.dilation != (1, 1) else []
        options += [f"g{self.groups}"] if self.groups != 1 else []
        options += [] if self.bias else ["nobias"]
        return "/".join([f"convt{pair_text(self.kernel_size)}-{self.out_channels}", *options])


def _check_groups(channels: int, groups: int) -> None:
    if channels % groups:
        raise LayerError(f"input channels {channels} not divisible by groups {groups}")
