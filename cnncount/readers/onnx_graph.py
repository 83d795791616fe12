"""Walk an ONNX graph in order and map each node that computes on the input onto a cnncount layer.

A tensor computed from the input is a :class:`~cnncount.readers.flow.Flow`: the cnncount node
that makes it, its shape in cnncount's terms (channels, height, width), and its layout, since
converters move the channels last around the layers that act on the last axis (ConvNeXt's layer
norm and linear layers; TensorFlow's graphs). Every other tensor is a constant :class:`~cnncount.readers.
onnx_values.Value`: a weight, known by its dimensions, or metadata, known by its values. How each
operator maps is in :mod:`cnncount.readers.onnx_ops`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from cnncount.errors import LayerError, ReadError
from cnncount.layers import Layer
from cnncount.network import INPUT, Node
from cnncount.readers.flow import Flow
from cnncount.readers.onnx_values import Value, decode, evaluate
from cnncount.shapes import Shape

__all__ = ["GraphReader"]


class GraphReader:
    """Read the graph of an ``onnx.ModelProto`` from ``path`` into cnncount nodes.

    Examples:
        >>> from onnx import TensorProto, helper
        >>> from cnncount.readers.onnx_ops import map_node
        >>> graph = helper.make_graph(
        ...     [helper.make_node("Flatten", ["x"], ["f"]), helper.make_node("Softmax", ["f"], ["p"])],
        ...     "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 10, 1, 1])],
        ...     [helper.make_tensor_value_info("p", TensorProto.FLOAT, None)])
        >>> reader = GraphReader(helper.make_model(graph), "g.onnx")
        >>> reader.input_shape, [str(node.layer) for node in reader.read(map_node)]
        (Shape(10, 1, 1), ['flatten', 'soft-max'])
    """

    def __init__(self, model: Any, path: str, input_shape: Shape | None = None) -> None:
        self.path = path
        self.graph = model.graph
        self.opset = next(
            (entry.version for entry in model.opset_import if entry.domain in ("", "ai.onnx")), 1
        )
        self.values: dict[str, Value] = {t.name: decode(t) for t in self.graph.initializer}
        inputs = [value for value in self.graph.input if value.name not in self.values]
        if not inputs:
            raise ReadError(f"{path}: the graph has no input besides its weights")
        self.input_name = inputs[0].name
        for extra in inputs[1:]:  # a weight given as an input (onnx's node tests): its dims
            dims = _dims(extra)
            if dims is not None and None not in dims:
                self.values[extra.name] = Value(
                    tuple(int(size) for size in dims if size is not None)
                )
        self.consumers: dict[str, list[Any]] = {}
        for node in self.graph.node:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)
        declared = _dims(inputs[0])
        self.input_shape, layout = self._input_shape(declared, input_shape)
        self.inferred = _infer(model, path, self.input_name, input_shape, declared, layout)
        self.flows: dict[str, Flow] = {self.input_name: Flow(INPUT, self.input_shape, layout)}
        self.nodes: list[Node] = []
        self.names: set[str] = {INPUT}
        self.fused: dict[str, str] = {}

    def read(self, map_node: Callable[[GraphReader, Any], None]) -> list[Node]:
        """Return the cnncount nodes of the graph, in order, each checked against onnx's shapes;
        ``map_node`` maps each node that reads the network's data onto layers
        (:func:`cnncount.readers.onnx_ops.map_node`).

        Examples:
            >>> from onnx import TensorProto, helper
            >>> from cnncount.readers.onnx_ops import map_node
            >>> graph = helper.make_graph([helper.make_node("Sin", ["x"], ["y"], name="sine")], "g",
            ...     [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])], [])
            >>> GraphReader(helper.make_model(graph), "g.onnx").read(map_node)
            Traceback (most recent call last):
            ...
            cnncount.errors.ReadError: g.onnx: node 'sine' (Sin): cnncount cannot count the operator Sin
        """
        constants = [node for node in self.graph.node if node.op_type == "Constant"]
        for node in constants:  # first, so that a pattern of nodes can read those after it
            self._constant(node)
        for node in self.graph.node:
            if any(attribute.g.node or attribute.graphs for attribute in node.attribute):
                raise self.refuse(
                    node, "cnncount cannot count control flow, whose branches are subgraphs"
                )
            if node_name(node) in self.fused or node.op_type == "Constant":
                continue  # a part of a layer added with the node that starts it, or a constant
            if not any(name in self.flows for name in node.input):
                self._constant(node)
            else:
                map_node(self, node)
        uncomputed = [value.name for value in self.graph.output if value.name not in self.flows]
        if uncomputed:
            raise ReadError(
                f"{self.path}: the graph's output {uncomputed[0]!r} is not computed from its input"
            )
        return self.nodes

    # -- what the operator mappings call -----------------------------------------------------

    def where(self, node: Any) -> str:
        """Return how an error names ``node``: the file, the node's name and its operator.

        Examples:
            >>> reader = _example()
            >>> reader.where(reader.graph.node[0])
            "g.onnx: node 'conv' (Conv)"
        """
        return f"{self.path}: node {node_name(node)!r} ({node.op_type})"

    def refuse(self, node: Any, reason: str) -> ReadError:
        """Return the error that refuses ``node`` for ``reason``.

        Examples:
            >>> reader = _example()
            >>> str(reader.refuse(reader.graph.node[1], "a reason"))
            "g.onnx: node 'relu' (Relu): a reason"
        """
        return ReadError(f"{self.where(node)}: {reason}")

    def flow(self, node: Any, index: int = 0) -> Flow:
        """Return the flowing tensor that is ``node``'s input ``index``, or refuse the node.

        Examples:
            >>> reader = _example()
            >>> reader.flow(reader.graph.node[0])
            Flow(node='input', shape=Shape(3, 8, 8), layout='NCHW', groups=1)
            >>> reader.flow(reader.graph.node[0], 1)
            Traceback (most recent call last):
            ...
            cnncount.errors.ReadError: g.onnx: node 'conv' (Conv): its input 1 is a constant where the network's data is expected
        """
        name = node.input[index] if index < len(node.input) else ""
        if name not in self.flows:
            raise self.refuse(
                node, f"its input {index} is a constant where the network's data is expected"
            )
        return self.flows[name]

    def constant(self, node: Any, index: int) -> Value | None:
        """Return ``node``'s input ``index`` as a constant, or None where it is absent.

        Examples:
            >>> reader = _example()
            >>> reader.constant(reader.graph.node[0], 1).dims, reader.constant(reader.graph.node[0], 2)
            ((4, 3, 3, 3), None)
        """
        name = node.input[index] if index < len(node.input) else ""
        if not name:
            return None
        if name in self.flows:
            raise self.refuse(
                node,
                f"its input {index} ({name!r}) is computed from the network's input, where cnncount expects a constant",
            )
        if name not in self.values:
            raise self.refuse(
                node,
                f"its input {index} ({name!r}) is neither a weight, a constant nor a computed tensor",
            )
        return self.values[name]

    def add(
        self, node: Any, layer: Layer, sources: list[Flow], output: str, layout: str, name: str = ""
    ) -> Flow:
        """Add ``layer`` as a node reading ``sources``; return its output ``output``, checked
        against onnx's shape inference.

        Examples:
            >>> from cnncount.layers.pointwise import ReLU
            >>> reader = _example()
            >>> from cnncount.readers.onnx_ops import map_node
            >>> _ = reader.read(map_node)
            >>> relu = reader.graph.node[1]
            >>> reader.add(relu, ReLU(), [reader.flows["z"]], "z2", "NCHW"), [node.name for node in reader.nodes]
            (Flow(node='relu#2', shape=Shape(4, 8, 8), layout='NCHW', groups=1), ['conv', 'relu', 'relu#2'])
        """
        name = self._unique(name or node_name(node))
        try:
            shape = layer.output_shape_of(
                [flow.shape for flow in sources], [flow.node for flow in sources]
            )
        except LayerError as error:
            raise self.refuse(node, str(error)) from None
        self.nodes.append(Node(name=name, layer=layer, inputs=tuple(flow.node for flow in sources)))
        made = Flow(name, shape, layout)
        self.check(node, output, made)
        self.flows[output] = made
        return made

    def layer_of(self, flow: Flow) -> Layer | None:
        """Return the layer that makes ``flow``, or None for the network's input.

        Examples:
            >>> reader = _example()
            >>> from cnncount.readers.onnx_ops import map_node
            >>> _ = reader.read(map_node)
            >>> str(reader.layer_of(reader.flows["z"])), reader.layer_of(reader.flows["x"])
            ('relu', None)
        """
        return next((node.layer for node in self.nodes if node.name == flow.node), None)

    def alias(self, node: Any, output: str, flow: Flow) -> None:
        """Let ``output`` stand for ``flow``: the node moves or keeps the values, and counts nothing.

        Examples:
            >>> reader = _example()
            >>> from cnncount.readers.onnx_ops import map_node
            >>> _ = reader.read(map_node)
            >>> reader.alias(reader.graph.node[1], "z_view", reader.flows["z"])
            >>> reader.flows["z_view"] is reader.flows["z"]
            True
        """
        self.check(node, output, flow)
        self.flows[output] = flow

    def check(self, node: Any, output: str, flow: Flow) -> None:
        """Refuse ``node`` where onnx's shape inference gives ``output`` other dimensions than ``flow``'s.

        Examples:
            >>> reader = _example()
            >>> reader.check(reader.graph.node[0], "y", Flow("conv", Shape(5, 8, 8), "NCHW"))
            Traceback (most recent call last):
            ...
            cnncount.errors.ReadError: g.onnx: node 'conv' (Conv): cnncount makes its output 5x8x8 where onnx's shape inference makes 4x8x8
        """
        inferred = self.inferred.get(output)
        if inferred is not None and None not in inferred[1:] and inferred[1:] != flow.dims():
            shown = "x".join(str(size) for size in inferred[1:])
            raise self.refuse(
                node,
                f"cnncount makes its output {'x'.join(map(str, flow.dims()))} where onnx's shape inference makes {shown}",
            )

    def dims_of(self, name: str) -> list[int | None] | None:
        """Return the dimensions onnx's shape inference gives the tensor ``name``, if any.

        Examples:
            >>> _example().dims_of("y")
            [1, 4, 8, 8]
        """
        return self.inferred.get(name)

    # -- constants --------------------------------------------------------------------------

    def _constant(self, node: Any) -> None:
        from cnncount.readers.onnx_values import attribute

        op = node.op_type
        if op == "Constant":
            value = attribute(node, "value")
            if value is None:
                for key in ("value_ints", "value_int", "value_floats", "value_float"):
                    found = attribute(node, key)
                    if found is not None:
                        items = tuple(found) if isinstance(found, list) else (found,)
                        value = Value((len(items),) if isinstance(found, list) else (), items)
            if value is None:
                raise self.refuse(node, "cnncount reads only tensor and number constants")
            self.values[node.output[0]] = value
            return
        inputs = [self.values.get(name) if name else None for name in node.input]
        if op == "Shape" and node.input and node.input[0] in self.values:
            self.values[node.output[0]] = Value(
                (len(self.values[node.input[0]].dims),), self.values[node.input[0]].dims
            )
            return
        if op == "ConstantOfShape":
            dims = inputs[0].ints() if inputs and inputs[0] else None
            if dims is None:
                raise self.refuse(node, "the dimensions it is asked for are not constant")
            fill = attribute(node, "value")
            small = math.prod(dims) <= 4096 and fill is not None and fill.values
            self.values[node.output[0]] = Value(
                tuple(dims), tuple(fill.values) * math.prod(dims) if small else None
            )
            return
        value = evaluate(op, node, inputs)
        for output in node.output:
            if value is not None and output == node.output[0]:
                self.values[output] = value
            else:  # a weight transformed, or an operator not evaluated: its dimensions only
                inferred = self.inferred.get(output)
                if inferred is not None and None not in inferred:
                    self.values[output] = Value(
                        tuple(int(size) for size in inferred if size is not None)
                    )

    def shape_of(self, name: str) -> Value:
        """Return the dimensions of the flowing tensor ``name`` as a constant (``Shape``'s value).

        Examples:
            >>> reader = _example()
            >>> from cnncount.readers.onnx_ops import map_node
            >>> _ = reader.read(map_node)
            >>> reader.shape_of("y").ints()
            [1, 4, 8, 8]
        """
        dims = self.inferred.get(name) or []
        batch = dims[0] if dims and dims[0] is not None else 1
        return Value((1 + len(self.flows[name].dims()),), (batch, *self.flows[name].dims()))

    # -- helpers ------------------------------------------------------------------------------

    def _unique(self, name: str) -> str:
        unique, count = name, 1
        while unique in self.names:
            count += 1
            unique = f"{name}#{count}"
        self.names.add(unique)
        return unique

    def _input_shape(
        self, declared: list[int | None] | None, given: Shape | None
    ) -> tuple[Shape, str]:
        name = self.input_name
        if declared is None or len(declared) not in (2, 4):
            rank = "unknown" if declared is None else len(declared)
            msg = f"{self.path}: input {name!r} has rank {rank}; cnncount reads an image batch N x C x H x W"
            raise ReadError(msg)
        layout = "NHWC" if len(declared) == 4 and self._channels_last() else "NCHW"
        if given is not None:
            if len(declared) != 4:
                raise ReadError(
                    f"{self.path}: input {name!r} is a vector per image; --input cannot give it a height and a width"
                )
            return given, layout
        sizes = declared[1:] if layout == "NCHW" else [declared[3], declared[1], declared[2]]
        if any(size is None for size in sizes):
            shown = "x".join("?" if size is None else str(size) for size in sizes)
            raise ReadError(
                f"{self.path}: input {name!r} has sizes {shown} not fixed in the file; give them with --input CxHxW"
            )
        whole = [int(size) for size in sizes if size is not None]
        if min(whole) < 1:
            shown = "x".join(map(str, declared))
            raise ReadError(
                f"{self.path}: input {name!r} has dims {shown}; every size after the batch must be positive"
            )
        if len(whole) == 1:
            return Shape(whole[0], 1, 1), "NC"
        return Shape(whole[0], whole[1], whole[2]), layout

    def _channels_last(self) -> bool:
        """Return whether the input holds its channels last: whether it reaches, through
        value-by-value operators on constants only (a scaling of the pixels), a ``Transpose`` that
        moves its last axis first, as TensorFlow's converter writes before a convolution."""
        name = self.input_name
        while len(users := self.consumers.get(name, [])) == 1:
            user = users[0]
            if user.op_type == "Transpose":
                return [
                    attribute.ints for attribute in user.attribute if attribute.name == "perm"
                ] == [[0, 3, 1, 2]]
            if user.op_type not in _VALUE_BY_VALUE or not user.output:
                return False
            name = user.output[0]
        return False


_VALUE_BY_VALUE = frozenset({"Mul", "Add", "Sub", "Div", "Cast", "Identity"})
"""Operators that keep a tensor's layout, through which :meth:`GraphReader._channels_last`
follows the input."""


def node_name(node: Any) -> str:
    """Return a node's name, or its first output's where it has none.

    Examples:
        >>> from onnx import helper
        >>> node_name(helper.make_node("Relu", ["x"], ["y"])), node_name(helper.make_node("Relu", ["x"], ["y"], name="r"))
        ('y', 'r')
    """
    return str(node.name or (node.output[0] if node.output else node.op_type))


def _dims(value_info: Any) -> list[int | None] | None:
    kind = value_info.type.WhichOneof("value")
    if kind != "tensor_type" or not value_info.type.tensor_type.HasField("shape"):
        return None
    return [
        dim.dim_value if dim.HasField("dim_value") else None
        for dim in value_info.type.tensor_type.shape.dim
    ]


def _infer(
    model: Any,
    path: str,
    input_name: str,
    given: Shape | None,
    declared: list[int | None] | None,
    layout: str,
) -> dict[str, list[int | None] | None]:
    """Return the dimensions that onnx's shape inference gives each tensor, after giving the
    input (held in ``layout``) the shape ``given`` if any."""
    import onnx

    if given is not None and declared is not None:
        model = onnx.ModelProto.FromString(model.SerializeToString())
        entry = next(value for value in model.graph.input if value.name == input_name)
        sizes = Flow(INPUT, given, layout).dims()
        for dim, size in zip(entry.type.tensor_type.shape.dim[1:], sizes):
            dim.Clear()
            dim.dim_value = size
        del model.graph.value_info[:]
        for output in model.graph.output:
            output.type.tensor_type.ClearField("shape")
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True, data_prop=True)
    except (
        onnx.shape_inference.InferenceError,
        onnx.checker.ValidationError,
        RuntimeError,
    ) as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        raise ReadError(
            f"{path}: onnx's shape inference fails: {lines[-1] if lines else type(error).__name__}"
        ) from None
    graph = inferred.graph
    return {value.name: _dims(value) for value in [*graph.value_info, *graph.output, *graph.input]}


def _example() -> GraphReader:
    """Return a reader of a small graph, a padded 3x3 convolution to 4 maps and a ReLU, for the
    examples of :class:`GraphReader`'s methods.

    Examples:
        >>> [node.op_type for node in _example().graph.node]
        ['Conv', 'Relu']
    """
    from onnx import TensorProto, helper

    weights = helper.make_tensor("w", TensorProto.FLOAT, [4, 3, 3, 3], [0.0] * 108)
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1]),
            helper.make_node("Relu", ["y"], ["z"], name="relu"),
        ],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, None)],
        [weights],
    )
    return GraphReader(helper.make_model(graph), "g.onnx")
