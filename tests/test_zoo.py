"""Every built-in model against its published parameter count, exactly; buffers apart."""

from __future__ import annotations

import json

import pytest

from cnncount import Shape, get_model, summarize
from cnncount.cli import run
from cnncount.models import MODELS
from cnncount.published import published_macs, published_params
from cnncount.render import block_breakdown, reference_table, to_csv, to_markdown

PUBLISHED = published_params()
PUBLISHED_MACS = published_macs()


def test_every_model_has_a_published_count() -> None:
    assert set(PUBLISHED) == set(MODELS)


@pytest.mark.parametrize("model", list(MODELS))
def test_parameters_equal_the_published_count(model) -> None:
    assert summarize(get_model(model)).totals.params == PUBLISHED[model]


def test_every_torchvision_model_has_its_published_compute() -> None:
    assert set(PUBLISHED_MACS) == {name for name, model in MODELS.items() if model.torchvision}


@pytest.mark.parametrize("model", list(PUBLISHED_MACS))
def test_macs_round_to_torchvisions_published_figure(model) -> None:
    """torchvision prints flop_counter's multiply-accumulates (attention's matrix products
    included) in units of 10^9, to three decimals."""
    assert round(summarize(get_model(model)).totals.macs / 1e9, 3) == PUBLISHED_MACS[model]


@pytest.mark.parametrize("depth", [50, 101, 152])
def test_the_papers_v1_moves_the_stride_and_no_weight(depth) -> None:
    """v1 halves the map in each stage's first 1x1 convolution, v1.5 in its 3x3: the 1x1 then
    reads the full map, so v1.5 does 3/4 of that 1x1's C_in x width x H x W more, in stages 2 to 4."""
    v1, v15 = (summarize(get_model(name)) for name in (f"resnet{depth}-v1", f"resnet{depth}"))
    extra = sum(c_in * width * side * side * 3 // 4 for c_in, width, side in STAGE_ENTRIES)
    assert v1.totals.params == v15.totals.params
    assert v15.totals.macs - v1.totals.macs == extra == 3 * 77_070_336
    first = {row.name: row for row in v1.rows}["layer2.0.conv1"]
    assert (first.input_shape.height, first.output_shape.height) == (56, 28)


STAGE_ENTRIES = ((256, 128, 56), (512, 256, 28), (1024, 512, 14))
"""The first bottleneck of stages 2 to 4: channels in, width, and the side of the map it reads."""


@pytest.mark.parametrize(
    ("model", "size", "params", "macs"),
    [  # torchvision's vit_b_16 at image_size=384 (the IMAGENET1K_SWAG_E2E_V1 weights' meta)
        ("vit-b-16", 384, 86_859_496, 55_484_350_464),
    ],
)
def test_a_larger_image_gives_the_vision_transformer_more_positions(
    model, size, params, macs
) -> None:
    totals = summarize(get_model(model, Shape(3, size, size))).totals
    assert (totals.params, round(totals.macs / 1e9, 3)) == (params, round(macs / 1e9, 3))


@pytest.mark.parametrize(
    ("model", "buffers"),
    [("resnet50", 2 * 26_560), ("vgg16-bn", 2 * 4_224), ("vgg16", 0)],
)
def test_batch_norm_statistics_are_buffers_not_parameters(model, buffers) -> None:
    assert summarize(get_model(model)).totals.buffers == buffers


@pytest.mark.parametrize(
    "model",
    [
        "resnet18",
        "googlenet",
        "mobilenet-v2",
        "squeezenet1.1",
        "densenet121",
        "alexnet",
        "efficientnet-b0",
        "mobilenet-v3-large",
        "mobilenet-v3-small",
        "convnext-tiny",
        "inception-v3",
        "regnet-y-400mf",
        "shufflenet-v2-x1.0",
        "mnasnet1.0",
        "resnext50-32x4d",
        "wide-resnet50-2",
        "densenet161",
    ],
)
@pytest.mark.parametrize("size", [96, 224, 320])
def test_input_size_is_free_and_parameters_stay(model, size) -> None:
    summary = summarize(get_model(model, Shape(3, size, size)))
    assert summary.totals.params == PUBLISHED[model]
    assert summary.rows[0].output_shape == Shape(3, size, size)


def test_rows_name_their_block() -> None:
    names = [row.name for row in summarize(get_model("resnet50")).rows]
    assert (
        "layer3.1.conv2" in names and "layer4.0.downsample.0" in names and "layer1.2.add" in names
    )


@pytest.mark.parametrize("model", ["resnet18", "googlenet", "densenet121"])
def test_renderers_work_for_graphs(model) -> None:
    summary = summarize(get_model(model))
    assert len(reference_table(summary).splitlines()) == len(summary.rows)
    assert block_breakdown(summary).splitlines()[-1].endswith(f"{PUBLISHED[model]:,}")
    assert len(to_markdown(summary).splitlines()) == len(summary.rows) + 3
    assert len(to_csv(summary).splitlines()) == len(summary.rows) + 1
    document = json.loads(run([model, "--format", "json"]))
    assert document["totals"]["params"] == PUBLISHED[model]
    assert sum(row["params"] for row in document["rows"]) == PUBLISHED[model]


def test_resnet_residual_reads_both_branches() -> None:
    rows = {row.name: row for row in summarize(get_model("resnet18")).rows}
    assert rows["layer2.0.add"].inputs == ("layer2.0.bn2", "layer2.0.downsample.1")
    assert rows["layer1.0.add"].inputs == ("layer1.0.bn2", "maxpool")
