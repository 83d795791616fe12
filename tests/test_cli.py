"""The command line, run as a user runs it: its outputs, and one clear line for each bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnncount.cli import run, usage
from cnncount.models import model_names
from cnncount.published import breakdown_section as section


def cnncount(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cnncount`` with ``args`` and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "cnncount", *args], capture_output=True, text=True, check=False
    )


def test_vgg16_prints_the_reference_rows_and_breakdown() -> None:
    result = cnncount("vgg16")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:22] == section("INPUT:", "FC:")
    breakdown = section("conv3-64  x 2", "TOTAL     ")
    start = lines.index(breakdown[0])
    assert lines[start : start + len(breakdown)] == breakdown


def test_vgg16_totals_are_what_the_rows_sum_to() -> None:
    text = run(["vgg16"])
    assert "TOTAL memory: 15,237,608 values * 4 bytes (float32) = 60,950,432 bytes" in text
    assert "TOTAL params: 138,357,544 parameters" in text
    assert "TOTAL MACs:   15,470,264,320 multiply-accumulates / image" in text
    assert "24M" not in text


def test_json_totals() -> None:
    document = json.loads(cnncount("vgg16", "--format", "json").stdout)
    assert document["model"] == "vgg16" and document["input_shape"] == [3, 224, 224]
    assert document["totals"]["params"] == 138_357_544
    assert document["totals"]["activations"] == 15_237_608
    assert document["totals"]["macs"] == 15_470_264_320
    assert document["totals"]["activation_bytes"] == 15_237_608 * 4
    assert len(document["rows"]) == 22
    assert set(document["rows"][0]) >= {
        "name",
        "kind",
        "output_shape",
        "activations",
        "weights",
        "biases",
        "params",
        "macs",
    }
    assert sum(row["params"] for row in document["rows"]) == document["totals"]["params"]


def test_batch_and_dtype_scale_the_bytes_only() -> None:
    document = json.loads(run(["vgg16", "--format=json", "--batch", "64", "--dtype", "bfloat16"]))
    assert document["batch"] == 64 and document["bytes_per_value"] == 2
    assert document["totals"]["activations"] == 15_237_608
    assert document["totals"]["activation_bytes"] == 15_237_608 * 64 * 2
    assert document["totals"]["param_bytes"] == 138_357_544 * 2


def test_csv_rows_parse_and_sum() -> None:
    rows = list(csv.DictReader(io.StringIO(run(["vgg16", "--format", "csv"]))))
    assert len(rows) == 22
    assert sum(int(row["params"]) for row in rows) == 138_357_544
    assert rows[-3]["name"] == "fc1" and rows[-3]["weights"] == "102760448"


def test_markdown_table_has_a_line_per_row_and_totals() -> None:
    lines = run(["vgg16", "--format", "markdown"]).splitlines()
    assert len(lines) == 2 + 22 + 1
    assert lines[-1].startswith("| **total** |") and "**138,357,544**" in lines[-1]


def test_input_shape_changes_the_counts() -> None:
    document = json.loads(run(["vgg16", "--input", "3x32x32", "--format", "json"]))
    fc1 = document["rows"][-3]
    assert fc1["weights"] == 512 * 4096  # a 1x1 map of 512 channels reaches fc1


def test_a_spec_in_place_of_a_model() -> None:
    quoted = run(
        ["conv5-6 maxpool conv5-16/p0 maxpool FC-120", "--input", "1x32x32", "--format", "csv"]
    )
    words = run(
        [
            "conv5-6",
            "maxpool",
            "conv5-16/p0",
            "maxpool",
            "FC-120",
            "--input",
            "1x32x32",
            "--format",
            "csv",
        ]
    )
    assert quoted == words
    assert quoted.splitlines()[-1].startswith("fc1,fc,FC-120,120,1,1,120,69120,120,69240,")


def test_list_names_every_built_in_model_and_its_torchvision_name() -> None:
    header, *lines = cnncount("--list").stdout.splitlines()
    assert header.split()[:3] == ["name", "input", "torchvision"]
    assert [line.split()[0] for line in lines] == model_names()
    listed = {line.split()[0]: line.split()[2] for line in lines}
    assert listed["mobilenet-v2"] == "mobilenet_v2" and listed["vgg16-torchvision"] == "vgg16"


@pytest.mark.parametrize(
    ("alias", "model"),
    [
        ("mobilenet_v2", "mobilenet-v2"),
        ("squeezenet1_0", "squeezenet1.0"),
        ("vgg16_bn", "vgg16-bn"),
        ("RESNET50", "resnet50"),
    ],
)
def test_torchvision_names_are_accepted(alias, model) -> None:
    assert json.loads(run([alias, "--format", "json"]))["model"] == model


def test_help() -> None:
    result = cnncount("--help")
    assert result.returncode == 0 and result.stdout == usage()
    assert cnncount("-h").stdout == usage()


def test_help_groups_the_options_and_lists_every_choice() -> None:
    from cnncount.conventions import CONVENTIONS
    from cnncount.memory import OPTIMIZER_STATE
    from cnncount.precision import AUTOCAST_TYPES, BYTES_PER_VALUE, DEVICE_TYPES
    from cnncount.roofline import DEVICES

    text = usage()
    headings = [line for line in text.splitlines() if line and line[0] != " " and line[-1] == ":"]
    assert headings == [
        "options:",
        "model:",
        "batch and precision:",
        "training:",
        "views:",
        "output:",
    ]
    flowing = " ".join(text.split())  # a choice may be wrapped onto the next line
    choices = [
        *CONVENTIONS,
        *OPTIMIZER_STATE,
        *DEVICES,
        *BYTES_PER_VALUE,
        *AUTOCAST_TYPES,
        *DEVICE_TYPES,
        "table",
        "markdown",
        "csv",
        "json",
    ]
    assert [choice for choice in choices if choice not in flowing] == []
    group = text[text.index("batch and precision:") : text.index("training:")]
    assert "-b, --batch N" in group and "-d, --dtype DTYPE" in group
    assert "-f, --format FORMAT" in text[text.index("output:") :]


@pytest.mark.parametrize(
    "args",
    [
        ["vgg16", "--form", "json"],
        ["vgg16", "-f", "json"],
        ["vgg16", "-fjson"],
        ["vgg16", "--format=json"],
        ["vgg16", "--fo=json"],
        ["vgg16", "--format", "json", "--"],
        ["--format", "json", "--", "vgg16"],
    ],
)
def test_prefixes_short_forms_and_equals_signs(args) -> None:
    assert run(args) == run(["vgg16", "--format", "json"])


@pytest.mark.parametrize(
    ("args", "same"),
    [
        (["vgg16", "--batch=8", "-d", "float16"], ["vgg16", "--batch", "8", "--dtype", "float16"]),
        (["vgg16", "-b", "8", "--dt=float16"], ["vgg16", "--batch", "8", "--dtype", "float16"]),
        (["vgg16", "-i", "3x32x32", "--rec"], ["vgg16", "--input", "3x32x32", "--receptive-field"]),
        (
            ["vgg16", "--opt", "adam", "--bud=16GiB"],
            ["vgg16", "--optimizer", "adam", "--budget", "16GiB"],
        ),
        (["conv3-8", "-i", "1x28x28", "FC-10"], ["conv3-8", "FC-10", "--input", "1x28x28"]),
    ],
)
def test_short_and_shortened_options_mean_the_long_ones(args, same) -> None:
    assert run(args) == run(same)


def test_list_and_version_have_short_forms() -> None:
    assert run(["-l"]) == run(["--list"])
    assert run(["-V"]) == run(["--version"]) and run(["-V"]).startswith("cnncount ")


def test_the_console_script_refuses_in_one_line_without_a_traceback() -> None:
    """The installed ``cnncount`` script, as a shell runs it, for argparse's errors and ours."""
    script = Path(sys.executable).parent / "cnncount"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cnncount"]
    for args in (
        ["vgg16", "--c", "4"],
        ["vgg16", "--frobnicate"],
        ["vgg16", "--input", "224x224x3"],
    ):
        result = subprocess.run([*command, *args], capture_output=True, text=True, check=False)
        assert result.returncode == 2 and result.stdout == "", args
        assert result.stderr.startswith("cnncount: error: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr and "usage:" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["vgg17"],
            (
                "unknown model 'vgg17' (close: vgg19, vgg16, vgg13); 'cnncount --list' names the built-in "
                "models, or give a spec such as 'conv3-64 maxpool FC-10'"
            ),
        ),
        (
            ["conv3-64 conv3-6x4"],
            "spec token 2 'conv3-6x4' (column 10): channels must be a whole number, got '6x4'",
        ),
        (
            ["conv3-64", "maxpool", "FC-"],
            "spec token 3 'FC-' (column 18): features must be a whole number, got ''",
        ),
        (
            ["vgg16", "--input", "3x16x16"],
            "layer 18 maxpool5 (maxpool): kernel 2 with padding 0 does not fit input 1x1",
        ),
        (
            ["conv11-96/p0", "--input", "3x8x8"],
            "layer 1 conv1 (conv11-96/p0): kernel 11 with padding 0 does not fit input 8x8",
        ),
        (
            ["conv3-64/g2", "--input", "3x32x32"],
            "layer 1 conv1 (conv3-64/g2): input channels 3 not divisible by groups 2",
        ),
        (
            ["conv3-64/g3"],
            "spec token 1 'conv3-64/g3' (column 1): output channels 64 not divisible by groups 3",
        ),
        (["vgg16", "--input", "0x224x224"], "shape 0x224x224: every size must be positive"),
        (
            ["vgg16", "--input", "3x-224x224"],
            "input shape '3x-224x224': expected CxHxW, e.g. 3x224x224",
        ),
        (["vgg16", "--input", "224x224"], "input shape '224x224': expected CxHxW, e.g. 3x224x224"),
        (["conv3-0"], "spec token 1 'conv3-0' (column 1): out_channels must be positive, got 0"),
        (["vgg16", "--batch", "0"], "--batch must be a positive whole number, got '0'"),
        (["vgg16", "--batch", "-3"], "--batch must be a positive whole number, got '-3'"),
        (["vgg16", "--batch"], "argument -b/--batch: expected one argument"),
        (["vgg16", "--list=3"], "argument -l/--list: ignored explicit argument '3'"),
        (
            ["vgg16", "--c", "4"],
            "ambiguous option: --c could match --checkpoint, --convention",
        ),
        (
            ["vgg16", "--r"],
            "ambiguous option: --r could match --receptive-field, --roofline",
        ),
        (
            ["vgg16", "--input", "224x224x3"],
            (
                "--input 224x224x3 reads as height x width x channels; cnncount writes the "
                "channels first, and vgg16 takes 3: give --input 3x224x224"
            ),
        ),
        (
            ["lenet5", "-i", "32x32x1"],
            (
                "--input 32x32x1 reads as height x width x channels; cnncount writes the "
                "channels first, and lenet5 takes 1: give --input 1x32x32"
            ),
        ),
        (
            ["conv3-64", "maxpool", "maxpool", "FC-10", "--input", "224x224x3"],
            (
                "layer 3 maxpool2 (maxpool): kernel 2 with padding 0 does not fit input 112x1 "
                "(if 224x224x3 is height x width x channels, give --input 3x224x224)"
            ),
        ),
        (["vgg16", "--input", ""], "input shape '': expected CxHxW, e.g. 3x224x224"),
        (
            ["vgg16", "--dtype", "float64"],
            "--dtype must be one of float32, float16, bfloat16, int8, got 'float64'",
        ),
        (
            ["vgg16", "--format", "yaml"],
            "--format must be one of table, markdown, csv, json, notation, got 'yaml'",
        ),
        (["vgg16", "--frobnicate"], "unknown option '--frobnicate'; see 'cnncount --help'"),
        (["vgg16", "-x", "3"], "unknown option '-x'; see 'cnncount --help'"),
        (["vgg16", "--frobnicate=3"], "unknown option '--frobnicate=3'; see 'cnncount --help'"),
        ([], "give a model name or a spec; 'cnncount --list' names the models"),
        ([""], "spec is empty: write layers such as 'conv3-64 maxpool FC-10'"),
        (
            ["vgg16", "--optimizer", "lamb"],
            "--optimizer must be one of sgd, momentum, adagrad, rmsprop, adam, adamw, adamax, nadam, radam, adadelta, amsgrad, got 'lamb'",
        ),
        (
            ["vgg16", "--convention", "thop"],
            (
                "--convention must be one of cnncount, cs231n, convnet-burden, torchinfo, "
                "torchsummary, flops, ptflops, calflops, keras, got 'thop'"
            ),
        ),
        (
            ["vgg16", "--convention", "ptflops", "--format", "csv"],
            (
                "--optimizer, --budget, --convention, --receptive-field, --roofline "
                "need --format table, markdown or json"
            ),
        ),
        (["vgg16", "--amp", "float8"], "--amp must be one of float16, bfloat16, got 'float8'"),
        (["vgg16", "--device", "tpu"], "--device must be one of cuda, cpu, got 'tpu'"),
        (["vgg16", "--checkpoint", "0"], "--checkpoint must be a positive whole number, got '0'"),
        (
            ["vgg16", "--accumulate", "two"],
            "--accumulate must be a positive whole number, got 'two'",
        ),
        (
            ["vgg16", "--dtype", "float16", "--amp", "bfloat16"],
            "autocast runs a float32 model in bfloat16; the model is in float16",
        ),
        (
            ["vgg16", "--optimizer", "sgd", "--checkpoint", "40"],
            "checkpointing in 40 segments needs 39 places to cut; the network has 20",
        ),
        (
            ["vgg16", "--convention", "torchsummary"],
            (
                "convention 'torchsummary' counts the output of every module PyTorch runs, ReLUs "
                "included, but vgg16 has no activation layer (the paper's notation leaves them "
                "implied): count vgg16-torchvision, which writes it out"
            ),
        ),
        (
            ["vgg16", "--budget", "16 GiBs"],
            "size '16 GiBs': expected a number and a unit such as 16GiB or 500MB",
        ),
        (
            ["vgg16", "--budget", "1GiB", "--optimizer", "adam"],
            (
                "budget 1,073,741,824 bytes is less than the "
                "2,213,720,704 bytes this model needs before its first image"
            ),
        ),
    ],
)
def test_bad_input_gives_one_line_and_status_2(args, message) -> None:
    result = cnncount(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"cnncount: error: {message}\n"


def test_training_memory_parts_add_up_to_the_total() -> None:
    text = run(["vgg16", "--batch", "64", "--optimizer", "adam"])
    lines = text[
        text.index("TRAINING memory, batch of 64, float32, adam optimizer:") :
    ].splitlines()[1:8]
    sizes = {line[:32].strip(): int(line[32:].split("bytes")[0].replace(",", "")) for line in lines}
    assert sizes["total"] == sum(size for name, size in sizes.items() if name != "total")
    assert sizes["optimizer state"] == 2 * sizes["parameters"]


def test_json_carries_the_cost_views() -> None:
    document = json.loads(
        run(
            [
                "vgg16-torchvision",
                "--format",
                "json",
                "--optimizer",
                "sgd",
                "--budget",
                "16GiB",
                "--convention",
                "ptflops",
                "--receptive-field",
            ]
        )
    )
    assert document["training_memory"]["total_bytes"] == sum(
        document["training_memory"]["parts"].values()
    )
    assert document["largest_batch"] > 0 and document["inference_peak_bytes"] > 0
    assert document["convention"] == {
        "name": "ptflops",
        "activation_bytes": None,
        "compute": 15_523_225_576,
    }
    pool5 = next(field for field in document["receptive_fields"] if field["name"] == "features.30")
    assert pool5["size"] == 212
    assert all(row["flops"] == 2 * row["macs"] for row in document["rows"])


def test_budget_without_optimizer_is_for_inference() -> None:
    assert "fits a batch of 632 for inference in float32" in run(["vgg16", "--budget", "16GiB"])


def test_markdown_keeps_the_cost_views_as_text() -> None:
    text = run(["vgg16", "--format", "markdown", "--convention", "torchinfo"])
    assert "```text\nCONVENTION torchinfo" in text and "108.45 MB" in text


def test_receptive_field_view() -> None:
    text = run(["vgg16", "--receptive-field"])
    assert "maxpool5     212    32    15.5" in text


def test_mixed_precision_checkpointing_and_accumulation_in_json() -> None:
    arguments = ["resnet50", "--format", "json", "--batch", "16", "--optimizer", "adamw"]
    plain = json.loads(run(arguments))["training_memory"]
    mixed = json.loads(
        run([*arguments, "--amp", "float16", "--checkpoint", "4", "--accumulate", "4"])
    )
    memory = mixed["training_memory"]
    assert (memory["autocast"], memory["segments"], memory["accumulation"]) == ("float16", 4, 4)
    assert memory["effective_batch"] == 64
    assert memory["parts"]["parameters"] == plain["parts"]["parameters"]
    assert (
        memory["parts"]["autocast weight copies"] > 0
        and "autocast weight copies" not in plain["parts"]
    )
    kept = "activations kept for backward"
    assert memory["parts"][kept] < plain["parts"][kept] / 2
    assert memory["total_bytes"] == sum(memory["parts"].values())
