"""cnncount: count the parameters, memory and compute of a convolutional network, exactly.

Examples:
    >>> import cnncount
    >>> summary = cnncount.summarize(cnncount.get_model("vgg16"))
    >>> f"{summary.totals.params:,}"
    '138,357,544'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cnncount import layers
from cnncount.errors import (
    CnncountError,
    LayerError,
    NotationError,
    ReadError,
    SpecError,
    UnknownModelError,
)
from cnncount.layers import LAYERS
from cnncount.layers.base import Layer
from cnncount.models import get_model, model_names
from cnncount.network import Builder, Network, Node
from cnncount.notation import parse_layer, parse_layers, parse_network
from cnncount.precision import Batch
from cnncount.shapes import Shape
from cnncount.summary import Row, Summary, summarize

if TYPE_CHECKING:  # the layer types and the PyTorch reader as type checkers see them;
    # __getattr__ loads them at run time
    from cnncount.layers import ELU as ELU
    from cnncount.layers import (
        GELU as GELU,
    )
    from cnncount.layers import SELU as SELU
    from cnncount.layers import (
        AdaptiveAvgPool2d as AdaptiveAvgPool2d,
    )
    from cnncount.layers import (
        Add as Add,
    )
    from cnncount.layers import (
        AvgPool2d as AvgPool2d,
    )
    from cnncount.layers import (
        BatchNorm2d as BatchNorm2d,
    )
    from cnncount.layers import (
        ChannelChunk as ChannelChunk,
    )
    from cnncount.layers import (
        ChannelShuffle as ChannelShuffle,
    )
    from cnncount.layers import (
        ClassToken as ClassToken,
    )
    from cnncount.layers import (
        ClassTokenReadout as ClassTokenReadout,
    )
    from cnncount.layers import (
        Concat as Concat,
    )
    from cnncount.layers import (
        Conv2d as Conv2d,
    )
    from cnncount.layers import (
        ConvTranspose2d as ConvTranspose2d,
    )
    from cnncount.layers import (
        CosineWindowAttention as CosineWindowAttention,
    )
    from cnncount.layers import (
        Dropout as Dropout,
    )
    from cnncount.layers import Dropout2d as Dropout2d
    from cnncount.layers import (
        Flatten as Flatten,
    )
    from cnncount.layers import (
        GlobalResponseNorm as GlobalResponseNorm,
    )
    from cnncount.layers import (
        GroupNorm as GroupNorm,
    )
    from cnncount.layers import (
        Hardsigmoid as Hardsigmoid,
    )
    from cnncount.layers import (
        Hardswish as Hardswish,
    )
    from cnncount.layers import InstanceNorm2d as InstanceNorm2d
    from cnncount.layers import (
        Interpolate as Interpolate,
    )
    from cnncount.layers import (
        LayerNorm as LayerNorm,
    )
    from cnncount.layers import (
        LayerScale as LayerScale,
    )
    from cnncount.layers import (
        LeakyReLU as LeakyReLU,
    )
    from cnncount.layers import (
        Linear as Linear,
    )
    from cnncount.layers import (
        LocallyConnected2d as LocallyConnected2d,
    )
    from cnncount.layers import (
        LocalResponseNorm as LocalResponseNorm,
    )
    from cnncount.layers import (
        MapToTokens as MapToTokens,
    )
    from cnncount.layers import (
        MaxPool2d as MaxPool2d,
    )
    from cnncount.layers import (
        Merge as Merge,
    )
    from cnncount.layers import Mish as Mish
    from cnncount.layers import (
        MultiheadAttention as MultiheadAttention,
    )
    from cnncount.layers import (
        Multiply as Multiply,
    )
    from cnncount.layers import (
        Normalization as Normalization,
    )
    from cnncount.layers import (
        PatchEmbedding as PatchEmbedding,
    )
    from cnncount.layers import (
        PositionEmbedding as PositionEmbedding,
    )
    from cnncount.layers import (
        PositionwiseLinear as PositionwiseLinear,
    )
    from cnncount.layers import PReLU as PReLU
    from cnncount.layers import ReflectionPad2d as ReflectionPad2d
    from cnncount.layers import (
        RelativeAttention as RelativeAttention,
    )
    from cnncount.layers import (
        ReLU as ReLU,
    )
    from cnncount.layers import (
        ReLU6 as ReLU6,
    )
    from cnncount.layers import ReplicationPad2d as ReplicationPad2d
    from cnncount.layers import (
        Rescaling as Rescaling,
    )
    from cnncount.layers import (
        Sigmoid as Sigmoid,
    )
    from cnncount.layers import (
        SiLU as SiLU,
    )
    from cnncount.layers import (
        Softmax as Softmax,
    )
    from cnncount.layers import Softplus as Softplus
    from cnncount.layers import (
        SpaceToDepth as SpaceToDepth,
    )
    from cnncount.layers import (
        StdConv2d as StdConv2d,
    )
    from cnncount.layers import (
        StochasticDepth as StochasticDepth,
    )
    from cnncount.layers import (
        SwapAxes as SwapAxes,
    )
    from cnncount.layers import (
        Tanh as Tanh,
    )
    from cnncount.layers import (
        WindowAttention as WindowAttention,
    )
    from cnncount.layers import (
        WindowDepartition as WindowDepartition,
    )
    from cnncount.layers import (
        WindowPartition as WindowPartition,
    )
    from cnncount.layers import (
        ZeroPad2d as ZeroPad2d,
    )
    from cnncount.readers.torch import from_torch as from_torch

__version__ = "0.1.0"

__all__ = [
    "Batch",
    "Builder",
    "CnncountError",
    "Layer",
    "LayerError",
    "NotationError",
    "ReadError",
    "Network",
    "Node",
    "Row",
    "Shape",
    "SpecError",
    "Summary",
    "UnknownModelError",
    "from_torch",
    "get_model",
    "model_names",
    "parse_layer",
    "parse_layers",
    "parse_network",
    "summarize",
] + list(LAYERS)


def __getattr__(name: str) -> Any:
    """Return the layer type ``name`` of :mod:`cnncount.layers`, or the PyTorch reader's
    ``from_torch``, imported when first asked for (so that ``import cnncount`` imports no torch).

    Examples:
        >>> __getattr__("PatchEmbedding").__module__
        'cnncount.layers.tokens'
        >>> __getattr__("from_torch").__module__
        'cnncount.readers.torch'
        >>> __getattr__("Conv3d")
        Traceback (most recent call last):
        ...
        AttributeError: module 'cnncount' has no attribute 'Conv3d'
    """
    if name == "from_torch":
        from cnncount.readers.torch import from_torch

        globals()[name] = from_torch
        return from_torch
    if name not in LAYERS:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    layer: type[Layer] = getattr(layers, name)
    globals()[name] = layer
    return layer


def __dir__() -> list[str]:
    """Return the package's names, the layer types not yet imported included."""
    return sorted({*globals(), *LAYERS, "from_torch"})
