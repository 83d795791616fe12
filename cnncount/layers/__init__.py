"""The layer types: each answers, for an input shape, its output shape and its counts.

The layers that a chain in the VGG paper's notation does not use load when one of them is first
asked for, so that a network without them does not pay for their import: merges
(:mod:`~cnncount.layers.merge`), normalisations (:mod:`~cnncount.layers.norm`), the rectifiers,
dropout and the soft-max (:mod:`~cnncount.layers.pointwise`), transposed convolution
(:mod:`~cnncount.layers.transposed`), the locally connected layer
(:mod:`~cnncount.layers.local`), gates and self-gated activations
(:mod:`~cnncount.layers.gates`), layer scale and stochastic depth
(:mod:`~cnncount.layers.residual`), channel chunks and shuffles
(:mod:`~cnncount.layers.channels`), and the layers of transformers
(:mod:`~cnncount.layers.tokens`, :mod:`~cnncount.layers.attention`).
"""

from __future__ import annotations

from cnncount.layers.base import Layer
from cnncount.layers.conv import Conv2d
from cnncount.layers.linear import Flatten, Linear, PositionwiseLinear
from cnncount.layers.pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without the 3 ms import of typing
if TYPE_CHECKING:
    from cnncount.layers.attention import MultiheadAttention
    from cnncount.layers.channels import ChannelChunk, ChannelShuffle
    from cnncount.layers.gates import GELU, Hardsigmoid, Hardswish, Sigmoid, SiLU, Tanh
    from cnncount.layers.local import LocallyConnected2d
    from cnncount.layers.merge import Add, Concat, Merge, Multiply
    from cnncount.layers.norm import BatchNorm2d, LayerNorm, LocalResponseNorm
    from cnncount.layers.pointwise import Dropout, ReLU, ReLU6, Softmax
    from cnncount.layers.residual import LayerScale, StochasticDepth
    from cnncount.layers.tokens import (
        ClassToken,
        ClassTokenReadout,
        PatchEmbedding,
        PositionEmbedding,
    )
    from cnncount.layers.transposed import ConvTranspose2d

__all__ = [
    "GELU",
    "AdaptiveAvgPool2d",
    "Add",
    "AvgPool2d",
    "BatchNorm2d",
    "ChannelChunk",
    "ChannelShuffle",
    "ClassToken",
    "ClassTokenReadout",
    "Concat",
    "Conv2d",
    "ConvTranspose2d",
    "Dropout",
    "Flatten",
    "Hardsigmoid",
    "Hardswish",
    "Layer",
    "LayerNorm",
    "LayerScale",
    "Linear",
    "LocalResponseNorm",
    "LocallyConnected2d",
    "MaxPool2d",
    "Merge",
    "MultiheadAttention",
    "Multiply",
    "PatchEmbedding",
    "PositionEmbedding",
    "PositionwiseLinear",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "StochasticDepth",
    "Tanh",
]

LAZY = {
    "Add": "merge",
    "Concat": "merge",
    "Merge": "merge",
    "Multiply": "merge",
    "BatchNorm2d": "norm",
    "LayerNorm": "norm",
    "LocalResponseNorm": "norm",
    "Dropout": "pointwise",
    "ReLU": "pointwise",
    "ReLU6": "pointwise",
    "Softmax": "pointwise",
    "ConvTranspose2d": "transposed",
    "LocallyConnected2d": "local",
    "GELU": "gates",
    "Hardsigmoid": "gates",
    "Hardswish": "gates",
    "Sigmoid": "gates",
    "Tanh": "gates",
    "SiLU": "gates",
    "LayerScale": "residual",
    "StochasticDepth": "residual",
    "MultiheadAttention": "attention",
    "ChannelChunk": "channels",
    "ChannelShuffle": "channels",
    "ClassToken": "tokens",
    "ClassTokenReadout": "tokens",
    "PatchEmbedding": "tokens",
    "PositionEmbedding": "tokens",
}
"""The layers loaded when first asked for, and the module of each."""


def __getattr__(name: str) -> object:
    """Return a layer of :data:`LAZY`, importing its module on first use.

    Examples:
        >>> from cnncount.layers import MultiheadAttention
        >>> MultiheadAttention(12)
        MultiheadAttention(heads=12, bias=True)
    """
    if name not in LAZY:
        raise AttributeError(f"module 'cnncount.layers' has no attribute {name!r}")
    module = __import__(f"cnncount.layers.{LAZY[name]}", fromlist=[name])
    value: object = getattr(module, name)
    globals()[name] = value
    return value
