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

from cnncount.layers.base import Layer as Layer

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
    "Dropout": "pointwise",
    "Flatten": "linear",
    "GELU": "gates",
    "Hardsigmoid": "gates",
    "Hardswish": "gates",
    "LayerNorm": "norm",
    "LayerScale": "residual",
    "Linear": "linear",
    "LocalResponseNorm": "norm",
    "LocallyConnected2d": "local",
    "MaxPool2d": "pool",
    "Merge": "merge",
    "MultiheadAttention": "attention",
    "Multiply": "merge",
    "PatchEmbedding": "tokens",
    "PositionEmbedding": "tokens",
    "PositionwiseLinear": "linear",
    "ReLU": "pointwise",
    "ReLU6": "pointwise",
    "SiLU": "gates",
    "Sigmoid": "gates",
    "Softmax": "pointwise",
    "StochasticDepth": "residual",
    "Tanh": "gates",
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
