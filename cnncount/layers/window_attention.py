"""Self-attention within windows of a map, shifted or not, as the Swin Transformer computes it
(Liu et al., 2021; version 2, Liu et al., 2022), with torchvision's ``shifted_window_attention``
as the reference.

The map, C x H x W, is padded with zeros on the right and at the bottom to whole windows of
``w_h x w_w`` pixels: ``H_p = w_h ceil(H / w_h)`` rows and ``W_p = w_w ceil(W / w_w)`` columns.
It is rolled by the shift, cut into ``H_p W_p / (w_h w_w)`` windows of ``N = w_h w_w`` tokens
each, and every window attends within itself; the result is rolled back and cropped to H x W.
There are ``T = H_p W_p`` tokens in all, padding included, and every count below is taken over
them, as the matrix products run over them.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import (
    Layer,
    Pair,
    Saves,
    pair_text,
    require_pair,
    require_positive,
)
from cnncount.layers.windows import Window
from cnncount.shapes import Shape

__all__ = ["CosineWindowAttention", "WindowAttention", "bias_table_size", "padded_tokens"]


def padded_tokens(shape: Shape, window: Pair) -> int:
    """Return ``T = H_p W_p``: the positions of the map padded to whole windows.

    Examples:
        >>> padded_tokens(Shape(96, 56, 56), (7, 7)), padded_tokens(Shape(32, 10, 9), (7, 7))
        (3136, 196)
    """
    rows = -(-shape.height // window[0]) * window[0]
    columns = -(-shape.width // window[1]) * window[1]
    return rows * columns


def bias_table_size(window: Pair) -> int:
    """Return ``(2 w_h - 1)(2 w_w - 1)``: the relative positions of two tokens of a window.

    Examples:
        >>> bias_table_size((7, 7)), bias_table_size((3, 5))
        (169, 45)
    """
    return (2 * window[0] - 1) * (2 * window[1] - 1)


@dataclass(frozen=True, slots=True, init=False)
class WindowAttention(Layer):
    """Multi-head self-attention within ``window``-sized windows shifted by ``shift``, with a
    learned bias for each relative position and head (Swin v1's ``ShiftedWindowAttention``).

    Each token is projected to a query, a key and a value (the ``qkv`` linear layer, 3C x C
    weights, 3C biases); each head scores the N queries of a window against its N keys, adds the
    bias of their relative position, takes the soft-max and averages the values; the heads'
    outputs are projected back (``proj``, C x C weights, C biases). The bias table holds
    ``(2 w_h - 1)(2 w_w - 1)`` values per head, weights; the buffer ``relative_position_index``
    holds the table's row for each of the N² pairs of tokens.

    The multiply-accumulates, over the T padded tokens:

    - qkv: 3 T C²; Q Kᵀ: T N C (each query against N keys, C / heads values, in every head);
    - A V: T N C; proj: T C²;

    so ``4 T C² + 2 T N C``. The shift moves tokens and masks pairs across the wrap-around: it
    changes no count. A window as large as the padded map is not shifted, as torchvision decides.

    Examples:
        >>> attention, shape = WindowAttention(3, 7, 3), Shape(96, 56, 56)  # Swin-T, stage 1
        >>> attention.weights(shape), attention.biases(shape), attention.buffers(shape)
        (37371, 384, 2401)
        >>> attention.macs(shape)  # 4 * 3136 * 96**2 + 2 * 3136 * 49 * 96
        145108992
        >>> attention.output_shape(shape), str(attention)
        (Shape(96, 56, 56), 'wmsa3-7/shift3')
        >>> WindowAttention(3, 7, 3).macs(Shape(96, 10, 9))  # padded to 14 x 14: T = 196
        9069312
        >>> WindowAttention(3, 7, 7)
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: shift 7 must be below the window 7
    """

    kind = "windowattention"
    category = "attention"
    autocast = "lower"

    heads: int
    window_size: Pair
    shift: Pair
    bias: bool

    def __init__(
        self, heads: int, window_size: int | Pair, shift: int | Pair = 0, bias: bool = True
    ) -> None:
        require_positive(heads=heads)
        window = require_pair("window_size", window_size)
        shifts = require_pair("shift", shift, least=0)
        if shifts[0] >= window[0] or shifts[1] >= window[1]:
            msg = f"shift {pair_text(shifts)} must be below the window {pair_text(window)}"
            raise LayerError(msg)
        object.__setattr__(self, "heads", heads)
        object.__setattr__(self, "window_size", window)
        object.__setattr__(self, "shift", shifts)
        object.__setattr__(self, "bias", bias)

    @property
    def tokens_per_window(self) -> int:
        """Return ``N = w_h w_w``.

        Examples:
            >>> WindowAttention(4, (3, 5)).tokens_per_window
            15
        """
        return self.window_size[0] * self.window_size[1]

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input's shape: the padding is cropped off again.

        Examples:
            >>> WindowAttention(4, 7).output_shape(Shape(30, 7, 7))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: embedding dimension 30 not divisible by 4 heads
        """
        if shape.channels % self.heads:
            msg = f"embedding dimension {shape.channels} not divisible by {self.heads} heads"
            raise LayerError(msg)
        return shape

    def weights(self, shape: Shape) -> int:
        """Return ``4 C² + (2 w_h - 1)(2 w_w - 1) heads``.

        Examples:
            >>> WindowAttention(4, (3, 5)).weights(Shape(32, 11, 13))  # 4 * 32**2 + 5 * 9 * 4
            4276
        """
        return 4 * shape.channels**2 + bias_table_size(self.window_size) * self.heads

    def biases(self, shape: Shape) -> int:
        """Return ``4 C``: 3 C for the queries, keys and values, C for the projection.

        Examples:
            >>> WindowAttention(4, 7).biases(Shape(32, 7, 7)), WindowAttention(4, 7, bias=False).biases(Shape(32, 7, 7))
            (128, 0)
        """
        return 4 * shape.channels if self.bias else 0

    def buffers(self, shape: Shape) -> int:
        """Return ``N²``: the bias table's row for each pair of tokens of a window.

        Examples:
            >>> WindowAttention(4, (3, 5)).buffers(Shape(32, 11, 13))
            225
        """
        return self.tokens_per_window**2

    def macs(self, shape: Shape) -> int:
        """Return ``4 T C² + 2 T N C`` over the T padded tokens.

        Examples:
            >>> WindowAttention(4, (3, 5), (1, 2)).macs(Shape(32, 11, 13))  # T = 12 * 15
            910080
        """
        dim = self.output_shape(shape).channels
        tokens = padded_tokens(shape, self.window_size)
        return 4 * tokens * dim**2 + 2 * tokens * self.tokens_per_window * dim

    def window(self, shape: Shape) -> tuple[Window, Window]:
        """Return a window of ``w`` pixels along each axis: an output sees the tokens of its own
        window, shifted or not. Shifted windows that wrap around the map's edge are masked into
        parts that do not attend to one another, so no output sees across the wrap. Which
        positions a window starts at varies with the shift; the centre given is the middle.

        Examples:
            >>> WindowAttention(3, 7, 3).window(Shape(96, 56, 56))[0]
            Window(extent=7, stride=1, padding=3)
        """
        rows, columns = self.window_size
        return (
            Window(extent=rows, stride=1, padding=(rows - 1) // 2),
            Window(extent=columns, stride=1, padding=(columns - 1) // 2),
        )

    def windows_are_a_view(self, shape: Shape) -> bool:
        """Return whether cutting the map into windows moves no value: no padding, no shift
        taking effect, and windows one high or one across the map, so that torch's reshape
        returns a view of the input rather than a copy.

        Examples:
            >>> WindowAttention(2, 7, 3).windows_are_a_view(Shape(64, 7, 7))  # one window, not shifted
            True
            >>> WindowAttention(2, 7, 3).windows_are_a_view(Shape(64, 14, 14))
            False
        """
        rows, columns = self.window_size
        if shape.height % rows or shape.width % columns:
            return False
        shifted = any(
            shift and window < size
            for shift, window, size in zip(
                self.shift, self.window_size, (shape.height, shape.width)
            )
        )
        return not shifted and (rows == 1 or columns == shape.width)

    def saves(self, shape: Shape) -> Saves:
        """Return what autograd keeps for the backward pass: the windowed tokens (a copy of the
        input, or the input itself where :meth:`windows_are_a_view`), the scaled queries, the
        keys and the values (each copied for the batched product), the soft-max's output
        (``heads T N``), and the projection's input: ``5 T C + heads T N`` values in all, or the
        input and ``4 T C + heads T N``.

        Examples:
            >>> saved = WindowAttention(3, 7, 3).saves(Shape(96, 56, 56))
            >>> saved.input, saved.values == 5 * 3136 * 96 + 3 * 3136 * 49
            (False, True)
            >>> WindowAttention(2, 7, 3).saves(Shape(64, 7, 7)).input
            True
        """
        tokens = padded_tokens(shape, self.window_size)
        scores = self.heads * tokens * self.tokens_per_window
        if self.windows_are_a_view(shape):
            return Saves(input=True, values=4 * tokens * shape.channels + scores)
        return Saves(values=5 * tokens * shape.channels + scores)

    def __str__(self) -> str:
        shift = f"/shift{pair_text(self.shift)}" if any(self.shift) else ""
        bias = "" if self.bias else "/nobias"
        return f"wmsa{self.heads}-{pair_text(self.window_size)}{shift}{bias}"


@dataclass(frozen=True, slots=True, init=False)
class CosineWindowAttention(WindowAttention):
    """Swin v2's window attention (``ShiftedWindowAttentionV2``): cosine similarity of the
    normalised queries and keys, scaled by a learned ``logit_scale`` per head, and a bias
    computed by a small MLP (``cpb_mlp``: 2 -> ``hidden`` with biases, ReLU, ``hidden`` ->
    heads without) from each relative position, squashed to ``16 sigmoid(.)``.

    Its weights are the four projections (4 C², 4 C biases; the keys' third of the qkv biases
    is zeroed at every call, but it is still a parameter), ``heads`` logit scales and the MLP's
    ``2 hidden + hidden heads`` weights and ``hidden`` biases; there is no bias table. Its
    buffers are the ``N²`` indices and ``relative_coords_table``, the two coordinates of each
    of the ``(2 w_h - 1)(2 w_w - 1)`` relative positions.

    The multiply-accumulates are v1's ``4 T C² + 2 T N C`` and the MLP's
    ``(2 w_h - 1)(2 w_w - 1)(2 + heads) hidden``. That last term is spent once per forward
    pass, whatever the batch; cnncount's counts are for one image, where it is exact.

    Examples:
        >>> attention, shape = CosineWindowAttention(3, 8, 4), Shape(96, 64, 64)  # Swin-V2-T
        >>> attention.weights(shape), attention.biases(shape), attention.buffers(shape)
        (39427, 896, 4546)
        >>> attention.macs(shape)  # 4*4096*96**2 + 2*4096*64*96 + 225*5*512
        201902592
        >>> str(attention)
        'cosmsa3-8/shift4'
    """

    kind = "cosinewindowattention"

    hidden: int

    def __init__(
        self,
        heads: int,
        window_size: int | Pair,
        shift: int | Pair = 0,
        bias: bool = True,
        hidden: int = 512,
    ) -> None:
        WindowAttention.__init__(self, heads, window_size, shift, bias)
        require_positive(hidden=hidden)
        object.__setattr__(self, "hidden", hidden)

    def weights(self, shape: Shape) -> int:
        """Return ``4 C² + heads + 2 hidden + hidden heads``.

        Examples:
            >>> CosineWindowAttention(2, 7).weights(Shape(32, 10, 9))  # 4096 + 2 + 1024 + 1024
            6146
        """
        return 4 * shape.channels**2 + self.heads + (2 + self.heads) * self.hidden

    def biases(self, shape: Shape) -> int:
        """Return the projections' ``4 C`` and the MLP's first layer's ``hidden`` biases.

        Examples:
            >>> CosineWindowAttention(2, 7).biases(Shape(32, 10, 9))
            640
        """
        return (4 * shape.channels if self.bias else 0) + self.hidden

    def buffers(self, shape: Shape) -> int:
        """Return ``N² + 2 (2 w_h - 1)(2 w_w - 1)``: the indices and the relative coordinates.

        Examples:
            >>> CosineWindowAttention(4, (3, 5)).buffers(Shape(32, 11, 13))  # 225 + 2 * 45
            315
        """
        return self.tokens_per_window**2 + 2 * bias_table_size(self.window_size)

    def macs(self, shape: Shape) -> int:
        """Return v1's ``4 T C² + 2 T N C`` and the bias MLP's ``(2 w_h - 1)(2 w_w - 1)(2 + heads) hidden``.

        Examples:
            >>> CosineWindowAttention(4, (3, 5), (1, 2)).macs(Shape(32, 11, 13))  # 910080 + 45*6*512
            1048320
        """
        table = bias_table_size(self.window_size)
        return WindowAttention.macs(self, shape) + table * (2 + self.heads) * self.hidden

    def saves(self, shape: Shape) -> Saves:
        """Return what autograd keeps for one image: ``8 T C + 2 heads T N + 4 heads T`` values,
        the windowed tokens, the whole qkv output (the queries' norm keeps it), the normalised
        queries and keys, the values' copy, the projection's input, the scores before and after
        the soft-max, and the norms of the queries and keys with their clamped copies; where the
        windows are a view of the input, the input and ``7 T C + 2 heads T N + 4 heads T``.

        Besides, once for the whole batch, the MLP's hidden values and the ``heads N²`` biases:
        :class:`~cnncount.layers.base.Saves` counts per image, and leaves them out.

        Examples:
            >>> saved = CosineWindowAttention(3, 7).saves(Shape(96, 56, 56))
            >>> saved.values == 8 * 3136 * 96 + 2 * 3 * 3136 * 49 + 4 * 3 * 3136
            True
        """
        tokens = padded_tokens(shape, self.window_size)
        scores = 2 * self.heads * tokens * self.tokens_per_window + 4 * self.heads * tokens
        if self.windows_are_a_view(shape):
            return Saves(input=True, values=7 * tokens * shape.channels + scores)
        return Saves(values=8 * tokens * shape.channels + scores)

    def __str__(self) -> str:
        hidden = "" if self.hidden == 512 else f"/hidden{self.hidden}"
        return "cos" + WindowAttention.__str__(self)[1:] + hidden
