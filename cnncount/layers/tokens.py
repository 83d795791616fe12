"""Token sequences, as a vision transformer makes and reads them.

A sequence of N tokens of D values each is written as the shape ``D x 1 x N``: the values of a
token are its channels, and the tokens lie side by side along the width, as the pixels of an
image one pixel high. Every layer that acts on the channels at each position therefore acts on
each token alike, with the counts it has on a map: a :class:`~cnncount.layers.norm.LayerNorm`
normalises each token, a :class:`~cnncount.layers.linear.PositionwiseLinear` transforms each one.

- :class:`PatchEmbedding` cuts an image into patches and projects each to a token;
- :class:`ClassToken` puts a learned token before the others;
- :class:`PositionEmbedding` adds a learned value to every value of the sequence;
- :class:`ClassTokenReadout` keeps the first token alone, for the classifier;
- :class:`MapToTokens` reads the positions of a map as a sequence, as a reader of real models
  finds a patch embedding written as a convolution and a reshape.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import INPUT_SAVED, Layer, Saves, WeightFactors, require_positive
from cnncount.layers.windows import Window
from cnncount.shapes import Shape

__all__ = ["ClassToken", "ClassTokenReadout", "MapToTokens", "PatchEmbedding", "PositionEmbedding"]


@dataclass(frozen=True, slots=True, init=False)
class PatchEmbedding(Layer):
    """Cut the image into ``patch_size`` x ``patch_size`` patches and project each to a token of
    ``dim`` values: a C x H x W image becomes ``dim x 1 x (H/p)(W/p)``.

    It is a p x p convolution at stride p (torchvision's ``conv_proj``) whose output map is read
    as a sequence, row after row; it counts as that convolution. The image must divide into
    whole patches.

    Examples:
        >>> embed, image = PatchEmbedding(768, 16), Shape(3, 224, 224)
        >>> embed.output_shape(image), embed.weights(image), embed.biases(image)
        (Shape(768, 1, 196), 589824, 768)
        >>> embed.macs(image)  # 196 tokens * 16*16*3 * 768
        115605504
        >>> str(embed)
        'patch16-768'
        >>> embed.output_shape(Shape(3, 225, 225))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: input 225x225 does not divide into 16x16 patches
    """

    kind = "patch"
    category = "convolution"
    autocast = "lower"

    dim: int
    patch_size: int
    bias: bool

    def __init__(self, dim: int, patch_size: int, bias: bool = True) -> None:
        require_positive(dim=dim, patch_size=patch_size)
        object.__setattr__(self, "dim", dim)
        object.__setattr__(self, "patch_size", patch_size)
        object.__setattr__(self, "bias", bias)

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``dim`` values for each of the ``(H/p)(W/p)`` patches.

        Examples:
            >>> PatchEmbedding(768, 16).output_shape(Shape(3, 384, 384))
            Shape(768, 1, 576)
        """
        patch = self.patch_size
        if shape.height % patch or shape.width % patch:
            msg = f"input {shape.height}x{shape.width} does not divide into {patch}x{patch} patches"
            raise LayerError(msg)
        return Shape(self.dim, 1, (shape.height // patch) * (shape.width // patch))

    def window(self, shape: Shape) -> tuple[Window, Window]:
        """Return the patch along each axis of the image: p pixels, p apart.

        Examples:
            >>> PatchEmbedding(768, 16).window(Shape(3, 224, 224))[0]
            Window(extent=16, stride=16, padding=0)
        """
        window = Window(extent=self.patch_size, stride=self.patch_size, padding=0)
        return window, window

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return ``((p, p, C), (dim,))``: one p x p x C filter per value of a token.

        Examples:
            >>> PatchEmbedding(768, 16).weight_factors(Shape(3, 224, 224))
            ((16, 16, 3), (768,))
        """
        return ((self.patch_size, self.patch_size, shape.channels), (self.dim,))

    def weights(self, shape: Shape) -> int:
        """Return ``p * p * C * dim``.

        Examples:
            >>> PatchEmbedding(192, 16).weights(Shape(3, 224, 224))
            147456
        """
        return self.patch_size**2 * shape.channels * self.dim

    def biases(self, shape: Shape) -> int:
        """Return one bias per value of a token, or none without ``bias``.

        Examples:
            >>> PatchEmbedding(192, 16).biases(Shape(3, 224, 224))
            192
        """
        return self.dim if self.bias else 0

    def macs(self, shape: Shape) -> int:
        """Return one multiply-accumulate per weight, for each token.

        Examples:
            >>> PatchEmbedding(192, 16).macs(Shape(3, 224, 224))
            28901376
        """
        return self.output_shape(shape).width * self.weights(shape)

    def saves(self, shape: Shape) -> Saves:
        """Return its input, the image, which the weights' gradient needs, as a convolution's does.

        Examples:
            >>> PatchEmbedding(768, 16).saves(Shape(3, 224, 224)).input
            True
        """
        return INPUT_SAVED

    def __str__(self) -> str:
        return f"patch{self.patch_size}-{self.dim}" + ("" if self.bias else "/nobias")


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassToken(Layer):
    """Put a learned token (the "class token") before the N tokens of a sequence: ``D x 1 x N``
    becomes ``D x 1 x (N + 1)``, and the token's D values are weights.

    Examples:
        >>> ClassToken().output_shape(Shape(768, 1, 196)), ClassToken().weights(Shape(768, 1, 196))
        (Shape(768, 1, 197), 768)
        >>> ClassToken().output_shape(Shape(768, 14, 14))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: a class token joins a sequence of tokens (D x 1 x N), got 768x14x14
    """

    kind = "classtoken"
    category = "embedding"
    autocast = "promote"

    def output_shape(self, shape: Shape) -> Shape:
        """Return the sequence one token longer.

        Examples:
            >>> ClassToken().output_shape(Shape(192, 1, 196))
            Shape(192, 1, 197)
        """
        _require_sequence(shape, "a class token joins")
        return Shape(shape.channels, 1, shape.width + 1)

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return the token's D values.

        Examples:
            >>> ClassToken().weight_factors(Shape(768, 1, 196))
            ((768,),)
        """
        return ((shape.channels,),)

    def weights(self, shape: Shape) -> int:
        """Return the D values of the learned token.

        Examples:
            >>> ClassToken().weights(Shape(192, 1, 196))
            192
        """
        return shape.channels

    def __str__(self) -> str:
        return "classtoken"


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionEmbedding(Layer):
    """Add a learned embedding of each position: one weight for every value of the input, so that
    identical patches at different places give different tokens.

    Its weights grow with the input: ViT-B/16 has 197 x 768 of them at 224 x 224, 577 x 768 at
    384 x 384.

    Examples:
        >>> embed = PositionEmbedding()
        >>> embed.output_shape(Shape(768, 1, 197)), embed.weights(Shape(768, 1, 197)), str(embed)
        (Shape(768, 1, 197), 151296, 'posembed')
    """

    kind = "posembed"
    category = "embedding"
    autocast = "promote"

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return the tokens and their values.

        Examples:
            >>> PositionEmbedding().weight_factors(Shape(768, 1, 197))
            ((197, 768),)
        """
        return ((shape.height * shape.width, shape.channels),)

    def weights(self, shape: Shape) -> int:
        """Return one learned value per value of the input.

        Examples:
            >>> PositionEmbedding().weights(Shape(768, 1, 577))
            443136
        """
        return shape.numel

    def __str__(self) -> str:
        return "posembed"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassTokenReadout(Layer):
    """Keep the first token of a sequence, the class token, for the classifier:
    ``D x 1 x N`` becomes ``D x 1 x 1`` (PyTorch's ``x[:, 0]``, a view).

    Examples:
        >>> ClassTokenReadout().output_shape(Shape(768, 1, 197)), str(ClassTokenReadout())
        (Shape(768, 1, 1), 'cls')
    """

    kind = "readout"
    category = "reshape"
    in_place = True  # a view of its input

    def output_shape(self, shape: Shape) -> Shape:
        """Return one token's values.

        Examples:
            >>> ClassTokenReadout().output_shape(Shape(8, 2, 2))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: a class token is read from a sequence of tokens (D x 1 x N), got 8x2x2
        """
        _require_sequence(shape, "a class token is read from")
        return Shape(shape.channels, 1, 1)

    def __str__(self) -> str:
        return "cls"


@dataclass(frozen=True, slots=True, kw_only=True)
class MapToTokens(Layer):
    """Read the H x W positions of a map, row after row, as a sequence of H W tokens of C values:
    ``C x H x W`` becomes ``C x 1 x HW`` (torchvision's ViT reshapes its patch convolution's
    output so, then moves the channels last: views, nothing counted).

    Examples:
        >>> MapToTokens().output_shape(Shape(768, 14, 14)), str(MapToTokens()), MapToTokens().in_place
        (Shape(768, 1, 196), 'tokens', True)
    """

    kind = "maptotokens"
    category = "reshape"
    in_place = True  # a view of its input

    def output_shape(self, shape: Shape) -> Shape:
        """Return one token per position.

        Examples:
            >>> MapToTokens().output_shape(Shape(8, 1, 5))
            Shape(8, 1, 5)
        """
        return Shape(shape.channels, 1, shape.height * shape.width)

    def __str__(self) -> str:
        return "tokens"


def _require_sequence(shape: Shape, what: str) -> None:
    if shape.height != 1:
        raise LayerError(f"{what} a sequence of tokens (D x 1 x N), got {shape}")
