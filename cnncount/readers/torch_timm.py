"""timm's blocks -> cnncount layers, entered into the PyTorch reader's tables.

timm (``pip install timm``) builds its models from a few hundred module classes. Most are
containers, and the reader descends into them; this module names, by qualified class name, the
ones it maps as a whole (:data:`~cnncount.readers.torch_modules.MODULES`): timm's convolutions
with "same" padding or standardised weights, its patch embedding, its activations, drop path,
layer scale and self-attention. It also enters the functions that timm's blocks call into
:data:`~cnncount.readers.torch_functions.FUNCTIONS` (group norm inside ``GroupNorm1``,
interpolation, equal splits, leaky rectifiers) where the reader's own table has no entry of that
name, its own entries coming first; and it puts a map and a number (``x * 0.5``, ``x - 1``)
before the reader's entries for the four arithmetic operators. The class token, the position
embedding and its readout are :mod:`cnncount.readers.torch_attention`'s.

Examples:
    >>> import torch
    >>> from timm.layers import BatchNormAct2d, Conv2dSame
    >>> from cnncount import from_torch
    >>> model = torch.nn.Sequential(Conv2dSame(3, 8, 3, stride=2), BatchNormAct2d(8))
    >>> [(node.name, str(node.layer)) for node in from_torch(model, (3, 15, 15), name="tiny").nodes]
    [('0', 'conv3-8/s2/same'), ('1', 'bn'), ('1#2', 'relu')]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from cnncount.layers import Layer
from cnncount.layers.attention import MultiheadAttention
from cnncount.layers.channels import ChannelChunk
from cnncount.layers.conv import Conv2d
from cnncount.layers.gates import GELU, Hardsigmoid, Hardswish, Sigmoid, SiLU, Tanh
from cnncount.layers.grn import GlobalResponseNorm
from cnncount.layers.groupnorm import GroupNorm
from cnncount.layers.interpolate import MODES, Interpolate
from cnncount.layers.norm import BatchNorm2d, LayerNorm
from cnncount.layers.pointwise import LeakyReLU
from cnncount.layers.residual import LayerScale, StochasticDepth
from cnncount.layers.scaling import Rescaling
from cnncount.layers.stdconv import StdConv2d
from cnncount.layers.tokens import PatchEmbedding
from cnncount.readers import torch_functions, torch_modules
from cnncount.readers.torch_functions import extend
from cnncount.readers.torch_trace import Call, Mapped, Mapping, qualified_name

__all__ = ["register_function", "register_module"]

_TIMM = "timm.layers"
_NN = "torch.nn.modules"
_F = "torch.nn.functional"


def register_module(*names: str) -> Callable[[Mapping], Mapping]:
    """Return a decorator that enters its function in the modules' table under each of ``names``
    that the table does not hold yet.

    Examples:
        >>> torch_modules.MODULES["timm.layers.drop.DropPath"].__name__
        '_drop_path'
    """
    return _register_missing(torch_modules.MODULES, names)


def register_function(*names: str) -> Callable[[Mapping], Mapping]:
    """Return a decorator that enters its function in the functions' table under each of
    ``names`` that the table does not hold yet.

    Examples:
        >>> torch_functions.FUNCTIONS["torch.nn.functional.group_norm"].__name__
        '_group_norm'
    """
    return _register_missing(torch_functions.FUNCTIONS, names)


def _register_missing(
    table: dict[str, Mapping], names: tuple[str, ...]
) -> Callable[[Mapping], Mapping]:
    def enter(mapping: Mapping) -> Mapping:
        for name in names:
            table.setdefault(name, mapping)
        return mapping

    return enter


# -- convolutions ------------------------------------------------------------------------------


def _conv_fields(call: Call, same: bool) -> dict[str, Any]:
    """Return the fields of cnncount's convolution for the leaf ``call.module``, a subclass of
    ``nn.Conv2d``; ``same`` where it pads as TensorFlow's "SAME" does, at run time."""
    conv = call.module
    call.source("NCHW")
    if conv.padding_mode != "zeros":
        raise call.refuse(
            f"cnncount counts zero padding only, not padding_mode={conv.padding_mode!r}"
        )
    padding = conv.padding
    if same:
        padding = "same"
    elif isinstance(padding, str):
        padding = 0 if padding == "valid" else padding
    else:
        padding = tuple(padding)
    return {
        "out_channels": conv.out_channels,
        "kernel_size": tuple(conv.kernel_size),
        "stride": tuple(conv.stride),
        "padding": padding,
        "dilation": tuple(conv.dilation),
        "groups": conv.groups,
        "bias": conv.bias is not None,
    }


@register_module(f"{_TIMM}.conv2d_same.Conv2dSame")
def _conv_same(call: Call) -> Mapped:
    return Mapped((Conv2d(**_conv_fields(call, same=True)),))


@register_module(f"{_TIMM}.std_conv.StdConv2d", f"{_TIMM}.std_conv.StdConv2dSame")
def _std_conv(call: Call) -> Mapped:
    same = bool(getattr(call.module, "same_pad", False))
    return Mapped((StdConv2d(**_conv_fields(call, same)),))


@register_module(f"{_TIMM}.std_conv.ScaledStdConv2d", f"{_TIMM}.std_conv.ScaledStdConv2dSame")
def _scaled_std_conv(call: Call) -> Mapped:
    same = bool(getattr(call.module, "same_pad", False))
    return Mapped((StdConv2d(**_conv_fields(call, same), gain=True),))


# -- patch embedding, drop path, layer scale, activations ----------------------------------------


@register_module(f"{_TIMM}.patch_embed.PatchEmbed")
def _patch_embed(call: Call) -> Mapped:
    """timm's ViT stem: a patch convolution, its output as a sequence of tokens (or a map, laid
    out as ``output_fmt`` says), and an optional layer norm."""
    embed = call.module
    call.source("NCHW")
    proj = embed.proj
    kernel, stride = tuple(proj.kernel_size), tuple(proj.stride)
    if getattr(embed, "dynamic_img_pad", False):
        raise call.refuse(
            "cnncount cannot count a patch embedding that pads the image (dynamic_img_pad)"
        )
    norm = _token_norm(call, embed.norm)
    bias = proj.bias is not None
    if embed.flatten:
        square = kernel[0] == kernel[1] and kernel == stride and tuple(proj.padding) == (0, 0)
        if not square or proj.groups != 1 or tuple(proj.dilation) != (1, 1):
            raise call.refuse(
                f"cnncount embeds square patches only, not a kernel {kernel} at stride {stride}"
            )
        return Mapped((PatchEmbedding(proj.out_channels, kernel[0], bias), *norm), layout="NLC")
    conv = Conv2d(proj.out_channels, kernel, stride, tuple(proj.padding), bias=bias)
    layout = str(getattr(embed.output_fmt, "value", embed.output_fmt))
    if layout not in ("NCHW", "NHWC") or (norm and layout != "NHWC"):
        raise call.refuse(f"cnncount cannot follow a patch embedding's output laid out {layout}")
    return Mapped((conv, *norm), layout=layout)


def _token_norm(call: Call, norm: Any) -> tuple[LayerNorm, ...]:
    """Return the layer norm over each token's values that ``norm`` is, or none for Identity."""
    kind = type(norm).__name__
    if kind == "Identity":
        return ()
    if kind != "LayerNorm" or len(norm.normalized_shape) != 1:
        raise call.refuse(f"cnncount cannot count a patch embedding's norm {kind}")
    affine = norm.elementwise_affine
    return (LayerNorm(scale=affine, center=affine and norm.bias is not None),)


@register_module(f"{_TIMM}.drop.DropPath")
def _drop_path(call: Call) -> Mapped:
    return Mapped((StochasticDepth(float(call.module.drop_prob)),))


@register_module(f"{_TIMM}.layer_scale.LayerScale", f"{_TIMM}.layer_scale.LayerScale2d")
def _layer_scale(call: Call) -> Mapped:
    flow = call.source("NCHW", "NHWC", "NLC", "NC")
    gamma = call.module.gamma
    if gamma.numel() != flow.shape.channels:
        raise call.refuse(
            f"cnncount scales each of the {flow.shape.channels} channels, not {gamma.numel()} values"
        )
    return Mapped((LayerScale(),))


_ACTIVATIONS: dict[str, Callable[[], Layer]] = {
    "Sigmoid": Sigmoid,
    "Tanh": Tanh,
    "Swish": SiLU,
    "HardSwish": Hardswish,
    "HardSigmoid": Hardsigmoid,
    "GELU": GELU,
    "GELUTanh": partial(GELU, tanh=True),
}
"""timm's own activation modules (``timm.layers.activations``) and their layers."""


@register_module(*(f"{_TIMM}.activations.{name}" for name in _ACTIVATIONS))
def _activation(call: Call) -> Mapped:
    return Mapped((_ACTIVATIONS[type(call.module).__name__](),))


# -- attention ---------------------------------------------------------------------------------


@register_module(f"{_TIMM}.attention.Attention")
def _attention(call: Call) -> Mapped:
    """timm's ViT self-attention: counted as ``nn.MultiheadAttention``, whose projections it has,
    where it adds nothing of its own (a norm of the queries and keys, a gate, other widths)."""
    attention = call.module
    flow = call.source("NLC")
    dim = flow.shape.channels
    extras = [
        name
        for name in ("q_norm", "k_norm", "norm")
        if type(getattr(attention, name, None)).__name__ not in ("Identity", "NoneType")
    ]
    if getattr(attention, "gate", None) is not None:
        extras.append("gate")
    if extras:
        raise call.refuse(f"cnncount counts self-attention without {extras[0]}")
    if (attention.attn_dim, attention.proj.out_features) != (dim, dim):
        raise call.refuse(
            f"cnncount counts self-attention of {dim} values in and out, not {attention.attn_dim} and {attention.proj.out_features}"
        )
    qkv_bias, proj_bias = attention.qkv.bias is not None, attention.proj.bias is not None
    if qkv_bias != proj_bias:
        raise call.refuse(
            "cnncount counts self-attention with biases on all its projections or on none, "
            f"not qkv_bias={qkv_bias} and proj_bias={proj_bias}"
        )
    return Mapped((MultiheadAttention(attention.num_heads, bias=qkv_bias),))


register_module(f"{_TIMM}.linear.Linear")(torch_modules.MODULES[f"{_NN}.linear.Linear"])
"""timm's ``Linear`` is ``nn.Linear``, its weights cast to the input's type under scripting."""


# -- the modules of torch.nn that timm uses and the reader's table leaves out ----------------------


@register_module(f"{_NN}.normalization.GroupNorm")
def _group_norm_module(call: Call) -> Mapped:
    call.source("NCHW")
    return Mapped((GroupNorm(call.module.num_groups, affine=call.module.affine),))


@register_module(f"{_NN}.activation.LeakyReLU")
def _leaky_relu_module(call: Call) -> Mapped:
    return Mapped((LeakyReLU(call.module.negative_slope),))


@register_function(f"{_F}.leaky_relu", f"{_F}.leaky_relu_")
def _leaky_relu(call: Call) -> Mapped:
    return Mapped((LeakyReLU(call.argument(1, "negative_slope", 0.01)),))


@register_module(f"{_NN}.upsampling.Upsample")
def _upsample(call: Call) -> Mapped:
    module = call.module
    return _resize(call, module.size, module.scale_factor, module.mode, module.align_corners)


@register_module(f"{_TIMM}.norm_act.BatchNormAct2d")
def _batch_norm_act(call: Call) -> Mapped:
    """timm's batch norm with its dropout and activation modules, which run after it."""
    norm = call.module
    call.source("NCHW")
    if not norm.track_running_stats:
        raise call.refuse("cnncount counts batch norm with running statistics only")
    parts = [layer for part in (norm.drop, norm.act) for layer in _part(call, part)]
    return Mapped((BatchNorm2d(scale=norm.affine, center=norm.affine), *parts))


@register_module(f"{_NN}.batchnorm.BatchNorm1d")
def _batch_norm_1d(call: Call) -> Mapped:
    """Batch norm of a vector's features: its counts are those of a 1 x 1 map's channels."""
    norm = call.module
    call.source("NC")
    if not norm.track_running_stats:
        raise call.refuse("cnncount counts batch norm with running statistics only")
    return Mapped((BatchNorm2d(scale=norm.affine, center=norm.affine),))


def _part(call: Call, part: Any) -> tuple[Any, ...]:
    """Return the layers of ``part``, a submodule of the leaf that keeps the leaf's shape and
    layout, mapped by the modules' table."""
    kind = qualified_name(type(part))
    mapping = torch_modules.MODULES.get(kind)
    if mapping is None:
        raise call.refuse(f"cnncount cannot count {kind} inside it")
    mapped = mapping(replace(call, module=part, operator=kind))
    if not isinstance(mapped, Mapped) or mapped.layout is not None:
        raise call.refuse(f"cnncount cannot follow {kind} inside it")
    return mapped.layers


@register_module(f"{_TIMM}.grn.GlobalResponseNorm")
def _global_response_norm(call: Call) -> Mapped:
    norm = call.module
    layout = "NHWC" if tuple(norm.spatial_dim) == (1, 2) else "NCHW"
    call.source(layout)
    return Mapped((GlobalResponseNorm(),))


# -- functions ---------------------------------------------------------------------------------


@register_function(f"{_F}.group_norm")
def _group_norm(call: Call) -> Mapped:
    call.source("NCHW")
    scale, shift = call.argument(2, "weight"), call.argument(3, "bias")
    if (scale is None) != (shift is None):
        raise call.refuse(
            "cnncount counts group norm with both its scale and its shift, or neither"
        )
    return Mapped((GroupNorm(int(call.argument(1, "num_groups")), affine=scale is not None),))


@register_function(f"{_F}.interpolate")
def _interpolate(call: Call) -> Mapped:
    arguments = [
        call.argument(i, name)
        for i, name in enumerate(("input", "size", "scale_factor", "mode", "align_corners"))
    ]
    return _resize(call, arguments[1], arguments[2], arguments[3] or "nearest", arguments[4])


def _resize(call: Call, size: Any, scale: Any, mode: str, align_corners: Any) -> Mapped:
    """Return the interpolation of the map to ``size``, or by ``scale``, a whole number per axis."""
    call.source("NCHW")
    if mode not in MODES:
        raise call.refuse(f"cnncount interpolates by {', '.join(MODES)}, not mode={mode!r}")
    height, width = (int(n) for n in call.output.shape[2:])
    if size is not None:
        return Mapped((Interpolate(size=(height, width), mode=mode),))
    scales = tuple(scale) if isinstance(scale, (tuple, list)) else (scale, scale)
    if not all(float(factor).is_integer() for factor in scales):
        raise call.refuse(f"cnncount interpolates by a whole scale only, not {scale!r}")
    return Mapped((Interpolate(scale=(int(scales[0]), int(scales[1])), mode=mode),))


@register_function("torch.split", "Tensor.split", "torch.functional.split", "torch._tensor.split")
def _split(call: Call) -> tuple[Mapped, ...]:
    """Cut the channels into equal parts, as ``x.chunk`` does."""
    flow = call.source("NCHW")
    axis = call.argument(2, "dim", 0)
    if axis % 4 != 1:
        raise call.refuse("cnncount splits along the channels (dim=1) only")
    sizes = [int(part.shape[1]) for part in call.output]
    chunks = len(sizes)
    if len(set(sizes)) != 1 or chunks * sizes[0] != flow.shape.channels:
        raise call.refuse(f"cnncount splits the channels into equal parts only, not {sizes}")
    return tuple(Mapped((ChannelChunk(chunks, index),)) for index in range(chunks))


# -- a map and a number --------------------------------------------------------------------------

_ARITHMETIC = {
    "add": ("Tensor.add", "torch.add", "Tensor.__add__", "Tensor.__radd__", "Tensor.add_"),
    "sub": ("Tensor.sub", "torch.sub", "Tensor.__sub__", "Tensor.sub_"),
    "mul": ("Tensor.mul", "torch.mul", "Tensor.__mul__", "Tensor.__rmul__", "Tensor.mul_"),
    "div": ("Tensor.div", "torch.div", "Tensor.__truediv__", "Tensor.div_"),
}
"""The element-wise operators of a flowing tensor and a number, by what they do to it."""


def _number(call: Call) -> float | None:
    """Return the Python number that ``call`` combines with its one flowing tensor, if any."""
    if len(call.flows) != 1 or call.constants or call.constant_tensors:
        return None
    numbers = [value for value in call.args[:2] if isinstance(value, (int, float))]
    numbers = [value for value in numbers if not isinstance(value, bool)]
    return float(numbers[0]) if len(numbers) == 1 and call.kwargs.get("alpha", 1) == 1 else None


@extend(*_ARITHMETIC["add"])
def _add_number(call: Call, then: Mapping) -> Mapped | tuple[Mapped, ...]:
    """``x + c``: a rescaling by 1 with offset c."""
    number = _number(call)
    return Mapped((Rescaling(1.0, number),)) if number is not None else then(call)


@extend(*_ARITHMETIC["sub"])
def _sub_number(call: Call, then: Mapping) -> Mapped | tuple[Mapped, ...]:
    number = _number(call)
    if number is not None and not isinstance(call.args[0], (int, float)):
        return Mapped((Rescaling(1.0, -number),))
    return then(call)


@extend(*_ARITHMETIC["mul"])
def _mul_number(call: Call, then: Mapping) -> Mapped | tuple[Mapped, ...]:
    number = _number(call)
    return Mapped((Rescaling(number),)) if number is not None else then(call)


@extend(*_ARITHMETIC["div"])
def _div_number(call: Call, then: Mapping) -> Mapped | tuple[Mapped, ...]:
    number = _number(call)
    dividend = call.args[0]
    if (
        number
        and not isinstance(dividend, (int, float))
        and call.kwargs.get("rounding_mode") is None
    ):
        return Mapped((Rescaling(1.0 / number),))
    return then(call)
