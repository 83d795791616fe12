"""The roofline: each layer's lower bound on time, what bounds it, and the network's bounds."""

from __future__ import annotations

import json

import pytest

from cnncount import Batch, CnncountError, get_model, parse_network, summarize
from cnncount.cli import main, run
from cnncount.roofline import DEVICES, TRAINING_FACTOR, get_device, parse_device, roofline

VGG16 = summarize(get_model("vgg16"))
MOBILENET = summarize(get_model("mobilenet-v2"))


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("summary", [VGG16, MOBILENET], ids=["vgg16", "mobilenet-v2"])
def test_each_bound_is_the_larger_of_compute_and_memory(device, summary) -> None:
    profile = DEVICES[device]
    result = roofline(summary, profile, Batch(16))
    for layer in result.layers:
        compute, memory = layer.flops / profile.peak("float32"), layer.bytes / profile.bandwidth
        assert layer.seconds == max(compute, memory)
        assert layer.bound == ("compute" if compute > memory else "memory")
        below_ridge = layer.intensity < profile.ridge("float32")
        assert (layer.bound == "memory") == below_ridge or compute == memory
    assert result.forward_seconds == pytest.approx(sum(layer.seconds for layer in result.layers))
    assert result.training_seconds == TRAINING_FACTOR * result.forward_seconds


def test_flops_are_two_per_mac_and_bytes_cross_memory_once() -> None:
    conv1 = roofline(VGG16, DEVICES["h100-sxm"], Batch(4)).layers[0]
    row = VGG16.rows[1]
    assert conv1.flops == 2 * row.macs * 4
    assert conv1.bytes == 4 * 4 * (VGG16.rows[0].activations + row.activations) + 4 * row.params


def test_depthwise_convolutions_are_memory_bound_where_full_ones_are_not() -> None:
    layers = {
        layer.name: layer for layer in roofline(MOBILENET, DEVICES["rtx-4090"], Batch(64)).layers
    }
    depthwise = [
        layers[row.name] for row in MOBILENET.rows if row.kind == "conv" and row.layer.groups > 1
    ]
    assert all(layer.bound == "memory" for layer in depthwise)
    vgg = roofline(VGG16, DEVICES["rtx-4090"], Batch(64)).layers
    assert all(
        layer.bound == "compute" for layer in vgg if layer.kind == "conv" and layer.name != "conv1"
    )


def test_lower_precision_raises_the_peak_and_halves_the_bytes() -> None:
    full = roofline(VGG16, DEVICES["h100-sxm"], Batch(8))
    half = roofline(VGG16, DEVICES["h100-sxm"], Batch(8, "float16"))
    assert half.forward_seconds < full.forward_seconds / 2
    assert [layer.bytes for layer in half.layers] == [layer.bytes // 2 for layer in full.layers]


def test_a_flatten_moves_nothing() -> None:
    viewed = summarize(parse_network("conv3-8 flatten FC-10"))
    assert [layer.bytes == 0 for layer in roofline(viewed, DEVICES["laptop-cpu"]).layers] == [
        False,
        True,
        False,
    ]


@pytest.mark.parametrize(
    ("text", "peak", "bandwidth"),
    [
        ("67TFLOPS,4.8TB/s", 67e12, 4.8e12),
        ("500 GFLOPS, 50 GB/s", 500e9, 50e9),
        ("1e15flops,1e12b/s", 1e15, 1e12),
    ],
)
def test_custom_devices(text, peak, bandwidth) -> None:
    device = parse_device(text)
    assert (device.peak("float32"), device.bandwidth) == (peak, bandwidth)


@pytest.mark.parametrize(
    "text", ["67TFLOPS", "fast,4.8TB/s", "67TFLOPS,0TB/s", "-1TFLOPS,1TB/s", "h200"]
)
def test_unreadable_devices_are_refused(text) -> None:
    with pytest.raises(CnncountError, match="give a named device"):
        get_device(text)


def test_command_line_and_json(capsys) -> None:
    text = run(["resnet50", "--roofline", "h100-sxm"])
    assert (
        "ROOFLINE on h100-sxm" in text and "FORWARD bound:" in text and "TRAINING estimate:" in text
    )
    document = json.loads(run(["resnet50", "--roofline", "h100-sxm", "--format", "json"]))[
        "roofline"
    ]
    assert document["training_seconds"] == pytest.approx(3 * document["forward_seconds"])
    assert {layer["bound"] for layer in document["layers"]} == {"compute", "memory"}
    assert main(["vgg16", "--roofline", "h200"]) == 2
    assert "cnncount: error: device 'h200': give a named device" in capsys.readouterr().err
