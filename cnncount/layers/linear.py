"""Fully connected layers, the flattening that feeds them, and linear layers applied position by
position."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.layers.base import INPUT_SAVED, Layer, Saves, WeightFactors, require_positive
from cnncount.shapes import Shape

__all__ = ["Flatten", "Linear", "PositionwiseLinear"]


@dataclass(frozen=True, slots=True, init=False)
class _Features(Layer):
    """A linear map to ``out_features`` values, with a bias for each unless told otherwise."""

    category = "linear"
    autocast = "lower"
    token = ""

    out_features: int
    bias: bool

    def __init__(self, out_features: int, bias: bool = True) -> None:
        require_positive(out_features=out_features)
        object.__setattr__(self, "out_features", out_features)
        object.__setattr__(self, "bias", bias)

    def saves(self, shape: Shape) -> Saves:
        """Return its input, which the weights' gradient needs.

        Examples:
            >>> Linear(10).saves(Shape(512, 7, 7)).input, PositionwiseLinear(8).saves(Shape(4, 2, 2)).input
            (True, True)
        """
        return INPUT_SAVED

    def biases(self, shape: Shape) -> int:
        """Return one bias per output feature, or none without ``bias``.

        Examples:
            >>> Linear(1000).biases(Shape(4096, 1, 1)), PositionwiseLinear(384, bias=False).biases(Shape(96, 56, 56))
            (1000, 0)
        """
        return self.out_features if self.bias else 0

    def __str__(self) -> str:
        return f"{self.token}{self.out_features}" + ("" if self.bias else "/nobias")


@dataclass(frozen=True, slots=True, init=False)
class Linear(_Features):
    """A fully connected layer to ``out_features`` values; its input is flattened first.

    Its input features are the input's C*H*W values, so only the first fully connected layer's
    parameters depend on the image size.

    Examples:
        >>> fc1 = Linear(4096)
        >>> fc1.params(Shape(512, 7, 7))  # (512*7*7)*4096 weights + 4096 biases
        102764544
        >>> fc1.output_shape(Shape(512, 7, 7))
        Shape(4096, 1, 1)
        >>> str(fc1), str(Linear(10, bias=False))
        ('FC-4096', 'FC-10/nobias')
    """

    kind = "fc"
    token = "FC-"
    sees_whole_input = True

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``out_features`` values, written as ``out x 1 x 1``.

        Examples:
            >>> Linear(1000).output_shape(Shape(4096, 1, 1))
            Shape(1000, 1, 1)
        """
        return Shape(self.out_features, 1, 1)

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return the input's H, W, C (only C when it is already a vector) and the outputs.

        Examples:
            >>> Linear(4096).weight_factors(Shape(512, 7, 7))
            ((7, 7, 512, 4096),)
            >>> Linear(1000).weight_factors(Shape(4096, 1, 1))
            ((4096, 1000),)
        """
        spatial = () if shape.height == shape.width == 1 else (shape.height, shape.width)
        return ((*spatial, shape.channels, self.out_features),)

    def weights(self, shape: Shape) -> int:
        """Return ``in_features * out_features``.

        Examples:
            >>> Linear(4096).weights(Shape(4096, 1, 1))
            16777216
        """
        return shape.numel * self.out_features

    def macs(self, shape: Shape) -> int:
        """Return one multiply-accumulate per weight.

        Examples:
            >>> Linear(1000).macs(Shape(4096, 1, 1))
            4096000
        """
        return self.weights(shape)


@dataclass(frozen=True, slots=True, kw_only=True)
class Flatten(Layer):
    """Flatten C x H x W into a vector of C*H*W values (written ``n x 1 x 1``).

    Examples:
        >>> Flatten().output_shape(Shape(512, 7, 7))
        Shape(25088, 1, 1)
    """

    kind = "flatten"
    category = "reshape"
    in_place = True  # a view of its input

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input's values as one vector.

        Examples:
            >>> Flatten().output_shape(Shape(256, 6, 6))
            Shape(9216, 1, 1)
        """
        return Shape(shape.numel, 1, 1)

    def __str__(self) -> str:
        return "flatten"


@dataclass(frozen=True, slots=True, init=False)
class PositionwiseLinear(_Features):
    """A linear layer applied at every position, to the C values of one pixel or one token:
    ``nn.Linear`` on a channels-last map (ConvNeXt) or on a sequence of tokens (the vision
    transformer's MLP).

    It is a 1 x 1 convolution in all but layout, and counts as one: ``C_in * C_out`` weights,
    ``C_out`` biases, and ``H * W * C_in * C_out`` multiply-accumulates. Unlike :class:`Linear`,
    it does not flatten its input.

    Examples:
        >>> fc1 = PositionwiseLinear(3072)
        >>> tokens = Shape(768, 1, 197)  # 197 tokens of 768 values
        >>> fc1.output_shape(tokens), fc1.params(tokens), fc1.macs(tokens)
        (Shape(3072, 1, 197), 2362368, 464781312)
        >>> from cnncount.layers import Conv2d
        >>> fc1.params(tokens) == Conv2d(3072, 1).params(tokens) and fc1.macs(tokens) == Conv2d(3072, 1).macs(tokens)
        True
        >>> str(fc1), str(PositionwiseLinear(10, bias=False))
        ('linear-3072', 'linear-10/nobias')
    """

    kind = "linear"
    token = "linear-"

    def output_shape(self, shape: Shape) -> Shape:
        """Return ``out_features`` values at each of the input's positions.

        Examples:
            >>> PositionwiseLinear(384).output_shape(Shape(96, 56, 56))
            Shape(384, 56, 56)
        """
        return Shape(self.out_features, shape.height, shape.width)

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return the input's channels and the outputs.

        Examples:
            >>> PositionwiseLinear(384).weight_factors(Shape(96, 56, 56))
            ((96, 384),)
        """
        return ((shape.channels, self.out_features),)

    def weights(self, shape: Shape) -> int:
        """Return ``C_in * out_features``.

        Examples:
            >>> PositionwiseLinear(384).weights(Shape(96, 56, 56))
            36864
        """
        return shape.channels * self.out_features

    def macs(self, shape: Shape) -> int:
        """Return one multiply-accumulate per weight at each position.

        Examples:
            >>> PositionwiseLinear(384).macs(Shape(96, 56, 56))  # 56*56 * 96*384
            115605504
        """
        return shape.height * shape.width * self.weights(shape)
