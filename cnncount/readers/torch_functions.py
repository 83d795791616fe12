"""Functions and tensor methods -> cnncount layers: one table, :data:`FUNCTIONS`.

The recorder (:mod:`cnncount.readers.torch_trace`) hands over each call, made outside every
leaf module, whose arguments hold a flowing tensor and whose result holds a tensor. It is
looked up by :func:`~cnncount.readers.torch_trace.operator_name`: ``"Tensor.add"`` for a
tensor's method (``x + y`` arrives as ``Tensor.add``, ``x += y`` as ``Tensor.add_``),
``"torch.cat"`` for a function of ``torch``, ``"torch.nn.functional.relu"`` for a functional.
An operator that the table does not know is refused, naming the module that called it.

How to add an entry (in this module, or in a module of :data:`~cnncount.readers.torch_modules.
EXTENSIONS`): decorate a function of a :class:`~cnncount.readers.torch_trace.Call` with
``@register("torch.nn.functional.name", ...)``. ``call.args`` and ``call.kwargs`` are the
arguments as given (``call.argument(index, name, default)`` reads one; for a method, index 0 is
the tensor), ``call.flows`` the flowing tensors among them, ``call.constants`` the names of the
parameters and buffers among them (or that they were computed from: ``x * self.gamma``), which
the layers returned must count. Return a :class:`~cnncount.readers.torch_trace.Mapped` per
output, as :mod:`cnncount.readers.torch_modules` says, or ``raise call.refuse(...)``. An entry
may replace another, keeping it for the cases it leaves: ``previous = FUNCTIONS["torch.cat"]``.

Examples:
    >>> import torch
    >>> from cnncount.readers.torch import from_torch
    >>> class Residual(torch.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.conv = torch.nn.Conv2d(8, 8, 3, padding=1)
    ...     def forward(self, x):
    ...         return torch.flatten(torch.nn.functional.relu(x + self.conv(x)), 1)
    >>> [(node.name, str(node.layer)) for node in from_torch(Residual(), (8, 4, 4)).nodes]
    [('conv', 'conv3-8'), ('add', 'add'), ('relu', 'relu'), ('flatten', 'flatten')]
"""

from __future__ import annotations

from collections.abc import Callable

from cnncount.layers import Layer
from cnncount.layers.channels import ChannelChunk, ChannelShuffle
from cnncount.layers.gates import Hardsigmoid, Hardswish, Sigmoid, SiLU, Tanh
from cnncount.layers.groupnorm import InstanceNorm2d
from cnncount.layers.linear import Flatten
from cnncount.layers.merge import Add, Concat, Multiply
from cnncount.layers.padding import ReflectionPad2d, ReplicationPad2d, ZeroPad2d
from cnncount.layers.pointwise import Dropout, Dropout2d, ReLU, ReLU6
from cnncount.layers.pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from cnncount.layers.rectifiers import ELU, SELU, Mish, PReLU, Softplus
from cnncount.layers.residual import LayerScale
from cnncount.readers.torch_modules import (
    batch_norm,
    conv,
    gelu,
    layer_norm,
    linear,
    pool,
    softmax,
)
from cnncount.readers.torch_trace import Call, Mapped, Mapping, unknown_operator

__all__ = ["FUNCTIONS", "Extension", "extend", "register"]

FUNCTIONS: dict[str, Mapping] = {}
"""Each operator's name and the function that maps a call of it onto layers."""

_F = "torch.nn.functional"


def register(*names: str) -> Callable[[Mapping], Mapping]:
    """Return a decorator that enters its function in :data:`FUNCTIONS` under each of ``names``.

    Examples:
        >>> FUNCTIONS["torch.flatten"].__name__
        '_flatten'
    """

    def enter(mapping: Mapping) -> Mapping:
        for name in names:
            FUNCTIONS[name] = mapping
        return mapping

    return enter


Extension = Callable[[Call, Mapping], "Mapped | tuple[Mapped, ...]"]
"""An entry put before another, given a call and the entry it replaced, which maps the call or
hands it on."""


def extend(*names: str) -> Callable[[Extension], Extension]:
    """Return a decorator that puts its function before the entries of ``names`` in
    :data:`FUNCTIONS`, handing it each call and the entry it replaced (for a name without one,
    a refusal), to which it passes the calls it leaves.

    Examples:
        >>> import cnncount.readers.torch_timm  # which puts numbers before the products
        >>> FUNCTIONS["Tensor.mul"].__name__
        '_mul_number'
    """

    def enter(extension: Extension) -> Extension:
        for name in names:
            FUNCTIONS[name] = _before(extension, FUNCTIONS.get(name, unknown_operator))
        return extension

    return enter


def _before(extension: Extension, previous: Mapping) -> Mapping:
    """Return the entry that hands each call to ``extension``, with ``previous``."""

    def extended(call: Call) -> Mapped | tuple[Mapped, ...]:
        return extension(call, previous)

    extended.__name__ = extension.__name__
    return extended


def _axis(call: Call, axis: int) -> int:
    """Return ``axis`` of the first flow counted from 0 (the batch), as a negative one counts."""
    return axis % (1 + len(call.flows[0].dims()))


@register(
    "Tensor.add", "torch.add", "Tensor.__add__", "Tensor.__radd__", "Tensor.add_", "Tensor.__iadd__"
)
def _add(call: Call) -> Mapped:
    _two_branches(call, "add")
    return Mapped((Add(in_place=call.operator in ("Tensor.add_", "Tensor.__iadd__")),))


@register(
    "Tensor.mul", "torch.mul", "Tensor.__mul__", "Tensor.__rmul__", "Tensor.mul_", "Tensor.__imul__"
)
def _mul(call: Call) -> Mapped:
    if len(call.flows) == 1 and len(call.constants) == 1:
        return _layer_scale(call)
    _two_branches(call, "multiply")
    return Mapped((Multiply(),))


def _layer_scale(call: Call) -> Mapped:
    """Map ``x * gamma``, gamma a learned factor per channel, onto a layer scale."""
    flow = call.source("NCHW", "NHWC", "NLC", "NC")
    name = call.constants[0]
    if [factors.numel() for factors in call.constant_tensors] != [flow.shape.channels]:
        raise call.refuse(
            f"cnncount scales each of the {flow.shape.channels} channels by {name!r}, which holds another number of values"
        )
    return Mapped((LayerScale(),))


def _two_branches(call: Call, verb: str) -> None:
    """Refuse a merge that reads anything besides two flowing tensors."""
    if len(call.flows) != 2 or call.constants:
        other = f"{call.constants[0]!r}" if call.constants else "a number"
        raise call.refuse(
            f"cnncount can {verb} two branches of the network, not a branch and {other}"
        )


@register("torch.cat", "torch.concat", "torch.concatenate")
def _cat(call: Call) -> Mapped:
    tensors = call.argument(0, "tensors")
    if call.constants or len(call.flows) != len(tensors):
        raise call.refuse("cnncount concatenates branches of the network only")
    call.source("NCHW", "NC")
    if _axis(call, call.argument(1, "dim", 0)) != 1:
        raise call.refuse("cnncount concatenates along the channels (dim=1) only")
    return Mapped((Concat(),) if len(tensors) > 1 else ())  # DenseNet's first layer: one map


@register("torch.flatten", "Tensor.flatten")
def _flatten(call: Call) -> Mapped:
    flow = call.source("NCHW", "NC")
    start, end = call.argument(1, "start_dim", 0), call.argument(2, "end_dim", -1)
    if (_axis(call, start), _axis(call, end)) != (1, len(flow.dims())):
        raise call.refuse("cnncount flattens from the channels on (start_dim=1, end_dim=-1) only")
    return Mapped((Flatten(),) if flow.layout == "NCHW" else ())


@register("Tensor.view", "Tensor.reshape", "torch.reshape")
def _reshape(call: Call) -> Mapped:
    flow, made = call.flows[0], call.output_dims()
    channels, height, width = flow.shape.channels, flow.shape.height, flow.shape.width
    if made == flow.dims():
        return Mapped(layout=flow.layout, groups=flow.groups)
    if flow.layout == "NCHW" and len(made) == 1:
        return Mapped((Flatten(),))
    if flow.layout == "NCHW" and len(made) == 4 and made[0] * made[1] == channels:
        return Mapped(layout="NGCHW", groups=made[0])  # a channel shuffle's first view
    if flow.layout in ("NGCHW", "NCGHW") and made == [channels, height, width]:
        shuffle = (ChannelShuffle(flow.groups),) if flow.layout == "NCGHW" else ()
        return Mapped(shuffle, layout="NCHW")
    unit = _unit_axes(call)
    if unit is not None:
        return unit
    shown = "x".join(map(str, flow.dims()))
    raise call.refuse(f"cnncount cannot follow a reshape of {shown} ({flow.layout}) into {made}")


_UNIT_LAYOUTS = {1: "NC", 2: "NCL", 3: "NCHW"}
"""The layout of C channels followed by unit axes, by the number of axes after the batch."""


def _unit_axes(call: Call) -> Mapped | None:
    """Return the vector of C channels, ``[C]``, ``[C, 1]`` or ``[C, 1, 1]``, that ``call`` makes
    of such a vector, adding or removing axes of size 1 (a squeeze-and-excitation gate's
    ``w.view(n, c, 1, 1)`` or ``w[:, :, None, None]``, a pooled map's ``squeeze(-1)``); else
    None."""
    flow, made = call.flows[0], call.output_dims()
    shape = flow.shape
    if (
        flow.layout not in _UNIT_LAYOUTS.values()
        or (shape.height, shape.width) != (1, 1)
        or made[:1] != [shape.channels]
        or len(made) not in _UNIT_LAYOUTS
        or any(size != 1 for size in made[1:])
    ):
        return None
    layout = _UNIT_LAYOUTS[len(made)]
    flattened = flow.layout == "NCHW" and layout != "NCHW"
    return Mapped((Flatten(),) if flattened else (), layout=layout)


@register("Tensor.unsqueeze", "torch.unsqueeze", "Tensor.squeeze", "torch.squeeze")
def _squeeze(call: Call) -> Mapped:
    if call.output.dim() < 2:
        raise call.refuse(
            f"cnncount reads one image, whose batch axis {call.operator} with no dim drops too; "
            "name the axes (x.squeeze(-1).squeeze(-1)) or flatten from the channels (x.flatten(1))"
        )
    unit = _unit_axes(call)
    if unit is None:
        shown = "x".join(map(str, call.flows[0].dims()))
        raise call.refuse(
            f"cnncount follows {call.operator} of the axes of size 1 after a vector's channels "
            f"only, not of {shown} ({call.flows[0].layout}) into {call.output_dims()}"
        )
    return unit


@register("Tensor.__getitem__")
def _getitem(call: Call) -> Mapped:
    """Map ``x[:, :, None, None]``, axes of size 1 added to a vector."""
    index = call.argument(1, "indices")
    parts = index if isinstance(index, tuple) else (index,)
    whole = [part is None or (isinstance(part, slice) and part == slice(None)) for part in parts]
    unit = _unit_axes(call) if all(whole) else None
    if unit is None:
        raise call.refuse(
            f"cnncount cannot count Tensor.__getitem__ with {index!r} on a tensor laid out "
            f"{call.flows[0].layout}: it adds axes of size 1 to a vector (x[:, :, None, None]) "
            "and reads a class token (x[:, 0]) only"
        )
    return unit


@register("Tensor.to", "Tensor.float")
def _same_tensor(call: Call) -> Mapped:
    """Map ``x.to(...)`` and ``x.float()`` where they change neither the dtype nor the shape."""
    flow, tensor = call.flows[0], call.args[0]
    if call.output.dtype != tensor.dtype or call.output_dims() != flow.dims():
        raise call.refuse(
            f"cnncount counts a network in one precision, {tensor.dtype}; {call.operator} makes "
            f"{call.output.dtype} (--dtype and --amp count another precision)"
        )
    return Mapped(layout=flow.layout, groups=flow.groups)


@register("Tensor.transpose", "torch.transpose")
def _transpose(call: Call) -> Mapped:
    flow = call.source("NGCHW", "NCGHW")
    axes = sorted(
        _axis(call, call.argument(index, name)) for index, name in ((1, "dim0"), (2, "dim1"))
    )
    if axes != [1, 2]:
        raise call.refuse("cnncount swaps the two group axes of a channel shuffle only")
    return Mapped(layout="NCGHW" if flow.layout == "NGCHW" else "NGCHW", groups=flow.groups)


_PERMUTATIONS: dict[tuple[str, tuple[int, ...]], str] = {
    ("NCHW", (0, 2, 3, 1)): "NHWC",
    ("NHWC", (0, 3, 1, 2)): "NCHW",
}
"""The permutations cnncount follows, each a layout and an order of axes, and the layout made."""


@register("Tensor.permute", "torch.permute")
def _permute(call: Call) -> Mapped:
    flow = call.flows[0]
    given = call.args[1:] or (call.kwargs.get("dims"),)
    order = tuple(given[0]) if len(given) == 1 and isinstance(given[0], (tuple, list)) else given
    layout = _PERMUTATIONS.get((flow.layout, tuple(_axis(call, axis) for axis in order)))
    if layout is None:
        raise call.refuse(
            f"cnncount cannot follow a permutation {list(order)} of a tensor laid out {flow.layout}"
        )
    return Mapped(layout=layout)


@register("Tensor.contiguous")
def _contiguous(call: Call) -> Mapped:
    return Mapped(layout=call.flows[0].layout, groups=call.flows[0].groups)


@register("Tensor.chunk", "torch.chunk")
def _chunk(call: Call) -> tuple[Mapped, ...]:
    call.source("NCHW")
    chunks = call.argument(1, "chunks")
    if _axis(call, call.argument(2, "dim", 0)) != 1:
        raise call.refuse("cnncount cuts chunks along the channels (dim=1) only")
    return tuple(Mapped((ChannelChunk(chunks, index),)) for index in range(len(call.output)))


@register("Tensor.mean", "torch.mean")
def _mean(call: Call) -> Mapped:
    call.source("NCHW")
    axes = call.argument(1, "dim")
    axes = axes if isinstance(axes, (tuple, list)) else (axes,)
    if sorted(_axis(call, axis) for axis in axes if axis is not None) != [2, 3]:
        raise call.refuse("cnncount averages over the height and the width (dim=(2, 3)) only")
    keep = call.argument(2, "keepdim", False)
    return Mapped((AdaptiveAvgPool2d(1),), layout="NCHW" if keep else "NC")


@register(f"{_F}.adaptive_max_pool2d")
def _adaptive_max_pool(call: Call) -> Mapped:
    """Adaptive max pooling where it is plain max pooling: where the map splits into whole
    square windows, which adaptive pooling then takes at a stride of their size. (With
    ``return_indices`` torch calls ``adaptive_max_pool2d_with_indices``, which is refused.)"""
    flow = call.source("NCHW")
    height, width = (int(size) for size in call.output.shape[2:])
    rows, columns = divmod(flow.shape.height, height), divmod(flow.shape.width, width)
    if rows[1] or columns[1] or rows[0] != columns[0]:
        raise call.refuse(
            f"cnncount max-pools with square windows that tile the map, not "
            f"{flow.shape.height}x{flow.shape.width} into {height}x{width}"
        )
    return Mapped((MaxPool2d(rows[0]),))


@register(f"{_F}.adaptive_avg_pool2d")
def _adaptive_avg_pool(call: Call) -> Mapped:
    call.source("NCHW")
    height, width = (int(size) for size in call.output.shape[2:])
    return Mapped((AdaptiveAvgPool2d(height, width),))


@register(f"{_F}.avg_pool2d")
def _avg_pool(call: Call) -> Mapped:
    arguments = [call.argument(i, name, default) for i, name, default in _POOL_ARGUMENTS]
    return pool(call, AvgPool2d, *arguments)


@register(f"{_F}.max_pool2d")
def _max_pool(call: Call) -> Mapped:
    if call.argument(4, "dilation", 1) not in (1, (1, 1), [1, 1]):
        raise call.refuse("cnncount counts max pooling without dilation")
    kernel, stride, padding, _ = (call.argument(i, n, d) for i, n, d in _POOL_ARGUMENTS)
    return pool(call, MaxPool2d, kernel, stride, padding, call.argument(5, "ceil_mode", False))


_POOL_ARGUMENTS = (
    (1, "kernel_size", None),
    (2, "stride", None),
    (3, "padding", 0),
    (4, "ceil_mode", False),
)
"""The position, name and default of ``avg_pool2d``'s window arguments (``max_pool2d`` puts
its dilation before the ceil mode)."""


@register("torch.conv2d", f"{_F}.conv2d")
def _conv2d(call: Call) -> Mapped:
    weight, bias = call.argument(1, "weight"), call.argument(2, "bias")
    stride, padding = call.argument(3, "stride", 1), call.argument(4, "padding", 0)
    dilation, groups = call.argument(5, "dilation", 1), call.argument(6, "groups", 1)
    return conv(call, weight, bias is not None, stride, padding, dilation, groups)


@register(f"{_F}.linear")
def _linear(call: Call) -> Mapped:
    weight, bias = call.argument(1, "weight"), call.argument(2, "bias")
    return linear(call, int(weight.shape[0]), bias is not None)


@register(f"{_F}.batch_norm")
def _batch_norm(call: Call) -> Mapped:
    running = None not in (call.argument(1, "running_mean"), call.argument(2, "running_var"))
    scale, center = call.argument(3, "weight"), call.argument(4, "bias")
    return batch_norm(call, running, scale is not None, center is not None)


@register(f"{_F}.instance_norm")
def _instance_norm(call: Call) -> Mapped:
    call.source("NCHW")
    running = call.argument(1, "running_mean") is not None
    scale, shift = call.argument(3, "weight") is not None, call.argument(4, "bias") is not None
    if scale != shift:
        raise call.refuse(
            "cnncount counts instance norm with both its scale and its shift, or neither"
        )
    return Mapped((InstanceNorm2d(affine=scale, running=running),))


@register(f"{_F}.layer_norm")
def _layer_norm(call: Call) -> Mapped:
    normalized = list(call.argument(1, "normalized_shape"))
    scale, center = call.argument(2, "weight"), call.argument(3, "bias")
    return layer_norm(call, normalized, scale is not None, center is not None, "NHWC", "NLC", "NC")


_PADDED_AXES = {"NCHW": 2, "NHWC": 3}
"""For each layout that cnncount pads, the number of axes that ``F.pad``'s sizes name, counted
from the last: width and height, or channels, width and height."""


_COPIED_PADS = {"reflect": ReflectionPad2d, "replicate": ReplicationPad2d}
"""The modes of ``F.pad`` that copy the map's own pixels, and their layers."""


@register(f"{_F}.pad")
def _pad(call: Call) -> Mapped:
    flow = call.source("NCHW", "NHWC")
    sizes = list(call.argument(1, "pad"))
    mode, value = call.argument(2, "mode", "constant"), call.argument(3, "value", None)
    if mode in _COPIED_PADS and flow.layout == "NCHW" and len(sizes) == 4:
        left, right, top, bottom = sizes
        return Mapped((_COPIED_PADS[mode](top, bottom, left, right),))
    if mode != "constant" or value not in (None, 0, 0.0):
        raise call.refuse(
            f"cnncount pads with zeros, or by reflection or replication of the height and the "
            f"width of a map, not mode={mode!r}, value={value!r} over {len(sizes) // 2} axes"
        )
    sizes += [0] * (2 * _PADDED_AXES[flow.layout] - len(sizes))
    if flow.layout == "NHWC":
        if sizes[:2] != [0, 0]:
            raise call.refuse("cnncount pads the height and the width, not the channels")
        sizes = sizes[2:]
    left, right, top, bottom = sizes[:4]
    return Mapped((ZeroPad2d(top, bottom, left, right),))


@register(f"{_F}.dropout")
def _dropout(call: Call) -> Mapped:
    return Mapped((Dropout(call.argument(1, "p", 0.5)),))


@register(f"{_F}.dropout2d")
def _dropout2d(call: Call) -> Mapped:
    call.source("NCHW")
    return Mapped((Dropout2d(call.argument(1, "p", 0.5)),))


@register(f"{_F}.softmax", "torch.softmax", "Tensor.softmax")
@register(f"{_F}.log_softmax", "torch.log_softmax", "Tensor.log_softmax")
def _softmax(call: Call) -> Mapped:
    if call.argument(3 if call.operator.startswith(_F) else 2, "dtype") is not None:
        raise call.refuse(f"cnncount cannot count {call.operator} with a dtype")
    return softmax(call, call.argument(1, "dim"), log="log_" in call.operator)


@register(f"{_F}.gelu")
def _gelu(call: Call) -> Mapped:
    return Mapped((gelu(call, call.argument(1, "approximate", "none")),))


_ACTIVATIONS: dict[str, type[Layer]] = {
    **dict.fromkeys(
        (f"{_F}.relu", "torch.relu", "Tensor.relu", f"{_F}.relu_", "torch.relu_", "Tensor.relu_"),
        ReLU,
    ),
    f"{_F}.relu6": ReLU6,
    **dict.fromkeys(("torch.sigmoid", "Tensor.sigmoid", f"{_F}.sigmoid"), Sigmoid),
    **dict.fromkeys(("torch.tanh", "Tensor.tanh", f"{_F}.tanh"), Tanh),
    f"{_F}.silu": SiLU,
    f"{_F}.hardswish": Hardswish,
    f"{_F}.hardsigmoid": Hardsigmoid,
    **dict.fromkeys((f"{_F}.selu", "torch.selu"), SELU),
    f"{_F}.mish": Mish,
}
"""The activation functions without an option cnncount needs, and their layers."""


@register(f"{_F}.elu", f"{_F}.elu_")
def _elu(call: Call) -> Mapped:
    return Mapped((ELU(call.argument(1, "alpha", 1.0)),))


@register(f"{_F}.softplus")
def _softplus(call: Call) -> Mapped:
    return Mapped((Softplus(call.argument(1, "beta", 1.0)),))


@register("torch.prelu", f"{_F}.prelu")
def _prelu(call: Call) -> Mapped:
    """PReLU's slopes: one for every value, or one per channel where the channels are torch's
    axis 1, as ``nn.PReLU(num_parameters=C)`` needs them."""
    flow = call.source("NCHW", "NC", "NHWC", "NLC")
    slopes = int(call.argument(1, "weight").numel())
    if slopes == 1:
        return Mapped((PReLU(),))
    if flow.layout not in ("NCHW", "NC") or slopes != flow.shape.channels:
        shown = "x".join(map(str, flow.dims()))
        raise call.refuse(
            f"cnncount learns one slope, or one per channel, not {slopes} slopes over a tensor "
            f"of {shown} ({flow.layout})"
        )
    return Mapped((PReLU(channels=True),))


@register(*_ACTIVATIONS)
def _activation(call: Call) -> Mapped:
    return Mapped((_ACTIVATIONS[call.operator](),))
