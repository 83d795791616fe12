"""Every built-in model against its published parameter count, exactly; buffers apart."""

from __future__ import annotations

import json

import pytest

from cnncount import Shape, get_model, summarize
from cnncount.cli import run
from cnncount.models import MODELS
from cnncount.published import published_params
from cnncount.render import block_breakdown, reference_table, to_csv, to_markdown

PUBLISHED = published_params()


def test_every_model_has_a_published_count() -> None:
    assert set(PUBLISHED) == set(MODELS)


@pytest.mark.parametrize("model", list(MODELS))
def test_parameters_equal_the_published_count(model) -> None:
    assert summarize(get_model(model)).totals.params == PUBLISHED[model]


@pytest.mark.parametrize(
    ("model", "buffers"),
    [("resnet50", 2 * 26_560), ("vgg16-bn", 2 * 4_224), ("vgg16", 0)],
)
def test_batch_norm_statistics_are_buffers_not_parameters(model, buffers) -> None:
    assert summarize(get_model(model)).totals.buffers == buffers


@pytest.mark.parametrize(
    "model", ["resnet18", "googlenet", "mobilenet-v2", "squeezenet1.1", "densenet121", "alexnet"]
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
