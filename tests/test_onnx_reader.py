"""The ONNX reader against the tools that wrote the files: torchvision's models exported by PyTorch
(their counts recorded by torch beside them), the single-layer models of the onnx wheel's own
backend tests, and onnx's shape inference for every intermediate map. Refusals are one line."""

from __future__ import annotations

import csv
import json
import math
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cnncount import Shape, summarize
from cnncount.errors import ReadError

onnx = pytest.importorskip("onnx", reason="onnx is not installed: pip install 'cnncount[onnx]'")

from cnncount.readers import read_model
from cnncount.readers.onnx import from_onnx_model, read_onnx

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "data" / "onnx"
"""torchvision's models as PyTorch exports them, weights stripped (tools/export_onnx_fixtures.py)."""
COUNTS = json.loads((FIXTURES / "counts.json").read_text())
"""torch's own figures for each: parameters, buffers, multiply-accumulates, output size."""
TENSORFLOW = FIXTURES / "tensorflow"
"""keras.applications models as tf2onnx converts them, NHWC, weights stripped
(tools/tf_onnx_fixtures.py)."""
KERAS_COUNTS = json.loads((TENSORFLOW / "counts.json").read_text())
"""Keras's own figures for each: trainable and non-trainable weights, count_params(), output_shape."""
DYNAMO = FIXTURES / "dynamo"
"""torchvision's models as PyTorch's dynamo exporter writes them, weights stripped
(tools/export_onnx_fixtures.py --dynamo)."""
DYNAMO_COUNTS = json.loads((DYNAMO / "counts.json").read_text())
"""torch's own figures for each, as in :data:`COUNTS`."""
EXPORTS = sorted(
    [
        *(FIXTURES / f"{name}.onnx" for name in COUNTS),
        *(TENSORFLOW / f"{name}.onnx" for name in KERAS_COUNTS),
        *(DYNAMO / f"{name}.onnx" for name in DYNAMO_COUNTS),
    ]
)
"""Every converter's file, for the checks that hold of all."""
LIGHT = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
"""Real models that the onnx wheel ships with their weights stripped (Caffe2's and others' exports,
old opsets, weights as ``ConstantOfShape``)."""


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_torchvision_exports_read_as_torch_counts_them(name: str) -> None:
    summary = summarize(read_onnx(str(FIXTURES / f"{name}.onnx")))
    figures = {
        "params": summary.totals.params,
        "buffers": summary.totals.buffers,
        "macs": summary.totals.macs,
        "output": summary.rows[-1].output_shape.numel,
    }
    assert figures == COUNTS[name]


@pytest.mark.parametrize("name", sorted(KERAS_COUNTS))
def test_tensorflow_exports_read_as_keras_counts_them(name: str) -> None:
    counts = KERAS_COUNTS[name]
    summary = summarize(read_onnx(str(TENSORFLOW / f"{name}.onnx")))
    # tf2onnx gives a batch norm without a learned scale (scale=False) a scale of ones, a tensor
    # of the file; a Normalization layer's mean, variance and count are constants of its graph
    assert summary.totals.params == counts["trainable"] + counts["unscaled_norm_channels"]
    assert summary.totals.buffers == counts["non_trainable"] - counts["normalization"]
    assert counts["trainable"] + counts["non_trainable"] == counts["count_params"]
    assert [summary.rows[-1].output_shape.numel] == counts["output_shape"]
    size = 299 if name == "InceptionV3" else 224
    assert summary.rows[0].output_shape == Shape(3, size, size)  # read from N x H x W x C


@pytest.mark.parametrize("name", sorted(DYNAMO_COUNTS))
def test_dynamo_exports_read_as_the_folded_model_counts(name: str) -> None:
    counts = DYNAMO_COUNTS[name]
    summary = summarize(read_onnx(str(DYNAMO / f"{name}.onnx")))
    # The dynamo exporter folds each batch norm into the convolution before it (all of these
    # models' norms follow one; ConvNeXt has none): its shift becomes the bias, its scale and
    # statistics go into the weights. So C of each norm's 2 C parameters stay, and none of its
    # 2 C buffers. ConvNeXt's head holds an as_strided, a Reshape to one axis and a Gather.
    assert summary.totals.params == counts["params"] - counts["buffers"] // 2
    assert summary.totals.buffers == 0
    assert summary.totals.macs == counts["macs"]
    assert summary.rows[-1].output_shape.numel == counts["output"]


@pytest.mark.parametrize("path", EXPORTS, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_every_map_has_the_shape_onnx_infers(path: Path) -> None:
    model = onnx.load(str(path), load_external_data=False)
    graph = onnx.shape_inference.infer_shapes(model, strict_mode=True, data_prop=True).graph
    dims = {
        value.name: [dim.dim_value for dim in value.type.tensor_type.shape.dim]
        for value in [*graph.value_info, *graph.output]
    }
    outputs = {node.name or node.output[0]: node.output[0] for node in graph.node}
    summary = summarize(read_onnx(str(path)))
    checked = 0
    for row in summary.rows:
        tensor = outputs.get(row.name)
        if tensor is None or row.name == "input":  # a layer cnncount adds (a padding)
            continue
        inferred = dims[tensor][1:]
        if 0 in inferred:  # a size onnx's inference leaves unknown, after a computed reshape
            continue
        shape = row.output_shape
        assert inferred in (
            [shape.channels, shape.height, shape.width],
            [shape.height, shape.width, shape.channels],  # channels last (ConvNeXt's blocks)
            [shape.channels],  # a vector per image
        ), row.name
        checked += 1
    assert checked >= 20  # ShuffleNet: onnx infers no size after its first computed reshape


NODE_PREFIXES = (
    "test_conv_",
    "test_maxpool",
    "test_averagepool",
    "test_globalaveragepool",
    "test_globalmaxpool",
    "test_gemm",
    "test_batchnorm",
    "test_clip",
    "test_sigmoid",
    "test_hardsigmoid",
    "test_hardswish",
    "test_softmax",
    "test_logsoftmax",
    "test_logsoftmax_example_1",
    "test_lrn",
    "test_flatten",
    "test_dropout",
    "test_concat",
    "test_pad",
    "test_constant_pad",
    "test_reshape",
    "test_convtranspose",
)
"""The operators that cnncount reads, whose single-node tests each either read or refuse."""

READ = {
    "test_averagepool_2d_default",
    "test_averagepool_2d_pads",
    "test_averagepool_2d_strides",
    "test_batchnorm_epsilon",
    "test_batchnorm_example",
    "test_conv_with_strides_no_padding",
    "test_conv_with_strides_padding",
    "test_conv_with_strides_and_asymmetric_padding",
    "test_conv_with_autopad_same",
    "test_convtranspose",
    "test_globalaveragepool",
    "test_globalmaxpool",
    "test_logsoftmax_example_1",
    "test_lrn",
    "test_maxpool_2d_default",
    "test_maxpool_2d_pads",
    "test_maxpool_2d_same_upper",
    "test_maxpool_2d_same_lower",
}
"""Node tests that must read: the operators as real exporters write them."""


@pytest.mark.slow  # onnx builds its backend's test cases, some 40 s
def test_node_tests_read_to_their_declared_output_or_refuse_in_one_line(tmp_path: Path) -> None:
    from onnx.backend.test.case.node import collect_testcases

    cases = [case for case in collect_testcases(None) if case.name.startswith(NODE_PREFIXES)]
    read = set()
    for case in cases:
        path = tmp_path / f"{case.name}.onnx"
        onnx.save(case.model, str(path))
        try:
            network = read_onnx(str(path))
        except ReadError as error:
            assert "\n" not in str(error) and str(error).startswith(str(path)), str(error)
            continue
        declared = [dim.dim_value for dim in case.model.graph.output[0].type.tensor_type.shape.dim]
        inferred = onnx.shape_inference.infer_shapes(case.model).graph.output[0]
        assert [dim.dim_value for dim in inferred.type.tensor_type.shape.dim] == declared
        shape = summarize(network).rows[-1].output_shape
        assert declared[1:] in ([shape.channels, shape.height, shape.width], [shape.channels])
        read.add(case.name)
    assert READ <= read, READ - read


def _weights_in(model: onnx.ModelProto) -> tuple[int, int]:
    """Return the sizes of the float constants that the nodes of ``model`` read, as (learned,
    batch norm's running statistics), from the file alone: ``ConstantOfShape`` dimensions and
    float initializers."""
    from onnx import numpy_helper

    initializers = {tensor.name: tensor for tensor in model.graph.initializer}
    sizes = {
        name: math.prod(tensor.dims)
        for name, tensor in initializers.items()
        if tensor.data_type == onnx.TensorProto.FLOAT
    }
    for node in model.graph.node:
        if node.op_type == "ConstantOfShape":
            dims = numpy_helper.to_array(initializers[node.input[0]])
            sizes[node.output[0]] = math.prod(int(size) for size in dims)
    read = {
        name
        for node in model.graph.node
        if node.op_type != "ConstantOfShape"
        for name in node.input
    }
    statistics = {
        name
        for node in model.graph.node
        if node.op_type == "BatchNormalization"
        for name in node.input[3:5]
    }
    learned = sum(size for name, size in sizes.items() if name in read - statistics)
    return learned, sum(size for name, size in sizes.items() if name in statistics)


PUBLISHED = {
    "light_bvlc_alexnet": "alexnet-paper",
    "light_vgg19": "vgg19",
    "light_resnet50": "resnet50",
    "light_squeezenet": "squeezenet1.1",
}
"""The light models whose parameters are published (cnncount/data/published-params.csv)."""


@pytest.mark.parametrize("path", sorted(LIGHT.glob("*.onnx")), ids=lambda path: path.stem)
def test_the_wheels_light_models_read_as_the_file_holds_them(path: Path) -> None:
    model = onnx.load(str(path), load_external_data=False)
    summary = summarize(read_onnx(str(path)))
    assert (summary.totals.params, summary.totals.buffers) == _weights_in(model)
    declared = [dim.dim_value for dim in model.graph.output[0].type.tensor_type.shape.dim]
    inferred = onnx.shape_inference.infer_shapes(model).graph.output[0].type.tensor_type.shape
    assert [dim.dim_value for dim in inferred.dim] == declared
    shape = summary.rows[-1].output_shape
    assert declared[1:] in ([shape.channels, shape.height, shape.width], [shape.channels])


def test_the_light_models_have_their_published_parameters() -> None:
    published = {
        row["model"]: int(row["params"])
        for row in csv.DictReader((ROOT / "cnncount" / "data" / "published-params.csv").open())
    }
    for stem, name in PUBLISHED.items():
        assert summarize(read_onnx(str(LIGHT / f"{stem}.onnx"))).totals.params == published[name]
    # Caffe's DenseNet-121 follows each batch norm by a Scale layer, a learned factor and shift
    # per channel: torchvision's count plus 2 C per norm, as many as the running statistics.
    densenet = summarize(read_onnx(str(LIGHT / "light_densenet121.onnx"))).totals
    assert densenet.params == published["densenet121"] + densenet.buffers


def test_input_overrides_the_files_shape_where_the_graph_allows() -> None:
    resnet = summarize(read_model(str(FIXTURES / "resnet18.onnx"), Shape(3, 160, 160)))
    assert resnet.totals.params == COUNTS["resnet18"]["params"]
    assert resnet.rows[1].output_shape == Shape(64, 80, 80)  # conv1, 7x7 stride 2 padding 3


def test_input_overrides_a_channels_last_files_shape() -> None:
    resnet = summarize(read_model(str(TENSORFLOW / "ResNet50.onnx"), Shape(3, 160, 160)))
    assert resnet.totals.params == KERAS_COUNTS["ResNet50"]["trainable"]
    convs = [row for row in resnet.rows if row.kind == "conv"]
    assert convs[0].output_shape == Shape(64, 80, 80)  # padded by 3, 7x7 stride 2


def test_a_fixed_reshape_refuses_another_input(tmp_path: Path) -> None:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [
            helper.make_node("Reshape", ["x", "target"], ["flat"], name="flatten"),
            helper.make_node("Gemm", ["flat", "w"], ["y"], name="fc", transB=1),
        ],
        "fixed",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
        [
            helper.make_tensor("target", TensorProto.INT64, [2], [1, 128]),
            helper.make_tensor("w", TensorProto.FLOAT, [10, 128], [0.0] * 1280),
        ],
    )
    path = tmp_path / "fixed.onnx"
    onnx.save(helper.make_model(graph), str(path))
    assert summarize(read_model(str(path))).totals.params == 1280
    with pytest.raises(ReadError, match=r"node 'flatten' \(Reshape\): cnncount cannot reshape"):
        read_model(str(path), Shape(8, 8, 8))


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cnncount", *arguments], capture_output=True, text=True, check=False
    )


def _unsupported(tmp_path: Path) -> Path:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Sin", ["x"], ["y"], name="sine")],
        "sine",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 8, 8])],
    )
    path = tmp_path / "sine.onnx"
    onnx.save(helper.make_model(graph), str(path))
    return path


def test_control_flow_and_an_output_not_computed_from_the_input_are_refused() -> None:
    """A convolution inside an If's branch, or a graph that returns something other than what
    it computes from the image, would leave layers uncounted: each is refused."""
    from onnx import TensorProto, helper

    image = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])
    weight = helper.make_tensor("w", TensorProto.FLOAT, [4, 3, 3, 3], [0.0] * 108)
    conv = helper.make_node("Conv", ["x", "w"], ["c"], name="conv")
    branch = helper.make_graph(
        [helper.make_node("Relu", ["c"], ["r"])],
        "then",
        [],
        [helper.make_tensor_value_info("r", TensorProto.FLOAT, None)],
    )
    choice = helper.make_node(
        "If", ["flag"], ["y"], name="choice", then_branch=branch, else_branch=branch
    )
    flag = helper.make_tensor("flag", TensorProto.BOOL, [], [True])
    output = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    graph = helper.make_graph([conv, choice], "branches", [image], [output], [weight, flag])
    with pytest.raises(
        ReadError, match="node 'choice' \\(If\\): cnncount cannot count control flow"
    ):
        from_onnx_model(helper.make_model(graph), "branches.onnx")
    given = helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4, 6, 6])
    unused = helper.make_graph(
        [conv],
        "unused",
        [image, given],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4, 6, 6])],
        [weight],
    )
    with pytest.raises(ReadError, match="the graph's output 'z' is not computed from its input"):
        from_onnx_model(helper.make_model(unused), "unused.onnx")


@pytest.mark.slow  # a process for each refusal
def test_refusals_are_one_line_and_exit_status_2(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.onnx"
    corrupt.write_bytes(b"\xff\xfe not a protocol buffer \x00" * 10)
    truncated = tmp_path / "truncated.onnx"
    whole = (FIXTURES / "resnet18.onnx").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    cases = {
        _unsupported(tmp_path): "node 'sine' (Sin): cnncount cannot count the operator Sin",
        corrupt: "not an ONNX model",
        truncated: "not an ONNX model",
        tmp_path / "missing.onnx": "no such file",
    }
    for path, reason in cases.items():
        result = _run(str(path))
        assert result.returncode == 2, result.stderr
        assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"cnncount: error: {path}: "), result.stderr
        assert reason in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow  # a process for each view
def test_every_view_works_on_a_read_file() -> None:
    path = str(FIXTURES / "mobilenet_v3_small.onnx")
    for options in (
        ["--format", "json", "--batch", "8", "--optimizer", "adam"],
        ["--format", "csv"],
        ["--format", "markdown", "--receptive-field", "--convention", "torchinfo"],
        ["--amp", "float16", "--checkpoint", "4", "--budget", "1GiB", "--roofline", "rtx-4090"],
    ):
        result = _run(path, *options)
        assert result.returncode == 0, (options, result.stderr)
    table = _run(path).stdout
    assert f"{COUNTS['mobilenet_v3_small']['params']:,}" in table


def test_the_largest_export_reads_in_under_a_second() -> None:
    largest = max([*EXPORTS, *LIGHT.glob("*.onnx")], key=lambda path: path.stat().st_size)
    start = time.perf_counter()
    read_onnx(str(largest))
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{largest.name}: {elapsed:.2f} s"


def test_a_fresh_export_reads_as_torch_counts_it(tmp_path: Path) -> None:
    pytest.importorskip("torchvision", reason="PyTorch is not installed: make torch")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from export_onnx_fixtures import export
    finally:
        sys.path.pop(0)
    counts = export("densenet121", tmp_path)  # its graph, 230 KB, is not committed
    summary = summarize(read_onnx(str(tmp_path / "densenet121.onnx")))
    assert (summary.totals.params, summary.totals.buffers, summary.totals.macs) == (
        counts["params"],
        counts["buffers"],
        counts["macs"],
    )


@pytest.mark.slow  # an export at each opset, some 5 s each
@pytest.mark.parametrize("opset", [7, 9, 11, 13, 14, 17, 20, 23])
def test_torchscript_exports_read_as_torch_counts_them_at_every_opset(
    opset: int, tmp_path: Path
) -> None:
    pytest.importorskip("torchvision", reason="PyTorch is not installed: make torch")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from export_onnx_fixtures import export
    finally:
        sys.path.pop(0)
    counts = export("mobilenet_v3_small", tmp_path, opset=opset)  # HardSwish, or x * HardSigmoid(x)
    path = tmp_path / "mobilenet_v3_small.onnx"
    opsets = onnx.load(str(path), load_external_data=False).opset_import
    assert [entry.version for entry in opsets] == [opset]
    summary = summarize(read_onnx(str(path)))
    figures = {
        "params": summary.totals.params,
        "buffers": summary.totals.buffers,
        "macs": summary.totals.macs,
        "output": summary.rows[-1].output_shape.numel,
    }
    assert figures == counts


def _graph(nodes: list[object], shape: list[int], constants: dict[str, list[float]]) -> object:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info(nodes[-1].output[0], TensorProto.FLOAT, None)],  # type: ignore[attr-defined]
        [
            helper.make_tensor(
                name, TensorProto.FLOAT, [len(values)] if len(values) > 1 else [], values
            )
            for name, values in constants.items()
        ],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def test_gelu_written_out_with_erf_reads_as_one_gelu() -> None:
    from onnx import helper

    from cnncount.readers.onnx import from_onnx_model

    nodes = [
        helper.make_node("Div", ["x", "root2"], ["d"], name="div"),
        helper.make_node("Erf", ["d"], ["e"], name="erf"),
        helper.make_node("Add", ["e", "one"], ["a"], name="add"),
        helper.make_node("Mul", ["half", "a"], ["h"], name="half"),
        helper.make_node("Mul", ["x", "h"], ["y"], name="gelu"),
    ]
    constants = {"root2": [math.sqrt(2)], "one": [1.0], "half": [0.5]}
    network = from_onnx_model(_graph(nodes, [1, 8, 4, 4], constants), "gelu.onnx")
    assert [(node.name, str(node.layer)) for node in network.nodes] == [("gelu", "gelu")]
    constants["half"] = [0.25]  # not a GELU: refused at its Erf
    with pytest.raises(
        ReadError, match=r"gelu.onnx: node 'erf' \(Erf\): cnncount reads Erf only within a GELU"
    ):
        from_onnx_model(_graph(nodes, [1, 8, 4, 4], constants), "gelu.onnx")


def test_the_newer_operators_of_activations_read_with_their_attributes() -> None:
    """Mish (opset 18) and Gelu's ``approximate`` (opset 20) as operators of their own, ELU's
    and the leaky rectifier's ``alpha``, instance norm with its scale and shift; a softplus of x that is not part of x * tanh(softplus(x))
    stays a softplus."""
    from onnx import helper

    from cnncount.readers.onnx import from_onnx_model

    nodes = [
        helper.make_node("Mish", ["x"], ["m"], name="mish"),
        helper.make_node("Gelu", ["m"], ["g"], name="gelu", approximate="tanh"),
        helper.make_node("Elu", ["g"], ["e"], name="elu", alpha=0.5),
        helper.make_node("PRelu", ["e", "slopes"], ["p"], name="prelu"),
        helper.make_node("Softplus", ["p"], ["s"], name="softplus"),
        helper.make_node("Tanh", ["s"], ["t"], name="tanh"),
        helper.make_node("LeakyRelu", ["t"], ["l"], name="leaky", alpha=0.1),
        helper.make_node("InstanceNormalization", ["l", "scale", "shift"], ["y"], name="norm"),
    ]
    constants = {"slopes": [0.25] * 8, "scale": [1.0] * 8, "shift": [0.0] * 8}
    model = _graph(nodes, [1, 8, 4, 4], constants)
    model.opset_import[0].version = 20  # type: ignore[attr-defined]
    network = from_onnx_model(model, "activations.onnx")
    assert [str(node.layer) for node in network.nodes] == [
        "mish",
        "gelu/tanh",
        "elu0.5",
        "prelu/channels",
        "softplus",
        "tanh",
        "leakyrelu0.1",
        "instancenorm/affine",
    ]
    assert summarize(network).totals.params == 8 + 2 * 8  # the slopes; the scales and shifts


def test_a_channels_last_input_with_its_pixel_scaling_reads_as_c_h_w() -> None:
    from onnx import helper

    from cnncount.readers.onnx import from_onnx_model

    nodes = [
        helper.make_node("Mul", ["x", "scale"], ["s"], name="rescale"),
        helper.make_node("Sub", ["s", "mean"], ["m"], name="normalise"),
        helper.make_node("Transpose", ["m"], ["t"], name="nchw", perm=[0, 3, 1, 2]),
        helper.make_node("Relu", ["t"], ["y"], name="relu"),
    ]
    constants = {"scale": [1 / 255], "mean": [0.5, 0.4, 0.3]}
    network = from_onnx_model(_graph(nodes, [1, 32, 16, 3], constants), "nhwc.onnx")
    assert network.input_shape == Shape(3, 32, 16)
    layers = [str(node.layer) for node in network.nodes]
    float32 = struct.unpack("f", struct.pack("f", 1 / 255))[
        0
    ]  # the file holds the scale in float32
    assert layers == [f"rescale{float32!r}", "normalize/constant", "relu"]
    assert summarize(network).totals.params == summarize(network).totals.buffers == 0


def test_a_difference_of_two_maps_and_a_lone_shift_are_refused() -> None:
    from onnx import helper

    from cnncount.readers.onnx import from_onnx_model

    nodes = [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("Sub", ["x", "r"], ["y"], name="minus"),
    ]
    with pytest.raises(
        ReadError, match=r"node 'minus' \(Sub\): cnncount cannot count Sub of two maps"
    ):
        from_onnx_model(_graph(nodes, [1, 3, 4, 4], {}), "sub.onnx")
    nodes = [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("Add", ["r", "shift"], ["y"], name="shift"),
    ]
    with pytest.raises(
        ReadError, match=r"node 'shift' \(Add\): cnncount cannot count Add with a constant"
    ):
        from_onnx_model(_graph(nodes, [1, 3, 1, 1], {"shift": [1.0, 2.0, 3.0]}), "add.onnx")


@pytest.mark.slow  # an export, some 20 s
def test_convnext_before_opset_20_reads_its_gelu_written_out(tmp_path: Path) -> None:
    pytest.importorskip("torchvision", reason="PyTorch is not installed: make torch")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from export_onnx_fixtures import export
    finally:
        sys.path.pop(0)
    counts = export("convnext_tiny", tmp_path, opset=17)  # GELU as Div, Erf, Add, Mul, Mul
    summary = summarize(read_onnx(str(tmp_path / "convnext_tiny.onnx")))
    assert (summary.totals.params, summary.totals.macs) == (counts["params"], counts["macs"])
    assert sum(row.kind == "gelu" for row in summary.rows) == 18  # one per block: 3 + 3 + 9 + 3


def test_a_gather_of_every_value_in_order_is_a_view_and_another_is_refused() -> None:
    from onnx import TensorProto, helper

    from cnncount.readers.onnx import from_onnx_model

    def model(indices: list[int]) -> object:
        graph = helper.make_graph(
            [
                helper.make_node("Reshape", ["x", "flat"], ["f"], name="flatten"),
                helper.make_node("Gather", ["f", "indices"], ["g"], name="strided"),
                helper.make_node("Relu", ["g"], ["y"], name="relu"),
            ],
            "g",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 1, 1])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
            [
                helper.make_tensor("flat", TensorProto.INT64, [1], [-1]),
                helper.make_tensor("indices", TensorProto.INT64, [1, 4, 1, 1], indices),
            ],
        )
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])

    network = from_onnx_model(model([0, 1, 2, 3]), "view.onnx")
    assert [str(node.layer) for node in network.nodes] == ["relu"]
    with pytest.raises(ReadError, match=r"view.onnx: node 'flatten' \(Reshape\): cnncount cannot"):
        from_onnx_model(model([3, 2, 1, 0]), "view.onnx")


@pytest.mark.slow  # an export, some 5 s
def test_the_activations_besides_the_rectifier_read_from_an_export(tmp_path: Path) -> None:
    """ELU, SELU, Mish, softplus, PReLU (one slope, and one per channel), GELU's tanh
    approximation and the reflection and replication pads, as PyTorch exports them at opset 20."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: make torch")
    from torch import nn

    model = nn.Sequential(
        nn.Conv2d(3, 8, 3),
        nn.ELU(0.5),
        nn.SELU(),
        nn.Mish(),
        nn.Softplus(),
        nn.PReLU(8),
        nn.GELU(approximate="tanh"),
        nn.ReflectionPad2d(1),
        nn.Conv2d(8, 4, 1),
        nn.PReLU(),
        nn.ReplicationPad2d((1, 0, 2, 0)),
    ).eval()
    path = tmp_path / "activations.onnx"
    torch.onnx.export(
        model, (torch.zeros(1, 3, 16, 16),), str(path), opset_version=20, dynamo=False
    )
    network = read_onnx(str(path))
    assert [str(node.layer) for node in network.nodes] == [
        "conv3-8/p0",
        "elu0.5",
        "selu",
        "mish",
        "softplus",
        "prelu/channels",
        "gelu/tanh",
        "reflectpad1",
        "conv1-4",
        "prelu",
        "replicatepad2x0x1x0",
    ]
    summary = summarize(network)
    assert summary.totals.params == sum(p.numel() for p in model.parameters())
    assert summary.totals.macs == 14 * 14 * 8 * 3 * 3 * 3 + 16 * 16 * 4 * 8  # the two convolutions'


@pytest.mark.parametrize(
    ("dims", "reason"),
    [
        (
            [1, 3, -4, 4],
            "x.onnx: input 'x' has dims 1x3x-4x4; every size after the batch must be positive",
        ),
        (
            [1, 0, 4, 4],
            "x.onnx: input 'x' has dims 1x0x4x4; every size after the batch must be positive",
        ),
    ],
)
def test_an_input_of_no_values_is_refused_naming_the_file_and_the_input(
    dims: list[int], reason: str
) -> None:
    from onnx import TensorProto, helper

    from cnncount.readers.onnx import from_onnx_model

    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, dims)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(ReadError) as error:
        from_onnx_model(model, "x.onnx")
    assert str(error.value) == reason


def test_a_convolution_whose_weight_reads_other_channels_is_refused_with_both_counts() -> None:
    from onnx import TensorProto, helper

    from cnncount.readers.onnx import from_onnx_model

    weight = helper.make_tensor("w", TensorProto.FLOAT, [8, 2, 3, 3], [0.0] * 144)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", group=2)],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(ReadError) as error:
        from_onnx_model(model, "conv.onnx")
    assert str(error.value) == (
        "conv.onnx: node 'conv' (Conv): its weight reads 4 input channels (2 per group, "
        "in 2 groups), but its input has 3"
    )
