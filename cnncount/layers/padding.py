"""Zero padding, each side its own width: a layer that only enlarges the map."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Layer
from cnncount.layers.windows import Window
from cnncount.shapes import Shape

__all__ = ["ZeroPad2d"]


@dataclass(frozen=True, slots=True, init=False)
class ZeroPad2d(Layer):
    """Rows and columns of zeros added around the map: ``top`` and ``bottom`` rows, ``left`` and
    ``right`` columns. It learns and computes nothing.

    Examples:
        >>> pad = ZeroPad2d(0, 1, 0, 1)  # TensorFlow's "same" padding before a stride-2 layer
        >>> pad.output_shape(Shape(32, 112, 112)), pad.params(Shape(32, 112, 112))
        (Shape(32, 113, 113), 0)
        >>> str(pad), str(ZeroPad2d(3, 3, 3, 3))
        ('pad0x1x0x1', 'pad3')
        >>> ZeroPad2d(1, -1, 0, 0)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: padding must be at least 0 on every side, got top 1, bottom -1, left 0, right 0
    """

    kind = "pad"
    category = "reshape"

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
        """Return the map with the rows and columns added.

        Examples:
            >>> ZeroPad2d(1, 2, 3, 4).output_shape(Shape(8, 10, 10))
            Shape(8, 13, 17)
        """
        return Shape(
            shape.channels,
            shape.height + self.top + self.bottom,
            shape.width + self.left + self.right,
        )

    def window(self, shape: Shape) -> tuple[Window, Window]:
        """Return a one-pixel window at stride 1, padded by the top rows and the left columns.

        Examples:
            >>> ZeroPad2d(0, 1, 2, 1).window(Shape(8, 10, 10))
            (Window(extent=1, stride=1, padding=0), Window(extent=1, stride=1, padding=2))
        """
        return (
            Window(extent=1, stride=1, padding=self.top),
            Window(extent=1, stride=1, padding=self.left),
        )

    def __str__(self) -> str:
        sides = (self.top, self.bottom, self.left, self.right)
        if len(set(sides)) == 1:
            return f"pad{self.top}"
        return "pad" + "x".join(map(str, sides))
