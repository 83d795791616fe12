"""The built-in models: chains written in the layer notation, branching ones built in Python."""

from __future__ import annotations

from cnncount.errors import UnknownModelError
from cnncount.network import Network
from cnncount.notation import parse_network
from cnncount.record import Record
from cnncount.shapes import Shape

__all__ = ["MODELS", "Model", "get_model", "model_names"]


class Model(Record):
    """A built-in model: what it is, its usual input, and how to make it.

    Either ``spec`` writes it in the layer notation, or ``builder`` names a function of
    :mod:`cnncount.zoo` (module, function, leading arguments) that takes the input shape last.

    Examples:
        >>> MODELS["resnet50"].builder, MODELS["resnet50"].input_shape
        (('resnet', 'resnet', (50,)), Shape(3, 224, 224))
    """

    __slots__ = ("description", "input_shape", "spec", "builder")

    description: str
    input_shape: Shape
    spec: str
    builder: tuple[str, str, tuple[object, ...]] | None


_VGG_CLASSIFIER = "FC-4096 FC-4096 FC-1000"

_VGG = {
    "vgg11": (
        "VGG configuration A (11 weight layers), Simonyan & Zisserman 2014, Table 1",
        (
            "conv3-64 maxpool conv3-128 maxpool conv3-256 conv3-256 maxpool "
            f"conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"
        ),
    ),
    "vgg11-lrn": (
        "VGG configuration A-LRN: A with local response normalisation after the first layer",
        (
            "conv3-64 LRN maxpool conv3-128 maxpool conv3-256 conv3-256 maxpool "
            f"conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"
        ),
    ),
    "vgg13": (
        "VGG configuration B (13 weight layers)",
        (
            "conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool conv3-256 conv3-256 maxpool "
            f"conv3-512 conv3-512 maxpool conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"
        ),
    ),
    "vgg16-c": (
        "VGG configuration C (16 weight layers, a 1x1 convolution closing stages 3 to 5)",
        (
            "conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
            "conv3-256 conv3-256 conv1-256 maxpool conv3-512 conv3-512 conv1-512 maxpool "
            f"conv3-512 conv3-512 conv1-512 maxpool {_VGG_CLASSIFIER}"
        ),
    ),
    "vgg16": (
        "VGG configuration D (16 weight layers), the VGG-16 everyone quotes",
        (
            "conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
            "conv3-256 conv3-256 conv3-256 maxpool conv3-512 conv3-512 conv3-512 maxpool "
            f"conv3-512 conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"
        ),
    ),
    "vgg19": (
        "VGG configuration E (19 weight layers)",
        (
            "conv3-64 conv3-64 maxpool conv3-128 conv3-128 maxpool "
            "conv3-256 conv3-256 conv3-256 conv3-256 maxpool "
            "conv3-512 conv3-512 conv3-512 conv3-512 maxpool "
            f"conv3-512 conv3-512 conv3-512 conv3-512 maxpool {_VGG_CLASSIFIER}"
        ),
    ),
}
"""The VGG paper's configurations (Table 1) without the final soft-max, which has no
parameters (torchvision's models stop at the logits too); their ReLUs are implied."""


def _module_layout(paper: str, batch_norm: bool = False, avgpool: bool = True) -> str:
    """Return a VGG of the paper written module by module as torchvision runs it.

    Each convolution is followed by its batch norm (with ``batch_norm``) and ReLU, adaptive
    average pooling to 7x7 precedes the classifier (with ``avgpool``), and each hidden fully
    connected layer is followed by its ReLU and dropout.

    Examples:
        >>> _module_layout("conv3-64 maxpool FC-4096 FC-4096 FC-1000", batch_norm=True)
        'conv3-64 bn relu maxpool adaptiveavgpool7 FC-4096 relu dropout FC-4096 relu dropout FC-1000'
    """
    features = [token for token in paper.split() if not token.startswith("FC-")]
    written = [
        f"{token} bn relu"
        if batch_norm and token.startswith("conv")
        else f"{token} relu"
        if token.startswith("conv")
        else token
        for token in features
    ]
    pooling = ["adaptiveavgpool7"] if avgpool else []
    return " ".join([*written, *pooling, "FC-4096 relu dropout FC-4096 relu dropout FC-1000"])


_IMAGENET = Shape(3, 224, 224)

MODELS: dict[str, Model] = {
    "lenet5": Model(
        description="LeNet-5 (LeCun et al., 1998), its tanh and subsampling written as plain average pooling",
        input_shape=Shape(1, 32, 32),
        spec="conv5-6/p0 avgpool conv5-16/p0 avgpool FC-120 FC-84 FC-10",
        builder=None,
    ),
    "alexnet": Model(
        description="AlexNet as torchvision ships it: one tower, 64 filters first",
        input_shape=_IMAGENET,
        spec=(
            "conv11-64/s4/p2 relu maxpool3/s2 conv5-192 relu maxpool3/s2 conv3-384 relu "
            "conv3-256 relu conv3-256 relu maxpool3/s2 adaptiveavgpool6 "
            "dropout FC-4096 relu dropout FC-4096 relu FC-1000"
        ),
        builder=None,
    ),
    "alexnet-paper": Model(
        description="AlexNet of the paper (Krizhevsky et al., 2012): two GPUs, so groups of 2 in layers 2, 4, 5",
        input_shape=Shape(3, 227, 227),
        spec=(
            "conv11-96/s4/p0 relu LRN maxpool3/s2 conv5-256/g2 relu LRN maxpool3/s2 "
            "conv3-384 relu conv3-384/g2 relu conv3-256/g2 relu maxpool3/s2 "
            "FC-4096 relu dropout FC-4096 relu dropout FC-1000"
        ),
        builder=None,
    ),
    **{
        name: Model(description=description, input_shape=_IMAGENET, spec=spec, builder=None)
        for name, (description, spec) in _VGG.items()
    },
    "vgg16-modules": Model(
        description="VGG-16 written module by module as PyTorch runs it: each ReLU and dropout a layer",
        input_shape=_IMAGENET,
        spec=_module_layout(_VGG["vgg16"][1], avgpool=False),
        builder=None,
    ),
    "vgg16-torchvision": Model(
        description="torchvision's VGG-16: vgg16-modules with adaptive average pooling to 7x7 before fc1",
        input_shape=_IMAGENET,
        spec=_module_layout(_VGG["vgg16"][1]),
        builder=None,
    ),
    **{
        f"{name}-bn": Model(
            description=f"torchvision's {name} with batch normalisation after each convolution",
            input_shape=_IMAGENET,
            spec=_module_layout(_VGG[name][1], batch_norm=True),
            builder=None,
        )
        for name in ("vgg11", "vgg13", "vgg16", "vgg19")
    },
    **{
        f"resnet{depth}": Model(
            description=f"ResNet-{depth} (He et al., 2015), {'bottleneck' if depth >= 50 else 'basic'} blocks, as in torchvision",
            input_shape=_IMAGENET,
            spec="",
            builder=("resnet", "resnet", (depth,)),
        )
        for depth in (18, 34, 50, 101, 152)
    },
    "googlenet": Model(
        description="GoogLeNet (Szegedy et al., 2014) without its auxiliary classifiers, as in torchvision",
        input_shape=_IMAGENET,
        spec="",
        builder=("googlenet", "googlenet", ()),
    ),
    "mobilenet-v2": Model(
        description="MobileNetV2 (Sandler et al., 2018), width 1.0, as in torchvision",
        input_shape=_IMAGENET,
        spec="",
        builder=("mobilenet", "mobilenet_v2", ()),
    ),
    **{
        f"squeezenet{version}": Model(
            description=f"SqueezeNet {version} (Iandola et al., 2016), as in torchvision",
            input_shape=_IMAGENET,
            spec="",
            builder=("squeezenet", "squeezenet", (version,)),
        )
        for version in ("1.0", "1.1")
    },
    "densenet121": Model(
        description="DenseNet-121 (Huang et al., 2017), as in torchvision",
        input_shape=_IMAGENET,
        spec="",
        builder=("densenet", "densenet121", ()),
    ),
}
"""Every built-in model, by name, in the order ``cnncount --list`` shows them."""


def model_names() -> list[str]:
    """Return the built-in models' names, in the order they are listed.

    Examples:
        >>> model_names()[:6], len(model_names())
        (['lenet5', 'alexnet', 'alexnet-paper', 'vgg11', 'vgg11-lrn', 'vgg13'], 25)
    """
    return list(MODELS)


def get_model(name: str, input_shape: Shape | None = None) -> Network:
    """Return the built-in model called ``name`` (case-insensitive), fed ``input_shape``
    (by default the model's usual input).

    Examples:
        >>> vgg16 = get_model("VGG16")
        >>> vgg16.name, vgg16.input_shape, len(vgg16.nodes)
        ('vgg16', Shape(3, 224, 224), 21)
        >>> get_model("resnet18", Shape(3, 64, 64)).nodes[-1].name
        'fc'
        >>> get_model("vgg17")
        Traceback (most recent call last):
        ...
        cnncount.errors.UnknownModelError: unknown model 'vgg17' (close: vgg19, vgg16, vgg13); 'cnncount --list' names the built-in models
    """
    key = name.lower()
    if key not in MODELS:
        raise UnknownModelError(name, model_names())
    model = MODELS[key]
    shape = model.input_shape if input_shape is None else input_shape
    if model.builder is None:
        return parse_network(model.spec, shape, name=key)
    from importlib import import_module  # only the branching models need it, and it costs start-up

    module, function, arguments = model.builder
    network: Network = getattr(import_module(f"cnncount.zoo.{module}"), function)(*arguments, shape)
    return network.with_name(key)
