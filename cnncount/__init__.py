"""cnncount: count the parameters, memory and compute of a convolutional network, exactly.

Examples:
    >>> import cnncount
    >>> summary = cnncount.summarize(cnncount.get_model("vgg16"))
    >>> f"{summary.totals.params:,}"
    '138,357,544'
"""

from __future__ import annotations

from cnncount import layers
from cnncount.errors import CnncountError, LayerError, SpecError, UnknownModelError
from cnncount.layers import LAYERS
from cnncount.layers.base import Layer
from cnncount.models import get_model, model_names
from cnncount.network import Builder, Network, Node
from cnncount.notation import parse_layer, parse_layers, parse_network
from cnncount.precision import Batch
from cnncount.shapes import Shape
from cnncount.summary import Row, Summary, summarize

__version__ = "0.1.0"

__all__ = [
    "Batch",
    "Builder",
    "CnncountError",
    "Layer",
    "LayerError",
    "Network",
    "Node",
    "Row",
    "Shape",
    "SpecError",
    "Summary",
    "UnknownModelError",
    "get_model",
    "model_names",
    "parse_layer",
    "parse_layers",
    "parse_network",
    "summarize",
] + list(LAYERS)


def __getattr__(name: str) -> type[Layer]:
    """Return the layer type ``name`` of :mod:`cnncount.layers`, imported when first asked for.

    Examples:
        >>> __getattr__("PatchEmbedding").__module__
        'cnncount.layers.tokens'
        >>> __getattr__("Conv3d")
        Traceback (most recent call last):
        ...
        AttributeError: module 'cnncount' has no attribute 'Conv3d'
    """
    if name not in LAYERS:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    layer: type[Layer] = getattr(layers, name)
    globals()[name] = layer
    return layer


def __dir__() -> list[str]:
    """Return the package's names, the layer types not yet imported included."""
    return sorted({*globals(), *LAYERS})
