"""Normalisation layers: batch normalisation and local response normalisation."""

from __future__ import annotations

from cnncount.layers.base import Layer, WeightFactors, require_positive
from cnncount.shapes import Shape

__all__ = ["BatchNorm2d", "LocalResponseNorm"]


class BatchNorm2d(Layer):
    """Batch normalisation: a learned scale and shift per channel, and running statistics.

    The scale counts as weights and the shift as biases; the running mean and variance are
    buffers, reported apart from the parameters.

    Examples:
        >>> bn, shape = BatchNorm2d(), Shape(64, 112, 112)
        >>> bn.weights(shape), bn.biases(shape), bn.params(shape), bn.buffers(shape)
        (64, 64, 128, 128)
        >>> str(bn)
        'bn'
    """

    __slots__ = ()
    kind = "batchnorm"
    category = "normalization"

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return one scale per channel.

        Examples:
            >>> BatchNorm2d().weight_factors(Shape(64, 112, 112))
            ((64,),)
        """
        return ((shape.channels,),)

    def weights(self, shape: Shape) -> int:
        """Return one learned scale per channel.

        Examples:
            >>> BatchNorm2d().weights(Shape(512, 14, 14))
            512
        """
        return shape.channels

    def biases(self, shape: Shape) -> int:
        """Return one learned shift per channel.

        Examples:
            >>> BatchNorm2d().biases(Shape(512, 14, 14))
            512
        """
        return shape.channels

    def buffers(self, shape: Shape) -> int:
        """Return the running mean and variance: two values per channel.

        Examples:
            >>> BatchNorm2d().buffers(Shape(512, 14, 14))
            1024
        """
        return 2 * shape.channels

    def __str__(self) -> str:
        return "bn"


class LocalResponseNorm(Layer):
    """Local response normalisation across ``size`` neighbouring channels (AlexNet, VGG A-LRN).

    Examples:
        >>> lrn = LocalResponseNorm()
        >>> lrn.size, lrn.params(Shape(64, 224, 224)), str(lrn)
        (5, 0, 'LRN')
    """

    __slots__ = ("size",)
    kind = "lrn"
    category = "normalization"

    size: int

    def __init__(self, size: int = 5) -> None:
        require_positive(size=size)
        self._set(size=size)

    def __str__(self) -> str:
        return "LRN" if self.size == 5 else f"LRN{self.size}"
