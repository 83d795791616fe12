"""Group normalisation and its case of one channel to a group, instance normalisation: the
statistics of each group of channels, taken over one image."""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import LayerError
from cnncount.layers.base import Layer, Saves, WeightFactors, require_positive
from cnncount.shapes import Shape

__all__ = ["GroupNorm", "InstanceNorm2d"]


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
        """Return the input's shape, whose channels must divide into the groups, each of more
        than one value, as PyTorch's ``group_norm`` requires.

        Examples:
            >>> GroupNorm(32).output_shape(Shape(64, 7, 7))
            Shape(64, 7, 7)
            >>> GroupNorm(64).output_shape(Shape(64, 1, 1))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: group norm needs more than one value in each group, got 1 channel of 1x1 in each of 64 groups
        """
        if shape.channels % self.groups:
            raise LayerError(f"channels {shape.channels} not divisible by {self.groups} groups")
        per_group = shape.channels // self.groups
        if per_group * shape.height * shape.width == 1:
            msg = (
                "group norm needs more than one value in each group, got 1 channel of 1x1 in "
                f"each of {self.groups} groups"
            )
            raise LayerError(msg)
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


@dataclass(frozen=True, slots=True, kw_only=True)
class InstanceNorm2d(Layer):
    """Instance normalisation (Ulyanov et al., 2016), of style transfer and image-to-image GANs:
    each channel of each image normalised by its own mean and variance over its H x W positions,
    group normalisation with one channel to a group (``nn.InstanceNorm2d``).

    As PyTorch builds it by default it learns nothing and keeps nothing. With ``affine``, a
    learned scale and shift per channel: C weights and C biases. With ``running``
    (``track_running_stats``), a running mean and variance per channel that evaluation uses: 2 C
    buffers. No multiply-accumulates, as ``flop_counter`` counts none for it.

    Examples:
        >>> shape = Shape(64, 128, 128)
        >>> norm = InstanceNorm2d()
        >>> norm.params(shape), norm.buffers(shape), norm.macs(shape), str(norm)
        (0, 0, 0, 'instancenorm')
        >>> both = InstanceNorm2d(affine=True, running=True)
        >>> both.weights(shape), both.biases(shape), both.buffers(shape), str(both)
        (64, 64, 128, 'instancenorm/affine/running')
    """

    kind = "instancenorm"
    category = "normalization"

    affine: bool = False
    running: bool = False

    def output_shape(self, shape: Shape) -> Shape:
        """Return the input's shape. Without ``running`` it must be a map of more than one
        position: PyTorch's ``instance_norm`` then always uses the image's own statistics, and
        refuses to take them over one value (with running statistics, evaluation runs).

        Examples:
            >>> InstanceNorm2d(running=True).output_shape(Shape(64, 1, 1))
            Shape(64, 1, 1)
            >>> InstanceNorm2d().output_shape(Shape(64, 1, 1))
            Traceback (most recent call last):
            ...
            cnncount.errors.LayerError: instance norm needs more than one position in each map, got 64x1x1
        """
        if shape.height * shape.width == 1 and not self.running:
            raise LayerError(f"instance norm needs more than one position in each map, got {shape}")
        return shape

    def weight_factors(self, shape: Shape) -> WeightFactors:
        """Return one scale per channel with ``affine``, else none.

        Examples:
            >>> InstanceNorm2d(affine=True).weight_factors(Shape(64, 7, 7))
            ((64,),)
        """
        return ((shape.channels,),) if self.affine else ()

    def weights(self, shape: Shape) -> int:
        """Return C learned scales with ``affine``, else 0.

        Examples:
            >>> InstanceNorm2d(affine=True).weights(Shape(64, 7, 7))
            64
        """
        return shape.channels if self.affine else 0

    def biases(self, shape: Shape) -> int:
        """Return C learned shifts with ``affine``, else 0.

        Examples:
            >>> InstanceNorm2d(affine=True).biases(Shape(64, 7, 7))
            64
        """
        return shape.channels if self.affine else 0

    def buffers(self, shape: Shape) -> int:
        """Return the running mean and variance of each channel with ``running``: 2 C.

        Examples:
            >>> InstanceNorm2d(running=True).buffers(Shape(64, 7, 7))
            128
        """
        return 2 * shape.channels if self.running else 0

    def saves(self, shape: Shape) -> Saves:
        """Return its input and, in float32, what PyTorch's batch norm over the image's channels
        keeps: each channel's mean and inverse deviation, and the scales and running statistics
        repeated for the image, where it has them.

        Examples:
            >>> saved = InstanceNorm2d(affine=True).saves(Shape(8, 14, 14))
            >>> saved.input, saved.other_bytes == 4 * (2 * 8 + 8)
            (True, True)
        """
        repeated = (1 if self.affine else 0) + (2 if self.running else 0)
        return Saves(input=True, other_bytes=4 * (2 + repeated) * shape.channels)

    def __str__(self) -> str:
        return (
            "instancenorm"
            + ("/affine" if self.affine else "")
            + ("/running" if self.running else "")
        )
