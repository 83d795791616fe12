"""Fuzzing the command line and the notation: every outcome is a valid summary or one clear error.

Thousands of random and mutated specs, sizes and flags, the flags spelled whole, shortened, in
their short form or with ``=``. Whatever comes in, `cnncount` either exits 0 with a summary whose
sizes are all positive, or exits 2 with one line on stderr; never a traceback.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from cnncount.cli import main
from cnncount.models import MODELS

pytestmark = pytest.mark.slow

TOKENS = [
    "conv3-64",
    "conv1-16",
    "conv7-8/s2/p3",
    "conv3-32/g4",
    "conv3-8/d2",
    "conv5-4/same",
    "conv3-8/nobias",
    "maxpool",
    "maxpool3/s2/p1",
    "maxpool3/s2/ceil",
    "avgpool",
    "avgpool7/s1",
    "gap",
    "adaptiveavgpool7",
    "FC-10",
    "FC-4096",
    "FC-10/nobias",
    "LRN",
    "bn",
    "relu",
    "relu6",
    "dropout",
    "soft-max",
    "flatten",
    "conv1x7-8",
    "conv3-8/s2x1/p0x1",
    "convt4-8/s2/p1",
    "convt3-4/s2/op1",
    "linear-16",
    "ln",
    "layerscale",
    "silu",
    "hardswish",
    "hardsigmoid",
    "sigmoid",
    "gelu",
    "droppath0.1",
    "shuffle2",
    "chunk1of2",
    "chunk2of2",
    "patch4-8",
    "classtoken",
    "posembed",
    "mha2",
    "cls",
    "pad1",
    "pad0x1x0x1",
    "rescale0.00392156862745098",
    "rescale1+3",
    "normalize",
    "normalize/constant",
    "bn/noscale",
    "ln/nocenter",
    "(",
    "|",
    ")add",
    ")add/inplace",
    ")cat",
    ")mul",
]
NUMBERS = st.one_of(st.integers(-3, 300), st.sampled_from([0, 1, 2, 10**6, 10**12, 2**63]))


@st.composite
def specs(draw) -> str:
    """A spec of known tokens, some of them with their numbers changed or characters mutated."""
    tokens = draw(st.lists(st.sampled_from(TOKENS), min_size=0, max_size=12))
    text = " ".join(tokens)
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(text)))
        mutation = draw(st.sampled_from(["insert", "delete", "number"]))
        if mutation == "insert":
            text = (
                text[:position]
                + draw(st.sampled_from(list("-/(|)x,.0123456789 ")) | st.characters())
                + text[position:]
            )
        elif mutation == "delete":
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + str(draw(NUMBERS)) + text[position:]
    return text


SIZES = st.one_of(
    st.builds(lambda c, h, w: f"{c}x{h}x{w}", NUMBERS, NUMBERS, NUMBERS),
    st.text(alphabet="0123456789x -", max_size=12),
)
FLAG_VALUES = {
    "--format": st.sampled_from(["table", "markdown", "csv", "json", "notation", "yaml", ""]),
    "--input": SIZES,
    "--batch": st.one_of(NUMBERS.map(str), st.text(max_size=4)),
    "--dtype": st.sampled_from(["float32", "float16", "bfloat16", "int8", "float64"]),
    "--optimizer": st.sampled_from(["sgd", "momentum", "adam", "lamb"]),
    "--budget": st.one_of(
        st.sampled_from(["16GiB", "1GB", "500MB", "1B", "0GiB", "-1GB", "big"]), st.text(max_size=6)
    ),
    "--convention": st.sampled_from(
        [
            "cnncount",
            "cs231n",
            "convnet-burden",
            "torchinfo",
            "torchsummary",
            "flops",
            "ptflops",
            "calflops",
            "keras",
        ]
    ),
}


SHORT = {"--format": "-f", "--input": "-i", "--batch": "-b", "--dtype": "-d"}


@st.composite
def spelled(draw, flag: str, value: str) -> list[str]:
    """``flag`` and ``value`` as a user may write them: whole, shortened (perhaps ambiguously), as
    its short form, with ``=`` or glued to the short form."""
    name = draw(
        st.sampled_from([flag, SHORT.get(flag, flag), flag[: draw(st.integers(3, len(flag)))]])
    )
    if draw(st.booleans()):
        return [name, value]
    return [f"{name}={value}" if name.startswith("--") else name + value]


@st.composite
def command_lines(draw) -> list[str]:
    target = draw(st.one_of(specs(), st.sampled_from(list(MODELS)), st.text(max_size=10)))
    args = [target] if draw(st.booleans()) else target.split()
    for flag in draw(st.lists(st.sampled_from(list(FLAG_VALUES)), max_size=4, unique=True)):
        args += draw(spelled(flag, draw(FLAG_VALUES[flag])))
    if draw(st.integers(0, 9)) == 0:
        args.append(
            draw(st.sampled_from(["--receptive-field", "--list", "--help", "--bogus", "--", "-x"]))
        )
    return args


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


def assert_clear_outcome(args: list[str], status: int, out: str, err: str) -> None:
    event(f"exit status {status}")
    assert "Traceback" not in out + err
    if status == 2:
        assert out == ""
        assert (
            err.startswith("cnncount: error: ") and err.endswith("\n") and err.count("\n") == 1
        ), err
        return
    assert status == 0 and err == "", (args, status, err)
    assert out


def assert_sizes_positive(document: dict) -> None:
    for row in document["rows"]:
        assert all(size > 0 for size in row["output_shape"]), row
        assert all(
            row[count] >= 0
            for count in ("activations", "weights", "biases", "params", "buffers", "macs")
        )
    assert document["totals"]["params"] == sum(row["params"] for row in document["rows"])


@settings(
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(specs(), st.sampled_from(["3x224x224", "3x32x32", "1x7x7", "16x1x1"]))
@example(spec="-linear-16", size="3x224x224")  # once read as -l -i near-16, the models listed
def test_fuzzed_specs(spec, size) -> None:
    args = [spec, "--input", size, "--format", "json"]
    status, out, err = run_cli(args)
    assert_clear_outcome(args, status, out, err)
    if status == 0:
        assert_sizes_positive(json.loads(out))


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command_lines())
def test_fuzzed_command_lines(args) -> None:
    status, out, err = run_cli(args)
    assert_clear_outcome(args, status, out, err)
    if status == 0 and "json" in args and "--help" not in args and "--list" not in args:
        assert_sizes_positive(json.loads(out))
