"""Layers that rearrange a map into groups of tokens and back, computing nothing: Swin's patch
merging gathers 2 x 2 neighbours into the channels, MaxViT cuts the map into windows or a grid.

A map cut into G groups of P tokens is written D x G x P, one group to a row, as a sequence of
tokens is written D x 1 x N (see :mod:`cnncount.layers.tokens`).
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Layer, require_positive
from cnncount.layers.windows import Window
from cnncount.shapes import Shape

__all__ = ["SpaceToDepth", "SwapAxes", "WindowDepartition", "WindowPartition"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SpaceToDepth(Layer):
    """Gather each 2 x 2 square of positions into the channels, as Swin's patch merging does
    before its norm and linear layer (torchvision's ``_patch_merging_pad``): C x H x W becomes
    4C x ceil(H/2) x ceil(W/2), an odd side padded with a row or column of zeros first.

    The four positions are sliced and concatenated: a new tensor, nothing learned, nothing
    multiplied, and nothing kept for the backward pass.

    Examples:
        >>> SpaceToDepth().output_shape(Shape(96, 56, 56)), SpaceToDepth().output_shape(Shape(32, 5, 8))
        (Shape(384, 28, 28), Shape(128, 3, 4))
        >>> str(SpaceToDepth()), SpaceToDepth().window(Shape(96, 56, 56))[0]
        ('s2d', Window(extent=2, stride=2, padding=0))
    """

    kind = "spacetodepth"
    category = "reshape"

    def output_shape(self, shape: Shape) -> Shape:
        """Return four times the channels at half the resolution, rounded up.

        Examples:
            >>> SpaceToDepth().output_shape(Shape(8, 1, 1))
            Shape(32, 1, 1)
        """
        return Shape(4 * shape.channels, -(-shape.height // 2), -(-shape.width // 2))

    def window(self, shape: Shape) -> tuple[Window, Window]:
        """Return the 2 x 2 square along each axis: 2 pixels, 2 apart.

        Examples:
            >>> SpaceToDepth().window(Shape(8, 4, 4))[1]
            Window(extent=2, stride=2, padding=0)
        """
        square = Window(extent=2, stride=2, padding=0)
        return square, square

    def __str__(self) -> str:
        return "s2d"


@dataclass(frozen=True, slots=True, init=False)
class WindowPartition(Layer):
    """Cut a C x H x W map into ``size x size`` windows, each a row of ``size`` x ``size`` tokens:
    C x (H/s)(W/s) x s² (torchvision's MaxViT ``WindowPartition``, a reshape of a permuted view,
    so a copy).

    MaxViT's grid attention cuts the map into ``H/g x W/g`` cells with ``size`` = H/g and swaps
    the two axes (:class:`SwapAxes`), so that each row holds the g² positions, ``H/g`` apart,
    that one grid cell's attention joins.

    Receptive fields are followed along a map's rows and columns, which a partition rearranges:
    past it cnncount reports the whole input, an upper bound.

    Examples:
        >>> WindowPartition(7).output_shape(Shape(64, 56, 56)), str(WindowPartition(7))
        (Shape(64, 64, 49), 'partition7')
        >>> WindowPartition(7).output_shape(Shape(64, 30, 28))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: a 30x28 map does not cut into 7x7 windows
    """

    kind = "partition"
    category = "reshape"
    sees_whole_input = True  # see the docstring: the fields are not followed through it

    size: int

    def __init__(self, size: int) -> None:
        require_positive(size=size)
        object.__setattr__(self, "size", size)

    def output_shape(self, shape: Shape) -> Shape:
        """Return one row of ``size`` x ``size`` tokens for each window.

        Examples:
            >>> WindowPartition(8).output_shape(Shape(64, 56, 56))
            Shape(64, 49, 64)
        """
        size = self.size
        if shape.height % size or shape.width % size:
            msg = f"a {shape.height}x{shape.width} map does not cut into {size}x{size} windows"
            raise LayerError(msg)
        return Shape(shape.channels, (shape.height // size) * (shape.width // size), size**2)

    def __str__(self) -> str:
        return f"partition{self.size}"


@dataclass(frozen=True, slots=True, init=False)
class WindowDepartition(Layer):
    """Put ``size x size`` windows back into a map of ``rows`` windows down: C x G x s² becomes
    C x (rows s) x (G/rows s), undoing :class:`WindowPartition` (a copy).

    Examples:
        >>> WindowDepartition(7, 8).output_shape(Shape(64, 64, 49)), str(WindowDepartition(7, 8))
        (Shape(64, 56, 56), 'departition7/rows8')
        >>> WindowDepartition(7, 3).output_shape(Shape(64, 64, 49))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: 64 windows of 7x7 do not make 3 rows of windows
    """

    kind = "departition"
    category = "reshape"

    size: int
    rows: int

    def __init__(self, size: int, rows: int) -> None:
        require_positive(size=size, rows=rows)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "rows", rows)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the map the windows make, ``rows`` windows down.

        Examples:
            >>> WindowDepartition(2, 1).output_shape(Shape(8, 3, 5))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: a row of 5 tokens is not a 2x2 window
        """
        size = self.size
        if shape.width != size**2:
            raise LayerError(f"a row of {shape.width} tokens is not a {size}x{size} window")
        if shape.height % self.rows:
            msg = f"{shape.height} windows of {size}x{size} do not make {self.rows} rows of windows"
            raise LayerError(msg)
        return Shape(shape.channels, self.rows * size, shape.height // self.rows * size)

    def __str__(self) -> str:
        return f"departition{self.size}/rows{self.rows}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SwapAxes(Layer):
    """Swap the rows and the columns of a C x A x B input: C x B x A (``torch.swapaxes``, a view),
    as MaxViT turns windows into grid cells.

    Examples:
        >>> SwapAxes().output_shape(Shape(64, 49, 64)), str(SwapAxes()), SwapAxes().in_place
        (Shape(64, 64, 49), 'swapaxes', True)
    """

    kind = "swapaxes"
    category = "reshape"
    in_place = True  # a view of its input

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input with its two axes swapped.

        Examples:
            >>> SwapAxes().output_shape(Shape(3, 1, 5))
            Shape(3, 5, 1)
        """
        return Shape(shape.channels, shape.width, shape.height)

    def __str__(self) -> str:
        return "swapaxes"
