"""cnncount: count the parameters, memory and compute of a convolutional network, exactly.

Examples:
    >>> import cnncount
    >>> summary = cnncount.summarize(cnncount.get_model("vgg16"))
    >>> f"{summary.totals.params:,}"
    '138,357,544'
"""

from __future__ import annotations

from cnncount.errors import CnncountError, LayerError, ReadError, SpecError, UnknownModelError
from cnncount.layers import (
    GELU,
    AdaptiveAvgPool2d,
    Add,
    AvgPool2d,
    BatchNorm2d,
    ChannelChunk,
    ChannelShuffle,
    ClassToken,
    ClassTokenReadout,
    Concat,
    Conv2d,
    ConvTranspose2d,
    Dropout,
    Flatten,
    Hardsigmoid,
    Hardswish,
    Layer,
    LayerNorm,
    LayerScale,
    Linear,
    LocallyConnected2d,
    LocalResponseNorm,
    MaxPool2d,
    Merge,
    MultiheadAttention,
    Multiply,
    PatchEmbedding,
    PositionEmbedding,
    PositionwiseLinear,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    StochasticDepth,
    Tanh,
    ZeroPad2d,
)
from cnncount.models import get_model, model_names
from cnncount.network import Builder, Network, Node
from cnncount.notation import parse_layer, parse_layers, parse_network
from cnncount.precision import Batch
from cnncount.shapes import Shape
from cnncount.summary import Row, Summary, summarize

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
    "ReadError",
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
    "ZeroPad2d",
    "get_model",
    "model_names",
    "parse_layer",
    "parse_layers",
    "parse_network",
    "summarize",
]
