"""Interpolation: a map resized to a new height and width, without parameters."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Layer, Pair, pair_text, require_pair
from cnncount.shapes import Shape

__all__ = ["MODES", "Interpolate"]

MODES = ("nearest", "bilinear", "bicubic")
"""The ways of interpolating that :class:`Interpolate` counts, each without a parameter or a
multiply-accumulate in ``flop_counter``'s terms (it counts none for ``upsample_*``)."""


@dataclass(frozen=True, slots=True, init=False)
class Interpolate(Layer):
    """Resize each map by a whole ``scale`` per axis or to a fixed ``size`` (``nn.Upsample``,
    ``F.interpolate``): the channels kept, no parameters, no buffers and no multiply-accumulates.

    The output is ``(H s_h) x (W s_w)`` for a scale and ``h x w`` for a size. Its backward pass
    spreads each gradient back over the input pixels it came from, which needs only the sizes:
    nothing is saved.

    Examples:
        >>> up = Interpolate(scale=2)
        >>> up.output_shape(Shape(64, 14, 14)), up.params(Shape(64, 14, 14)), str(up)
        (Shape(64, 28, 28), 0, 'upsample2')
        >>> Interpolate(size=(7, 9), mode="bilinear").output_shape(Shape(8, 14, 14))
        Shape(8, 7, 9)
        >>> str(Interpolate(size=7, mode="bilinear"))
        'resize7/bilinear'
        >>> Interpolate(scale=2, mode="area")
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: interpolation mode must be one of nearest, bilinear, bicubic, got 'area'
    """

    kind = "interpolate"
    category = "reshape"

    scale: Pair | None
    size: Pair | None
    mode: str

    def __init__(
        self,
        scale: int | Pair | None = None,
        size: int | Pair | None = None,
        mode: str = "nearest",
    ) -> None:
        if (scale is None) == (size is None):
            raise LayerError(f"give a scale or a size to interpolate to, got {scale=} {size=}")
        if mode not in MODES:
            raise LayerError(f"interpolation mode must be one of {', '.join(MODES)}, got {mode!r}")
        object.__setattr__(self, "scale", None if scale is None else require_pair("scale", scale))
        object.__setattr__(self, "size", None if size is None else require_pair("size", size))
        object.__setattr__(self, "mode", mode)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the maps resized: ``(H s_h) x (W s_w)``, or the fixed size.

        Examples:
            >>> Interpolate(scale=(1, 2)).output_shape(Shape(3, 5, 5))
            Shape(3, 5, 10)
        """
        if self.size is not None:
            return Shape(shape.channels, *self.size)
        assert self.scale is not None  # one of the two, as __init__ checks
        return Shape(shape.channels, shape.height * self.scale[0], shape.width * self.scale[1])

    def __str__(self) -> str:
        head = (
            f"resize{pair_text(self.size)}"
            if self.size
            else f"upsample{pair_text(self.scale or (1, 1))}"
        )
        return head + ("" if self.mode == "nearest" else f"/{self.mode}")
