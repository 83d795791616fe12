"""Multi-head self-attention over a sequence of tokens (written ``D x 1 x N``, see
:mod:`cnncount.layers.tokens`)."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Layer, Saves, WeightFactors, require_positive
from cnncount.shapes import Shape

__all__ = ["MultiheadAttention"]


@dataclass(frozen=True, slots=True, init=False)
class MultiheadAttention(Layer):
    """Multi-head self-attention with ``heads`` heads, as PyTorch's ``nn.MultiheadAttention``
    computes it on N tokens of D values (the positions of a C x H x W map count as N = H * W
    tokens of D = C values).

    Each token is projected to a query, a key and a value of D values each (the in-projection:
    3D x D weights, 3D biases). Each head takes D / heads of those values, scores every query
    against every key (Q Kᵀ), and averages the values with the soft-max of the scores (A V). The
    heads' outputs, joined, are projected back to D values (the out-projection: D x D weights,
    D biases).

    Per token, the multiply-accumulates are:

    - in-projection: 3 D²;
    - Q Kᵀ: N D (one query against N keys, D / heads values each, in each of the heads);
    - A V: N D (N weights times N values of D / heads, in each head);
    - out-projection: D²;

    so ``4 D² + 2 N D`` per token and ``4 N D² + 2 N² D`` in all. The two matrix products grow
    with the square of the sequence; the scaling and the soft-max are not counted, as
    ``flop_counter`` counts neither.

    Examples:
        >>> attention, tokens = MultiheadAttention(12), Shape(768, 1, 197)  # ViT-B/16
        >>> attention.weights(tokens), attention.biases(tokens), attention.params(tokens)
        (2359296, 3072, 2362368)
        >>> attention.macs(tokens)  # 197 * 4 * 768**2 + 2 * 197**2 * 768
        524391936
        >>> attention.output_shape(tokens), str(attention)
        (Shape(768, 1, 197), 'mha12')
        >>> attention.output_shape(Shape(770, 1, 197))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: embedding dimension 770 not divisible by 12 heads
    """

    kind = "attention"
    category = "attention"
    autocast = "lower"
    sees_whole_input = True

    heads: int
    bias: bool

    def __init__(self, heads: int, bias: bool = True) -> None:
        require_positive(heads=heads)
        object.__setattr__(self, "heads", heads)
        object.__setattr__(self, "bias", bias)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input's shape: one output token per input token.

        Examples:
            >>> MultiheadAttention(8).output_shape(Shape(256, 14, 14))
            Shape(256, 14, 14)
        """
        if shape.channels % self.heads:
            msg = f"embedding dimension {shape.channels} not divisible by {self.heads} heads"
            raise LayerError(msg)
        return shape

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return ``((4, D, D),)``: the query, key, value and output projections, D x D each.

        Examples:
            >>> MultiheadAttention(12).weight_factors(Shape(768, 1, 197))
            ((4, 768, 768),)
        """
        return ((4, shape.channels, shape.channels),)

    def weights(self, shape: Shape) -> int:
        """Return ``4 D²``: 3 D² in the in-projection, D² in the out-projection.

        Examples:
            >>> MultiheadAttention(4).weights(Shape(64, 1, 10))
            16384
        """
        return 4 * shape.channels**2

    def biases(self, shape: Shape) -> int:
        """Return ``4 D``: 3 D in the in-projection, D in the out-projection; none without ``bias``.

        Examples:
            >>> MultiheadAttention(4).biases(Shape(64, 1, 10)), MultiheadAttention(4, bias=False).biases(Shape(64, 1, 10))
            (256, 0)
        """
        return 4 * shape.channels if self.bias else 0

    def macs(self, shape: Shape) -> int:
        """Return ``4 N D² + 2 N² D``: the projections, then Q Kᵀ and A V.

        Examples:
            >>> MultiheadAttention(4).macs(Shape(64, 1, 10))  # 10*4*64**2 + 2*10**2*64
            176640
        """
        dim = self.output_shape(shape).channels
        tokens = shape.height * shape.width
        return 4 * tokens * dim**2 + 2 * tokens**2 * dim

    def saves(self, shape: Shape) -> Saves:
        """Return what PyTorch's attention keeps for its backward pass, for N tokens of D values:
        a copy of its input (the in-projection reads it transposed), the queries, keys and values
        (3 N D), the heads' joined output (N D), and the soft-max's log-sum-exp, a float32 value
        per token and head.

        Examples:
            >>> saved = MultiheadAttention(12).saves(Shape(768, 1, 197))
            >>> saved.values == 5 * 197 * 768, saved.other_bytes == 4 * 12 * 197
            (True, True)
        """
        tokens = shape.height * shape.width
        return Saves(values=5 * tokens * shape.channels, other_bytes=4 * self.heads * tokens)

    def __str__(self) -> str:
        return f"mha{self.heads}" + ("" if self.bias else "/nobias")
