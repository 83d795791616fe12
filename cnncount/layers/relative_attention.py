"""Self-attention within groups of tokens with a learned bias for each relative position, as
MaxViT (Tu et al., 2022) attends within windows and across a grid, with torchvision's
``RelativePositionalMultiHeadAttention`` as the reference.

Its input is a map already cut into groups (see :mod:`cnncount.layers.partition`): D x G x P,
G groups of P tokens of D values, one group to a row. The tokens of a group come from a
``s x s`` square of positions, ``P = s²``, and attend to one another only.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Layer, Saves, require_positive
from cnncount.layers.window_attention import bias_table_size
from cnncount.shapes import Shape

__all__ = ["RelativeAttention"]


@dataclass(frozen=True, slots=True, init=False)
class RelativeAttention(Layer):
    """Multi-head self-attention within each row of a D x G x P input, the P = ``size`` x ``size`` tokens
    of a ``size x size`` window or grid cell, with ``heads`` heads and a learned bias per head
    for each of the ``(2 size - 1)²`` relative positions.

    Its weights are the qkv projection's 3 D² (``to_qkv``), the output projection's D²
    (``merge``) and the bias table's ``(2 s - 1)² heads``; its biases, 4 D; its buffer, the table's
    row for each of the P² pairs of tokens. Over the T = G P tokens the multiply-accumulates are

    - projections: 3 T D² and T D²;
    - Q Kᵀ and A V: T P D each;

    so ``4 T D² + 2 T P D``, as :class:`~cnncount.layers.window_attention.WindowAttention`'s.

    Examples:
        >>> attention, groups = RelativeAttention(2, 7), Shape(64, 64, 49)  # MaxViT-T, stage 1
        >>> attention.weights(groups), attention.biases(groups), attention.buffers(groups)
        (16722, 256, 2401)
        >>> attention.macs(groups)  # 4 * 3136 * 64**2 + 2 * 3136 * 49 * 64
        71049216
        >>> attention.output_shape(groups), str(attention)
        (Shape(64, 64, 49), 'relmsa2-7')
        >>> attention.output_shape(Shape(64, 56, 56))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: relative attention over 7x7 windows reads groups of 49 tokens (D x G x 49), got 64x56x56
    """

    kind = "relativeattention"
    category = "attention"
    autocast = "lower"

    heads: int
    size: int

    def __init__(self, heads: int, size: int) -> None:
        require_positive(heads=heads, size=size)
        object.__setattr__(self, "heads", heads)
        object.__setattr__(self, "size", size)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input's shape, once it is groups of ``size`` x ``size`` tokens whose D values split
        into the heads.

        Examples:
            >>> RelativeAttention(3, 4).output_shape(Shape(64, 5, 16))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: embedding dimension 64 not divisible by 3 heads
        """
        tokens = self.size**2
        if shape.width != tokens:
            msg = (
                f"relative attention over {self.size}x{self.size} windows reads groups of "
                f"{tokens} tokens (D x G x {tokens}), got {shape}"
            )
            raise LayerError(msg)
        if shape.channels % self.heads:
            msg = f"embedding dimension {shape.channels} not divisible by {self.heads} heads"
            raise LayerError(msg)
        return shape

    def weights(self, shape: Shape) -> int:
        """Return ``4 D² + (2 s - 1)² heads``.

        Examples:
            >>> RelativeAttention(3, 4).weights(Shape(96, 5, 16))  # 4 * 96**2 + 49 * 3
            37011
        """
        return 4 * shape.channels**2 + bias_table_size((self.size, self.size)) * self.heads

    def biases(self, shape: Shape) -> int:
        """Return ``4 D``: the queries', keys', values' and output's.

        Examples:
            >>> RelativeAttention(3, 4).biases(Shape(96, 5, 16))
            384
        """
        return 4 * shape.channels

    def buffers(self, shape: Shape) -> int:
        """Return ``P²``: the bias table's row for each pair of tokens of a group.

        Examples:
            >>> RelativeAttention(3, 4).buffers(Shape(96, 5, 16))
            256
        """
        return self.size**4

    def macs(self, shape: Shape) -> int:
        """Return ``4 T D² + 2 T P D``, over the T = G P tokens.

        Examples:
            >>> RelativeAttention(3, 4).macs(Shape(96, 5, 16))  # T = 80
            3194880
        """
        dim = self.output_shape(shape).channels
        tokens = shape.height * shape.width
        return 4 * tokens * dim**2 + 2 * tokens * shape.width * dim

    def saves(self, shape: Shape) -> Saves:
        """Return what autograd keeps: the input, which the qkv projection reads; the queries,
        the scaled keys and the values, copied for the batched products, and the heads' joined
        output, ``4 T D``; and the soft-max's output, ``heads T P``.

        Examples:
            >>> saved = RelativeAttention(2, 7).saves(Shape(64, 16, 49))
            >>> saved.input, saved.values == 4 * 784 * 64 + 2 * 784 * 49
            (True, True)
        """
        tokens = shape.height * shape.width
        return Saves(
            input=True, values=4 * tokens * shape.channels + self.heads * tokens * shape.width
        )

    def __str__(self) -> str:
        return f"relmsa{self.heads}-{self.size}"
