"""How each ONNX operator maps onto cnncount's layers, one function per operator family.

A weight's dimensions are checked against the layer's own count, so that a layer that would count
other than the file holds is refused, never counted wrong. Layout changes (``Transpose``), views
(``Identity``, a ``Reshape`` that keeps the shape, ``Squeeze`` of 1 x 1 maps) count nothing and add
no layer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from cnncount.layers import (
    ELU,
    GELU,
    SELU,
    AdaptiveAvgPool2d,
    Add,
    AvgPool2d,
    BatchNorm2d,
    ChannelChunk,
    ChannelShuffle,
    Concat,
    Conv2d,
    ConvTranspose2d,
    Dropout,
    Flatten,
    Hardsigmoid,
    Hardswish,
    InstanceNorm2d,
    Layer,
    LayerNorm,
    LayerScale,
    LeakyReLU,
    Linear,
    LocalResponseNorm,
    MaxPool2d,
    Mish,
    Multiply,
    Normalization,
    PositionwiseLinear,
    PReLU,
    ReflectionPad2d,
    ReLU,
    ReLU6,
    ReplicationPad2d,
    Rescaling,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
    ZeroPad2d,
)
from cnncount.network import INPUT
from cnncount.readers.flow import Flow
from cnncount.readers.onnx_graph import GraphReader
from cnncount.readers.onnx_values import Value, attribute
from cnncount.shapes import Shape

__all__ = ["OPERATORS", "map_node"]

_ACTIVATIONS: dict[str, Callable[[], Layer]] = {
    "Relu": ReLU,
    "Sigmoid": Sigmoid,
    "HardSigmoid": Hardsigmoid,
    "HardSwish": Hardswish,
    "Tanh": Tanh,
    "Selu": SELU,
    "Mish": Mish,
    "Softplus": Softplus,
}
"""The operators that act value by value, each as the cnncount layer it is."""


def map_node(reader: GraphReader, node: Any) -> None:
    """Add to ``reader`` the layers that ``node`` is, or refuse it in one line.

    Examples:
        >>> from onnx import TensorProto, helper
        >>> graph = helper.make_graph(
        ...     [helper.make_node("Clip", ["x"], ["y"], name="clip", min=0.0, max=6.0)], "g",
        ...     [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 4, 4])], [])
        >>> model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 7)])
        >>> [str(node.layer) for node in GraphReader(model, "g.onnx").read(map_node)]
        ['relu6']
    """
    op = node.op_type
    if node.domain not in ("", "ai.onnx"):
        raise reader.refuse(node, f"cnncount cannot count the operator {node.domain}.{op}")
    if op in _ACTIVATIONS:
        _activation(reader, node, _ACTIVATIONS[op]())
    elif op in OPERATORS:
        OPERATORS[op](reader, node)
    else:
        raise reader.refuse(node, f"cnncount cannot count the operator {op}")


def _activation(reader: GraphReader, node: Any, layer: Layer) -> None:
    source = reader.flow(node)
    mish = _mish_parts(reader, node)
    if mish is not None:  # x * tanh(softplus(x)) is Mish, as exporters before opset 18 write it
        tanh, product = mish
        reader.fused[_name(tanh)] = reader.fused[_name(product)] = "mish"
        reader.add(product, Mish(), [source], product.output[0], source.layout)
        return
    gated = _gate_partner(reader, node, source)
    if gated is not None:  # x * sigmoid(x) is SiLU, x * hardsigmoid(x) is hard swish
        reader.fused[_name(gated)] = "gate"
        layer = SiLU() if node.op_type == "Sigmoid" else Hardswish()
        reader.add(gated, layer, [source], gated.output[0], source.layout)
        return
    reader.add(node, layer, [source], node.output[0], source.layout)


def _only_user(reader: GraphReader, tensor: str, op: str) -> Any:
    """Return the one node that reads ``tensor`` if it is an ``op``, else None."""
    users = reader.consumers.get(tensor, [])
    return users[0] if len(users) == 1 and users[0].op_type == op else None


def _mish_parts(reader: GraphReader, node: Any) -> tuple[Any, Any] | None:
    """Return the ``Tanh`` and the ``Mul`` that make ``node``, a softplus of x, into
    ``x * tanh(softplus(x))``, or None where they do not."""
    if node.op_type != "Softplus":
        return None
    tanh = _only_user(reader, node.output[0], "Tanh")
    product = _only_user(reader, tanh.output[0], "Mul") if tanh is not None else None
    if product is None or sorted(product.input) != sorted([tanh.output[0], node.input[0]]):
        return None
    return tanh, product


def _gate_partner(reader: GraphReader, node: Any, source: Flow) -> Any:
    """Return the ``Mul`` that multiplies ``node``'s output by ``node``'s input, if that is its
    only use and ``node`` is a sigmoid gate."""
    if node.op_type not in ("Sigmoid", "HardSigmoid"):
        return None
    if node.op_type == "HardSigmoid" and abs(attribute(node, "alpha", 0.2) - 1 / 6) > 1e-6:
        return None
    users = reader.consumers.get(node.output[0], [])
    if len(users) != 1 or users[0].op_type != "Mul":
        return None
    other = [name for name in users[0].input if name != node.output[0]]
    return users[0] if other == [node.input[0]] else None


def _conv(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    weight = _weight(reader, node, 1, rank=4)
    out, per_group, kernel_h, kernel_w = weight.dims
    groups = attribute(node, "group", 1)
    kernel = _kernel(reader, node, (kernel_h, kernel_w))
    strides, dilations = _pair(node, "strides"), _pair(node, "dilations")
    top, bottom, left, right = _pads(reader, node, source.shape, kernel, strides, dilations)
    bias = _bias(reader, node, 2, out)
    if per_group * groups != source.shape.channels:
        raise reader.refuse(
            node,
            f"its weight reads {_count(per_group * groups, 'input channel')} "
            f"({per_group} per group, in {_count(groups, 'group')}), "
            f"but its input has {source.shape.channels}",
        )
    if (top, left) != (bottom, right):
        source = reader.add(
            node,
            ZeroPad2d(top, bottom, left, right),
            [source],
            node.output[0] + "#pad",
            "NCHW",
            _name(node) + ".pad",
        )
        top = left = 0
    layer = Conv2d(
        out,
        kernel,
        stride=strides,
        padding=(top, left),
        dilation=dilations,
        groups=groups,
        bias=bias,
    )
    reader.add(node, layer, [source], node.output[0], "NCHW")


def _conv_transpose(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    weight = _weight(reader, node, 1, rank=4)
    in_channels, per_group, kernel_h, kernel_w = weight.dims
    groups = attribute(node, "group", 1)
    if in_channels != source.shape.channels:
        raise reader.refuse(
            node,
            f"its weight takes {in_channels} input channels, but its input has {source.shape.channels}",
        )
    if attribute(node, "output_shape") is not None or attribute(node, "auto_pad", "NOTSET") not in (
        "NOTSET",
        "VALID",
    ):
        raise reader.refuse(
            node, "cnncount reads a transposed convolution's padding only as explicit pads"
        )
    top, left, bottom, right = attribute(node, "pads", [0, 0, 0, 0])
    if (top, left) != (bottom, right):
        raise reader.refuse(
            node, f"its pads {[top, left, bottom, right]} differ between the two sides of an axis"
        )
    layer = ConvTranspose2d(
        per_group * groups,
        _kernel(reader, node, (kernel_h, kernel_w)),
        stride=_pair(node, "strides"),
        padding=(top, left),
        output_padding=_pair(node, "output_padding", 0),
        dilation=_pair(node, "dilations"),
        groups=groups,
        bias=_bias(reader, node, 2, per_group * groups),
    )
    reader.add(node, layer, [source], node.output[0], "NCHW")


def _pool(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    kernel = attribute(node, "kernel_shape")
    strides, dilations = _pair(node, "strides"), _pair(node, "dilations")
    if kernel is None or len(kernel) != 2:
        raise reader.refuse(
            node, f"cnncount reads two-dimensional pooling, not a kernel of {kernel}"
        )
    if len(node.output) > 1 and reader.consumers.get(node.output[1]):
        raise reader.refuse(node, "cnncount does not read the indices of max pooling")
    top, bottom, left, right = _pads(
        reader, node, source.shape, (kernel[0], kernel[1]), strides, dilations
    )
    if kernel[0] != kernel[1] or strides[0] != strides[1] or dilations != (1, 1):
        raise reader.refuse(
            node,
            f"cnncount pools with a square window, one stride and no dilation, not kernel {kernel}, strides {list(strides)}, dilations {list(dilations)}",
        )
    if len({top, bottom, left, right}) > 1 or 2 * top > kernel[0]:
        source = reader.add(
            node,
            ZeroPad2d(top, bottom, left, right),
            [source],
            node.output[0] + "#pad",
            "NCHW",
            _name(node) + ".pad",
        )
        top = 0
    kind = MaxPool2d if node.op_type == "MaxPool" else AvgPool2d
    layer = kind(
        kernel[0], stride=strides[0], padding=top, ceil_mode=bool(attribute(node, "ceil_mode", 0))
    )
    reader.add(node, layer, [source], node.output[0], "NCHW")


def _global_pool(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    if node.op_type == "GlobalAveragePool":
        reader.add(node, AdaptiveAvgPool2d(1), [source], node.output[0], "NCHW")
        return
    if source.shape.height != source.shape.width:
        raise reader.refuse(
            node,
            f"cnncount takes a global maximum over a square map only, not {source.shape.height}x{source.shape.width}",
        )
    reader.add(node, MaxPool2d(source.shape.height), [source], node.output[0], "NCHW")


def _reduce_mean(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    axes = attribute(node, "axes")
    if axes is None and len(node.input) > 1:
        found = reader.constant(node, 1)
        axes = found.ints() if found else None
    spatial = {"NCHW": {2, 3}, "NHWC": {1, 2}}.get(source.layout)
    if axes is None or spatial is None or {axis % 4 for axis in axes} != spatial:
        raise reader.refuse(
            node,
            f"cnncount reads a mean over the height and width of a map only, not over axes {axes}",
        )
    keep = attribute(node, "keepdims", 1)
    reader.add(
        node, AdaptiveAvgPool2d(1), [source], node.output[0], source.layout if keep else "NC"
    )


def _batch_norm(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    for index in range(1, 5):
        _vector(reader, node, index, source.shape.channels)
    if len(node.output) > 1 and any(reader.consumers.get(name) for name in node.output[1:]):
        raise reader.refuse(
            node, "cnncount reads batch normalisation in inference, not its training outputs"
        )
    reader.add(node, BatchNorm2d(), [source], node.output[0], "NCHW")


def _layer_norm(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    axis = attribute(node, "axis", -1)
    last = {"NHWC": 3, "NC": 1}.get(source.layout)
    if last is None or axis % (last + 1) != last:
        raise reader.refuse(
            node,
            f"cnncount normalises over the channels only, not from axis {axis} of a {source.layout} tensor",
        )
    _vector(reader, node, 1, source.shape.channels)
    if len(node.input) > 2 and node.input[2]:
        _vector(reader, node, 2, source.shape.channels)
    else:
        raise reader.refuse(node, "cnncount's layer norm has a shift, and this one has none")
    reader.add(node, LayerNorm(), [source], node.output[0], source.layout)


def _clip(reader: GraphReader, node: Any) -> None:
    if reader.opset < 11:
        low, high = attribute(node, "min", -math.inf), attribute(node, "max", math.inf)
    else:
        low_value, high_value = reader.constant(node, 1), reader.constant(node, 2)
        low = low_value.values[0] if low_value and low_value.values else -math.inf
        high = high_value.values[0] if high_value and high_value.values else math.inf
    layers = {(0.0, 6.0): ReLU6, (0.0, math.inf): ReLU}
    if (low, high) not in layers:
        raise reader.refuse(
            node, f"cnncount reads a clip to [0, 6] (ReLU6) or [0, inf) (ReLU), not [{low}, {high}]"
        )
    source = reader.flow(node)
    reader.add(node, layers[(low, high)](), [source], node.output[0], source.layout)


def _merge(reader: GraphReader, node: Any) -> None:
    names = [name for name in node.input if name]
    if all(name in reader.flows for name in names):
        sources = [reader.flows[name] for name in names]
        if len(sources) == 1:
            reader.alias(node, node.output[0], sources[0])
            return
        if node.op_type in ("Sub", "Div"):
            raise reader.refuse(node, f"cnncount cannot count {node.op_type} of two maps")
        layer = Multiply() if node.op_type == "Mul" else Add()
        reader.add(node, layer, sources, node.output[0], _one_layout(reader, node, sources))
        return
    if node.op_type == "Div" and len(names) == 2 and _erf_gelu(reader, node):
        return
    if len(names) == 2 and _scale_input(reader, node):
        return
    if node.op_type == "Mul" and len(names) == 2:
        _layer_scale(reader, node)
        return
    if node.op_type == "Add" and len(names) == 2 and _bias_of_linear(reader, node):
        return
    if node.op_type == "Add" and len(names) == 2 and _bias_of_scale(reader, node):
        return
    raise reader.refuse(node, f"cnncount cannot count {node.op_type} with a constant here")


def _erf_gelu(reader: GraphReader, node: Any) -> bool:
    """Read ``x / sqrt(2)``, ``Erf``, ``+ 1``, ``* 0.5`` and ``* x`` as one GELU, as exporters write
    it before opset 20 gave it an operator; return whether ``node``, the division, starts that."""
    source = reader.flows.get(node.input[0])
    divisor = reader.constant(node, 1) if source is not None else None
    if source is None or not _is(divisor, math.sqrt(2)):
        return False
    chain, tensor = [], node.output[0]
    for op in ("Erf", "Add", "Mul", "Mul"):
        users = reader.consumers.get(tensor, [])
        if len(users) != 1 or users[0].op_type != op:
            return False
        chain.append(users[0])
        tensor = users[0].output[0]
    erf, add, first, second = chain
    if not _is(_other(reader, add, erf.output[0]), 1.0):
        return False
    x = node.input[0]
    operands = {
        _operand(reader, first, add.output[0], x),
        _operand(reader, second, first.output[0], x),
    }
    if operands != {"x", "half"}:
        return False
    for part in chain:
        reader.fused[_name(part)] = "gelu"
    reader.add(second, GELU(), [source], second.output[0], source.layout)
    return True


def _other(reader: GraphReader, node: Any, name: str) -> Value | None:
    """Return the constant that ``node`` takes besides the tensor ``name``, if it is one."""
    others = [other for other in node.input if other != name]
    return reader.values.get(others[0]) if len(others) == 1 else None


def _operand(reader: GraphReader, node: Any, name: str, x: str) -> str:
    """Return what the product ``node`` multiplies the tensor ``name`` by: "x" for the tensor
    ``x``, "half" for the constant 0.5, or "other"."""
    if [other for other in node.input if other != name] == [x]:
        return "x"
    return "half" if _is(_other(reader, node, name), 0.5) else "other"


def _is(value: Value | None, number: float) -> bool:
    """Return whether ``value`` is the one number ``number`` (to float32's precision)."""
    return (
        value is not None
        and value.values is not None
        and len(value.values) == 1
        and abs(value.values[0] - number) <= 1e-6 * abs(number)
    )


def _scale_input(reader: GraphReader, node: Any) -> bool:
    """Read a product, sum, difference or quotient of the input's pixels with a constant, before any
    layer (a model's own preprocessing, as Keras's ``Rescaling`` and ``Normalization`` layers
    convert), as a fixed rescaling by a number or a normalisation by a value per channel: constants
    that count nowhere. Return whether ``node`` is that."""
    index = 0 if node.input[0] in reader.flows else 1
    source = reader.flows[node.input[index]]
    if source.node != INPUT and not isinstance(reader.layer_of(source), (Rescaling, Normalization)):
        return False
    constant = reader.constant(node, 1 - index)
    op = node.op_type
    if constant is None or (index == 1 and op in ("Sub", "Div")):
        return False
    if constant.numel == 1 and constant.values:
        value = constant.values[0]
        scale, offset = {"Mul": (value, 0.0), "Div": (1 / value, 0.0), "Add": (1.0, value)}.get(
            op, (1.0, -value)
        )
        reader.add(node, Rescaling(scale, offset), [source], node.output[0], source.layout)
        return True
    if constant.dims not in _per_channel(source):
        return False
    if isinstance(reader.layer_of(source), Normalization):  # its scale after its shift
        reader.alias(node, node.output[0], source)
        return True
    reader.add(node, Normalization(stored=False), [source], node.output[0], source.layout)
    return True


def _per_channel(source: Flow) -> list[tuple[int, ...]]:
    """Return the dimensions of a constant that holds one value per channel of ``source``, as
    broadcasting against its layout allows."""
    channels = source.shape.channels
    return {
        "NCHW": [(channels, 1, 1), (1, channels, 1, 1)],
        "NHWC": [(channels,), (1, 1, channels), (1, 1, 1, channels)],
    }.get(source.layout, [])


def _layer_scale(reader: GraphReader, node: Any) -> None:
    index = 0 if node.input[0] in reader.flows else 1
    source = reader.flows[node.input[index]]
    scale = reader.constant(node, 1 - index)
    if scale is None or scale.dims not in _per_channel(source):
        dims = "x".join(map(str, scale.dims)) if scale else "?"
        raise reader.refuse(
            node,
            f"cnncount reads a product with a constant as a layer scale of one factor per channel, not of dims {dims}",
        )
    reader.add(node, LayerScale(), [source], node.output[0], source.layout)


def _bias_of_linear(reader: GraphReader, node: Any) -> bool:
    """Fold a bias into the linear layer it follows (``MatMul`` then ``Add``); return whether it did."""
    index = 0 if node.input[0] in reader.flows else 1
    source = reader.flows[node.input[index]]
    last = reader.nodes[-1] if reader.nodes else None
    bias = reader.constant(node, 1 - index)
    if (
        last is None
        or last.name != source.node
        or not isinstance(last.layer, (Linear, PositionwiseLinear))
    ):
        return False
    if (
        last.layer.bias
        or bias is None
        or math.prod(bias.dims) != last.layer.out_features
        or bias.dims[-1:] != (last.layer.out_features,)
    ):
        return False
    if len(reader.consumers.get(node.input[index], [])) != 1:
        return False
    reader.nodes[-1] = type(last)(
        name=last.name,
        layer=type(last.layer)(last.layer.out_features, bias=True),
        inputs=last.inputs,
    )
    reader.alias(node, node.output[0], source)
    return True


def _bias_of_scale(reader: GraphReader, node: Any) -> bool:
    """Fold a shift per channel into the layer scale it follows (``Mul`` then ``Add`` by constants,
    Caffe's ``Scale`` layer with its bias term); return whether it did."""
    index = 0 if node.input[0] in reader.flows else 1
    source = reader.flows[node.input[index]]
    last = reader.nodes[-1] if reader.nodes else None
    shift = reader.constant(node, 1 - index)
    if (
        last is None
        or last.name != source.node
        or not isinstance(last.layer, LayerScale)
        or last.layer.bias
        or shift is None
        or shift.dims not in _per_channel(source)
        or len(reader.consumers.get(node.input[index], [])) != 1
    ):
        return False
    reader.nodes[-1] = type(last)(name=last.name, layer=LayerScale(bias=True), inputs=last.inputs)
    reader.alias(node, node.output[0], source)
    return True


def _gelu(reader: GraphReader, node: Any) -> None:
    approximate = attribute(node, "approximate", "none")
    if approximate not in ("none", "tanh"):
        raise reader.refuse(node, f"cnncount cannot count Gelu with approximate={approximate!r}")
    _activation(reader, node, GELU(tanh=approximate == "tanh"))


def _instance_norm(reader: GraphReader, node: Any) -> None:
    """ONNX's instance normalisation always has its scale and shift (inputs 1 and 2)."""
    source = _image(reader, node)
    for index in (1, 2):
        _vector(reader, node, index, source.shape.channels)
    reader.add(node, InstanceNorm2d(affine=True), [source], node.output[0], "NCHW")


def _leaky_relu(reader: GraphReader, node: Any) -> None:
    _activation(reader, node, LeakyReLU(attribute(node, "alpha", 0.01)))


def _elu(reader: GraphReader, node: Any) -> None:
    _activation(reader, node, ELU(attribute(node, "alpha", 1.0)))


def _prelu(reader: GraphReader, node: Any) -> None:
    """PReLU's slopes: one, or one per channel, broadcast from C x 1 x 1 over an image."""
    source = reader.flow(node)
    slopes = reader.constant(node, 1)
    dims = slopes.dims if slopes is not None else None
    channels = source.shape.channels
    if dims is not None and math.prod(dims) == 1:
        layer = PReLU()
    elif dims in ((channels, 1, 1), (channels,)) and source.layout in ("NCHW", "NC"):
        layer = PReLU(channels=True)
    else:
        shown = "x".join(map(str, dims)) if dims is not None else "not a constant"
        raise reader.refuse(
            node, f"cnncount learns one slope, or one per channel, not slopes of {shown}"
        )
    reader.add(node, layer, [source], node.output[0], source.layout)


def _erf(reader: GraphReader, node: Any) -> None:
    raise reader.refuse(
        node, "cnncount reads Erf only within a GELU, x * 0.5 * (1 + erf(x / sqrt(2)))"
    )


def _concat(reader: GraphReader, node: Any) -> None:
    sources = [reader.flow(node, index) for index in range(len(node.input))]
    layout = _one_layout(reader, node, sources)
    axis = attribute(node, "axis", 1)
    channel_axis = {"NCHW": 1, "NHWC": 3, "NC": 1}[layout]
    rank = {"NCHW": 4, "NHWC": 4, "NC": 2}[layout]
    if axis % rank != channel_axis:
        raise reader.refuse(
            node, f"cnncount concatenates along the channels only, not along axis {axis}"
        )
    if len(sources) == 1:
        reader.alias(node, node.output[0], sources[0])
        return
    reader.add(node, Concat(), sources, node.output[0], layout)


def _flatten(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    if attribute(node, "axis", 1) != 1:
        raise reader.refuse(
            node, f"cnncount flattens from axis 1 only, not {attribute(node, 'axis')}"
        )
    if source.layout == "NC":
        reader.alias(node, node.output[0], source)
        return
    reader.add(node, Flatten(), [source], node.output[0], "NC")


def _reshape(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    target = attribute(node, "shape") if reader.opset < 5 else None
    if target is None:
        found = reader.constant(node, 1)
        target = found.ints() if found else None
    if target is None:
        raise reader.refuse(node, "its target shape is not a constant that cnncount can read")
    if target == [-1] and _strided_view(reader, node, source):
        return
    dims = source.dims()
    wanted = [
        dims[index - 1] if size == 0 and 0 < index <= len(dims) else size
        for index, size in enumerate(target)
    ]
    wanted_rest = wanted[1:]
    if -1 in wanted_rest:
        known = math.prod(size for size in wanted_rest if size != -1)
        wanted_rest[wanted_rest.index(-1)] = source.shape.numel // known if known else -1
    if wanted_rest == dims:
        reader.alias(node, node.output[0], source)
    elif len(wanted_rest) == 1 and wanted_rest[0] == source.shape.numel:
        if source.layout == "NC":
            reader.alias(node, node.output[0], source)
        else:
            reader.add(node, Flatten(), [source], node.output[0], "NC")
    elif source.layout == "NC" and wanted_rest in ([dims[0], 1, 1], [1, 1, dims[0]]):
        reader.alias(
            node,
            node.output[0],
            Flow(source.node, source.shape, "NCHW" if wanted_rest[1] == 1 else "NHWC"),
        )
    elif _shuffle(reader, node, source, wanted_rest):
        return
    else:
        shown = "x".join(map(str, source.dims()))
        raise reader.refuse(
            node,
            f"cnncount cannot reshape {shown} to {target}: a fixed target that the input does not fit, or a rearrangement that cnncount does not count (an --input that changes the size does not fit a fixed target)",
        )


def _strided_view(reader: GraphReader, node: Any, source: Flow) -> bool:
    """Read ``Reshape`` to one axis then ``Gather`` of every value in order, back to the map's own
    dimensions, as the view it is (the dynamo exporter's ``as_strided`` of one image); return
    whether the nodes are that."""
    users = reader.consumers.get(node.output[0], [])
    if len(users) != 1 or users[0].op_type != "Gather" or attribute(users[0], "axis", 0) != 0:
        return False
    indices = reader.values.get(users[0].input[1])
    numel = source.shape.numel
    if (
        indices is None
        or indices.dims != (1, *source.dims())
        or indices.ints() != list(range(numel))
    ):
        return False
    reader.fused[_name(users[0])] = "view"
    reader.flows[node.output[0]] = source
    reader.alias(users[0], users[0].output[0], source)
    return True


def _shuffle(reader: GraphReader, node: Any, source: Flow, wanted: list[int]) -> bool:
    """Read ``Reshape`` to N x g x C/g x H x W, ``Transpose`` of the two group axes and ``Reshape``
    back as a channel shuffle of ``g`` groups (ShuffleNet); return whether the nodes are that."""
    shape = source.shape
    if (
        source.layout != "NCHW"
        or len(wanted) != 4
        or wanted[0] * wanted[1] != shape.channels
        or wanted[2:] != [shape.height, shape.width]
    ):
        return False
    users = reader.consumers.get(node.output[0], [])
    if (
        len(users) != 1
        or users[0].op_type != "Transpose"
        or attribute(users[0], "perm") != [0, 2, 1, 3, 4]
    ):
        return False
    back = reader.consumers.get(users[0].output[0], [])
    if len(back) != 1 or back[0].op_type != "Reshape":
        return False
    reader.fused[_name(users[0])] = reader.fused[_name(back[0])] = "shuffle"
    reader.flows[node.output[0]] = reader.flows[users[0].output[0]] = source  # views on the way
    reader.add(back[0], ChannelShuffle(wanted[0]), [source], back[0].output[0], "NCHW")
    return True


def _transpose(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    perm = attribute(node, "perm")
    moves = {("NCHW", (0, 2, 3, 1)): "NHWC", ("NHWC", (0, 3, 1, 2)): "NCHW"}
    layout = moves.get((source.layout, tuple(perm or ())))
    if layout is None:
        raise reader.refuse(
            node,
            f"cnncount moves the channels last or first only, not by perm {perm} of a {source.layout} tensor",
        )
    reader.alias(node, node.output[0], Flow(source.node, source.shape, layout))


def _view(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    op = node.op_type
    if op in ("Squeeze", "Unsqueeze") and source.shape.height == source.shape.width == 1:
        dims = reader.dims_of(node.output[0])
        layout = (
            "NC"
            if op == "Squeeze"
            else ("NCHW" if dims is None or dims[1] == source.shape.channels else "NHWC")
        )
        reader.alias(node, node.output[0], Flow(source.node, source.shape, layout))
        return
    if op in ("Squeeze", "Unsqueeze"):
        raise reader.refuse(node, f"cnncount cannot {op.lower()} a {source.shape} map")
    reader.alias(node, node.output[0], source)


def _gemm(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    if source.layout != "NC" or attribute(node, "transA", 0):
        raise reader.refuse(
            node,
            "cnncount reads Gemm as a fully connected layer on a vector per image, not transposed",
        )
    weight = _weight(reader, node, 1, rank=2)
    inputs, outputs = weight.dims[::-1] if attribute(node, "transB", 0) else weight.dims
    if inputs != source.shape.channels:
        raise reader.refuse(
            node, f"its weight takes {inputs} features, but its input has {source.shape.channels}"
        )
    bias = len(node.input) > 2 and bool(node.input[2])
    if bias:
        found = reader.constant(node, 2)
        if found is None or found.numel != outputs:
            raise reader.refuse(
                node,
                f"cnncount reads a bias of one value per output ({outputs}), not of dims {found.dims if found else '?'}",
            )
    reader.add(node, Linear(outputs, bias=bias), [source], node.output[0], "NC")


def _matmul(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    weight = _weight(reader, node, 1, rank=2)
    inputs, outputs = weight.dims
    if inputs != source.shape.channels or source.layout == "NCHW":
        raise reader.refuse(
            node,
            f"cnncount reads MatMul as a linear layer on the channels, and its weight {inputs}x{outputs} does not fit the {source.layout} input {source.shape}",
        )
    layer = (
        Linear(outputs, bias=False)
        if source.layout == "NC"
        else PositionwiseLinear(outputs, bias=False)
    )
    reader.add(node, layer, [source], node.output[0], source.layout)


def _softmax(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    axis = attribute(node, "axis", 1 if reader.opset < 13 else -1)
    vector = source.layout == "NC" or source.shape.height == source.shape.width == 1
    rank, channels = {"NC": (2, 1), "NCHW": (4, 1), "NHWC": (4, 3)}[source.layout]
    if not vector or axis % rank != channels:  # a 1 x 1 map is a vector of scores too (Caffe2)
        raise reader.refuse(
            node,
            f"cnncount reads a soft-max over a vector of class scores only, not over axis {axis} of a {source.layout} tensor {source.shape}",
        )
    layer = Softmax(log=node.op_type == "LogSoftmax")
    reader.add(node, layer, [source], node.output[0], source.layout)


def _dropout(reader: GraphReader, node: Any) -> None:
    source = reader.flow(node)
    ratio = attribute(node, "ratio", 0.5)
    if reader.opset >= 12 and len(node.input) > 1 and node.input[1]:
        found = reader.constant(node, 1)
        ratio = found.values[0] if found and found.values else 0.5
    reader.add(node, Dropout(float(ratio)), [source], node.output[0], source.layout)


def _lrn(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    reader.add(
        node, LocalResponseNorm(attribute(node, "size", 5)), [source], node.output[0], "NCHW"
    )


def _pad(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    mode = attribute(node, "mode", "constant")
    if reader.opset < 11:
        pads, fill = attribute(node, "pads"), attribute(node, "value", 0.0)
    else:
        found, value = reader.constant(node, 1), reader.constant(node, 2)
        pads = found.ints() if found else None
        fill = value.values[0] if value and value.values else 0.0
        axes = reader.constant(node, 3)
        if axes is not None:
            raise reader.refuse(
                node, "cnncount reads a Pad over all four axes, not over chosen axes"
            )
    kinds = {"constant": ZeroPad2d, "reflect": ReflectionPad2d, "edge": ReplicationPad2d}
    if mode not in kinds or (mode == "constant" and fill != 0) or pads is None or len(pads) != 8:
        raise reader.refuse(
            node,
            f"cnncount reads padding of the height and width with zeros, by reflection or from "
            f"the edge, not mode {mode!r}, value {fill}, pads {pads}",
        )
    if pads[0] or pads[1] or pads[4] or pads[5] or min(pads) < 0:
        raise reader.refuse(
            node, f"cnncount pads the height and width only, by at least 0, not by {pads}"
        )
    layer = kinds[mode](pads[2], pads[6], pads[3], pads[7])
    reader.add(node, layer, [source], node.output[0], "NCHW")


def _split(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    count = len(node.output)
    sizes = attribute(node, "split")
    if sizes is None and len(node.input) > 1 and node.input[1]:
        found = reader.constant(node, 1)
        sizes = found.ints() if found else None
    chunk = -(-source.shape.channels // count)
    expected = [min(chunk, source.shape.channels - index * chunk) for index in range(count)]
    if attribute(node, "axis", 0) % 4 != 1 or (sizes is not None and list(sizes) != expected):
        raise reader.refuse(
            node,
            f"cnncount splits the channels into equal chunks only (as {expected}), not {sizes} along axis {attribute(node, 'axis', 0)}",
        )
    for index, output in enumerate(node.output):
        reader.add(
            node, ChannelChunk(count, index), [source], output, "NCHW", f"{_name(node)}.{index}"
        )


def _slice(reader: GraphReader, node: Any) -> None:
    source = _image(reader, node)
    starts, ends, axes, steps = (reader.constant(node, index) for index in range(1, 5))
    bounds = [value.ints() if value else None for value in (starts, ends, axes, steps)]
    channels = source.shape.channels
    if (
        bounds[0]
        and bounds[1]
        and len(bounds[0]) == 1
        and (bounds[2] or [1]) == [1]
        and (bounds[3] or [1]) == [1]
    ):
        start, end = bounds[0][0], min(bounds[1][0], channels)
        size = end - start
        if size > 0 and channels % size == 0 and start % size == 0:
            layer = ChannelChunk(channels // size, start // size)
            reader.add(node, layer, [source], node.output[0], "NCHW")
            return
    raise reader.refuse(
        node,
        f"cnncount reads a slice of the channels into equal chunks only, not starts {bounds[0]}, ends {bounds[1]}, axes {bounds[2]}, steps {bounds[3]}",
    )


def _image(reader: GraphReader, node: Any) -> Flow:
    source = reader.flow(node)
    if source.layout != "NCHW":
        raise reader.refuse(
            node,
            f"cnncount reads {node.op_type} on a map with the channels first, and this input is {source.layout}",
        )
    return source


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def _weight(reader: GraphReader, node: Any, index: int, rank: int) -> Value:
    weight = reader.constant(node, index)
    if weight is None or len(weight.dims) != rank:
        dims = "x".join(map(str, weight.dims)) if weight else "none"
        raise reader.refuse(node, f"cnncount reads a weight of {rank} dimensions here, not {dims}")
    return weight


def _bias(reader: GraphReader, node: Any, index: int, size: int) -> bool:
    if len(node.input) <= index or not node.input[index]:
        return False
    _vector(reader, node, index, size)
    return True


def _vector(reader: GraphReader, node: Any, index: int, size: int) -> None:
    found = reader.constant(node, index)
    if found is None or found.dims != (size,):
        dims = "x".join(map(str, found.dims)) if found else "none"
        raise reader.refuse(
            node,
            f"its input {index} has dims {dims} where cnncount expects {size}, one value per channel",
        )


def _kernel(reader: GraphReader, node: Any, weight: tuple[int, int]) -> tuple[int, int]:
    declared = attribute(node, "kernel_shape")
    if declared is not None and tuple(declared) != weight:
        raise reader.refuse(
            node, f"its kernel_shape {declared} differs from its weight's {list(weight)}"
        )
    return weight


def _pair(node: Any, name: str, default: int = 1) -> tuple[int, int]:
    values = attribute(node, name) or [default, default]
    return (int(values[0]), int(values[1])) if len(values) == 2 else (default, default)


def _pads(
    reader: GraphReader,
    node: Any,
    shape: Shape,
    kernel: tuple[int, int],
    strides: tuple[int, int],
    dilations: tuple[int, int],
) -> tuple[int, int, int, int]:
    """Return the pads (top, bottom, left, right) of a convolution or pooling, from its ``pads`` or
    its ``auto_pad``."""
    auto = attribute(node, "auto_pad", "NOTSET")
    if auto in ("NOTSET", ""):
        pads = attribute(node, "pads", [0, 0, 0, 0])
        if len(pads) != 4 or min(pads) < 0:
            raise reader.refuse(
                node, f"cnncount reads pads of a two-dimensional window, at least 0, not {pads}"
            )
        return pads[0], pads[2], pads[1], pads[3]
    if auto == "VALID":
        return 0, 0, 0, 0
    if auto not in ("SAME_UPPER", "SAME_LOWER"):
        raise reader.refuse(node, f"unknown auto_pad {auto!r}")
    sides = []
    for size, k, s, d in zip((shape.height, shape.width), kernel, strides, dilations):
        total = max((-(-size // s) - 1) * s + d * (k - 1) + 1 - size, 0)
        before = total // 2 if auto == "SAME_UPPER" else total - total // 2
        sides.append((before, total - before))
    return sides[0][0], sides[0][1], sides[1][0], sides[1][1]


def _one_layout(reader: GraphReader, node: Any, sources: list[Flow]) -> str:
    layouts = {flow.layout for flow in sources}
    if len(layouts) != 1:
        raise reader.refuse(
            node,
            f"its inputs hold their values in different layouts ({', '.join(sorted(layouts))})",
        )
    return layouts.pop()


def _name(node: Any) -> str:
    return str(node.name or node.output[0])


def _shape(reader: GraphReader, node: Any) -> None:
    reader.values[node.output[0]] = reader.shape_of(node.input[0])


OPERATORS: dict[str, Callable[[GraphReader, Any], None]] = {
    "Conv": _conv,
    "ConvTranspose": _conv_transpose,
    "MaxPool": _pool,
    "AveragePool": _pool,
    "GlobalAveragePool": _global_pool,
    "GlobalMaxPool": _global_pool,
    "ReduceMean": _reduce_mean,
    "BatchNormalization": _batch_norm,
    "LayerNormalization": _layer_norm,
    "Clip": _clip,
    "Add": _merge,
    "Sum": _merge,
    "Mul": _merge,
    "Sub": _merge,
    "Div": _merge,
    "Gelu": _gelu,
    "Elu": _elu,
    "LeakyRelu": _leaky_relu,
    "InstanceNormalization": _instance_norm,
    "PRelu": _prelu,
    "Erf": _erf,
    "Concat": _concat,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Transpose": _transpose,
    "Identity": _view,
    "Squeeze": _view,
    "Unsqueeze": _view,
    "Gemm": _gemm,
    "MatMul": _matmul,
    "Softmax": _softmax,
    "LogSoftmax": _softmax,
    "Dropout": _dropout,
    "LRN": _lrn,
    "Pad": _pad,
    "Split": _split,
    "Slice": _slice,
    "Shape": _shape,
}
"""The operators on the network's data that cnncount reads (besides :data:`_ACTIVATIONS`), each
with the function that maps it."""
