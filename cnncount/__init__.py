"""cnncount: count the parameters, memory and compute of a convolutional network, exactly.

Examples:
    >>> import cnncount
    >>> summary = cnncount.summarize(cnncount.get_model("vgg16"))
    >>> f"{summary.totals.params:,}"
    '138,357,544'
"""

from __future__ import annotations

from cnncount.errors import CnncountError, LayerError, SpecError, UnknownModelError
from cnncount.layers import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    Conv2d,
    Flatten,
    Layer,
    Linear,
    MaxPool2d,
    PositionwiseLinear,
)
from cnncount.models import get_model, model_names
from cnncount.network import Builder, Network, Node
from cnncount.notation import parse_layer, parse_layers, parse_network
from cnncount.precision import Batch
from cnncount.shapes import Shape
from cnncount.summary import Row, Summary, summarize

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without the 3 ms import of typing
if TYPE_CHECKING:
    from cnncount.layers import (
        GELU,
        Add,
        BatchNorm2d,
        ChannelChunk,
        ChannelShuffle,
        ClassToken,
        ClassTokenReadout,
        Concat,
        ConvTranspose2d,
        Dropout,
        Hardsigmoid,
        Hardswish,
        LayerNorm,
        LayerScale,
        LocallyConnected2d,
        LocalResponseNorm,
        Merge,
        MultiheadAttention,
        Multiply,
        PatchEmbedding,
        PositionEmbedding,
        ReLU,
        ReLU6,
        Sigmoid,
        SiLU,
        Softmax,
        StochasticDepth,
        Tanh,
    )

__version__ = "0.1.0"

__all__ = [
    "GELU",
    "AdaptiveAvgPool2d",
    "Add",
    "AvgPool2d",
    "Batch",
    "BatchNorm2d",
    "Builder",
    "ChannelChunk",
    "ChannelShuffle",
    "ClassToken",
    "ClassTokenReadout",
    "CnncountError",
    "Concat",
    "Conv2d",
    "ConvTranspose2d",
    "Dropout",
    "Flatten",
    "Hardsigmoid",
    "Hardswish",
    "Layer",
    "LayerError",
    "LayerNorm",
    "LayerScale",
    "Linear",
    "LocalResponseNorm",
    "LocallyConnected2d",
    "MaxPool2d",
    "Merge",
    "MultiheadAttention",
    "Multiply",
    "Network",
    "Node",
    "PatchEmbedding",
    "PositionEmbedding",
    "PositionwiseLinear",
    "ReLU",
    "ReLU6",
    "Row",
    "Shape",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "SpecError",
    "StochasticDepth",
    "Summary",
    "Tanh",
    "UnknownModelError",
    "get_model",
    "model_names",
    "parse_layer",
    "parse_layers",
    "parse_network",
    "summarize",
]


def __getattr__(name: str) -> object:
    """Return one of the layers that :mod:`cnncount.layers` loads when first asked for.

    Examples:
        >>> from cnncount import PatchEmbedding
        >>> PatchEmbedding(768, 16)
        PatchEmbedding(dim=768, patch_size=16, bias=True)
    """
    from cnncount import layers

    if name not in layers.LAZY:
        raise AttributeError(f"module 'cnncount' has no attribute {name!r}")
    value: object = getattr(layers, name)
    return value
