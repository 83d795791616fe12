"""Leaf modules -> cnncount layers: one table, :data:`MODULES`, keyed by qualified class name.

A module whose class is in the table is a *leaf*: the recorder
(:mod:`cnncount.readers.torch_trace`) maps it as a whole and does not look inside it. Every
other module is descended into, and the functions it calls are mapped by
:mod:`cnncount.readers.torch_functions`. The class must match exactly: a subclass may change
what ``forward`` does, so it is descended into.

How to add an entry (in this module, or in a module of its own named in :data:`EXTENSIONS`):

* decorate a function of a :class:`~cnncount.readers.torch_trace.Call` with
  ``@register("package.module.ClassName")`` (the class's ``__module__`` and ``__qualname__``);
* ``call.module`` is the module, its parameters and buffers meta tensors; ``call.flows`` its
  flowing inputs (:class:`~cnncount.readers.flow.Flow`, with a cnncount shape and a layout);
  ``call.source("NCHW", ...)`` the first, its layout checked; ``call.output`` what it returned;
* return a :class:`~cnncount.readers.torch_trace.Mapped`: the layers, in a chain whose first
  reads every flow (none where the output is the input moved), and the output's layout where it
  changes; or ``raise call.refuse("cnncount cannot count ...")``, one line.

Each leaf's parameters and buffers are counted by its layers: the tests compare every total with
torch's own.

Examples:
    >>> import torch
    >>> from cnncount.readers.torch import from_torch
    >>> model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.BatchNorm2d(8))
    >>> [str(node.layer) for node in from_torch(model, (3, 8, 8)).nodes]
    ['conv3-8', 'bn']
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from cnncount.layers.conv import Conv2d
from cnncount.layers.gates import GELU, Hardsigmoid, Hardswish, Sigmoid, SiLU, Tanh
from cnncount.layers.linear import Flatten, Linear, PositionwiseLinear
from cnncount.layers.norm import BatchNorm2d, LayerNorm
from cnncount.layers.padding import ReflectionPad2d, ReplicationPad2d
from cnncount.layers.pointwise import Dropout, ReLU, ReLU6, Softmax
from cnncount.layers.pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from cnncount.layers.residual import StochasticDepth
from cnncount.layers.transposed import ConvTranspose2d
from cnncount.readers.torch_trace import Call, Mapped, Mapping

__all__ = [
    "EXTENSIONS",
    "MODULES",
    "batch_norm",
    "conv",
    "gelu",
    "layer_norm",
    "linear",
    "load_extensions",
    "pool",
    "register",
    "softmax",
    "square",
]

MODULES: dict[str, Mapping] = {}
"""Each leaf module's qualified class name and the function that maps it onto layers."""

EXTENSIONS: tuple[str, ...] = ("cnncount.readers.torch_attention", "cnncount.readers.torch_timm")
"""The modules that register entries of their own into :data:`MODULES` (and into
:data:`~cnncount.readers.torch_functions.FUNCTIONS`), imported before a model is read."""

_NN = "torch.nn.modules"


def register(*names: str) -> Callable[[Mapping], Mapping]:
    """Return a decorator that enters its function in :data:`MODULES` under each of ``names``.

    Examples:
        >>> MODULES["torch.nn.modules.activation.ReLU"].__name__
        '_activation'
    """

    def enter(mapping: Mapping) -> Mapping:
        for name in names:
            MODULES[name] = mapping
        return mapping

    return enter


def load_extensions() -> None:
    """Import the modules of :data:`EXTENSIONS`, whose entries join the tables.

    Examples:
        >>> load_extensions()
    """
    for name in EXTENSIONS:
        import_module(name)


def square(call: Call, name: str, value: Any) -> int:
    """Return a pooling window's ``value`` as one number, refusing a window that is not square.

    Examples:
        >>> from cnncount.readers.torch_trace import _example_call
        >>> square(_example_call(), "kernel_size", (3, 3)), square(_example_call(), "stride", 2)
        (3, 2)
        >>> square(_example_call(), "kernel_size", (1, 3))
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: tiny: module 'head' (Sequential): cnncount pools with square windows only, not kernel_size=(1, 3)
    """
    sizes = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(sizes) != 2 or sizes[0] != sizes[1]:
        raise call.refuse(f"cnncount pools with square windows only, not {name}={value!r}")
    return int(sizes[0])


def conv(
    call: Call, weight: Any, bias: bool, stride: Any, padding: Any, dilation: Any, groups: int
) -> Mapped:
    """Return the convolution whose kernel is ``weight`` (out x in/groups x kh x kw), on a
    channels-first map; ``padding`` is a number, a pair, ``"same"`` or ``"valid"``.

    Examples:
        >>> import torch
        >>> from cnncount.readers.torch_trace import _example_call
        >>> weight = torch.empty(16, 8, 3, 3, device="meta")
        >>> [str(layer) for layer in conv(_example_call(), weight, True, 1, 1, 1, 1).layers]
        ['conv3-16']
    """
    call.source("NCHW")
    padding = _pair(0) if padding == "valid" else padding if padding == "same" else _pair(padding)
    kernel = (int(weight.shape[2]), int(weight.shape[3]))
    out = int(weight.shape[0])
    return Mapped((Conv2d(out, kernel, _pair(stride), padding, _pair(dilation), groups, bias),))


def _pair(value: Any) -> tuple[int, int]:
    """Return a size given as one number or as a (height, width) sequence, as a pair."""
    return (value[0], value[1]) if isinstance(value, (tuple, list)) else (value, value)


def linear(call: Call, out_features: int, bias: bool) -> Mapped:
    """Return a fully connected layer on a vector, or a linear layer at each position of a
    channels-last map or a sequence of tokens.

    Examples:
        >>> from cnncount.readers.torch_trace import _example_call
        >>> linear(_example_call(), 10, True)
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: tiny: module 'head' (Sequential): cnncount reads torch.flatten on a tensor laid out NC or NHWC or NLC, not NCHW
    """
    flow = call.source("NC", "NHWC", "NLC")
    kind = Linear if flow.layout == "NC" else PositionwiseLinear
    return Mapped((kind(out_features, bias),))


@register(f"{_NN}.conv.ConvTranspose2d")
def _conv_transpose2d(call: Call) -> Mapped:
    """A transposed convolution; its output padding is read off the output, which a forward
    given ``output_size`` sets."""
    module = call.module
    flow = call.source("NCHW")
    kernel, stride, padding, dilation = (
        _pair(value)
        for value in (module.kernel_size, module.stride, module.padding, module.dilation)
    )
    made = call.output_dims()[1:]
    extra = tuple(
        out - ((size - 1) * s - 2 * p + d * (k - 1) + 1)
        for out, size, s, p, d, k in zip(
            made, (flow.shape.height, flow.shape.width), stride, padding, dilation, kernel
        )
    )
    layer = ConvTranspose2d(
        module.out_channels,
        kernel,
        stride,
        padding,
        (extra[0], extra[1]),
        dilation,
        module.groups,
        module.bias is not None,
    )
    return Mapped((layer,))


@register(f"{_NN}.conv.Conv2d")
def _conv2d(call: Call) -> Mapped:
    """A convolution; with ``padding_mode`` "reflect" or "replicate" the padding is a layer of
    its own before it, as PyTorch pads the input with ``F.pad`` and then convolves unpadded."""
    module = call.module
    bias = module.bias is not None
    if module.padding_mode == "zeros":
        return conv(
            call, module.weight, bias, module.stride, module.padding, module.dilation, module.groups
        )
    copied = {"reflect": ReflectionPad2d, "replicate": ReplicationPad2d}.get(module.padding_mode)
    if copied is None:
        raise call.refuse(
            "cnncount pads a convolution with zeros, by reflection or by replication, not "
            f"padding_mode={module.padding_mode!r}"
        )
    left, right, top, bottom = module._reversed_padding_repeated_twice
    convolution = conv(call, module.weight, bias, module.stride, 0, module.dilation, module.groups)
    return Mapped((copied(top, bottom, left, right), *convolution.layers))


@register(f"{_NN}.linear.Linear")
def _linear(call: Call) -> Mapped:
    return linear(call, call.module.out_features, call.module.bias is not None)


def batch_norm(call: Call, running: bool, scale: bool, center: bool) -> Mapped:
    """Return batch norm on a channels-first map, with its ``running`` statistics, its learned
    ``scale`` and ``center`` or not.

    Examples:
        >>> from cnncount.readers.torch_trace import _example_call
        >>> batch_norm(_example_call(), True, True, True).layers
        (BatchNorm2d(scale=True, center=True),)
    """
    call.source("NCHW")
    if not running:
        raise call.refuse("cnncount counts batch norm with running statistics only")
    return Mapped((BatchNorm2d(scale=scale, center=center),))


def layer_norm(
    call: Call, normalized: list[int], scale: bool, center: bool, *layouts: str
) -> Mapped:
    """Return layer norm over the ``normalized`` sizes, which must be the channels, on a tensor
    of one of ``layouts``.

    Examples:
        >>> from cnncount.readers.torch_trace import _example_call
        >>> layer_norm(_example_call(), [8], True, False, "NCHW").layers
        (LayerNorm(scale=True, center=False),)
    """
    channels = call.source(*layouts).shape.channels
    if normalized != [channels]:
        raise call.refuse(f"cnncount normalises over the channels, {channels}, not {normalized}")
    return Mapped((LayerNorm(scale=scale, center=center),))


@register(f"{_NN}.batchnorm.BatchNorm2d")
def _batch_norm(call: Call) -> Mapped:
    norm = call.module
    return batch_norm(
        call, norm.track_running_stats, norm.weight is not None, norm.bias is not None
    )


@register(f"{_NN}.normalization.LayerNorm")
def _layer_norm(call: Call) -> Mapped:
    return _module_layer_norm(call, "NHWC", "NLC", "NC")


@register("torchvision.models.convnext.LayerNorm2d")
def _layer_norm_2d(call: Call) -> Mapped:
    return _module_layer_norm(call, "NCHW")


def _module_layer_norm(call: Call, *layouts: str) -> Mapped:
    norm = call.module
    scale, center = norm.weight is not None, norm.bias is not None
    return layer_norm(call, list(norm.normalized_shape), scale, center, *layouts)


def pool(
    call: Call,
    kind: type[MaxPool2d | AvgPool2d],
    kernel: Any,
    stride: Any,
    padding: Any,
    ceil: bool,
) -> Mapped:
    """Return the pooling layer of ``kind`` with a square window; no ``stride`` is the kernel's.

    Examples:
        >>> from cnncount.readers.torch_trace import _example_call
        >>> pool(_example_call(), MaxPool2d, 3, None, 1, False).layers
        (MaxPool2d(kernel_size=3, stride=3, padding=1, ceil_mode=False),)
    """
    call.source("NCHW")
    size = square(call, "kernel_size", kernel)
    step = square(call, "stride", stride) if stride else size
    return Mapped((kind(size, step, square(call, "padding", padding), bool(ceil)),))


@register(f"{_NN}.pooling.MaxPool2d")
def _max_pool(call: Call) -> Mapped:
    module = call.module
    if square(call, "dilation", module.dilation) != 1 or module.return_indices:
        raise call.refuse("cnncount counts max pooling without dilation or returned indices")
    return pool(
        call, MaxPool2d, module.kernel_size, module.stride, module.padding, module.ceil_mode
    )


@register(f"{_NN}.pooling.AvgPool2d")
def _avg_pool(call: Call) -> Mapped:
    module = call.module
    return pool(
        call, AvgPool2d, module.kernel_size, module.stride, module.padding, module.ceil_mode
    )


@register(f"{_NN}.pooling.AdaptiveAvgPool2d")
def _adaptive_avg_pool(call: Call) -> Mapped:
    call.source("NCHW")
    height, width = (int(size) for size in call.output.shape[2:])
    return Mapped((AdaptiveAvgPool2d(height, width),))


@register(f"{_NN}.flatten.Flatten")
def _flatten(call: Call) -> Mapped:
    flatten = call.module
    flow = call.source("NCHW", "NC")
    if (flatten.start_dim, flatten.end_dim) != (1, -1):
        raise call.refuse("cnncount flattens from the channels on (start_dim=1, end_dim=-1) only")
    return Mapped((Flatten(),) if flow.layout == "NCHW" else ())


@register(f"{_NN}.dropout.Dropout")
def _dropout(call: Call) -> Mapped:
    return Mapped((Dropout(call.module.p),))


@register("torchvision.ops.stochastic_depth.StochasticDepth")
def _stochastic_depth(call: Call) -> Mapped:
    return Mapped((StochasticDepth(call.module.p),))


@register(f"{_NN}.linear.Identity")
def _identity(call: Call) -> Mapped:
    return Mapped()


@register(f"{_NN}.activation.GELU")
def _gelu(call: Call) -> Mapped:
    return Mapped((gelu(call, call.module.approximate),))


def gelu(call: Call, approximate: str) -> GELU:
    """Return GELU, exact (``approximate="none"``) or its tanh approximation, as PyTorch names
    them; refuse any other ``approximate``.

    Examples:
        >>> from cnncount.readers.torch_trace import _example_call
        >>> gelu(_example_call(), "none"), gelu(_example_call(), "tanh")
        (GELU(tanh=False), GELU(tanh=True))
        >>> gelu(_example_call(), "erf")
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: tiny: module 'head' (Sequential): cnncount cannot count GELU with approximate='erf'
    """
    if approximate not in ("none", "tanh"):
        raise call.refuse(f"cnncount cannot count GELU with approximate={approximate!r}")
    return GELU(tanh=approximate == "tanh")


def softmax(call: Call, dim: Any, log: bool) -> Mapped:
    """Return the soft-max (or its logarithm, ``log``) over the features of a vector or the
    channels of a map, which ``dim`` must name.

    Examples:
        >>> from cnncount.readers.torch_trace import _example_call
        >>> str(softmax(_example_call(), 1, log=True).layers[0])
        'log-soft-max'
        >>> softmax(_example_call(), 2, log=False)
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: tiny: module 'head' (Sequential): cnncount takes the soft-max over the channels (dim=1), not dim=2
    """
    flow = call.source("NC", "NCHW")
    if dim is None or dim % (len(flow.dims()) + 1) != 1:
        raise call.refuse(f"cnncount takes the soft-max over the channels (dim=1), not dim={dim}")
    return Mapped((Softmax(log=log),))


@register(f"{_NN}.activation.Softmax", f"{_NN}.activation.LogSoftmax")
def _softmax(call: Call) -> Mapped:
    return softmax(call, call.module.dim, log=type(call.module).__name__ == "LogSoftmax")


_POINTWISE = {
    "ReLU": ReLU,
    "ReLU6": ReLU6,
    "SiLU": SiLU,
    "Hardswish": Hardswish,
    "Hardsigmoid": Hardsigmoid,
    "Sigmoid": Sigmoid,
    "Tanh": Tanh,
}
"""The activations of ``torch.nn.modules.activation`` that have no option cnncount needs, and
their layers."""


@register(*(f"{_NN}.activation.{name}" for name in _POINTWISE))
def _activation(call: Call) -> Mapped:
    return Mapped((_POINTWISE[type(call.module).__name__](),))
