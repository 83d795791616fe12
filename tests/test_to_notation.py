"""Writing a network back in the notation: every network read back has the same layers, shapes
and counts, row by row, or is refused with one line naming the node at fault."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cnncount import (
    Builder,
    LayerError,
    Network,
    Shape,
    SpecError,
    layers,
    parse_layer,
    parse_network,
)
from cnncount.cli import main, run
from cnncount.errors import CnncountError, NotationError
from cnncount.layers import LAYERS, Layer
from cnncount.layers.merge import Merge
from cnncount.models import MODELS, get_model
from cnncount.notation import MAX_DEPTH, closing_token
from cnncount.readers import read_model
from cnncount.summary import summarize

DATA = Path(__file__).parent / "data"

EXAMPLES: list[Layer] = [
    layers.AdaptiveAvgPool2d(1),
    layers.AdaptiveAvgPool2d(6, 4),
    layers.AvgPool2d(3, stride=1, padding=1, ceil_mode=True),
    layers.BatchNorm2d(),
    layers.BatchNorm2d(scale=False),
    layers.BatchNorm2d(scale=False, center=False),
    layers.ChannelChunk(3, 2),
    layers.ChannelShuffle(4),
    layers.ClassToken(),
    layers.ClassTokenReadout(),
    layers.Conv2d(64, (1, 7), stride=(2, 1), padding=(0, 2), dilation=(1, 2), groups=4, bias=False),
    layers.Conv2d(8, 3, stride=2, padding="same"),
    layers.ConvTranspose2d(16, 3, stride=2, padding=1, output_padding=1, dilation=2, bias=False),
    layers.Dropout(0.2),
    layers.Dropout(1 / 3),
    layers.Flatten(),
    layers.GELU(),
    layers.GELU(tanh=True),
    layers.ELU(0.5),
    layers.SELU(),
    layers.Mish(),
    layers.Dropout2d(0.25),
    layers.InstanceNorm2d(affine=True),
    layers.InstanceNorm2d(running=True),
    layers.Softplus(2),
    layers.PReLU(),
    layers.PReLU(channels=True),
    layers.Hardsigmoid(),
    layers.Hardswish(),
    layers.LayerNorm(center=False),
    layers.LayerScale(),
    layers.Linear(10, bias=False),
    layers.LocalResponseNorm(3),
    layers.LocallyConnected2d(96, 11, stride=4, bias=False),
    layers.MaxPool2d(3, stride=2, padding=1),
    layers.MultiheadAttention(12, bias=False),
    layers.Normalization(),
    layers.Normalization(stored=False),
    layers.PatchEmbedding(768, 16, bias=False),
    layers.PositionEmbedding(),
    layers.PositionwiseLinear(3072),
    layers.ReLU(),
    layers.ReLU6(),
    layers.Rescaling(1 / 127.5, -1.0),
    layers.Rescaling(1e-05, 3.0),
    layers.Rescaling(-2.0, -1e-05),
    layers.SiLU(),
    layers.Sigmoid(),
    layers.Softmax(),
    layers.StochasticDepth(0.1 / 17),
    layers.Tanh(),
    layers.ZeroPad2d(0, 1, 0, 1),
    layers.ZeroPad2d(3, 3, 3, 3),
    layers.ReflectionPad2d(3, 3, 3, 3),
    layers.ReplicationPad2d(0, 1, 2, 0),
    layers.LayerScale(bias=True),
    layers.MapToTokens(),
    layers.WindowAttention(3, 7, shift=3),
    layers.WindowAttention(4, (7, 5), bias=False),
    layers.CosineWindowAttention(3, 8, shift=4, hidden=256),
    layers.RelativeAttention(2, 7),
    layers.SpaceToDepth(),
    layers.WindowPartition(7),
    layers.WindowDepartition(7, 8),
    layers.SwapAxes(),
    layers.GroupNorm(32),
    layers.GroupNorm(1, affine=False),
    layers.GlobalResponseNorm(),
    layers.Interpolate(scale=2),
    layers.Interpolate(scale=(2, 1), mode="bilinear"),
    layers.Interpolate(size=(7, 9), mode="bicubic"),
    layers.LeakyReLU(),
    layers.LeakyReLU(0.2),
    layers.StdConv2d(64, 7, stride=2, padding=3, bias=False),
    layers.StdConv2d(16, 3, padding=1, gain=True),
]
MERGES: list[Merge] = [layers.Add(), layers.Add(in_place=True), layers.Concat(), layers.Multiply()]


def structure(network: Network) -> list[tuple[Layer, tuple[int, ...]]]:
    """Each node's layer and the positions of the nodes it reads (-1 for the input): the graph
    without its names."""
    position = {node.name: index for index, node in enumerate(network.nodes)} | {"input": -1}
    return [(node.layer, tuple(position[name] for name in node.inputs)) for node in network.nodes]


def rows(network: Network) -> list[tuple[object, ...]]:
    """Each row of the summary but its name and the names it reads."""
    return [
        (row.kind, row.layer, row.input_shape, row.output_shape, row.weight_factors)
        + tuple(getattr(row, count) for count in ("activations", "weights", "biases", "buffers"))
        + (row.params, row.macs)
        for row in summarize(network).rows
    ]


def round_trips(network: Network) -> bool:
    """Return whether ``network`` reads back from its notation to the same graph and rows; raise
    :class:`NotationError` where it cannot be written."""
    back = parse_network(network.to_notation(), network.input_shape)
    return structure(back) == structure(network) and rows(back) == rows(network)


def refusals(networks: dict[str, Network]) -> dict[str, str]:
    """Return the networks refused, with their messages; fail on any that reads back otherwise."""
    refused = {}
    for name, network in networks.items():
        try:
            assert round_trips(network), name
        except NotationError as error:
            assert "\n" not in str(error) and f"network {network.name!r}: node '" in str(error)
            refused[name] = str(error)
    return refused


def test_the_examples_cover_every_layer_kind() -> None:
    kinds = {type(layer).__name__ for layer in EXAMPLES + MERGES} | {"Merge"}
    assert kinds == set(LAYERS)


@pytest.mark.parametrize("layer", EXAMPLES, ids=str)
def test_every_layer_kind_reads_back_from_its_token(layer: Layer) -> None:
    assert parse_layer(str(layer)) == layer


@pytest.mark.parametrize("merge", MERGES, ids=closing_token)
def test_every_merge_reads_back_from_its_closing_token(merge: Merge) -> None:
    assert (
        parse_network(f"( | relu {closing_token(merge)}", Shape(4, 2, 2)).nodes[-1].layer == merge
    )


@pytest.mark.parametrize(
    ("token", "layer"),
    [
        ("pad2", layers.ZeroPad2d(2, 2, 2, 2)),
        ("PAD0x1x0x1", layers.ZeroPad2d(0, 1, 0, 1)),
        ("rescale0.5", layers.Rescaling(0.5)),
        ("rescale2+3", layers.Rescaling(2.0, 3.0)),
        ("rescale1E-05-1", layers.Rescaling(1e-05, -1.0)),
        ("normalize", layers.Normalization()),
        ("normalize/constant", layers.Normalization(stored=False)),
        ("batchnorm/nocenter", layers.BatchNorm2d(center=False)),
        ("ln/noscale/nocenter", layers.LayerNorm(scale=False, center=False)),
    ],
)
def test_the_tokens_that_say_padding_scaling_and_norms_without_affine(token, layer) -> None:
    assert parse_layer(token) == layer


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "pad1x2",
            "spec token 1 'pad1x2' (column 1): expected pad<pixels> or pad<top>x<bottom>x<left>x<right>, got '1x2'",
        ),
        (
            "rescale",
            "spec token 1 'rescale' (column 1): expected rescale<scale>, rescale<scale>+<offset> or rescale<scale>-<offset>, got ''",
        ),
        (
            "normalize/stored",
            "spec token 1 'normalize/stored' (column 1): unknown option 'stored' for normalize; options: constant",
        ),
        (
            "bn/noshift",
            "spec token 1 'bn/noshift' (column 1): unknown option 'noshift' for bn; options: noscale, nocenter",
        ),
        (
            "( | relu )cat/inplace",
            "spec token 4 ')cat/inplace' (column 10): unknown option 'inplace' for )cat; options: none",
        ),
    ],
)
def test_a_bad_new_token_is_named(spec: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        parse_network(spec)
    assert str(error.value) == message


def test_the_built_in_models_round_trip_but_densenets() -> None:
    refused = refusals({name: get_model(name) for name in MODELS})
    assert set(refused) == {"densenet121", "densenet161"}
    assert all("(concat) reads 'features.pool0' and" in message for message in refused.values())


def keras_models() -> dict[str, Network]:
    paths = sorted(DATA.glob("keras/*.keras")) + [
        path for path in sorted(DATA.glob("keras/*.json")) if path.name != "counts.json"
    ]
    return {
        path.name: read_model(str(path), Shape(3, 224, 224) if "V3Small" in path.name else None)
        for path in paths
    }


def test_the_keras_fixtures_round_trip_but_those_whose_branches_interleave() -> None:
    networks = keras_models()
    refused = refusals(networks)
    assert len(networks) == 13
    assert set(refused) == {
        "InceptionV3.config.json",
        "ResNet50.config.json",
        "Xception.config.json",
    }
    assert all("the notation writes a group's branches one after" in m for m in refused.values())


def test_the_onnx_fixtures_round_trip() -> None:
    pytest.importorskip("onnx", reason="the ONNX reader needs the onnx extra")
    networks = {path.name: read_model(str(path)) for path in sorted(DATA.glob("onnx/*.onnx"))}
    assert len(networks) == 12 and refusals(networks) == {}


@dataclass(frozen=True, slots=True, kw_only=True)
class Unnamed(Layer):
    """A layer kind the notation has no token for."""

    kind = "unnamed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Impostor(Layer):
    """A layer kind whose token is another kind's."""

    kind = "impostor"

    def __str__(self) -> str:
        return "relu"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda net: net.layer(Unnamed(), "odd"),
            "node 'odd' (Unnamed()) is a Unnamed, which the notation has no token for",
        ),
        (
            lambda net: net.layer(Impostor(), "odd"),
            "node 'odd' (relu) writes a token that reads back as ReLU(), not Impostor()",
        ),
        (
            lambda net: (net.layer(layers.ReLU(), "a"), net.layer(layers.ReLU(), "b", "input")),
            "node 'a' (relu) is read by no later node, and the notation writes no branch that no merge closes",
        ),
        (
            lambda net: (
                net.layer(layers.ReLU(), "a"),
                net.layer(layers.ReLU(), "b"),
                net.layer(layers.Tanh(), "c", "a"),
                net.merge(layers.Add(), ["b", "input"], "add"),
            ),
            "node 'add' (add) reads 'b' and 'input' and merges branches that do not all start at one node, which is all a group can say",
        ),
        (
            lambda net: (
                net.layer(layers.ReLU(), "a"),
                net.layer(layers.Tanh(), "b", "input"),
                net.merge(layers.Add(), ["b", "a"], "add"),
            ),
            "node 'add' (add) reads 'b' and 'a' and takes its branches in another order than they run, 'a' and 'b': the notation writes a group's branches one after another, then its merge",
        ),
        (
            lambda net: (
                net.layer(layers.ReLU(), "a"),
                net.layer(layers.Tanh(), "b", "input"),
                net.layer(layers.ReLU(), "a2", "a"),
                net.merge(layers.Add(), ["a2", "b"], "add"),
            ),
            "node 'b' (tanh) comes between 'a' and 'a2', which reads it: the notation writes a group's branches one after another, then its merge",
        ),
        (
            lambda net: (
                net.layer(layers.ReLU(), "a"),
                net.merge(layers.Concat(), ["input", "a"], "cat1"),
                net.layer(layers.ReLU(), "b"),
                net.merge(layers.Concat(), ["input", "a", "b"], "cat2"),
            ),
            "node 'cat1' (concat) reads 'input' and 'a' and merges branches that do not all start at one node, which is all a group can say",
        ),
    ],
    ids=["no token", "another's token", "dead end", "stray merge", "order", "interleaved", "dense"],
)
def test_a_refusal_names_the_node_at_fault(build, message: str) -> None:
    net = Builder("net", Shape(4, 8, 8))
    build(net)
    with pytest.raises(NotationError) as error:
        net.build().to_notation()
    assert str(error.value) == f"network 'net': {message}"


def test_a_group_that_begins_a_branch_of_a_group_from_the_same_node_is_written() -> None:
    net = Builder("net", Shape(4, 8, 8))
    net.layer(layers.ReLU(), "a")
    net.merge(layers.Add(), ["a", "input"], "add")
    net.merge(layers.Concat(), ["add", "input"], "cat")
    assert net.build().to_notation() == "( ( relu | )add | )cat"
    assert round_trips(net.build())


def nested(depth: int) -> Network:
    """Residual blocks nested ``depth`` deep: ``( relu ( relu ... | )add | )add``."""
    net, sources, end = Builder("nested", Shape(4, 8, 8)), [], "input"
    for number in range(depth):
        sources.append(end)
        end = net.layer(layers.ReLU(), f"relu{number}", end)
    for number in reversed(range(depth)):
        end = net.merge(layers.Add(), [end, sources[number]], f"add{number}")
    return net.build()


def test_groups_nest_as_deep_as_a_spec_reads_them() -> None:
    assert round_trips(nested(MAX_DEPTH))
    with pytest.raises(NotationError) as error:
        nested(MAX_DEPTH + 1).to_notation()
    assert str(error.value) == (
        "network 'nested': node 'add0' (add) reads 'add1' and 'input' and closes groups nested "
        "deeper than 64, which a spec cannot nest"
    )


def test_a_network_without_layers_is_refused() -> None:
    with pytest.raises(NotationError, match="network 'empty' has no layers"):
        Network("empty", Shape(3, 8, 8), []).to_notation()


PAIRS = st.integers(1, 4) | st.tuples(st.integers(1, 4), st.integers(1, 4))
NUMBERS = st.floats(allow_nan=False, allow_infinity=False, width=64)


@given(
    layer=st.one_of(
        st.builds(
            layers.Conv2d,
            st.integers(1, 8).map(lambda c: 4 * c),
            PAIRS,
            stride=PAIRS,
            padding=st.integers(0, 3)
            | st.tuples(st.integers(0, 3), st.integers(0, 3))
            | st.just("same"),
            dilation=PAIRS,
            groups=st.sampled_from([1, 2, 4]),
            bias=st.booleans(),
        ),
        st.builds(
            layers.LocallyConnected2d,
            st.integers(1, 9),
            PAIRS,
            PAIRS,
            st.integers(0, 2),
            st.booleans(),
        ),
        st.builds(
            layers.ConvTranspose2d,
            st.integers(1, 9),
            PAIRS,
            stride=st.integers(2, 4),
            padding=PAIRS,
            output_padding=st.integers(0, 1),
        ),
        st.builds(
            layers.MaxPool2d, st.integers(2, 6), st.integers(1, 4), st.integers(0, 1), st.booleans()
        ),
        st.builds(
            layers.AvgPool2d, st.integers(2, 6), st.integers(1, 4), st.integers(0, 1), st.booleans()
        ),
        st.builds(layers.Dropout, st.floats(0, 1)),
        st.builds(layers.StochasticDepth, st.floats(0, 1)),
        st.builds(layers.Rescaling, NUMBERS, NUMBERS),
        st.builds(layers.ZeroPad2d, *[st.integers(0, 3)] * 4),
        st.builds(layers.ReflectionPad2d, *[st.integers(0, 3)] * 4),
        st.builds(layers.ReplicationPad2d, *[st.integers(0, 3)] * 4),
        st.builds(layers.ChannelChunk, st.just(5), st.integers(0, 4)),
        st.builds(layers.LocalResponseNorm, st.integers(1, 9)),
        st.builds(layers.AdaptiveAvgPool2d, st.integers(1, 9), st.integers(1, 9)),
    )
)
def test_a_layer_with_any_values_reads_back_from_its_token(layer: Layer) -> None:
    assert parse_layer(str(layer)) == layer


TOKENS = st.sampled_from(
    [str(layer) for layer in EXAMPLES if layer.category not in ("embedding", "reshape")]
    + ["conv3-8", "conv1-4/s2", "maxpool", "avgpool3/s1/p1", "bn", "relu", "gap", "FC-6"]
)


@st.composite
def specs(draw, depth: int = 0) -> str:
    """A spec of layers and groups, some nested, some with an empty branch."""
    parts = []
    for _ in range(draw(st.integers(0 if depth else 1, 4))):
        if depth < 3 and draw(st.integers(0, depth + 1)) == 0:
            branches = draw(st.lists(specs(depth + 1) | st.just(""), min_size=2, max_size=3))
            closing = draw(st.sampled_from([")add", ")add/inplace", ")cat", ")mul"]))
            parts.append("( " + " | ".join(branches) + f" {closing}")
        else:
            parts.append(draw(TOKENS))
    return " ".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(spec=specs(), channels=st.sampled_from([4, 8, 12]), size=st.integers(4, 24))
def test_every_network_the_notation_writes_reads_back_the_same(spec, channels, size) -> None:
    network = parse_network(spec, Shape(channels, size, size))
    try:
        summarize(network)
    except LayerError:
        event("does not fit")
        return  # a spec whose layers do not fit: nothing to count
    event(f"{spec.count('(')} groups" if "(" in spec else "a chain")
    assert round_trips(network)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), count=st.integers(1, 10))
def test_a_random_graph_round_trips_or_is_refused(data, count) -> None:
    """Nodes reading the last node or any earlier one, merges of the last and one or two others:
    written exactly, or refused."""
    net = Builder("random", Shape(4, 8, 8))
    names = ["input"]
    for number in range(count):
        earlier = st.sampled_from(names)
        if len(names) > 1 and data.draw(st.booleans()):
            sources = [names[-1], *data.draw(st.lists(earlier, min_size=1, max_size=2))]
            merge = data.draw(st.sampled_from(MERGES))
            names.append(net.merge(merge, data.draw(st.permutations(sources)), f"merge{number}"))
        else:
            source = data.draw(st.just(names[-1]) | earlier)
            layer = data.draw(st.sampled_from([layers.ReLU(), layers.Conv2d(4, 3, padding=1)]))
            names.append(net.layer(layer, f"node{number}", source))
    network = net.build()
    try:
        back = parse_network(network.to_notation(), network.input_shape)
        assert structure(back) == structure(network)
        event("written")
        try:
            assert rows(back) == rows(network)
        except LayerError:  # a concatenation's channels that a later merge does not fit
            event("written, does not fit")
    except NotationError as error:
        event("refused")
        assert str(error).startswith("network 'random': node '") and "\n" not in str(error)


def cnncount(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cnncount`` with ``args`` and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "cnncount", *args], capture_output=True, text=True, check=False
    )


def test_the_printed_notation_reads_back_to_the_same_table() -> None:
    command = f"{shlex.quote(sys.executable)} -m cnncount"
    shell = f'{command} "$({command} vgg16 --format notation)"'
    read_back = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=True)
    assert read_back.stdout == cnncount("vgg16").stdout
    assert cnncount("vgg16", "--format", "notation").stdout.splitlines()[0] == (
        "conv3-64 conv3-64 maxpool"
    )


def test_the_printed_notation_reads_back_to_the_same_rows() -> None:
    notation = cnncount("resnet50", "-f", "notation").stdout
    written, read = (cnncount(*words, "-f", "json").stdout for words in (["resnet50"], [notation]))
    strip = ("name", "inputs")
    assert [
        {key: value for key, value in row.items() if key not in strip}
        for row in json.loads(read)["rows"]
    ] == [
        {key: value for key, value in row.items() if key not in strip}
        for row in json.loads(written)["rows"]
    ]


def test_an_unsayable_network_is_one_line_and_exit_status_2(capsys) -> None:
    assert main(["densenet121", "--format", "notation"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cnncount: error: network 'densenet121': node 'features.denseblock1.")
    assert err.count("\n") == 1


def test_the_notation_format_takes_no_view() -> None:
    with pytest.raises(CnncountError, match="need --format table, markdown or json"):
        run(["vgg16", "--format", "notation", "--optimizer", "adam"])
