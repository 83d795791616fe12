"""The built-in models: a registry of what each is and the function that builds it.

Each family lives in its own module (:mod:`~cnncount.models.vgg`, :mod:`~cnncount.models.resnet`,
...). Models that reproduce a torchvision model module by module name it, and answer to
torchvision's name too (``mobilenet_v2``, ``vgg16_bn``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import import_module

from cnncount.errors import UnknownModelError
from cnncount.network import Network
from cnncount.shapes import Shape

__all__ = ["MODELS", "Model", "get_model", "model_names", "resolve"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """A built-in model: what it is, its usual input, the function that builds it, and its
    torchvision twin.

    The builder is ``function`` of the family's module ``cnncount.models.<module>``, called with
    ``arguments``, ``keywords`` and the input shape; the module is imported when the model is
    built, so that the registry loads no family. ``torchvision`` is the name of the torchvision
    model it reproduces layer by layer (None where it reproduces none).

    Examples:
        >>> model = MODELS["resnet50"]
        >>> model.input_shape, model.module, model.function, model.arguments, model.torchvision
        (Shape(3, 224, 224), 'resnet', 'resnet', (50,), 'resnet50')
        >>> MODELS["wide-resnet50-2"].keywords
        (('width_per_group', 128),)
    """

    description: str
    input_shape: Shape
    module: str
    function: str
    arguments: tuple[object, ...]
    keywords: tuple[tuple[str, object], ...]
    torchvision: str | None

    def build(self, input_shape: Shape) -> Network:
        """Return the network, fed ``input_shape``, its family's module imported if need be.

        Examples:
            >>> MODELS["vgg16"].build(Shape(3, 32, 32)).nodes[-1].name
            'fc3'
        """
        family = import_module(f"cnncount.models.{self.module}")
        network: Network = getattr(family, self.function)(
            *self.arguments, input_shape=input_shape, **dict(self.keywords)
        )
        return network


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
    builder: str,
    *arguments: object,
    torchvision: str | None = None,
    input_shape: Shape = _IMAGENET,
    **keywords: object,
) -> Model:
    """Return the registry's entry of a model that ``builder`` (``module.function``) builds."""
    module, _, function = builder.partition(".")
    return Model(
        description=description,
        input_shape=input_shape,
        module=module,
        function=function,
        arguments=arguments,
        keywords=tuple(keywords.items()),
        torchvision=torchvision,
    )


MODELS: dict[str, Model] = {
    "lenet5": _model(
        "LeNet-5 (LeCun et al., 1998) as often drawn: C3 reads every map, plain average pooling",
        "lenet.lenet5",
        input_shape=Shape(1, 32, 32),
    ),
    "alexnet": _model(
        "AlexNet as torchvision ships it, after Krizhevsky's 2014 one-tower variant: 64, 192, 384, "
        "256 and 256 filters, no LRN",
        "alexnet.alexnet",
        torchvision="alexnet",
    ),
    "alexnet-paper": _model(
        "AlexNet of the paper (Krizhevsky et al., 2012): two GPUs, so groups of 2 in layers 2, 4, 5",
        "alexnet.alexnet_paper",
        input_shape=Shape(3, 227, 227),
    ),
    **{
        name: _model(
            f"VGG configuration {column} ({_VGG_DEPTHS[column]} weight layers), "
            "Simonyan & Zisserman 2014, Table 1",
            "vgg.vgg",
            column,
        )
        for name, column in _VGG_COLUMNS.items()
    },
    "vgg16-modules": _model(
        "VGG-16 (configuration D) written module by module as PyTorch runs it: each ReLU and "
        "dropout a layer, no adaptive pooling",
        "vgg.vgg_modules",
        "D",
        avgpool=False,
    ),
    "vgg16-torchvision": _model(
        "torchvision's VGG-16: vgg16-modules with adaptive average pooling to 7x7 before fc1",
        "vgg.vgg_modules",
        "D",
        torchvision="vgg16",
    ),
    **{
        f"{name}-bn": _model(
            f"torchvision's {name} with batch normalisation after each convolution",
            "vgg.vgg_modules",
            _VGG_COLUMNS[name],
            batch_norm=True,
            torchvision=f"{name}_bn",
        )
        for name in ("vgg11", "vgg13", "vgg16", "vgg19")
    },
    **{
        f"resnet{depth}": _model(
            f"ResNet-{depth} (He et al., 2015), basic blocks, projection shortcuts where the shape "
            "changes (the paper's option B), as in torchvision",
            "resnet.resnet",
            depth,
            torchvision=f"resnet{depth}",
        )
        for depth in (18, 34)
    },
    **{
        f"resnet{depth}": _model(
            f"ResNet-{depth} v1.5 as torchvision builds it: bottlenecks halve the map in their 3x3 "
            "convolution, projection shortcuts where the shape changes (option B)",
            "resnet.resnet",
            depth,
            torchvision=f"resnet{depth}",
        )
        for depth in (50, 101, 152)
    },
    **{
        f"resnet{depth}-v1": _model(
            f"ResNet-{depth} v1 of the paper (He et al., 2015, Table 1): bottlenecks halve the map in "
            "their first 1x1 convolution, option B shortcuts",
            "resnet.resnet",
            depth,
            stride_in_first=True,
        )
        for depth in (50, 101, 152)
    },
    "resnext50-32x4d": _model(
        "ResNeXt-50 32x4d (Xie et al., 2017): ResNet-50 v1.5 whose 3x3 convolutions have 32 groups "
        "of 4 channels (twice as wide), as in torchvision",
        "resnet.resnet",
        50,
        groups=32,
        width_per_group=4,
        torchvision="resnext50_32x4d",
    ),
    "wide-resnet50-2": _model(
        "Wide ResNet-50-2 (Zagoruyko & Komodakis, 2016): ResNet-50 v1.5 with its bottlenecks twice "
        "as wide, as in torchvision",
        "resnet.resnet",
        50,
        width_per_group=128,
        torchvision="wide_resnet50_2",
    ),
    "googlenet": _model(
        "GoogLeNet (Szegedy et al., 2014) as torchvision builds it: batch norm after each "
        "convolution, 3x3 where the paper's branch has 5x5, no auxiliary classifiers",
        "googlenet.googlenet",
        torchvision="googlenet",
    ),
    "mobilenet-v2": _model(
        "MobileNetV2 (Sandler et al., 2018), width 1.0, the paper's Table 2, as in torchvision",
        "mobilenet.mobilenet_v2",
        torchvision="mobilenet_v2",
    ),
    **{
        f"mobilenet-v3-{size}": _model(
            f"MobileNetV3 {size.title()} (Howard et al., 2019): hard swish and squeeze-and-excitation, "
            "as in torchvision",
            "mobilenet.mobilenet_v3",
            size,
            torchvision=f"mobilenet_v3_{size}",
        )
        for size in ("large", "small")
    },
    **{
        f"squeezenet{version}": _model(
            f"SqueezeNet {version} (Iandola et al., 2016), as in torchvision",
            "squeezenet.squeezenet",
            version,
            torchvision=f"squeezenet{version.replace('.', '_')}",
        )
        for version in ("1.0", "1.1")
    },
    **{
        f"densenet{depth}": _model(
            f"DenseNet-{depth} (Huang et al., 2017), as in torchvision",
            "densenet.densenet",
            depth,
            torchvision=f"densenet{depth}",
        )
        for depth in (121, 161)
    },
    "efficientnet-b0": _model(
        "EfficientNet-B0 (Tan & Le, 2019): MBConv blocks with squeeze-and-excitation, as in torchvision",
        "efficientnet.efficientnet_b0",
        torchvision="efficientnet_b0",
    ),
    "convnext-tiny": _model(
        "ConvNeXt-Tiny (Liu et al., 2022): depthwise 7x7, layer norm, GELU and layer scale, "
        "as in torchvision",
        "convnext.convnext_tiny",
        torchvision="convnext_tiny",
    ),
    "inception-v3": _model(
        "Inception-v3 (Szegedy et al., 2015), 7x7 factored into 1x7 and 7x1, as in torchvision but "
        "without the auxiliary classifier that torchvision builds by default",
        "inception.inception_v3",
        torchvision="inception_v3",
        input_shape=Shape(3, 299, 299),
    ),
    "regnet-y-400mf": _model(
        "RegNetY-400MF (Radosavovic et al., 2020): grouped bottlenecks with squeeze-and-excitation, "
        "as in torchvision",
        "regnet.regnet_y_400mf",
        torchvision="regnet_y_400mf",
    ),
    "shufflenet-v2-x1.0": _model(
        "ShuffleNetV2 x1.0 (Ma et al., 2018): channel split, depthwise convolutions and channel "
        "shuffle, as in torchvision",
        "shufflenet.shufflenet_v2_x1_0",
        torchvision="shufflenet_v2_x1_0",
    ),
    "mnasnet1.0": _model(
        "MnasNet-B1 at depth 1.0 as torchvision builds it (Tan et al., 2019): inverted residuals, "
        "no squeeze-and-excitation, so not the paper's headline A1",
        "mnasnet.mnasnet1_0",
        torchvision="mnasnet1_0",
    ),
    "vit-b-16": _model(
        "ViT-B/16 (Dosovitskiy et al., 2020): 16x16 patches, twelve blocks of self-attention and "
        "MLPs on 768-value tokens, as in torchvision",
        "vit.vit_b_16",
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
    network = model.build(model.input_shape if input_shape is None else input_shape)
    return replace(network, name=key)
