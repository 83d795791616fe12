"""The built-in models, each written in the layer notation of :mod:`cnncount.notation`."""

from __future__ import annotations

from cnncount.errors import UnknownModelError
from cnncount.network import Network
from cnncount.notation import DEFAULT_INPUT, parse_network
from cnncount.shapes import Shape

__all__ = ["MODELS", "get_model", "model_names"]

_VGG_CLASSIFIER = "FC-4096 FC-4096 FC-1000"

MODELS: dict[str, tuple[str, str]] = {
    "vgg11": (
        "VGG configuration A (11 weight layers), Simonyan & Zisserman 2014, Table 1",
        ("conv3-64 maxpool conv3-128 maxpool conv3-256 conv3-256 maxpool "
        f"conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"),
    ),
    "vgg11-lrn": (
        "VGG configuration A-LRN: A with local response normalisation after the first layer",
        ("conv3-64 LRN maxpool conv3-128 maxpool conv3-256 conv3-256 maxpool "
        f"conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"),
    ),
    "vgg13": (
        "VGG configuration B (13 weight layers)",
        ("conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool conv3-256 conv3-256 maxpool "
        f"conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"),
    ),
    "vgg16-c": (
        "VGG configuration C (16 weight layers, a 1x1 convolution closing stages 3 to 5)",
        ("conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
        "conv3-256 conv3-256 conv1-256 maxpool conv3-512 conv3-512 conv1-512 maxpool "
        f"conv3-512 conv3-512 conv1-512 maxpool {_VGG_CLASSIFIER}"),
    ),
    "vgg16": (
        "VGG configuration D (16 weight layers), the VGG-16 everyone quotes",
        ("conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
        "conv3-256 conv3-256 conv3-256 maxpool conv3-512 conv3-512 conv3-512 maxpool "
        f"conv3-512 conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"),
    ),
    "vgg16-modules": (
        "VGG-16 written module by module as PyTorch runs it: each ReLU and dropout a layer",
        ("conv3-64 relu conv3-64 relu maxpool conv3-128 relu conv3-128 relu maxpool "
        "conv3-256 relu conv3-256 relu conv3-256 relu maxpool "
        "conv3-512 relu conv3-512 relu conv3-512 relu maxpool "
        "conv3-512 relu conv3-512 relu conv3-512 relu maxpool "
        "FC-4096 relu dropout FC-4096 relu dropout FC-1000"),
    ),
    "vgg16-torchvision": (
        "torchvision's VGG-16: vgg16-modules with adaptive average pooling to 7x7 before fc1",
        ("conv3-64 relu conv3-64 relu maxpool conv3-128 relu conv3-128 relu maxpool "
        "conv3-256 relu conv3-256 relu conv3-256 relu maxpool "
        "conv3-512 relu conv3-512 relu conv3-512 relu maxpool "
        "conv3-512 relu conv3-512 relu conv3-512 relu maxpool adaptiveavgpool7 "
        "FC-4096 relu dropout FC-4096 relu dropout FC-1000"),
    ),
    "vgg19": (
        "VGG configuration E (19 weight layers)",
        ("conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
        "conv3-256 conv3-256 conv3-256 conv3-256 maxpool "
        "conv3-512 conv3-512 conv3-512 conv3-512 maxpool "
        f"conv3-512 conv3-512 conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"),
    ),
}
"""Each built-in model's name, with its description and its layers in the notation.

The VGG configurations are the paper's Table 1 columns without the final soft-max, which
has no parameters (torchvision's models stop at the logits too); their ReLUs are implied.
``vgg16-modules`` and ``vgg16-torchvision`` write out every module PyTorch runs, which the
tools that count modules (torchsummary, ptflops, calflops) see.
"""


def model_names() -> list[str]:
    """Return the built-in models' names, in the order they are listed.

    Examples:
        >>> model_names()
        ['vgg11', 'vgg11-lrn', 'vgg13', 'vgg16-c', 'vgg16', 'vgg16-modules', 'vgg16-torchvision', 'vgg19']
    """
    return list(MODELS)


def get_model(name: str, input_shape: Shape = DEFAULT_INPUT) -> Network:
    """Return the built-in model called ``name`` (case-insensitive), fed ``input_shape``.

    Examples:
        >>> vgg16 = get_model("VGG16")
        >>> vgg16.name, vgg16.input_shape, len(vgg16.nodes)
        ('vgg16', Shape(3, 224, 224), 21)
        >>> get_model("vgg17")
        Traceback (most recent call last):
        ...
        cnncount.errors.UnknownModelError: unknown model 'vgg17' (close: vgg19, vgg16, vgg13); 'cnncount --list' names the built-in models
    """
    key = name.lower()
    if key not in MODELS:
        raise UnknownModelError(name, model_names())
    return parse_network(MODELS[key][1], input_shape, name=key)
