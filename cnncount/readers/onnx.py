"""Read an ONNX file into a :class:`~cnncount.network.Network`, without loading a weight.

The graph is read with ``onnx.load(path, load_external_data=False)`` and
``onnx.shape_inference.infer_shapes``. A weight is counted from its dimensions alone: an
initializer's, a ``Constant``'s, or those a ``ConstantOfShape`` is asked for where the weights were
stripped. Nodes that compute only on constants or on shapes (``Shape``, ``Gather``, ``Concat``
feeding a ``Reshape``) are metadata, evaluated on small integer tensors. Every other node maps onto
a cnncount layer (:mod:`cnncount.readers.onnx_ops`), named by the node, or by its output where the
node has no name. Each layer's output is checked against onnx's shape inference, and a node that
cnncount cannot count exactly is refused in one line naming the file, the node and the operator.

Examples:
    >>> import onnx
    >>> from onnx import TensorProto, helper
    >>> graph = helper.make_graph(
    ...     [helper.make_node("Conv", ["image", "w"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    ...      helper.make_node("Relu", ["c"], ["r"], name="relu")],
    ...     "tiny",
    ...     [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 32, 32])],
    ...     [helper.make_tensor_value_info("r", TensorProto.FLOAT, None)],
    ...     [helper.make_tensor("w", TensorProto.FLOAT, [16, 3, 3, 3], [0.0] * 432)],
    ... )
    >>> network = from_onnx_model(helper.make_model(graph), "tiny.onnx")
    >>> [(node.name, str(node.layer)) for node in network.nodes], network.input_shape
    ([('conv', 'conv3-16/nobias'), ('relu', 'relu')], Shape(3, 32, 32))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cnncount.errors import ReadError
from cnncount.network import Network
from cnncount.readers.onnx_graph import GraphReader
from cnncount.readers.onnx_ops import map_node

if TYPE_CHECKING:
    from cnncount.shapes import Shape

__all__ = ["from_onnx_model", "read_onnx"]


def read_onnx(path: str, input_shape: Shape | None = None) -> Network:
    """Return the network in the ONNX file ``path``, fed ``input_shape`` (C, H, W) if given.

    Examples:
        >>> read_onnx(__file__)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: .../onnx.py: not an ONNX model (...)
    """
    onnx = _import_onnx(path)
    from google.protobuf.message import DecodeError  # type: ignore[import-untyped]

    try:
        model = onnx.load(path, load_external_data=False)
    except (DecodeError, RuntimeError, ValueError, OSError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ReadError(f"{path}: not an ONNX model ({reason})") from None
    return from_onnx_model(model, path, input_shape)


def from_onnx_model(model: Any, path: str, input_shape: Shape | None = None) -> Network:
    """Return the network in ``model``, an ``onnx.ModelProto`` read from ``path`` (named in errors).

    Examples:
        >>> from onnx import helper
        >>> from_onnx_model(helper.make_model(helper.make_graph([], "empty", [], [])), "e.onnx")
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: e.onnx: the graph has no input besides its weights
    """
    reader = GraphReader(model, path, input_shape)
    return Network(Path(path).stem, reader.input_shape, reader.read(map_node))


def _import_onnx(path: str) -> Any:
    try:
        import onnx
    except ImportError:
        msg = f"{path}: reading an ONNX file needs the onnx package: pip install 'cnncount[onnx]'"
        raise ReadError(msg) from None
    return onnx
