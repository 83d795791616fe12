"""The Keras reader against Keras's own counts, and its refusals.

The fixtures in tests/data/keras were written by Keras 3 itself (tools/keras_fixtures.py): each
keras.applications model's config.json, two small models of our own as .keras archives without
their weights and as model.to_json() files, and Keras's count_params(), trainable and
non-trainable counts and output_shape in counts.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from cnncount import Shape, summarize
from cnncount.errors import ReadError
from cnncount.readers import keras as keras_reader
from cnncount.readers import read_model
from cnncount.render.cost import keras_lines

DATA = Path(__file__).parent / "data" / "keras"
RECORD = json.loads((DATA / "counts.json").read_text())
COUNTS = RECORD["models"]
UNFIXED_INPUT = {"MobileNetV3Small": Shape(3, 224, 224)}
"""Models whose file leaves the input size open (None x None x 3): Keras's counts do not depend
on it, and keras.applications documents 224 x 224."""


def fixtures(name: str) -> list[Path]:
    """Return every file written for the model ``name``."""
    if name.startswith("small"):
        return [DATA / f"{name}.keras", DATA / f"{name}.json"]
    return [DATA / f"{name}.config.json"]


def keras_shape(shape: list[int | None]) -> Shape:
    """Return Keras's output shape (batch first, channels last) as cnncount writes it."""
    sizes = [size for size in shape[1:] if size is not None]
    return Shape(sizes[-1], *sizes[:-1]) if len(sizes) == 3 else Shape(sizes[0], 1, 1)


def test_every_keras_application_built() -> None:
    assert RECORD["failed"] == {}
    assert len(COUNTS) == 11


@pytest.mark.parametrize(
    "path", [path for name in COUNTS for path in fixtures(name)], ids=lambda path: path.name
)
def test_counts_equal_keras(path: Path) -> None:
    name = path.name.split(".")[0]
    expected = COUNTS[name]
    summary = summarize(read_model(str(path), UNFIXED_INPUT.get(name)))
    assert summary.totals.params == expected["trainable"]
    assert summary.totals.buffers == expected["non_trainable"]
    assert summary.totals.params + summary.totals.buffers == expected["count_params"]
    assert summary.rows[-1].output_shape == keras_shape(expected["output_shape"])


def test_the_largest_model_reads_in_under_a_second() -> None:
    largest = max(DATA.glob("*.config.json"), key=lambda path: path.stat().st_size)
    start = time.perf_counter()
    summarize(read_model(str(largest)))
    assert time.perf_counter() - start < 1.0, largest.name


def test_layer_names_come_from_keras() -> None:
    net = read_model(str(DATA / "small_functional.keras"))
    names = [node.name for node in net.nodes]
    assert "block.conv" in names and "conv2d_2.silu" in names and "dense_2" in names


def test_separable_convolution_is_depthwise_then_pointwise() -> None:
    net = read_model(str(DATA / "Xception.config.json"))
    layers = {node.name: node.layer for node in net.nodes}
    depthwise, pointwise = layers["block2_sepconv1.depthwise"], layers["block2_sepconv1.pointwise"]
    shape = net.input_shape
    assert (depthwise.groups, depthwise.bias, pointwise.kernel_size) == (64, False, (1, 1))
    assert str(depthwise) != str(pointwise) and shape == Shape(3, 299, 299)


def cnncount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cnncount", *args], capture_output=True, text=True, check=False
    )


def test_the_keras_convention_prints_keras_lines() -> None:
    result = cnncount(str(DATA / "ResNet50.config.json"), "--convention", "keras")
    assert result.returncode == 0, result.stderr
    expected = COUNTS["ResNet50"]
    total, trainable = expected["count_params"], expected["trainable"]
    assert f" Total params: {total:,} ({total * 4 / 2**20:.2f} MB)" in result.stdout
    assert f" Trainable params: {trainable:,} ({trainable * 4 / 2**20:.2f} MB)" in result.stdout
    assert " Non-trainable params: 53,120 (207.50 KB)" in result.stdout


@pytest.mark.parametrize(
    "view",
    [
        ["-f", "json"],
        ["-f", "markdown"],
        ["-b", "8", "--optimizer", "adam"],
        ["--receptive-field"],
        ["--roofline", "h100-sxm"],
        ["--amp", "float16", "--checkpoint", "4"],
    ],
)
def test_every_view_works_on_a_keras_file(view: list[str]) -> None:
    result = cnncount(str(DATA / "small_functional.keras"), *view)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def _archive(tmp_path: Path, name: str, entries: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return path


def _with_layer(tmp_path: Path, layer: dict[str, object], name: str) -> Path:
    config = json.loads((DATA / "small_sequential.json").read_text())
    config["config"]["layers"].insert(2, layer)
    return _archive(tmp_path, name, {"config.json": json.dumps(config).encode()})


def _refusals(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    whole = (DATA / "small_functional.keras").read_bytes()
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(whole[: len(whole) // 2])
    corrupt = tmp_path / "corrupt.keras"
    corrupt.write_bytes(b"PK\x03\x04" + bytes(200))
    lam = {"class_name": "Lambda", "config": {"name": "fn", "function": {"code": "4wEAAA=="}}}
    unknown = {"class_name": "ConvLSTM2D", "config": {"name": "lstm"}}
    return {
        "lambda": (
            _with_layer(tmp_path, lam, "lambda.keras"),
            "layer 'fn' (Lambda): a Lambda layer holds Python code",
        ),
        "unknown": (
            _with_layer(tmp_path, unknown, "unknown.keras"),
            "layer 'lstm' (ConvLSTM2D): cnncount has no counterpart",
        ),
        "corrupt": (corrupt, "corrupt.keras: not a readable .keras archive, corrupt or truncated"),
        "truncated": (
            truncated,
            "truncated.keras: not a readable .keras archive, corrupt or truncated",
        ),
        "not json": (
            _archive(tmp_path, "binary.keras", {"config.json": b"\x80\x04pickle"}),
            "binary.keras: the configuration is not JSON",
        ),
        "no config": (
            _archive(tmp_path, "weights.keras", {"model.weights.h5": b""}),
            "weights.keras: the archive has no config.json entry",
        ),
        "missing": (tmp_path / "missing.keras", "missing.keras: no such file"),
        "truncated json": (_truncated_json(tmp_path), "cut.json: the configuration is not JSON"),
        "bad deflate": (_bad_deflate(tmp_path), "inflated.keras: not a readable .keras archive"),
        "a huge number": (
            _written(tmp_path, "digits.json", '{"units": ' + "9" * 5000 + "}"),
            "digits.json: the configuration is not JSON cnncount reads",
        ),
        "deep nesting": (
            _written(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000),
            "deep.json: the configuration is not JSON cnncount reads",
        ),
        "an infinite width": (
            _with_layer(tmp_path, _dense("1e400"), "infinite.keras"),
            "infinite.keras: the configuration holds a value out of range",
        ),
    }


def _written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _dense(units: str) -> dict[str, object]:
    """A Dense layer whose width JSON writes as ``units`` (1e400 reads as infinity)."""
    return {"class_name": "Dense", "config": {"name": "wide", "units": json.loads(units)}}


def _bad_deflate(tmp_path: Path) -> Path:
    """An archive whose config.json's compressed bytes are overwritten in the middle."""
    path = tmp_path / "inflated.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", (DATA / "small_sequential.json").read_text() * 20)
    data = bytearray(path.read_bytes())
    data[60:120] = bytes(range(60))
    path.write_bytes(bytes(data))
    return path


def _truncated_json(tmp_path: Path) -> Path:
    path = tmp_path / "cut.json"
    path.write_text((DATA / "small_sequential.json").read_text()[:500])
    return path


@pytest.mark.parametrize(
    "case",
    [
        "lambda",
        "unknown",
        "corrupt",
        "truncated",
        "not json",
        "no config",
        "missing",
        "truncated json",
        "bad deflate",
        "a huge number",
        "deep nesting",
        "an infinite width",
    ],
)
def test_a_bad_file_gives_one_line_and_exit_status_2(tmp_path: Path, case: str) -> None:
    path, message = _refusals(tmp_path)[case]
    result = cnncount(str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr


def test_an_entry_too_large_to_be_a_config_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keras_reader, "CONFIG_CAP_BYTES", 1000)
    with pytest.raises(ReadError, match="too large to be a configuration"):
        read_model(str(DATA / "small_functional.keras"))


def test_the_input_is_overridden_or_refused_with_a_reason() -> None:
    net = read_model(str(DATA / "small_functional.keras"), Shape(3, 64, 64))
    assert summarize(net).rows[-1].output_shape == Shape(3, 1, 1)
    result = cnncount(str(DATA / "small_functional.keras"), "--input", "64x64x3")
    assert result.returncode == 2 and "give --input 3x64x64" in result.stderr


def test_keras_itself_agrees_when_installed() -> None:
    """Build the small models with Keras and compare its summary lines with --convention keras."""
    pytest.importorskip("keras", reason="Keras 3 is not installed (see tools/keras_fixtures.py)")
    sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
    import keras_fixtures

    for build in (keras_fixtures.small_sequential, keras_fixtures.small_functional):
        model = build()
        printed: list[str] = []
        model.summary(print_fn=lambda line, *_, into=printed, **__: into.append(line))
        expected = keras_fixtures.counts(model)
        summary = summarize(read_model(str(DATA / f"{model.name}.keras")))
        lines = keras_lines(summary.totals.params, summary.totals.buffers)
        assert lines == [line for line in "\n".join(printed).splitlines() if "params:" in line]
        assert summary.totals.params == expected["trainable"]


@pytest.mark.parametrize(
    ("layer", "token"),
    [
        ({"class_name": "Activation", "config": {"name": "a", "activation": "elu"}}, "elu"),
        ({"class_name": "Activation", "config": {"name": "a", "activation": "selu"}}, "selu"),
        ({"class_name": "Activation", "config": {"name": "a", "activation": "mish"}}, "mish"),
        (
            {"class_name": "Activation", "config": {"name": "a", "activation": "softplus"}},
            "softplus",
        ),
        ({"class_name": "ELU", "config": {"name": "a", "alpha": 0.5}}, "elu0.5"),
        (
            {"class_name": "LeakyReLU", "config": {"name": "a", "negative_slope": 0.1}},
            "leakyrelu0.1",
        ),
        ({"class_name": "LeakyReLU", "config": {"name": "a"}}, "leakyrelu0.3"),  # Keras's default
        ({"class_name": "ReLU", "config": {"name": "a", "negative_slope": 0.1}}, "leakyrelu0.1"),
        (
            {"class_name": "Activation", "config": {"name": "a", "activation": "leaky_relu"}},
            "leakyrelu0.2",
        ),
        ({"class_name": "PReLU", "config": {"name": "a", "shared_axes": [1, 2]}}, "prelu/channels"),
        ({"class_name": "PReLU", "config": {"name": "a", "shared_axes": [1, 2, 3]}}, "prelu"),
    ],
)
def test_the_activations_besides_the_rectifier_read_by_name(
    tmp_path: Path, layer: dict[str, object], token: str
) -> None:
    """Keras's ``elu``, ``selu``, ``mish``, ``softplus`` and ``leaky_relu`` (slope 0.2; its
    ``gelu`` is exact by default, ``approximate=False``), its ``ELU`` and ``LeakyReLU`` layers
    (slope 0.3), a ``ReLU`` with a negative slope, and a ``PReLU`` whose slope is shared over the
    map (one per channel) or over every axis, each after the pixels' rescaling."""
    network = read_model(str(_with_layer(tmp_path, layer, "activations.keras")))
    assert [str(node.layer) for node in network.nodes if node.name == "a"] == [token]


def test_a_prelu_with_a_slope_for_every_value_is_refused_in_one_line(tmp_path: Path) -> None:
    """Keras's default PReLU learns H x W x C slopes, which is no layer of cnncount's."""
    layer = {"class_name": "PReLU", "config": {"name": "a", "shared_axes": None}}
    with pytest.raises(ReadError) as error:
        read_model(str(_with_layer(tmp_path, layer, "prelu.keras")))
    assert str(error.value).endswith(
        "prelu.keras: layer 'a' (PReLU): shared_axes []: cnncount learns one slope, or one per "
        "channel (shared_axes [1, 2])"
    )
