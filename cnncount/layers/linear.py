"""Fully connected layers, and the flattening that feeds them."""

from __future__ import annotations

from cnncount.layers.base import INPUT_SAVED, Layer, Saves, WeightFactors, require_positive
from cnncount.shapes import Shape

__all__ = ["Flatten", "Linear"]


class Linear(Layer):
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

    __slots__ = ("out_features", "bias")
    kind = "fc"
    category = "linear"
    sees_whole_input = True
    autocast = "lower"

    out_features: int
    bias: bool

    def __init__(self, out_features: int, bias: bool = True) -> None:
        require_positive(out_features=out_features)
        self._set(out_features=out_features, bias=bias)

    def saves(self, shape: Shape) -> Saves:
        """Return its input, which the weights' gradient needs.

        Examples:
            >>> Linear(10).saves(Shape(512, 7, 7)).input
            True
        """
        return INPUT_SAVED

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

    def biases(self, shape: Shape) -> int:
        """Return one bias per output, or none without ``bias``.

        Examples:
            >>> Linear(1000).biases(Shape(4096, 1, 1))
            1000
        """
        return self.out_features if self.bias else 0

    def macs(self, shape: Shape) -> int:
        """Return one multiply-accumulate per weight.

        Examples:
            >>> Linear(1000).macs(Shape(4096, 1, 1))
            4096000
        """
        return self.weights(shape)

    def __str__(self) -> str:
        return f"FC-{self.out_features}" + ("" if self.bias else "/nobias")


class Flatten(Layer):
    """Flatten C x H x W into a vector of C*H*W values (written ``n x 1 x 1``).

    Examples:
        >>> Flatten().output_shape(Shape(512, 7, 7))
        Shape(25088, 1, 1)
    """

    __slots__ = ()
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
