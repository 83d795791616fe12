"""Read a Keras model's architecture from its configuration, without Keras and without a weight.

A ``.keras`` file is a zip archive: its ``config.json`` entry is read in memory, and its weights
(``model.weights.h5``) are never opened. A ``.json`` file is what ``model.to_json()`` writes.
Both hold the same description: the layers, their settings and how they connect. Sequential and
functional models are read, a model used as a layer is flattened (its layers' names prefixed by
its own), and Keras's channels-last H x W x C becomes cnncount's C x H x W.

Nothing in the file is run: a ``Lambda`` layer, whose configuration holds Python bytecode, is
refused by name, as is any layer cnncount cannot count exactly.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cnncount.errors import CnncountError, LayerError, ReadError
from cnncount.layers import (
    ELU,
    GELU,
    SELU,
    AdaptiveAvgPool2d,
    Add,
    AvgPool2d,
    BatchNorm2d,
    Concat,
    Conv2d,
    Dropout,
    Dropout2d,
    Flatten,
    Hardsigmoid,
    Hardswish,
    Layer,
    LayerNorm,
    LayerScale,
    LeakyReLU,
    Linear,
    MaxPool2d,
    Mish,
    Multiply,
    Normalization,
    PositionwiseLinear,
    PReLU,
    ReLU,
    ReLU6,
    Rescaling,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    StochasticDepth,
    Tanh,
    ZeroPad2d,
)
from cnncount.layers.windows import same_output_size, window_output_size
from cnncount.network import INPUT, Network, Node
from cnncount.shapes import Shape

__all__ = ["CONFIG_CAP_BYTES", "from_keras_config", "read_keras"]

CONFIG_CAP_BYTES = 64 * 2**20
"""The largest configuration read, 64 MiB. A real model's is under a few MB, and a larger entry
is not a configuration."""

ACTIVATIONS: dict[str, Callable[[], Layer] | None] = {
    "linear": None,
    "relu": ReLU,
    "relu6": ReLU6,
    "sigmoid": Sigmoid,
    "softmax": Softmax,
    "log_softmax": lambda: Softmax(log=True),
    "swish": SiLU,
    "silu": SiLU,
    "gelu": GELU,
    "hard_sigmoid": Hardsigmoid,
    "hard_swish": Hardswish,
    "hard_silu": Hardswish,
    "tanh": Tanh,
    "elu": ELU,
    "selu": SELU,
    "softplus": Softplus,
    "mish": Mish,
    "leaky_relu": lambda: LeakyReLU(0.2),
}
"""cnncount's layer for each Keras activation name, or None for the identity, which adds no row."""

_MODELS = ("Functional", "Sequential", "Model")
_CODE = ("Lambda", "TFOpLambda", "SlicingOpLambda")
_KEY = tuple[str, int, int]


def read_keras(path: str | Path, input_shape: Shape | None = None) -> Network:
    """Return the network of a ``.keras`` archive or a ``model.to_json()`` file, fed ``input_shape``
    (C x H x W) in place of the file's own input if given.

    Examples:
        >>> import os, tempfile, zipfile
        >>> config = '{"class_name": "Sequential", "config": {"name": "tiny", "layers": ['
        >>> config += '{"class_name": "InputLayer", "config": {"batch_shape": [null, 28, 28, 1]}},'
        >>> config += '{"class_name": "Flatten", "config": {"name": "flatten"}},'
        >>> config += '{"class_name": "Dense", "config": {"name": "fc", "units": 10}}]}}'
        >>> folder = tempfile.TemporaryDirectory()
        >>> path = os.path.join(folder.name, "tiny.keras")
        >>> with zipfile.ZipFile(path, "w") as archive:
        ...     archive.writestr("config.json", config)
        >>> net = read_keras(path)
        >>> folder.cleanup()
        >>> net.name, net.input_shape, [node.name for node in net.nodes]
        ('tiny', Shape(1, 28, 28), ['flatten', 'fc'])
        >>> read_keras("missing.keras")
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: missing.keras: no such file
    """
    source = str(path)
    text = _config_bytes(Path(path))
    try:
        config = json.loads(text)
    except (ValueError, RecursionError) as error:  # bad bytes, bad JSON, a 5,000-digit number
        raise ReadError(
            f"{source}: the configuration is not JSON cnncount reads ({error})"
        ) from None
    try:
        return from_keras_config(config, input_shape, source)
    except (OverflowError, RecursionError) as error:  # "units": 1e400, layers nested past reason
        raise ReadError(
            f"{source}: the configuration holds a value out of range ({error})"
        ) from None


def from_keras_config(
    config: Mapping[str, Any], input_shape: Shape | None = None, source: str = "config"
) -> Network:
    """Return the network that a Keras model's configuration (the parsed ``config.json``)
    describes; ``source`` names it in messages.

    Examples:
        >>> conv = {"class_name": "Conv2D", "config": {"name": "c", "filters": 8,
        ...         "kernel_size": [3, 3], "padding": "same", "activation": "relu"}}
        >>> model = {"class_name": "Sequential", "config": {"layers": [
        ...     {"class_name": "InputLayer", "config": {"batch_shape": [None, 32, 32, 3]}}, conv]}}
        >>> [(node.name, str(node.layer)) for node in from_keras_config(model).nodes]
        [('c', 'conv3-8/same'), ('c.relu', 'relu')]
        >>> model["config"]["layers"][1] = {"class_name": "Lambda", "config": {"name": "fn"}}
        >>> from_keras_config(model, source="net.json")
        Traceback (most recent call last):
        ...
        cnncount.errors.ReadError: net.json: layer 'fn' (Lambda): a Lambda layer holds Python code, which cnncount never runs
    """
    reader = _Reader(source, input_shape)
    try:
        if not isinstance(config, Mapping) or config.get("class_name") not in _MODELS:
            raise ReadError(f"{source}: not a Keras model (no Functional or Sequential at the top)")
        body = config["config"]
        reader.model(config, "", None)
        return Network(str(body.get("name", "keras")), reader.input_shape, reader.nodes)
    except (KeyError, TypeError, IndexError, AttributeError, ValueError) as error:
        if isinstance(error, CnncountError):
            raise
        where = f"layer {reader.current!r}: " if reader.current else ""
        msg = f"{source}: {where}not a Keras configuration cnncount reads ({type(error).__name__}: {error})"
        raise ReadError(msg) from None


def _config_bytes(path: Path) -> bytes:
    """Return the configuration's bytes: the file itself, or a ``.keras`` archive's entry."""
    if not path.is_file():
        raise ReadError(f"{path}: no such file")
    if path.suffix.lower() != ".keras":
        _check_size(path.stat().st_size, str(path))
        return path.read_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            entry = archive.getinfo("config.json")
            _check_size(entry.file_size, f"{path}: config.json")
            with archive.open(entry) as stream:  # the size declared may lie: read one past the cap
                data = stream.read(CONFIG_CAP_BYTES + 1)
            if len(data) > CONFIG_CAP_BYTES:
                msg = f"{path}: config.json: more than {CONFIG_CAP_BYTES:,} bytes (64 MiB) unpacked, too large to be a configuration"
                raise ReadError(msg)
            return data
    except KeyError:
        raise ReadError(f"{path}: the archive has no config.json entry") from None
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        zlib.error,
        RuntimeError,
        NotImplementedError,
    ) as error:
        msg = f"{path}: not a readable .keras archive, corrupt or truncated ({error})"
        raise ReadError(msg) from None


def _check_size(size: int, where: str) -> None:
    if size > CONFIG_CAP_BYTES:
        msg = f"{where}: {size:,} bytes is too large to be a configuration (at most {CONFIG_CAP_BYTES:,}, 64 MiB)"
        raise ReadError(msg)


def _layer_name(spec: Mapping[str, Any]) -> str:
    return str(spec.get("name") or spec.get("config", {}).get("name") or spec["class_name"])


def _history(value: Any) -> list[_KEY]:
    """Return the tensors an inbound node's arguments read, in order (Keras 3's form)."""
    if isinstance(value, Mapping):
        if value.get("class_name") == "__keras_tensor__":
            name, node, index = value["config"]["keras_history"]
            return [(str(name), int(node), int(index))]
        return [key for item in value.values() for key in _history(item)]
    if isinstance(value, (list, tuple)):
        return [key for item in value for key in _history(item)]
    return []


def _constants(args: Any) -> list[float]:
    """Return the numbers among an inbound node's positional arguments (``x + 3.0``)."""
    items = args if isinstance(args, list) else [args]
    return [float(item) for item in items if isinstance(item, (int, float))]


def _inbound(node: Any) -> tuple[list[_KEY], list[float]]:
    """Return the tensors and the constants that one call of a layer reads: Keras 3's
    ``{"args", "kwargs"}`` or Keras 2's list of ``[name, node, tensor, kwargs]``."""
    if isinstance(node, Mapping):
        return _history(node.get("args", [])) + _history(node.get("kwargs", {})), _constants(
            node.get("args", [])
        )
    return [(str(entry[0]), int(entry[1]), int(entry[2])) for entry in node], []


def _pair(value: Any) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def _channel_axis(config: Mapping[str, Any], key: str = "axis") -> bool:
    axis = config.get(key, -1)
    axis = axis[0] if isinstance(axis, list) and len(axis) == 1 else axis
    return axis in (-1, 3)


class _Reader:
    """The nodes read so far, their shapes, and which are vectors in Keras (rank 2)."""

    def __init__(self, source: str, input_shape: Shape | None) -> None:
        self.source = source
        self.given = input_shape
        self.input_shape = input_shape or Shape(1, 1, 1)
        self.nodes: list[Node] = []
        self.shapes: dict[str, Shape] = {}
        self.vectors: set[str] = set()
        self.current = ""

    def refuse(self, spec: Mapping[str, Any], detail: str) -> ReadError:
        return ReadError(f"{self.source}: layer {self.current!r} ({spec['class_name']}): {detail}")

    def add(self, name: str, layer: Layer, inputs: list[str], vector: bool | None = None) -> str:
        """Place ``layer`` under ``name`` reading ``inputs``; return the name."""
        try:
            shape = layer.output_shape_of([self.shapes[source] for source in inputs], inputs)
        except LayerError as error:
            raise ReadError(f"{self.source}: layer {name!r} ({layer}): {error}") from None
        self.nodes.append(Node(name=name, layer=layer, inputs=tuple(inputs)))
        self.shapes[name] = shape
        if vector if vector is not None else all(source in self.vectors for source in inputs):
            self.vectors.add(name)
        return name

    def start(self, spec: Mapping[str, Any]) -> None:
        """Take the network's input from an InputLayer (or a Keras 2 layer's batch_input_shape)."""
        config = spec["config"]
        dims = config.get("batch_shape") or config.get("batch_input_shape")
        self.current = _layer_name(spec)
        if not isinstance(dims, list) or len(dims) not in (2, 4):
            raise self.refuse(
                spec, f"cnncount reads an image (H x W x C) or a vector input, got {dims}"
            )
        declared = dims[-1]
        if self.given is None:
            if any(size is None for size in dims[1:]):
                sizes = "x".join(str(size) for size in dims[1:])
                raise self.refuse(
                    spec, f"its input size is not fixed ({sizes}): give --input C x H x W"
                )
            self.input_shape = (
                Shape(dims[3], dims[1], dims[2]) if len(dims) == 4 else Shape(dims[1], 1, 1)
            )
        elif declared is not None and declared != self.given.channels:
            raise self.refuse(
                spec,
                f"it takes {declared} channels, not the {self.given.channels} of --input {self.given}",
            )
        self.shapes[INPUT] = self.input_shape
        if len(dims) == 2:
            self.vectors.add(INPUT)

    def model(self, spec: Mapping[str, Any], prefix: str, inputs: list[str] | None) -> list[str]:
        """Read a Sequential or functional model, at the top or used as a layer; return its outputs."""
        config = spec["config"]
        if spec["class_name"] == "Sequential":
            return [self.sequential(config["layers"], prefix, inputs)]
        tensors: dict[_KEY, str] = {}
        entries = [ref for ref in _refs(config["input_layers"])]
        for layer in config["layers"]:
            name = _layer_name(layer)
            if layer["class_name"] == "InputLayer":
                if inputs is None:
                    if entries and len(entries) > 1:
                        raise ReadError(
                            f"{self.source}: the model has {len(entries)} inputs; cnncount reads one"
                        )
                    self.start(layer)
                    tensors[(name, 0, 0)] = INPUT
                else:
                    position = [ref[0] for ref in entries].index(name)
                    tensors[(name, 0, 0)] = inputs[position]
                continue
            calls = layer.get("inbound_nodes", [])
            self.current = prefix + name
            if len(calls) > 1:
                raise self.refuse(
                    layer,
                    f"it is called {len(calls)} times, sharing its weights; cnncount counts each layer once per call",
                )
            for index, call in enumerate(calls):
                keys, constants = _inbound(call)
                sources = [tensors[key] for key in keys]
                for position, output in enumerate(self.layer(layer, prefix, sources, constants)):
                    tensors[(name, index, position)] = output
        return [tensors[ref] for ref in _refs(config["output_layers"])]

    def sequential(
        self, layers: list[Mapping[str, Any]], prefix: str, inputs: list[str] | None
    ) -> str:
        """Read a Sequential model's layers one after another; return the last."""
        last = INPUT if inputs is None else inputs[0]
        for index, layer in enumerate(layers):
            if layer["class_name"] == "InputLayer" or (
                index == 0 and "batch_input_shape" in layer["config"]
            ):
                if inputs is None:
                    self.start(layer)
                if layer["class_name"] == "InputLayer":
                    continue
            self.current = prefix + _layer_name(layer)
            (last,) = self.layer(layer, prefix, [last], [])
        return last

    def layer(
        self, spec: Mapping[str, Any], prefix: str, sources: list[str], constants: list[float]
    ) -> list[str]:
        """Read one layer call; return its output nodes' names (a nested model's outputs)."""
        kind, config = spec["class_name"], spec["config"]
        name = prefix + _layer_name(spec)
        if kind in _CODE:
            raise self.refuse(spec, "a Lambda layer holds Python code, which cnncount never runs")
        if kind in _MODELS:
            return self.model(spec, f"{name}.", sources)
        if config.get("trainable") is False:
            raise self.refuse(
                spec, "it is frozen (trainable false); cnncount counts every weight as trainable"
            )
        if config.get("data_format", "channels_last") != "channels_last":
            raise self.refuse(
                spec, f"data_format {config['data_format']}: cnncount reads channels_last"
            )
        maker = _LAYERS.get(kind)
        if maker is None:
            raise self.refuse(
                spec, "cnncount has no counterpart for this layer, and refuses to count it as zero"
            )
        try:
            layers = maker(self, spec, sources, constants)
        except LayerError as error:
            raise self.refuse(spec, str(error)) from None
        if layers is None:  # a view that changes nothing cnncount tracks: no row
            return sources[:1]
        last, inputs = "", sources
        for suffix, layer, vector in layers:
            last = self.add(name + suffix, layer, inputs, vector)
            inputs = [last]
        activation = config.get("activation")
        if activation is not None and kind != "Activation":
            last = self.activation(spec, activation, last, f"{name}.{activation}")
        return [last]

    def activation(self, spec: Mapping[str, Any], activation: Any, source: str, name: str) -> str:
        if not isinstance(activation, str) or activation not in ACTIVATIONS:
            raise self.refuse(spec, f"activation {activation!r} is not one cnncount counts")
        make = ACTIVATIONS[activation]
        return source if make is None else self.add(name, make(), [source])

    def shape(self, sources: list[str]) -> Shape:
        return self.shapes[sources[0]]


_Rows = list[tuple[str, Layer, bool | None]] | None
"""A Keras layer's rows, each a name suffix, the layer, and whether its output is a vector (or None,
as its inputs); None for a layer that adds no row."""


def _conv(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
    config, kind = spec["config"], spec["class_name"]
    padding = config.get("padding", "valid")
    if padding not in ("valid", "same"):
        raise reader.refuse(spec, f"padding {padding!r}: cnncount reads valid and same")
    kernel, stride = _pair(config["kernel_size"]), _pair(config.get("strides", 1))
    dilation = _pair(config.get("dilation_rate", 1))

    def conv(out: int, groups: int, bias: bool) -> Conv2d:
        same: int | str = "same" if padding == "same" else 0
        return Conv2d(out, kernel, stride, same, dilation, groups, bias)

    bias = bool(config.get("use_bias", True))
    channels = reader.shape(sources).channels
    if kind == "Conv2D":
        return [("", conv(int(config["filters"]), int(config.get("groups", 1)), bias), False)]
    multiplier = int(config.get("depth_multiplier", 1))
    if kind == "DepthwiseConv2D":
        return [("", conv(channels * multiplier, channels, bias), False)]
    depthwise = conv(channels * multiplier, channels, False)
    pointwise = Conv2d(int(config["filters"]), 1, bias=bias)
    return [(".depthwise", depthwise, False), (".pointwise", pointwise, False)]


def _dense(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
    units, bias = int(spec["config"]["units"]), bool(spec["config"].get("use_bias", True))
    if sources[0] in reader.vectors:
        return [("", Linear(units, bias=bias), True)]
    return [("", PositionwiseLinear(units, bias=bias), False)]


def _norm(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
    config = spec["config"]
    if not _channel_axis(config) or config.get("rms_scaling"):
        raise reader.refuse(
            spec, f"cnncount normalises over the channels (axis -1), got axis {config.get('axis')}"
        )
    flags = {"scale": bool(config.get("scale", True)), "center": bool(config.get("center", True))}
    layer = (
        BatchNorm2d(**flags) if spec["class_name"] == "BatchNormalization" else LayerNorm(**flags)
    )
    return [("", layer, None)]


def _pool(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
    config = spec["config"]
    kernel = _pair(config.get("pool_size", 2))
    stride = _pair(config.get("strides") or kernel)
    if kernel[0] != kernel[1] or stride[0] != stride[1]:
        raise reader.refuse(
            spec, f"pool {kernel} at stride {stride}: cnncount pools with square windows"
        )
    make = MaxPool2d if spec["class_name"] == "MaxPooling2D" else AvgPool2d
    if config.get("padding", "valid") == "valid":
        return [("", make(kernel[0], stride[0]), None)]
    shape = reader.shape(sources)
    for size in (shape.height, shape.width):
        total = max((same_output_size(size, stride[0]) - 1) * stride[0] + kernel[0] - size, 0)
        for ceil in (False, True):
            if window_output_size(
                size, kernel[0], stride[0], total // 2, 1, ceil
            ) != same_output_size(size, stride[0]):
                continue
            layer = make(kernel[0], stride[0], total // 2, ceil)
            if layer.output_shape(shape).as_list()[1:] == [
                same_output_size(s, stride[0]) for s in (shape.height, shape.width)
            ]:
                return [("", layer, None)]
    raise reader.refuse(
        spec,
        f"same padding of a {kernel[0]}-pixel pool at stride {stride[0]} on {shape} has no PyTorch equivalent",
    )


def _global_pool(
    reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]
) -> _Rows:
    vector = not spec["config"].get("keepdims", False)
    if spec["class_name"] == "GlobalAveragePooling2D":
        return [("", AdaptiveAvgPool2d(1), vector)]
    shape = reader.shape(sources)
    if shape.height != shape.width:
        raise reader.refuse(
            spec,
            f"global max pooling of a {shape.height}x{shape.width} map: cnncount pools with square windows",
        )
    return [("", MaxPool2d(shape.height), vector)]


def _padding(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
    padding = spec["config"].get("padding", 1)
    (top, bottom), (left, right) = (_pair(side) for side in _pair_of_pairs(padding))
    return [("", ZeroPad2d(top, bottom, left, right), False)]


def _pair_of_pairs(padding: Any) -> tuple[Any, Any]:
    if isinstance(padding, int):
        return (padding, padding), (padding, padding)
    return padding[0], padding[1]


def _relu(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
    config = spec["config"]
    most, slope, threshold = (
        config.get("max_value"),
        config.get("negative_slope", 0),
        config.get("threshold", 0),
    )
    if threshold or most not in (None, 6, 6.0) or (slope and most is not None):
        raise reader.refuse(
            spec,
            f"max_value {most}, negative_slope {slope}, threshold {threshold}: cnncount has ReLU, "
            "ReLU6 and the leaky rectifier",
        )
    if slope:
        return [("", LeakyReLU(float(slope)), None)]
    return [("", ReLU() if most is None else ReLU6(), None)]


def _activation(
    reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]
) -> _Rows:
    activation = spec["config"]["activation"]
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise reader.refuse(spec, f"activation {activation!r} is not one cnncount counts")
    make = ACTIVATIONS[activation]
    return None if make is None else [("", make(), None)]


def _reshape(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
    target = list(spec["config"]["target_shape"])
    channels = reader.shape(sources).channels
    if reader.shape(sources).numel == channels and target in ([1, 1, channels], [channels]):
        if len(target) == 1:
            reader.vectors.add(sources[0])
        else:
            reader.vectors.discard(sources[0])
        return None
    raise reader.refuse(
        spec,
        f"reshape of {reader.shape(sources)} to {target}: cnncount reshapes only a vector to 1x1xC and back",
    )


def _merge(
    reader: _Reader, spec: Mapping[str, Any], sources: list[str], constants: list[float]
) -> _Rows:
    kind = spec["class_name"]
    if len(sources) == 1 and len(constants) == 1 and kind in _CONSTANT_OPS:
        return [("", _CONSTANT_OPS[kind](constants[0]), None)]
    if len(sources) < 2 or constants:
        raise reader.refuse(spec, f"it reads {len(sources)} tensors and {len(constants)} constants")
    if kind == "Concatenate":
        if not _channel_axis(spec["config"]) and not (
            spec["config"].get("axis") == 1 and sources[0] in reader.vectors
        ):
            raise reader.refuse(
                spec,
                f"concatenation along axis {spec['config'].get('axis')}: cnncount concatenates channels",
            )
        return [("", Concat(), None)]
    return [("", Add() if kind == "Add" else Multiply(), None)]


_CONSTANT_OPS: dict[str, Callable[[float], Layer]] = {
    "Add": lambda value: Rescaling(1.0, value),
    "Subtract": lambda value: Rescaling(1.0, -value),
    "Multiply": lambda value: Rescaling(value),
    "TrueDivide": lambda value: Rescaling(1 / value),
    "Divide": lambda value: Rescaling(1 / value),
}
"""A map and a constant combined, which is an affine map of every value."""


def _simple(
    make: Callable[[Mapping[str, Any]], Layer], vector: bool | None = None
) -> Callable[..., _Rows]:
    def rows(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
        return [("", make(spec["config"]), vector)]

    return rows


def _prelu(reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]) -> _Rows:
    """Keras's PReLU learns a slope for every value unless ``shared_axes`` shares it: over the
    height and the width of a map (one per channel), or over every axis (one)."""
    shared = sorted(spec["config"].get("shared_axes") or [])
    every_axis = [1] if sources[0] in reader.vectors else [1, 2, 3]
    per_channel = [] if sources[0] in reader.vectors else [1, 2]
    if shared == every_axis:
        return [("", PReLU(), None)]
    if shared == per_channel:
        return [("", PReLU(channels=True), None)]
    raise reader.refuse(
        spec,
        f"shared_axes {shared}: cnncount learns one slope, or one per channel (shared_axes "
        f"{per_channel})",
    )


def _normalization(
    reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]
) -> _Rows:
    if not _channel_axis(spec["config"]):
        raise reader.refuse(
            spec, f"axis {spec['config'].get('axis')}: cnncount normalises each channel (axis -1)"
        )
    return [("", Normalization(stored=spec["config"].get("mean") is None), None)]


def _rescaling(
    reader: _Reader, spec: Mapping[str, Any], sources: list[str], _: list[float]
) -> _Rows:
    scale, offset = spec["config"].get("scale", 1.0), spec["config"].get("offset", 0.0)
    if not all(isinstance(value, (int, float)) for value in (scale, offset)):
        raise reader.refuse(
            spec, f"scale {scale} and offset {offset}: cnncount rescales by one number"
        )
    return [("", Rescaling(float(scale), float(offset)), None)]


def _custom(
    reader: _Reader, spec: Mapping[str, Any], sources: list[str], constants: list[float]
) -> _Rows:
    """keras.applications' own layers: ConvNeXt's LayerScale and StochasticDepth."""
    if "convnext" not in str(spec.get("module", "")):
        raise reader.refuse(
            spec, "cnncount has no counterpart for this layer, and refuses to count it as zero"
        )
    config = spec["config"]
    if spec["class_name"] == "LayerScale":
        if int(config["projection_dim"]) != reader.shape(sources).channels:
            raise reader.refuse(
                spec,
                f"projection_dim {config['projection_dim']} is not the {reader.shape(sources).channels} channels",
            )
        return [("", LayerScale(), None)]
    return [("", StochasticDepth(float(config["drop_path_rate"])), None)]


_LAYERS: dict[str, Callable[[_Reader, Mapping[str, Any], list[str], list[float]], _Rows]] = {
    "Conv2D": _conv,
    "DepthwiseConv2D": _conv,
    "SeparableConv2D": _conv,
    "Dense": _dense,
    "BatchNormalization": _norm,
    "LayerNormalization": _norm,
    "MaxPooling2D": _pool,
    "AveragePooling2D": _pool,
    "GlobalAveragePooling2D": _global_pool,
    "GlobalMaxPooling2D": _global_pool,
    "ZeroPadding2D": _padding,
    "ReLU": _relu,
    "ELU": _simple(lambda config: ELU(float(config.get("alpha", 1.0)))),
    "PReLU": _prelu,
    "LeakyReLU": _simple(
        lambda config: LeakyReLU(float(config.get("negative_slope", config.get("alpha", 0.3))))
    ),
    "Activation": _activation,
    "Reshape": _reshape,
    "Flatten": _simple(lambda config: Flatten(), vector=True),
    "Dropout": _simple(lambda config: Dropout(float(config.get("rate", 0.5)))),
    "SpatialDropout2D": _simple(lambda config: Dropout2d(float(config.get("rate", 0.5)))),
    "Add": _merge,
    "Multiply": _merge,
    "Concatenate": _merge,
    "Subtract": _merge,
    "TrueDivide": _merge,
    "Divide": _merge,
    "Rescaling": _rescaling,
    "Normalization": _normalization,
    "LayerScale": _custom,
    "StochasticDepth": _custom,
}
"""How each Keras layer class becomes cnncount rows."""


def _refs(value: Any) -> list[_KEY]:
    """Return a model's input or output layers: one ``[name, node, tensor]`` or a list of them."""
    if value and isinstance(value[0], str):
        return [(str(value[0]), int(value[1]), int(value[2]))]
    return [(str(ref[0]), int(ref[1]), int(ref[2])) for ref in value]
