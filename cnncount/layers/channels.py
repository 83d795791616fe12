"""Layers that rearrange channels without computing anything: a chunk of them, and a shuffle."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Layer, require_positive
from cnncount.shapes import Shape

__all__ = ["ChannelChunk", "ChannelShuffle"]


@dataclass(frozen=True, slots=True, init=False)
class ChannelChunk(Layer):
    """One of ``chunks`` slices of the channels, as PyTorch's ``x.chunk(chunks, dim=1)`` cuts
    them: every slice holds ``ceil(C / chunks)`` channels but the last, which holds the rest.

    ``index`` counts from 0. ShuffleNetV2 sends one half of the channels through a branch and
    passes the other half by: ``ChannelChunk(2, 0)`` and ``ChannelChunk(2, 1)``. A slice is a view
    of its input.

    Examples:
        >>> ChannelChunk(2, 1).output_shape(Shape(116, 28, 28)), str(ChannelChunk(2, 1))
        (Shape(58, 28, 28), 'chunk2of2')
        >>> ChannelChunk(3, 2).output_shape(Shape(8, 4, 4))  # slices of 3, 3 and 2 channels
        Shape(2, 4, 4)
        >>> ChannelChunk(2, 2)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: chunk index 2 must be below the 2 chunks
    """

    kind = "chunk"
    category = "reshape"
    in_place = True  # a view of its input

    chunks: int
    index: int

    def __init__(self, chunks: int, index: int) -> None:
        require_positive(chunks=chunks)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < chunks:
            raise LayerError(f"chunk index {index!r} must be below the {chunks} chunks")
        object.__setattr__(self, "chunks", chunks)
        object.__setattr__(self, "index", index)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the slice's channels at the input's resolution.

        Examples:
            >>> ChannelChunk(4, 3).output_shape(Shape(3, 4, 4))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: 3 channels make only 3 chunks of 1, so there is no chunk 4 of 4
        """
        size = -(-shape.channels // self.chunks)
        channels = min(size, shape.channels - self.index * size)
        if channels < 1:
            made = -(-shape.channels // size)
            msg = (
                f"{shape.channels} channels make only {made} chunks of {size}, so there is no "
                f"chunk {self.index + 1} of {self.chunks}"
            )
            raise LayerError(msg)
        return Shape(channels, shape.height, shape.width)

    def __str__(self) -> str:
        return f"chunk{self.index + 1}of{self.chunks}"


@dataclass(frozen=True, slots=True, init=False)
class ChannelShuffle(Layer):
    """ShuffleNet's channel shuffle: the channels, seen as ``groups`` rows, read column by column,
    so that the next grouped layer mixes the groups.

    PyTorch writes it as a view, a transpose and a ``contiguous`` copy: a new tensor of the same
    shape, nothing learned, nothing multiplied.

    Examples:
        >>> ChannelShuffle(2).output_shape(Shape(116, 28, 28)), str(ChannelShuffle(2))
        (Shape(116, 28, 28), 'shuffle2')
        >>> ChannelShuffle(3).output_shape(Shape(116, 28, 28))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: input channels 116 not divisible by groups 3
    """

    kind = "shuffle"
    category = "reshape"

    groups: int

    def __init__(self, groups: int) -> None:
        require_positive(groups=groups)
        object.__setattr__(self, "groups", groups)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input's shape, once its channels divide into the groups.

        Examples:
            >>> ChannelShuffle(4).output_shape(Shape(8, 7, 7))
            Shape(8, 7, 7)
        """
        if shape.channels % self.groups:
            msg = f"input channels {shape.channels} not divisible by groups {self.groups}"
            raise LayerError(msg)
        return shape

    def __str__(self) -> str:
        return f"shuffle{self.groups}"
