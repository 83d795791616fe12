"""Padding, side by side: rows and columns added around each map, of zeros, or copied from the
map's edge by reflection or by repetition."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import INPUT_SAVED, Layer, Saves
from cnncount.layers.windows import Window
from cnncount.shapes import Shape

__all__ = ["ReflectionPad2d", "ReplicationPad2d", "ZeroPad2d"]


@dataclass(frozen=True, slots=True, init=False)
class _Pad2d(Layer):
    """Rows and columns added above, below, left and right of each map: no parameters, no
    multiply-accumulates."""

    category = "reshape"
    token = "pad"

    top: int
    bottom: int
    left: int
    right: int

    def __init__(self, top: int, bottom: int, left: int, right: int) -> None:
        sides = {"top": top, "bottom": bottom, "left": left, "right": right}
        if not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in sides.values()
        ):
            given = ", ".join(f"{side} {value!r}" for side, value in sides.items())
            raise LayerError(f"padding must be at least 0 on every side, got {given}")
        for side, value in sides.items():
            object.__setattr__(self, side, value)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the maps grown by the padding: ``H + top + bottom`` by ``W + left + right``.

        Examples:
            >>> ZeroPad2d(3, 3, 3, 3).output_shape(Shape(3, 224, 224))
            Shape(3, 230, 230)
        """
        return Shape(
            shape.channels,
            shape.height + self.top + self.bottom,
            shape.width + self.left + self.right,
        )

    def window(self, shape: Shape) -> tuple[Window, Window]:
        """Return a one-pixel window at stride 1, shifted by the padding above and on the left.

        Examples:
            >>> ZeroPad2d(0, 1, 2, 1).window(Shape(3, 8, 8))
            (Window(extent=1, stride=1, padding=0), Window(extent=1, stride=1, padding=2))
        """
        return (
            Window(extent=1, stride=1, padding=self.top),
            Window(extent=1, stride=1, padding=self.left),
        )

    def __str__(self) -> str:
        sides = (self.top, self.bottom, self.left, self.right)
        if len(set(sides)) == 1:
            return f"{self.token}{self.top}"
        return self.token + "x".join(map(str, sides))


@dataclass(frozen=True, slots=True, init=False)
class ZeroPad2d(_Pad2d):
    """Zeros added above, below, left and right of each map, as Keras's ``ZeroPadding2D`` and
    ONNX's ``Pad`` add them before a strided convolution: no parameters, no multiply-accumulates.

    Examples:
        >>> pad = ZeroPad2d(0, 1, 0, 1)  # MobileNetV2's stem, before a stride-2 convolution
        >>> pad.output_shape(Shape(3, 224, 224)), pad.params(Shape(3, 224, 224))
        (Shape(3, 225, 225), 0)
        >>> str(pad), str(ZeroPad2d(3, 3, 3, 3))
        ('pad0x1x0x1', 'pad3')
        >>> ZeroPad2d(1, -1, 0, 0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: padding must be at least 0 on every side, got top 1, bottom -1, left 0, right 0
    """

    kind = "pad"


@dataclass(frozen=True, slots=True, init=False)
class _CopiedPad2d(_Pad2d):
    """Padding copied from the map's own pixels, whose backward pass keeps the input, as
    PyTorch's reflection and replication pads do (a zero pad keeps nothing); the CPU's autocast
    runs it in float32."""

    autocast = "cpu-float32"

    def saves(self, shape: Shape) -> Saves:
        """Return its input, which the gradient's folding back onto the edge reads.

        Examples:
            >>> ReflectionPad2d(1, 1, 1, 1).saves(Shape(8, 4, 4)).input
            True
            >>> ZeroPad2d(1, 1, 1, 1).saves(Shape(8, 4, 4)).input
            False
        """
        return INPUT_SAVED


@dataclass(frozen=True, slots=True, init=False)
class ReflectionPad2d(_CopiedPad2d):
    """The map mirrored at its edges, the edge itself left out (``nn.ReflectionPad2d``, and a
    convolution's ``padding_mode="reflect"``), as CycleGAN's and style transfer's generators pad
    so that no zeros darken the border. Each side takes fewer pixels than the map has.

    Examples:
        >>> pad = ReflectionPad2d(3, 3, 3, 3)
        >>> pad.output_shape(Shape(3, 256, 256)), pad.params(Shape(3, 256, 256)), str(pad)
        (Shape(3, 262, 262), 0, 'reflectpad3')
        >>> pad.output_shape(Shape(64, 3, 3))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: reflection pads each side with fewer pixels than the map has, got 3 on a 3x3 map
    """

    kind = "reflectpad"
    token = "reflectpad"

    def output_shape(self, shape: Shape) -> Shape:
        """Return the maps grown by the padding, each side less than the map's size.

        Examples:
            >>> ReflectionPad2d(1, 1, 2, 2).output_shape(Shape(8, 4, 4))
            Shape(8, 6, 8)
        """
        widest = max(self.top, self.bottom, self.left, self.right)
        if max(self.top, self.bottom) >= shape.height or max(self.left, self.right) >= shape.width:
            msg = (
                f"reflection pads each side with fewer pixels than the map has, got {widest} "
                f"on a {shape.height}x{shape.width} map"
            )
            raise LayerError(msg)
        return _CopiedPad2d.output_shape(self, shape)


@dataclass(frozen=True, slots=True, init=False)
class ReplicationPad2d(_CopiedPad2d):
    """The map's edge pixels repeated outwards (``nn.ReplicationPad2d``, and a convolution's
    ``padding_mode="replicate"``).

    Examples:
        >>> pad = ReplicationPad2d(0, 2, 1, 1)
        >>> pad.output_shape(Shape(8, 4, 4)), str(pad), str(ReplicationPad2d(1, 1, 1, 1))
        (Shape(8, 6, 6), 'replicatepad0x2x1x1', 'replicatepad1')
    """

    kind = "replicatepad"
    token = "replicatepad"
