"""The built-in models: a registry of what each is and the function that builds it.

Each family lives in its own module (:mod:`~cnncount.models.vgg`, :mod:`~cnncount.models.resnet`,
...). Models that reproduce a torchvision model module by module name it, and answer to
torchvision's name too (``mobilenet_v2``, ``vgg16_bn``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from cnncount.errors import UnknownModelError
from cnncount.models.alexnet import alexnet, alexnet_paper
from cnncount.models.convnext import convnext_tiny
from cnncount.models.densenet import densenet
from cnncount.models.efficientnet import efficientnet_b0
from cnncount.models.googlenet import googlenet
from cnncount.models.inception import inception_v3
from cnncount.models.lenet import lenet5
from cnncount.models.mnasnet import mnasnet1_0
from cnncount.models.mobilenet import mobilenet_v2, mobilenet_v3
from cnncount.models.regnet import regnet_y_400mf
from cnncount.models.resnet import resnet
from cnncount.models.shufflenet import shufflenet_v2_x1_0
from cnncount.models.squeezenet import squeezenet
from cnncount.models.vgg import vgg, vgg_modules
from cnncount.models.vit import vit_b_16
from cnncount.network import Network
from cnncount.shapes import Shape

__all__ = ["MODELS", "Model", "get_model", "model_names", "resolve"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """A built-in model: what it is, its usual input, how to build it, and its torchvision twin.

    ``build(*arguments, input_shape)`` returns the network. ``torchvision`` is the name of the
    torchvision model it reproduces layer by layer (None where it reproduces none).

    Examples:
        >>> model = MODELS["resnet50"]
        >>> model.input_shape, model.arguments, model.torchvision
        (Shape(3, 224, 224), (50,), 'resnet50')
    """

    description: str
    input_shape: Shape
    build: Callable[..., Network]
    arguments: tuple[object, ...]
    torchvision: str | None


def _vgg_modules(column: str, batch_norm: bool, avgpool: bool, input_shape: Shape) -> Network:
    return vgg_modules(column, input_shape, batch_norm, avgpool)


def _resnet_v1(depth: int, input_shape: Shape) -> Network:
    return resnet(depth, input_shape, stride_in_first=True)


def _wide_or_grouped_resnet(
    depth: int, groups: int, width_per_group: int, input_shape: Shape
) -> Network:
    return resnet(depth, input_shape, groups=groups, width_per_group=width_per_group)


_IMAGENET = Shape(3, 224, 224)
_VGG_COLUMNS = {
    "vgg11": "A",
    "vgg11-lrn": "A-LRN",
    "vgg13": "B",
    "vgg16-c": "C",
    "vgg16": "D",
    "vgg19": "E",
}
_VGG_DEPTHS = {"A": 11, "A-LRN": 11, "B": 13, "C": 16, "D": 16, "E": 19}


def _model(
    description: str,
    build: Callable[..., Network],
    *arguments: object,
    torchvision: str | None = None,
    input_shape: Shape = _IMAGENET,
) -> Model:
    return Model(
        description=description,
        input_shape=input_shape,
        build=build,
        arguments=arguments,
        torchvision=torchvision,
    )


MODELS: dict[str, Model] = {
    "lenet5": _model(
        "LeNet-5 (LeCun et al., 1998) as often drawn: C3 reads every map, plain average pooling",
        lenet5,
        input_shape=Shape(1, 32, 32),
    ),
    "alexnet": _model(
        "AlexNet as torchvision ships it, after Krizhevsky's 2014 one-tower variant: 64, 192, 384, "
        "256 and 256 filters, no LRN",
        alexnet,
        torchvision="alexnet",
    ),
    "alexnet-paper": _model(
        "AlexNet of the paper (Krizhevsky et al., 2012): two GPUs, so groups of 2 in layers 2, 4, 5",
        alexnet_paper,
        input_shape=Shape(3, 227, 227),
    ),
    **{
        name: _model(
            f"VGG configuration {column} ({_VGG_DEPTHS[column]} weight layers), "
            "Simonyan & Zisserman 2014, Table 1",
            vgg,
            column,
        )
        for name, column in _VGG_COLUMNS.items()
    },
    "vgg16-modules": _model(
        "VGG-16 (configuration D) written module by module as PyTorch runs it: each ReLU and "
        "dropout a layer, no adaptive pooling",
        _vgg_modules,
        "D",
        False,
        False,
    ),
    "vgg16-torchvision": _model(
        "torchvision's VGG-16: vgg16-modules with adaptive average pooling to 7x7 before fc1",
        _vgg_modules,
        "D",
        False,
        True,
        torchvision="vgg16",
    ),
    **{
        f"{name}-bn": _model(
            f"torchvision's {name} with batch normalisation after each convolution",
            _vgg_modules,
            _VGG_COLUMNS[name],
            True,
            True,
            torchvision=f"{name}_bn",
        )
        for name in ("vgg11", "vgg13", "vgg16", "vgg19")
    },
    **{
        f"resnet{depth}": _model(
            f"ResNet-{depth} (He et al., 2015), basic blocks, projection shortcuts where the shape "
            "changes (the paper's option B), as in torchvision",
            resnet,
            depth,
            torchvision=f"resnet{depth}",
        )
        for depth in (18, 34)
    },
    **{
        f"resnet{depth}": _model(
            f"ResNet-{depth} v1.5 as torchvision builds it: bottlenecks halve the map in their 3x3 "
            "convolution, projection shortcuts where the shape changes (option B)",
            resnet,
            depth,
            torchvision=f"resnet{depth}",
        )
        for depth in (50, 101, 152)
    },
    **{
        f"resnet{depth}-v1": _model(
            f"ResNet-{depth} v1 of the paper (He et al., 2015, Table 1): bottlenecks halve the map in "
            "their first 1x1 convolution, option B shortcuts",
            _resnet_v1,
            depth,
        )
        for depth in (50, 101, 152)
    },
    "resnext50-32x4d": _model(
        "ResNeXt-50 32x4d (Xie et al., 2017): ResNet-50 v1.5 whose 3x3 convolutions have 32 groups "
        "of 4 channels (twice as wide), as in torchvision",
        _wide_or_grouped_resnet,
        50,
        32,
        4,
        torchvision="resnext50_32x4d",
    ),
    "wide-resnet50-2": _model(
        "Wide ResNet-50-2 (Zagoruyko & Komodakis, 2016): ResNet-50 v1.5 with its bottlenecks twice "
        "as wide, as in torchvision",
        _wide_or_grouped_resnet,
        50,
        1,
        128,
        torchvision="wide_resnet50_2",
    ),
    "googlenet": _model(
        "GoogLeNet (Szegedy et al., 2014) as torchvision builds it: batch norm after each "
        "convolution, 3x3 where the paper's branch has 5x5, no auxiliary classifiers",
        googlenet,
        torchvision="googlenet",
    ),
    "mobilenet-v2": _model(
        "MobileNetV2 (Sandler et al., 2018), width 1.0, the paper's Table 2, as in torchvision",
        mobilenet_v2,
        torchvision="mobilenet_v2",
    ),
    **{
        f"mobilenet-v3-{size}": _model(
            f"MobileNetV3 {size.title()} (Howard et al., 2019): hard swish and squeeze-and-excitation, "
            "as in torchvision",
            mobilenet_v3,
            size,
            torchvision=f"mobilenet_v3_{size}",
        )
        for size in ("large", "small")
    },
    **{
        f"squeezenet{version}": _model(
            f"SqueezeNet {version} (Iandola et al., 2016), as in torchvision",
            squeezenet,
            version,
            torchvision=f"squeezenet{version.replace('.', '_')}",
        )
        for version in ("1.0", "1.1")
    },
    **{
        f"densenet{depth}": _model(
            f"DenseNet-{depth} (Huang et al., 2017), as in torchvision",
            densenet,
            depth,
            torchvision=f"densenet{depth}",
        )
        for depth in (121, 161)
    },
    "efficientnet-b0": _model(
        "EfficientNet-B0 (Tan & Le, 2019): MBConv blocks with squeeze-and-excitation, as in torchvision",
        efficientnet_b0,
        torchvision="efficientnet_b0",
    ),
    "convnext-tiny": _model(
        "ConvNeXt-Tiny (Liu et al., 2022): depthwise 7x7, layer norm, GELU and layer scale, "
        "as in torchvision",
        convnext_tiny,
        torchvision="convnext_tiny",
    ),
    "inception-v3": _model(
        "Inception-v3 (Szegedy et al., 2015), 7x7 factored into 1x7 and 7x1, as in torchvision but "
        "without the auxiliary classifier that torchvision builds by default",
        inception_v3,
        torchvision="inception_v3",
        input_shape=Shape(3, 299, 299),
    ),
    "regnet-y-400mf": _model(
        "RegNetY-400MF (Radosavovic et al., 2020): grouped bottlenecks with squeeze-and-excitation, "
        "as in torchvision",
        regnet_y_400mf,
        torchvision="regnet_y_400mf",
    ),
    "shufflenet-v2-x1.0": _model(
        "ShuffleNetV2 x1.0 (Ma et al., 2018): channel split, depthwise convolutions and channel "
        "shuffle, as in torchvision",
        shufflenet_v2_x1_0,
        torchvision="shufflenet_v2_x1_0",
    ),
    "mnasnet1.0": _model(
        "MnasNet-B1 at depth 1.0 as torchvision builds it (Tan et al., 2019): inverted residuals, "
        "no squeeze-and-excitation, so not the paper's headline A1",
        mnasnet1_0,
        torchvision="mnasnet1_0",
    ),
    "vit-b-16": _model(
        "ViT-B/16 (Dosovitskiy et al., 2020): 16x16 patches, twelve blocks of self-attention and "
        "MLPs on 768-value tokens, as in torchvision",
        vit_b_16,
        torchvision="vit_b_16",
    ),
}
"""Every built-in model, by name, in the order ``cnncount --list`` shows them."""

_ALIASES = {
    model.torchvision: name
    for name, model in MODELS.items()
    if model.torchvision is not None and model.torchvision not in MODELS
}


def model_names() -> list[str]:
    """Return the built-in models' names, in the order they are listed.

    Examples:
        >>> model_names()[:6]
        ['lenet5', 'alexnet', 'alexnet-paper', 'vgg11', 'vgg11-lrn', 'vgg13']
        >>> "inception-v3" in model_names(), "inception_v3" in model_names()
        (True, False)
    """
    return list(MODELS)


def resolve(name: str) -> str | None:
    """Return the built-in model that ``name`` (case-insensitive) or its torchvision name
    stands for, or None.

    Examples:
        >>> resolve("VGG16"), resolve("mobilenet_v2"), resolve("vgg16_bn"), resolve("vgg17")
        ('vgg16', 'mobilenet-v2', 'vgg16-bn', None)
    """
    key = name.lower()
    return key if key in MODELS else _ALIASES.get(key)


def get_model(name: str, input_shape: Shape | None = None) -> Network:
    """Return the built-in model called ``name`` (case-insensitive, or its torchvision name),
    fed ``input_shape`` (by default the model's usual input).

    Examples:
        >>> vgg16 = get_model("VGG16")
        >>> vgg16.name, vgg16.input_shape, len(vgg16.nodes)
        ('vgg16', Shape(3, 224, 224), 21)
        >>> get_model("resnet18", Shape(3, 64, 64)).nodes[-1].name
        'fc'
        >>> get_model("squeezenet1_1").name
        'squeezenet1.1'
        >>> get_model("vgg17")
        Traceback (most recent call last):
        ...
        cnncount.errors.UnknownModelError: unknown model 'vgg17' (close: vgg19, vgg16, vgg13); 'cnncount --list' names the built-in models
    """
    key = resolve(name)
    if key is None:
        raise UnknownModelError(name, [*MODELS, *_ALIASES])
    model = MODELS[key]
    network = model.build(
        *model.arguments, model.input_shape if input_shape is None else input_shape
    )
    return replace(network, name=key)
