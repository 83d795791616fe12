"""Layers where branches meet: residual addition, channel concatenation, and the product of a
gate and a map (squeeze-and-excitation)."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import INPUT_SAVED, Layer, Saves
from cnncount.shapes import Shape

__all__ = ["Add", "Concat", "Merge", "Multiply"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Merge(Layer):
    """A layer that reads two or more branches; :meth:`output_shape_of` checks that they fit.

    A subclass says when two branches fit (``_fits``), what it makes of them (``_combine``),
    and what the error calls a misfit (``_misfit``).

    Examples:
        >>> isinstance(Add(), Merge), Add().params(Shape(8, 4, 4))
        (True, 0)
    """

    category = "merge"
    _misfit = ""

    def output_shape_of(self, shapes: list[Shape], branches: list[str]) -> Shape:
        """Return the output shape of the branches called ``branches``, of ``shapes``; the
        error for branches that do not fit names the first and one that differs.

        Examples:
            >>> Concat().output_shape_of([Shape(16, 7, 7), Shape(16, 7, 7)], ["left", "right"])
            Shape(32, 7, 7)
        """
        for branch, shape in zip(branches, shapes):
            if not self._fits(shapes[0], shape):
                msg = f"{self._misfit}: branch {branches[0]!r} gives {shapes[0]} but branch {branch!r} gives {shape}"
                raise LayerError(msg)
        return self._combine(shapes)

    def _fits(self, first: Shape, other: Shape) -> bool:
        raise NotImplementedError

    def _combine(self, shapes: list[Shape]) -> Shape:
        raise NotImplementedError


@dataclass(frozen=True, slots=True, init=False)
class Add(Merge):
    """Element-wise addition of branches of one shape: a residual connection.

    Examples:
        >>> Add(), Add(in_place=True).in_place
        (Add(in_place=False), True)
        >>> Add().output_shape_of([Shape(64, 56, 56), Shape(64, 56, 56)], ["conv2", "input"])
        Shape(64, 56, 56)
        >>> Add().output_shape_of([Shape(128, 28, 28), Shape(64, 56, 56)], ["bn2", "maxpool"])
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: cannot add branches of different shapes: branch 'bn2' gives 128x28x28 but branch 'maxpool' gives 64x56x56
    """

    kind = "add"
    _misfit = "cannot add branches of different shapes"

    in_place: bool
    """Whether the sum is written into the first branch's tensor, as ``out += identity`` does in
    torchvision's ResNet; ``x + f(x)`` (MobileNetV2) makes a new tensor."""

    def __init__(self, in_place: bool = False) -> None:
        object.__setattr__(self, "in_place", in_place)

    def _fits(self, first: Shape, other: Shape) -> bool:
        return first == other

    def _combine(self, shapes: list[Shape]) -> Shape:
        return shapes[0]

    def __str__(self) -> str:
        return "add"


@dataclass(frozen=True, slots=True, kw_only=True)
class Concat(Merge):
    """Concatenation of branches along the channels; their heights and widths must agree.

    Examples:
        >>> Concat().output_shape_of([Shape(64, 28, 28), Shape(128, 28, 28), Shape(32, 28, 28)], ["b1", "b2", "b3"])
        Shape(224, 28, 28)
        >>> Concat().output_shape_of([Shape(64, 28, 28), Shape(64, 14, 14)], ["b1", "b2"])
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: cannot concatenate maps of different sizes: branch 'b1' gives 64x28x28 but branch 'b2' gives 64x14x14
    """

    kind = "concat"
    _misfit = "cannot concatenate maps of different sizes"

    def _fits(self, first: Shape, other: Shape) -> bool:
        return (first.height, first.width) == (other.height, other.width)

    def _combine(self, shapes: list[Shape]) -> Shape:
        return Shape(sum(shape.channels for shape in shapes), shapes[0].height, shapes[0].width)

    def __str__(self) -> str:
        return "concat"


@dataclass(frozen=True, slots=True, kw_only=True)
class Multiply(Merge):
    """The element-wise product of branches, broadcast as PyTorch broadcasts: a branch of size 1
    along an axis is repeated along it.

    Squeeze-and-excitation is its use: a C x 1 x 1 gate, computed from the map by global pooling,
    two 1 x 1 convolutions and a sigmoid, times the C x H x W map, channel by channel. It learns
    nothing, and ``flop_counter`` counts no element-wise product, so it has no
    multiply-accumulates.

    Examples:
        >>> Multiply().output_shape_of([Shape(96, 1, 1), Shape(96, 56, 56)], ["se.sigmoid", "conv"])
        Shape(96, 56, 56)
        >>> Multiply().output_shape_of([Shape(64, 1, 1), Shape(96, 56, 56)], ["se.sigmoid", "conv"])
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: cannot multiply branches whose sizes differ other than by 1: branch 'se.sigmoid' gives 64x1x1 but branch 'conv' gives 96x56x56
    """

    kind = "mul"
    _misfit = "cannot multiply branches whose sizes differ other than by 1"

    def output_shape_of(self, shapes: list[Shape], branches: list[str]) -> Shape:
        """Return the broadcast shape: along each axis the size other than 1, where all such
        sizes agree; the error names the first branch of one size and a branch of another.

        Examples:
            >>> Multiply().output_shape_of([Shape(8, 1, 5), Shape(8, 4, 1)], ["a", "b"])
            Shape(8, 4, 5)
        """
        sizes = []
        for axis in range(3):
            size, owner = 1, 0
            for index, shape in enumerate(shapes):
                value = shape.as_list()[axis]
                if value != 1 and size == 1:
                    size, owner = value, index
                elif value not in (1, size):
                    msg = (
                        f"{self._misfit}: branch {branches[owner]!r} gives {shapes[owner]} "
                        f"but branch {branches[index]!r} gives {shape}"
                    )
                    raise LayerError(msg)
            sizes.append(size)
        return Shape(*sizes)

    def saves(self, shape: Shape) -> Saves:
        """Return its inputs: each factor's gradient needs the other.

        Examples:
            >>> Multiply().saves(Shape(96, 56, 56)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return "mul"
