"""The layer notation: what each token reads as, and how a bad token is reported."""

from __future__ import annotations

import pytest

from cnncount import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    CnncountError,
    Conv2d,
    Dropout,
    Flatten,
    LayerError,
    Linear,
    LocalResponseNorm,
    MaxPool2d,
    ReLU,
    Shape,
    Softmax,
    SpecError,
    parse_layer,
    parse_layers,
    parse_network,
    summarize,
)


@pytest.mark.parametrize(
    ("token", "layer"),
    [
        ("conv3-64", Conv2d(64, 3, padding=1)),
        ("conv1-256", Conv2d(256, 1, padding=0)),
        ("CONV3-64", Conv2d(64, 3, padding=1)),
        ("conv7-64/s2/p3", Conv2d(64, 7, stride=2, padding=3)),
        ("conv3-64/p0", Conv2d(64, 3)),
        ("conv3-64/same", Conv2d(64, 3, padding="same")),
        ("conv3-64/d2", Conv2d(64, 3, padding=2, dilation=2)),
        ("conv3-256/g32/nobias", Conv2d(256, 3, padding=1, groups=32, bias=False)),
        ("maxpool", MaxPool2d(2)),
        ("maxpool3/s2/p1", MaxPool2d(3, stride=2, padding=1)),
        ("maxpool3/s2/ceil", MaxPool2d(3, stride=2, ceil_mode=True)),
        ("avgpool7/s1", AvgPool2d(7, stride=1)),
        ("adaptiveavgpool7", AdaptiveAvgPool2d(7)),
        ("adaptiveavgpool6x4", AdaptiveAvgPool2d(6, 4)),
        ("gap", AdaptiveAvgPool2d(1)),
        ("FC-4096", Linear(4096)),
        ("fc-10/nobias", Linear(10, bias=False)),
        ("LRN", LocalResponseNorm(5)),
        ("lrn3", LocalResponseNorm(3)),
        ("bn", BatchNorm2d()),
        ("batchnorm", BatchNorm2d()),
        ("relu", ReLU()),
        ("dropout", Dropout(0.5)),
        ("dropout0.2", Dropout(0.2)),
        ("soft-max", Softmax()),
        ("softmax", Softmax()),
        ("flatten", Flatten()),
    ],
)
def test_token_reads_as_layer(token, layer) -> None:
    assert parse_layer(token) == layer


@pytest.mark.parametrize(
    "token",
    [
        "conv3-64",
        "conv7-64/s2",
        "conv3-64/p0",
        "conv3-64/same",
        "conv3-64/d2",
        "conv3-64/p0/g64/nobias",
        "maxpool",
        "maxpool3/s2/p1/ceil",
        "avgpool7/s1",
        "gap",
        "adaptiveavgpool7",
        "FC-10/nobias",
        "LRN",
        "bn",
        "relu",
        "dropout",
        "dropout0.2",
        "soft-max",
        "flatten",
    ],
)
def test_a_layer_writes_back_its_token(token) -> None:
    assert str(parse_layer(token)) == token


def test_separators_are_spaces_commas_and_new_lines() -> None:
    assert parse_layers("conv3-64,conv3-64\nmaxpool\t FC-10") == [
        Conv2d(64, 3, padding=1),
        Conv2d(64, 3, padding=1),
        MaxPool2d(),
        Linear(10),
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "conv3-64 conv3-6x4",
            "spec token 2 'conv3-6x4' (column 10): channels must be a whole number, got '6x4'",
        ),
        (
            "conv3",
            "spec token 1 'conv3' (column 1): expected conv<kernel>-<channels>, e.g. conv3-64 or conv1x7-192",
        ),
        ("conv0-64", "spec token 1 'conv0-64' (column 1): kernel_size must be positive, got 0"),
        ("conv3-0", "spec token 1 'conv3-0' (column 1): out_channels must be positive, got 0"),
        (
            "conv3-64/g3",
            "spec token 1 'conv3-64/g3' (column 1): output channels 64 not divisible by groups 3",
        ),
        ("conv3-64/s0", "spec token 1 'conv3-64/s0' (column 1): stride must be positive, got 0"),
        (
            "conv3-64/x2",
            "spec token 1 'conv3-64/x2' (column 1): unknown option 'x' for conv; options: s, p, same, d, g, nobias",
        ),
        ("conv3-64/s2/s3", "spec token 1 'conv3-64/s2/s3' (column 1): repeated option 's3'"),
        ("conv3-64/", "spec token 1 'conv3-64/' (column 1): malformed option ''"),
        (
            "conv3-64/same/p1",
            "spec token 1 'conv3-64/same/p1' (column 1): give either 'same' or a padding p<pixels>, not both",
        ),
        (
            "conv3-64/nobias2",
            "spec token 1 'conv3-64/nobias2' (column 1): option 'nobias' takes no value, got 'nobias2'",
        ),
        (
            "maxpool3/p2",
            "spec token 1 'maxpool3/p2' (column 1): padding must be from 0 to half the kernel 3, got 2",
        ),
        (
            "maxpool/d2",
            "spec token 1 'maxpool/d2' (column 1): unknown option 'd' for maxpool; options: s, p, ceil",
        ),
        ("FC-", "spec token 1 'FC-' (column 1): features must be a whole number, got ''"),
        (
            "FC-10/g2",
            "spec token 1 'FC-10/g2' (column 1): unknown option 'g' for FC; options: nobias",
        ),
        (
            "relu7",
            (
                "spec token 1 'relu7' (column 1): unexpected '7' after 'relu'; expected conv<kernel>-<channels>, "
                "convt<kernel>-<channels>, stdconv<kernel>-<channels>, local<kernel>-<channels>, maxpool, avgpool, gap, adaptiveavgpool<size>, FC-<features>, "
                "linear-<features>, LRN, bn, ln, gn<groups>, instancenorm, grn, layerscale, relu, relu6, leakyrelu, elu, selu, mish, softplus, prelu, silu, hardswish, "
                "hardsigmoid, "
                "sigmoid, tanh, gelu, dropout, dropout2d, droppath<p>, soft-max, log-soft-max, flatten, shuffle<groups>, chunk<i>of<n>, "
                "upsample<scale>, resize<size>, patch<size>-<dim>, classtoken, posembed, mha<heads>, cls, "
                "pad<pixels>, reflectpad<pixels>, replicatepad<pixels>, rescale<scale>, normalize, tokens, wmsa<heads>-<window>, "
                "cosmsa<heads>-<window>, relmsa<heads>-<size>, s2d, partition<size>, "
                "departition<size>/rows<n> or swapaxes"
            ),
        ),
        (
            "conv3-64 | conv3-64",
            "spec token 2 '|' (column 10): branches make a graph: read this spec with parse_network",
        ),
        (
            "dropoutx",
            "spec token 1 'dropoutx' (column 1): dropout probability must be a number, got 'x'",
        ),
        (
            "dropout2",
            "spec token 1 'dropout2' (column 1): dropout probability must be from 0 to 1, got 2.0",
        ),
        ("gap/s2", "spec token 1 'gap/s2' (column 1): unknown option 's' for gap; options: none"),
        (
            "conv3-64 banana",
            (
                "spec token 2 'banana' (column 10): unknown layer; expected conv<kernel>-<channels>, "
                "convt<kernel>-<channels>, stdconv<kernel>-<channels>, local<kernel>-<channels>, maxpool, avgpool, gap, adaptiveavgpool<size>, FC-<features>, "
                "linear-<features>, LRN, bn, ln, gn<groups>, instancenorm, grn, layerscale, relu, relu6, leakyrelu, elu, selu, mish, softplus, prelu, silu, hardswish, "
                "hardsigmoid, "
                "sigmoid, tanh, gelu, dropout, dropout2d, droppath<p>, soft-max, log-soft-max, flatten, shuffle<groups>, chunk<i>of<n>, "
                "upsample<scale>, resize<size>, patch<size>-<dim>, classtoken, posembed, mha<heads>, cls, "
                "pad<pixels>, reflectpad<pixels>, replicatepad<pixels>, rescale<scale>, normalize, tokens, wmsa<heads>-<window>, "
                "cosmsa<heads>-<window>, relmsa<heads>-<size>, s2d, partition<size>, "
                "departition<size>/rows<n> or swapaxes"
            ),
        ),
        ("conv3-²", "spec token 1 'conv3-²' (column 1): channels must be a whole number, got '²'"),
    ],
)
def test_a_malformed_spec_points_at_its_token(spec, message) -> None:
    with pytest.raises(SpecError) as caught:
        parse_layers(spec)
    assert str(caught.value) == message


def test_an_empty_spec_is_refused() -> None:
    with pytest.raises(CnncountError, match="spec is empty"):
        parse_layers(" , \n")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "conv3-64 ( conv3-64 | conv3-64",
            "spec token 2 '(' (column 10): this '(' is never closed by ')add', ')cat' or ')mul'",
        ),
        (
            "conv3-64 ( conv3-64 | conv3-64 )sum",
            "spec token 6 ')sum' (column 32): expected '|', ')add', ')cat' or ')mul'",
        ),
        (
            "conv3-64 ( conv3-64 )add",
            "spec token 2 '(' (column 10): a group needs two or more branches, separated by '|'",
        ),
        ("conv3-64 | conv3-64", "spec token 2 '|' (column 10): '|' outside a group"),
        ("conv3-64 )add", "spec token 2 ')add' (column 10): ')add' outside a group"),
        (
            "( conv3-64 | conv3-6x )cat",
            "spec token 4 'conv3-6x' (column 14): channels must be a whole number, got '6x'",
        ),
    ],
)
def test_a_malformed_graph_spec_points_at_its_token(spec, message) -> None:
    with pytest.raises(SpecError) as caught:
        parse_network(spec)
    assert str(caught.value) == message


def test_branches_that_do_not_meet_name_both_shapes() -> None:
    network = parse_network("conv3-64 ( conv3-128/s2 | )add", Shape(3, 32, 32))
    with pytest.raises(LayerError) as caught:
        summarize(network)
    assert str(caught.value) == (
        "layer 3 add1 (add): cannot add branches of different shapes: "
        "branch 'conv2' gives 128x16x16 but branch 'conv1' gives 64x32x32"
    )


def test_concatenated_branches_sum_their_channels() -> None:
    summary = summarize(
        parse_network(
            "conv1-64 ( conv1-16 | conv3-32 | maxpool3/s1/p1 conv1-8 )cat", Shape(3, 28, 28)
        )
    )
    assert summary.rows[-1].output_shape == Shape(56, 28, 28)
    assert summary.rows[-1].inputs == ("conv2", "conv3", "conv4")
