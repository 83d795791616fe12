"""Leave an ONNX model's weights out of its file, keeping every weight's dimensions.

Every float initializer of more than 16 values loses its data and is said to be held in an
external file, ``weights``, that is never written. The integer tensors (a reshape's target, a pad's
sizes) and the small constants (a clip's bounds, a scaling's factor) stay, since reading a graph
needs them: the ``.onnx`` left is the graph, a few kilobytes to a few hundred.
"""

from __future__ import annotations

import math

import onnx


def strip_weights(model: onnx.ModelProto) -> onnx.ModelProto:
    """Return ``model`` with the data of every float tensor of more than 16 values left out."""
    for tensor in model.graph.initializer:
        if tensor.data_type == onnx.TensorProto.FLOAT and math.prod(tensor.dims) > 16:
            tensor.ClearField("float_data")
            tensor.ClearField("raw_data")
            tensor.ClearField("external_data")
            tensor.external_data.add(key="location", value="weights")
            tensor.data_location = onnx.TensorProto.EXTERNAL
    return model


def strip_metadata(model: onnx.ModelProto) -> onnx.ModelProto:
    """Return ``model`` without its nodes' metadata and documentation strings: the dynamo exporter
    writes each node's module path and Python stack there, most of its file, and nothing of it is
    read."""
    for node in model.graph.node:
        del node.metadata_props[:]
        node.doc_string = ""
    for value in model.graph.value_info:
        del value.metadata_props[:]
    return model
