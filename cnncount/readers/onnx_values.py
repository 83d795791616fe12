"""The small constant tensors of an ONNX graph: the metadata that shapes its layers.

A ``Reshape`` target, a ``Pad``'s widths, a ``Clip``'s bounds and a ``Split``'s sizes are integer or
float tensors of a few values, held in an initializer or a ``Constant``, or computed from the
input's shape (``Shape``, ``Gather``, ``Unsqueeze``, ``Concat``). This module decodes them from their
protocol buffers with the standard library and evaluates the shape operators on them. It never
decodes a weight: a tensor of more than :data:`MOST_VALUES` values is known by its dimensions
alone.
"""

from __future__ import annotations

import math
import operator
import struct
from dataclasses import dataclass
from typing import Any

__all__ = ["MOST_VALUES", "Value", "attribute", "decode", "evaluate"]

MOST_VALUES = 4096
"""The most values a constant may hold for its values to be decoded; a larger one is a weight."""

_FORMATS = {
    1: "f",
    6: "i",
    7: "q",
    11: "d",
    2: "B",
    3: "b",
    4: "H",
    5: "h",
    9: "?",
    12: "I",
    13: "Q",
}
"""The struct format of each ONNX element type (TensorProto.DataType) whose values are decoded."""

_FIELDS = {1: "float_data", 6: "int32_data", 7: "int64_data", 11: "double_data", 13: "uint64_data"}
"""The field that holds the values of each element type where they are not raw bytes."""


@dataclass(frozen=True, slots=True)
class Value:
    """A constant tensor: its dimensions and, for a small one, its values in row-major order.

    Examples:
        >>> Value((2,), (1, -1)).numel, Value((64, 3, 7, 7)).values is None
        (2, True)
    """

    dims: tuple[int, ...]
    values: tuple[float, ...] | None = None

    @property
    def numel(self) -> int:
        """The number of values the tensor holds.

        Examples:
            >>> Value((64, 3, 7, 7)).numel
            9408
        """
        return math.prod(self.dims)

    def ints(self) -> list[int] | None:
        """Return the values as whole numbers, or None where they are not known.

        Examples:
            >>> Value((2,), (1.0, -1.0)).ints(), Value((3,)).ints()
            ([1, -1], None)
        """
        return None if self.values is None else [int(value) for value in self.values]


def decode(tensor: Any) -> Value:
    """Return a ``TensorProto``'s dimensions and, where it is small and held in the file, its values.

    Examples:
        >>> from onnx import helper, TensorProto
        >>> decode(helper.make_tensor("shape", TensorProto.INT64, [2], [1, -1]))
        Value(dims=(2,), values=(1, -1))
    """
    dims = tuple(int(size) for size in tensor.dims)
    count = math.prod(dims)
    fmt = _FORMATS.get(tensor.data_type)
    if count > MOST_VALUES or fmt is None or tensor.data_location == 1:  # 1: EXTERNAL
        return Value(dims)
    if tensor.raw_data:
        if len(tensor.raw_data) != count * struct.calcsize(fmt):
            return Value(dims)
        return Value(dims, struct.unpack(f"<{count}{fmt}", tensor.raw_data))
    field = _FIELDS.get(tensor.data_type, "int32_data")
    values = tuple(getattr(tensor, field))
    return Value(dims, values) if len(values) == count else Value(dims)


def attribute(node: Any, name: str, default: Any = None) -> Any:
    """Return the attribute ``name`` of an ONNX node (ints as a list, a tensor as a :class:`Value`).

    Examples:
        >>> from onnx import helper
        >>> node = helper.make_node("Conv", ["x", "w"], ["y"], strides=[2, 2], group=4)
        >>> attribute(node, "strides"), attribute(node, "group"), attribute(node, "pads", [0] * 4)
        ([2, 2], 4, [0, 0, 0, 0])
    """
    for found in node.attribute:
        if found.name == name:
            return _attribute_value(found)
    return default


def _attribute_value(found: Any) -> Any:
    kind = found.type  # AttributeProto.AttributeType
    if kind == 1:
        return found.f
    if kind == 2:
        return found.i
    if kind == 3:
        return found.s.decode("utf-8", "replace")
    if kind == 4:
        return decode(found.t)
    if kind == 6:
        return list(found.floats)
    if kind == 7:
        return list(found.ints)
    return None


def evaluate(op: str, node: Any, inputs: list[Value | None]) -> Value | None:
    """Return the value of a shape operator ``op`` on constant ``inputs``, or None where it is not
    one of those evaluated here or an input's values are not known.

    Examples:
        >>> from onnx import helper
        >>> shape = Value((4,), (1, 512, 7, 7))
        >>> batch = evaluate("Gather", helper.make_node("Gather", ["s", "i"], ["b"]), [shape, Value((), (0,))])
        >>> batch
        Value(dims=(), values=(1,))
        >>> evaluate("Concat", helper.make_node("Concat", ["b", "f"], ["t"], axis=0),
        ...          [evaluate("Unsqueeze", helper.make_node("Unsqueeze", ["b"], ["u"], axes=[0]), [batch]),
        ...           Value((1,), (-1,))])
        Value(dims=(2,), values=(1, -1))
    """
    if any(value is None or value.values is None for value in inputs[:1]):
        return None
    first = inputs[0]
    assert first is not None and first.values is not None
    if op in ("Identity", "Cast"):
        return first
    if op in ("Unsqueeze", "Squeeze") and first.numel == 1:
        return Value((1,) if op == "Unsqueeze" else (), first.values)
    if op == "Concat":
        parts = [value for value in inputs if value is not None and value.values is not None]
        if len(parts) != len(inputs) or any(len(part.dims) > 1 for part in parts):
            return None
        values = tuple(item for part in parts for item in part.values or ())
        return Value((len(values),), values)
    if op == "Gather" and len(first.dims) == 1:
        index = inputs[1] if len(inputs) > 1 else None
        if index is None or index.values is None:
            return None
        picked = tuple(first.values[int(i)] for i in index.values)
        return Value(index.dims, picked)
    if op in ("Mul", "Div", "Add", "Sub") and len(inputs) == 2:
        return _arithmetic(op, first, inputs[1])
    if op == "Slice" and len(first.dims) in (1, 2):
        return _slice(node, first, inputs[1:])
    if op == "Reshape" and len(inputs) == 2:
        return _reshape(first, inputs[1])
    if op == "Transpose" and len(first.dims) == 2 and attribute(node, "perm", [1, 0]) == [1, 0]:
        rows, columns = first.dims
        values = first.values
        return Value(
            (columns, rows),
            tuple(values[r * columns + c] for c in range(columns) for r in range(rows)),
        )
    return None


def _reshape(data: Value, target: Value | None) -> Value | None:
    """Return ``data`` with the dimensions ``target`` asks for (0 keeps a dimension, -1 takes
    what is left), its values in the same row-major order, as PyTorch's exporter reshapes the
    padding sizes it computes."""
    asked = target.ints() if target else None
    if asked is None:
        return None
    dims = [data.dims[index] if size == 0 else size for index, size in enumerate(asked)]
    known = math.prod(size for size in dims if size != -1)
    if dims.count(-1) == 1 and known and data.numel % known == 0:
        dims[dims.index(-1)] = data.numel // known
    if math.prod(dims) != data.numel or min(dims, default=1) < 0:
        return None
    return Value(tuple(dims), data.values)


def _arithmetic(op: str, left: Value, right: Value | None) -> Value | None:
    if right is None or right.values is None or (left.numel != right.numel and right.numel != 1):
        return None
    pairs = zip(left.values or (), right.values * left.numel if right.numel == 1 else right.values)
    apply = {"Mul": operator.mul, "Div": _divide, "Add": operator.add, "Sub": operator.sub}[op]
    return Value(left.dims, tuple(apply(a, b) for a, b in pairs))


def _divide(a: float, b: float) -> float:
    return a // b if float(a).is_integer() and float(b).is_integer() else a / b


def _slice(node: Any, data: Value, bounds: list[Value | None]) -> Value | None:
    """Return a slice of a vector, or of the rows of a matrix (axis 0), as exporters slice shapes
    and flip the padding sizes' pairs."""
    if bounds:
        starts, ends = (bound.ints() if bound else None for bound in bounds[:2])
        axes = bounds[2].ints() if len(bounds) > 2 and bounds[2] else None
    else:
        starts, ends = attribute(node, "starts"), attribute(node, "ends")
        axes = attribute(node, "axes")
    if (
        not starts
        or not ends
        or (axes is not None and [axis % len(data.dims) for axis in axes] != [0])
    ):
        return None
    step = bounds[3].ints() if len(bounds) > 3 and bounds[3] else None
    width = math.prod(data.dims[1:])
    values = tuple(data.values or ())
    rows = [values[row * width : (row + 1) * width] for row in range(data.dims[0])]
    picked = rows[slice(starts[0], ends[0], step[0] if step else 1)]
    return Value((len(picked), *data.dims[1:]), tuple(value for row in picked for value in row))
