"""The layer types: each answers, for an input shape, its output shape and its counts.

Each kind lives in a module of its own, imported when one of its names is first asked for
(:pep:`562`): a network of convolutions and pooling never loads attention's or the tokens'
module. :data:`LAYERS` names, for each exported layer type, the module that defines it.

Examples:
    >>> import cnncount.layers as layers
    >>> layers.MultiheadAttention.__module__
    'cnncount.layers.attention'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from cnncount.layers.base import Layer as Layer

if TYPE_CHECKING:  # the types as type checkers see them; LAYERS loads them at run time
    from cnncount.layers.attention import MultiheadAttention as MultiheadAttention
    from cnncount.layers.channels import (
        ChannelChunk as ChannelChunk,
    )
    from cnncount.layers.channels import (
        ChannelShuffle as ChannelShuffle,
    )
    from cnncount.layers.conv import Conv2d as Conv2d
    from cnncount.layers.gates import (
        GELU as GELU,
    )
    from cnncount.layers.gates import (
        Hardsigmoid as Hardsigmoid,
    )
    from cnncount.layers.gates import (
        Hardswish as Hardswish,
    )
    from cnncount.layers.gates import (
        Sigmoid as Sigmoid,
    )
    from cnncount.layers.gates import (
        SiLU as SiLU,
    )
    from cnncount.layers.gates import (
        Tanh as Tanh,
    )
    from cnncount.layers.grn import GlobalResponseNorm as GlobalResponseNorm
    from cnncount.layers.groupnorm import GroupNorm as GroupNorm
    from cnncount.layers.groupnorm import InstanceNorm2d as InstanceNorm2d
    from cnncount.layers.interpolate import Interpolate as Interpolate
    from cnncount.layers.linear import (
        Flatten as Flatten,
    )
    from cnncount.layers.linear import (
        Linear as Linear,
    )
    from cnncount.layers.linear import (
        PositionwiseLinear as PositionwiseLinear,
    )
    from cnncount.layers.local import LocallyConnected2d as LocallyConnected2d
    from cnncount.layers.merge import (
        Add as Add,
    )
    from cnncount.layers.merge import (
        Concat as Concat,
    )
    from cnncount.layers.merge import (
        Merge as Merge,
    )
    from cnncount.layers.merge import (
        Multiply as Multiply,
    )
    from cnncount.layers.norm import (
        BatchNorm2d as BatchNorm2d,
    )
    from cnncount.layers.norm import (
        LayerNorm as LayerNorm,
    )
    from cnncount.layers.norm import (
        LocalResponseNorm as LocalResponseNorm,
    )
    from cnncount.layers.padding import ReflectionPad2d as ReflectionPad2d
    from cnncount.layers.padding import ReplicationPad2d as ReplicationPad2d
    from cnncount.layers.padding import ZeroPad2d as ZeroPad2d
    from cnncount.layers.partition import (
        SpaceToDepth as SpaceToDepth,
    )
    from cnncount.layers.partition import (
        SwapAxes as SwapAxes,
    )
    from cnncount.layers.partition import (
        WindowDepartition as WindowDepartition,
    )
    from cnncount.layers.partition import (
        WindowPartition as WindowPartition,
    )
    from cnncount.layers.pointwise import (
        Dropout as Dropout,
    )
    from cnncount.layers.pointwise import (
        Dropout2d as Dropout2d,
    )
    from cnncount.layers.pointwise import (
        LeakyReLU as LeakyReLU,
    )
    from cnncount.layers.pointwise import (
        ReLU as ReLU,
    )
    from cnncount.layers.pointwise import (
        ReLU6 as ReLU6,
    )
    from cnncount.layers.pointwise import (
        Softmax as Softmax,
    )
    from cnncount.layers.pool import (
        AdaptiveAvgPool2d as AdaptiveAvgPool2d,
    )
    from cnncount.layers.pool import (
        AvgPool2d as AvgPool2d,
    )
    from cnncount.layers.pool import (
        MaxPool2d as MaxPool2d,
    )
    from cnncount.layers.rectifiers import ELU as ELU
    from cnncount.layers.rectifiers import SELU as SELU
    from cnncount.layers.rectifiers import Mish as Mish
    from cnncount.layers.rectifiers import PReLU as PReLU
    from cnncount.layers.rectifiers import Softplus as Softplus
    from cnncount.layers.relative_attention import RelativeAttention as RelativeAttention
    from cnncount.layers.residual import (
        LayerScale as LayerScale,
    )
    from cnncount.layers.residual import (
        StochasticDepth as StochasticDepth,
    )
    from cnncount.layers.scaling import Normalization as Normalization
    from cnncount.layers.scaling import Rescaling as Rescaling
    from cnncount.layers.stdconv import StdConv2d as StdConv2d
    from cnncount.layers.tokens import (
        ClassToken as ClassToken,
    )
    from cnncount.layers.tokens import (
        ClassTokenReadout as ClassTokenReadout,
    )
    from cnncount.layers.tokens import (
        MapToTokens as MapToTokens,
    )
    from cnncount.layers.tokens import (
        PatchEmbedding as PatchEmbedding,
    )
    from cnncount.layers.tokens import (
        PositionEmbedding as PositionEmbedding,
    )
    from cnncount.layers.transposed import ConvTranspose2d as ConvTranspose2d
    from cnncount.layers.window_attention import (
        CosineWindowAttention as CosineWindowAttention,
    )
    from cnncount.layers.window_attention import (
        WindowAttention as WindowAttention,
    )

LAYERS = {
    "AdaptiveAvgPool2d": "pool",
    "Add": "merge",
    "AvgPool2d": "pool",
    "BatchNorm2d": "norm",
    "ChannelChunk": "channels",
    "ChannelShuffle": "channels",
    "ClassToken": "tokens",
    "ClassTokenReadout": "tokens",
    "Concat": "merge",
    "Conv2d": "conv",
    "ConvTranspose2d": "transposed",
    "CosineWindowAttention": "window_attention",
    "Dropout": "pointwise",
    "Dropout2d": "pointwise",
    "ELU": "rectifiers",
    "Flatten": "linear",
    "GELU": "gates",
    "GlobalResponseNorm": "grn",
    "GroupNorm": "groupnorm",
    "Hardsigmoid": "gates",
    "Hardswish": "gates",
    "InstanceNorm2d": "groupnorm",
    "Interpolate": "interpolate",
    "LayerNorm": "norm",
    "LayerScale": "residual",
    "LeakyReLU": "pointwise",
    "Linear": "linear",
    "LocalResponseNorm": "norm",
    "LocallyConnected2d": "local",
    "MapToTokens": "tokens",
    "MaxPool2d": "pool",
    "Merge": "merge",
    "Mish": "rectifiers",
    "MultiheadAttention": "attention",
    "Multiply": "merge",
    "Normalization": "scaling",
    "PReLU": "rectifiers",
    "PatchEmbedding": "tokens",
    "PositionEmbedding": "tokens",
    "PositionwiseLinear": "linear",
    "ReLU": "pointwise",
    "ReLU6": "pointwise",
    "RelativeAttention": "relative_attention",
    "Rescaling": "scaling",
    "SELU": "rectifiers",
    "SiLU": "gates",
    "Sigmoid": "gates",
    "Softmax": "pointwise",
    "Softplus": "rectifiers",
    "SpaceToDepth": "partition",
    "StdConv2d": "stdconv",
    "StochasticDepth": "residual",
    "SwapAxes": "partition",
    "Tanh": "gates",
    "WindowAttention": "window_attention",
    "WindowDepartition": "partition",
    "WindowPartition": "partition",
    "ZeroPad2d": "padding",
    "ReflectionPad2d": "padding",
    "ReplicationPad2d": "padding",
}
"""Each exported layer type and its module of :mod:`cnncount.layers`, which defines it."""

__all__ = ["Layer"] + list(LAYERS)  # the layer types; LAYERS, their table, besides


def __getattr__(name: str) -> type[Layer]:
    """Return the layer type ``name``, its module imported the first time it is asked for.

    Examples:
        >>> __getattr__("Conv2d").__name__
        'Conv2d'
        >>> __getattr__("Conv3d")
        Traceback (most recent call last):
        ...
        AttributeError: module 'cnncount.layers' has no attribute 'Conv3d'
    """
    if name not in LAYERS:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    layer: type[Layer] = getattr(import_module(f"{__name__}.{LAYERS[name]}"), name)
    globals()[name] = layer  # asked once: later lookups find it without this function
    return layer


def __dir__() -> list[str]:
    return sorted({*globals(), *LAYERS})
