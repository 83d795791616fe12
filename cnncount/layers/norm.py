"""Normalisation layers: batch, layer and local response normalisation."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.layers.base import INPUT_SAVED, Layer, Saves, WeightFactors, require_positive
from cnncount.shapes import Shape

__all__ = ["BatchNorm2d", "LayerNorm", "LocalResponseNorm"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchNorm2d(Layer):
    """Batch normalisation: a learned scale and shift per channel, and running statistics.

    The scale counts as weights and the shift as biases; the running mean and variance are
    buffers, reported apart from the parameters. Without ``scale`` or ``center`` (Keras's flags,
    which Inception-v3 clears) it learns no scale or no shift.

    Examples:
        >>> bn, shape = BatchNorm2d(), Shape(64, 112, 112)
        >>> bn.weights(shape), bn.biases(shape), bn.params(shape), bn.buffers(shape)
        (64, 64, 128, 128)
        >>> str(bn), str(BatchNorm2d(scale=False))
        ('bn', 'bn/noscale')
        >>> BatchNorm2d(scale=False).params(shape), BatchNorm2d(scale=False).buffers(shape)
        (64, 128)
    """

    kind = "batchnorm"
    category = "normalization"

    scale: bool = True
    center: bool = True

    def saves(self, shape: Shape) -> Saves:
        """Return its input; the per-channel mean and inverse deviation it also keeps are 2C
        float32 values for the whole batch, left out.

        Examples:
            >>> BatchNorm2d().saves(Shape(64, 56, 56)).input
            True
        """
        return INPUT_SAVED

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return one scale per channel.

        Examples:
            >>> BatchNorm2d().weight_factors(Shape(64, 112, 112))
            ((64,),)
        """
        return ((shape.channels,),) if self.scale else ()

    def weights(self, shape: Shape) -> int:
        """Return one learned scale per channel.

        Examples:
            >>> BatchNorm2d().weights(Shape(512, 14, 14))
            512
        """
        return shape.channels if self.scale else 0

    def biases(self, shape: Shape) -> int:
        """Return one learned shift per channel.

        Examples:
            >>> BatchNorm2d().biases(Shape(512, 14, 14))
            512
        """
        return shape.channels if self.center else 0

    def buffers(self, shape: Shape) -> int:
        """Return the running mean and variance: two values per channel.

        Examples:
            >>> BatchNorm2d().buffers(Shape(512, 14, 14))
            1024
        """
        return 2 * shape.channels

    def __str__(self) -> str:
        return "/".join(["bn", *_missing_affine(self.scale, self.center)])


@dataclass(frozen=True, slots=True, init=False)
class LocalResponseNorm(Layer):
    """Local response normalisation across ``size`` neighbouring channels (AlexNet, VGG A-LRN).

    Examples:
        >>> lrn = LocalResponseNorm()
        >>> lrn.size, lrn.params(Shape(64, 224, 224)), str(lrn)
        (5, 0, 'LRN')
    """

    kind = "lrn"
    category = "normalization"

    size: int

    def __init__(self, size: int = 5) -> None:
        require_positive(size=size)
        object.__setattr__(self, "size", size)

    def saves(self, shape: Shape) -> Saves:
        """Return what PyTorch's composite local response norm keeps: its input, the squares
        padded across channels, and two maps of its size (the base and the result of the power).

        Examples:
            >>> LocalResponseNorm().saves(Shape(96, 55, 55)).values == (96 + 4) * 55 * 55 + 2 * 96 * 55 * 55
            True
        """
        padded = (shape.channels + self.size - 1) * shape.height * shape.width
        return Saves(input=True, values=padded + 2 * shape.numel)

    def __str__(self) -> str:
        return "LRN" if self.size == 5 else f"LRN{self.size}"


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerNorm(Layer):
    """Layer normalisation over the channels at each position, with a learned scale and shift
    per channel.

    It is ConvNeXt's ``LayerNorm2d`` on a C x H x W map and its ``nn.LayerNorm`` on the
    channels-last map inside a block, and the vision transformer's ``nn.LayerNorm`` over the D
    values of each token of a D x 1 x N sequence: in each case the mean and variance are taken
    over the C (or D) values of one position, and nothing is kept between images, so there are
    no buffers. The scale counts as weights and the shift as biases.

    Examples:
        >>> ln, shape = LayerNorm(), Shape(96, 56, 56)
        >>> ln.weights(shape), ln.biases(shape), ln.params(shape), ln.buffers(shape), ln.macs(shape)
        (96, 96, 192, 0, 0)
        >>> LayerNorm().params(Shape(768, 1, 197)), str(ln)
        (1536, 'ln')
        >>> LayerNorm(center=False).params(shape), str(LayerNorm(center=False))
        (96, 'ln/nocenter')
    """

    kind = "layernorm"
    category = "normalization"
    autocast = "float32"

    scale: bool = True
    center: bool = True

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return one scale per channel.

        Examples:
            >>> LayerNorm().weight_factors(Shape(768, 1, 197))
            ((768,),)
        """
        return ((shape.channels,),) if self.scale else ()

    def weights(self, shape: Shape) -> int:
        """Return one learned scale per channel.

        Examples:
            >>> LayerNorm().weights(Shape(384, 14, 14))
            384
        """
        return shape.channels if self.scale else 0

    def biases(self, shape: Shape) -> int:
        """Return one learned shift per channel.

        Examples:
            >>> LayerNorm().biases(Shape(384, 14, 14))
            384
        """
        return shape.channels if self.center else 0

    def saves(self, shape: Shape) -> Saves:
        """Return its input, and the mean and inverse deviation of each position (a float32
        value each).

        Examples:
            >>> saved = LayerNorm().saves(Shape(768, 1, 197))
            >>> saved.input, saved.other_bytes == 2 * 4 * 197
            (True, True)
        """
        return Saves(input=True, other_bytes=2 * 4 * shape.height * shape.width)

    def __str__(self) -> str:
        return "/".join(["ln", *_missing_affine(self.scale, self.center)])


def _missing_affine(scale: bool, center: bool) -> list[str]:
    """Return the options that say which of the learned scale and shift a norm goes without."""
    return [option for option, kept in (("noscale", scale), ("nocenter", center)) if not kept]
