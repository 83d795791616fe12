"""Group normalisation: the statistics of each group of channels, taken over one image."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Layer, Saves, WeightFactors, require_positive
from cnncount.shapes import Shape

__all__ = ["GroupNorm"]


@dataclass(frozen=True, slots=True, init=False)
class GroupNorm(Layer):
    """Group normalisation: the C channels cut into ``groups`` groups, each normalised by its own
    mean and variance over its C / groups channels and all H x W positions, then a learned scale
    and shift per channel (``nn.GroupNorm``; BiT's ResNets, NFNets' relatives, and timm's
    ``GroupNorm1``, one group, as PoolFormer uses it).

    The closed forms, for C channels: C weights (the scale) and C biases (the shift), no
    buffers, since nothing is kept between images, and no multiply-accumulates, as
    ``flop_counter`` counts none for it.

    Examples:
        >>> gn, shape = GroupNorm(32), Shape(256, 56, 56)
        >>> gn.weights(shape), gn.biases(shape), gn.buffers(shape), gn.macs(shape)
        (256, 256, 0, 0)
        >>> str(gn), str(GroupNorm(1)), str(GroupNorm(8, affine=False))
        ('gn32', 'gn1', 'gn8/noaffine')
        >>> gn.output_shape(Shape(100, 8, 8))
        Traceback (most recent call last):
        ...
        cnncount.errors.LayerError: channels 100 not divisible by 32 groups
    """

    kind = "groupnorm"
    category = "normalization"
    autocast = "float32"

    groups: int
    affine: bool

    def __init__(self, groups: int, affine: bool = True) -> None:
        require_positive(groups=groups)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "affine", affine)

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input's shape, whose channels must divide into the groups.

        Examples:
            >>> GroupNorm(32).output_shape(Shape(64, 7, 7))
            Shape(64, 7, 7)
        """
        if shape.channels % self.groups:
            raise LayerError(f"channels {shape.channels} not divisible by {self.groups} groups")
        return shape

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return one scale per channel.

        Examples:
            >>> GroupNorm(32).weight_factors(Shape(64, 7, 7))
            ((64,),)
        """
        return ((shape.channels,),) if self.affine else ()

    def weights(self, shape: Shape) -> int:
        """Return one learned scale per channel: C.

        Examples:
            >>> GroupNorm(32).weights(Shape(2048, 7, 7))
            2048
        """
        return shape.channels if self.affine else 0

    def biases(self, shape: Shape) -> int:
        """Return one learned shift per channel: C.

        Examples:
            >>> GroupNorm(32).biases(Shape(2048, 7, 7))
            2048
        """
        return shape.channels if self.affine else 0

    def saves(self, shape: Shape) -> Saves:
        """Return its input, and the mean and inverse deviation of each group (a float32 value
        each).

        Examples:
            >>> saved = GroupNorm(32).saves(Shape(256, 56, 56))
            >>> saved.input, saved.other_bytes == 2 * 4 * 32
            (True, True)
        """
        return Saves(input=True, other_bytes=2 * 4 * self.groups)

    def __str__(self) -> str:
        return f"gn{self.groups}" + ("" if self.affine else "/noaffine")
