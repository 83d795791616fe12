"""The layers of modern networks: shapes, counts, facts and refusals, as tables of (layer, input,
expected), and each in the notation and the Builder."""

from __future__ import annotations

import pytest

from cnncount import (
    ELU,
    GELU,
    SELU,
    Add,
    Builder,
    ChannelChunk,
    ChannelShuffle,
    ClassToken,
    ClassTokenReadout,
    Conv2d,
    ConvTranspose2d,
    CosineWindowAttention,
    Dropout2d,
    GlobalResponseNorm,
    GroupNorm,
    Hardsigmoid,
    Hardswish,
    InstanceNorm2d,
    Interpolate,
    LayerError,
    LayerNorm,
    LayerScale,
    LeakyReLU,
    MapToTokens,
    Mish,
    MultiheadAttention,
    Multiply,
    PatchEmbedding,
    PositionEmbedding,
    PositionwiseLinear,
    PReLU,
    ReflectionPad2d,
    RelativeAttention,
    ReplicationPad2d,
    Shape,
    Sigmoid,
    SiLU,
    Softplus,
    SpaceToDepth,
    SpecError,
    StdConv2d,
    StochasticDepth,
    SwapAxes,
    Tanh,
    WindowAttention,
    WindowDepartition,
    WindowPartition,
    parse_layer,
    parse_network,
    summarize,
)
from cnncount.layers.base import CATEGORIES
from cnncount.layers.windows import Window
from cnncount.receptive import receptive_fields

TOKENS = Shape(768, 1, 197)
"""ViT-B/16's sequence at 224 x 224: 196 patches and the class token, 768 values each."""


@pytest.mark.parametrize(
    ("layer", "shape", "output", "weights", "biases", "buffers", "macs"),
    [
        (
            Conv2d(192, (7, 1), padding=(3, 0)),
            Shape(128, 17, 17),
            Shape(192, 17, 17),
            172_032,
            192,
            0,
            49_717_248,
        ),
        (Conv2d(8, (1, 3), stride=(2, 1)), Shape(4, 9, 9), Shape(8, 5, 7), 96, 8, 0, 3_360),
        (
            Conv2d(8, 3, dilation=(1, 2), padding=(1, 2)),
            Shape(4, 9, 9),
            Shape(8, 9, 9),
            288,
            8,
            0,
            23_328,
        ),
        (
            ConvTranspose2d(64, 4, stride=2, padding=1),
            Shape(128, 28, 28),
            Shape(64, 56, 56),
            131_072,
            64,
            0,
            102_760_448,
        ),
        (
            ConvTranspose2d(32, 2, stride=2, bias=False),
            Shape(64, 14, 14),
            Shape(32, 28, 28),
            8_192,
            0,
            0,
            1_605_632,
        ),
        (
            ConvTranspose2d(16, 3, stride=2, padding=1, output_padding=1),
            Shape(32, 7, 7),
            Shape(16, 14, 14),
            4_608,
            16,
            0,
            225_792,
        ),
        (
            ConvTranspose2d(
                6,
                (2, 3),
                stride=(2, 1),
                padding=(1, 0),
                output_padding=(1, 0),
                dilation=(1, 2),
                groups=2,
            ),
            Shape(4, 5, 7),
            Shape(6, 9, 11),
            72,
            6,
            0,
            2_520,
        ),
        (SiLU(), Shape(32, 112, 112), Shape(32, 112, 112), 0, 0, 0, 0),
        (Hardswish(), Shape(16, 112, 112), Shape(16, 112, 112), 0, 0, 0, 0),
        (Hardsigmoid(), Shape(72, 1, 1), Shape(72, 1, 1), 0, 0, 0, 0),
        (Sigmoid(), Shape(96, 1, 1), Shape(96, 1, 1), 0, 0, 0, 0),
        (Tanh(), Shape(6, 28, 28), Shape(6, 28, 28), 0, 0, 0, 0),
        (GroupNorm(32), Shape(256, 56, 56), Shape(256, 56, 56), 256, 256, 0, 0),
        (LeakyReLU(0.1), Shape(32, 112, 112), Shape(32, 112, 112), 0, 0, 0, 0),
        (GroupNorm(1, affine=False), Shape(64, 7, 7), Shape(64, 7, 7), 0, 0, 0, 0),
        (GlobalResponseNorm(), Shape(160, 14, 14), Shape(160, 14, 14), 160, 160, 0, 0),
        (Interpolate(scale=2), Shape(64, 14, 14), Shape(64, 28, 28), 0, 0, 0, 0),
        (Interpolate(size=(7, 9), mode="bilinear"), Shape(8, 3, 3), Shape(8, 7, 9), 0, 0, 0, 0),
        (
            StdConv2d(256, 1, bias=False),
            Shape(64, 56, 56),
            Shape(256, 56, 56),
            16_384,
            0,
            0,
            51_380_224,
        ),
        (  # 3*3*3*16 weights and 16 gains; 112*112*16 outputs of 3*3*3 each
            StdConv2d(16, 3, stride=2, padding=1, gain=True),
            Shape(3, 224, 224),
            Shape(16, 112, 112),
            448,
            16,
            0,
            5_419_008,
        ),
        (GELU(), Shape(384, 56, 56), Shape(384, 56, 56), 0, 0, 0, 0),
        (GELU(tanh=True), Shape(384, 56, 56), Shape(384, 56, 56), 0, 0, 0, 0),
        (ELU(), Shape(32, 28, 28), Shape(32, 28, 28), 0, 0, 0, 0),
        (SELU(), Shape(32, 28, 28), Shape(32, 28, 28), 0, 0, 0, 0),
        (Mish(), Shape(32, 28, 28), Shape(32, 28, 28), 0, 0, 0, 0),
        (Dropout2d(0.25), Shape(32, 28, 28), Shape(32, 28, 28), 0, 0, 0, 0),
        (InstanceNorm2d(), Shape(64, 32, 32), Shape(64, 32, 32), 0, 0, 0, 0),
        (ReflectionPad2d(3, 3, 3, 3), Shape(3, 256, 256), Shape(3, 262, 262), 0, 0, 0, 0),
        (ReplicationPad2d(0, 1, 2, 0), Shape(8, 4, 4), Shape(8, 5, 6), 0, 0, 0, 0),
        (InstanceNorm2d(affine=True), Shape(64, 32, 32), Shape(64, 32, 32), 64, 64, 0, 0),
        (InstanceNorm2d(running=True), Shape(64, 32, 32), Shape(64, 32, 32), 0, 0, 128, 0),
        (Softplus(2), Shape(32, 28, 28), Shape(32, 28, 28), 0, 0, 0, 0),
        (PReLU(), Shape(32, 28, 28), Shape(32, 28, 28), 1, 0, 0, 0),  # one slope for the layer
        (PReLU(channels=True), Shape(32, 28, 28), Shape(32, 28, 28), 32, 0, 0, 0),  # one a channel
        (StochasticDepth(0.1), Shape(96, 56, 56), Shape(96, 56, 56), 0, 0, 0, 0),
        (LayerNorm(), Shape(96, 56, 56), Shape(96, 56, 56), 96, 96, 0, 0),
        (LayerNorm(), TOKENS, TOKENS, 768, 768, 0, 0),
        (LayerScale(), Shape(96, 56, 56), Shape(96, 56, 56), 96, 0, 0, 0),
        (LayerScale(bias=True), Shape(96, 56, 56), Shape(96, 56, 56), 96, 96, 0, 0),
        (ChannelShuffle(2), Shape(116, 28, 28), Shape(116, 28, 28), 0, 0, 0, 0),
        (ChannelChunk(2, 0), Shape(116, 28, 28), Shape(58, 28, 28), 0, 0, 0, 0),
        (ChannelChunk(4, 3), Shape(10, 2, 2), Shape(1, 2, 2), 0, 0, 0, 0),
        (
            PositionwiseLinear(384),
            Shape(96, 56, 56),
            Shape(384, 56, 56),
            36_864,
            384,
            0,
            115_605_504,
        ),
        (PositionwiseLinear(3072), TOKENS, Shape(3072, 1, 197), 2_359_296, 3072, 0, 464_781_312),
        (
            PatchEmbedding(768, 16),
            Shape(3, 224, 224),
            Shape(768, 1, 196),
            589_824,
            768,
            0,
            115_605_504,
        ),
        (PatchEmbedding(8, 4, bias=False), Shape(3, 8, 12), Shape(8, 1, 6), 384, 0, 0, 2_304),
        (ClassToken(), Shape(768, 1, 196), TOKENS, 768, 0, 0, 0),
        (PositionEmbedding(), TOKENS, TOKENS, 151_296, 0, 0, 0),
        (ClassTokenReadout(), TOKENS, Shape(768, 1, 1), 0, 0, 0, 0),
        (MultiheadAttention(12), TOKENS, TOKENS, 2_359_296, 3072, 0, 524_391_936),
        (MultiheadAttention(2, bias=False), Shape(8, 3, 4), Shape(8, 3, 4), 256, 0, 0, 5_376),
        (  # Swin-T's first stage: T = 56 * 56 tokens in windows of N = 49, a 13 x 13 bias table
            WindowAttention(3, 7, 3),
            Shape(96, 56, 56),
            Shape(96, 56, 56),
            4 * 96**2 + 13 * 13 * 3,
            4 * 96,
            49**2,
            4 * 3136 * 96**2 + 2 * 3136 * 49 * 96,
        ),
        (  # padded from 5 x 6 to 6 x 8 windows of 3 x 4: T = 48, N = 12, a 5 x 7 table
            WindowAttention(2, (3, 4), (1, 2), bias=False),
            Shape(8, 5, 6),
            Shape(8, 5, 6),
            4 * 8**2 + 5 * 7 * 2,
            0,
            12**2,
            4 * 48 * 8**2 + 2 * 48 * 12 * 8,
        ),
        (  # Swin-V2-T's first stage: the bias MLP 2 -> 512 -> 3 over the 15 x 15 table
            CosineWindowAttention(3, 8, 4),
            Shape(96, 64, 64),
            Shape(96, 64, 64),
            4 * 96**2 + 3 + 2 * 512 + 512 * 3,
            4 * 96 + 512,
            64**2 + 2 * 15 * 15,
            4 * 4096 * 96**2 + 2 * 4096 * 64 * 96 + 15 * 15 * (2 * 512 + 512 * 3),
        ),
        (  # MaxViT-T's first stage: 64 windows of 7 x 7, 2 heads
            RelativeAttention(2, 7),
            Shape(64, 64, 49),
            Shape(64, 64, 49),
            4 * 64**2 + 13 * 13 * 2,
            4 * 64,
            49**2,
            4 * 3136 * 64**2 + 2 * 3136 * 49 * 64,
        ),
        (SpaceToDepth(), Shape(96, 55, 56), Shape(384, 28, 28), 0, 0, 0, 0),
        (WindowPartition(7), Shape(64, 56, 56), Shape(64, 64, 49), 0, 0, 0, 0),
        (WindowDepartition(7, 8), Shape(64, 64, 49), Shape(64, 56, 56), 0, 0, 0, 0),
        (SwapAxes(), Shape(64, 49, 64), Shape(64, 64, 49), 0, 0, 0, 0),
        (MapToTokens(), Shape(768, 14, 14), Shape(768, 1, 196), 0, 0, 0, 0),
    ],
)
def test_layer_counts(layer, shape, output, weights, biases, buffers, macs) -> None:
    assert layer.output_shape(shape) == output
    assert (layer.weights(shape), layer.biases(shape), layer.buffers(shape)) == (
        weights,
        biases,
        buffers,
    )
    assert layer.macs(shape) == macs
    assert layer.params(shape) == weights + biases
    product = 1
    for group in layer.weight_factors(shape):
        for factor in group:
            product *= factor
    assert product == (weights if layer.weight_factors(shape) else 1)


def test_attention_counts_per_token() -> None:
    """4 D² for the projections and 2 N D for Q Kᵀ and A V, per token of N."""
    for tokens in (1, 50, 197, 577):
        shape, dim = Shape(768, 1, tokens), 768
        assert MultiheadAttention(12).macs(shape) == tokens * (4 * dim**2 + 2 * tokens * dim)


def test_a_positionwise_linear_counts_as_a_1x1_convolution() -> None:
    for shape in (Shape(96, 56, 56), TOKENS):
        linear, conv = PositionwiseLinear(384), Conv2d(384, 1)
        assert (linear.params(shape), linear.macs(shape), linear.output_shape(shape)) == (
            conv.params(shape),
            conv.macs(shape),
            conv.output_shape(shape),
        )


def test_squeeze_and_excitation_multiplies_a_gate_by_the_map() -> None:
    assert Multiply().output_shape_of(
        [Shape(96, 1, 1), Shape(96, 56, 56)], ["gate", "map"]
    ) == Shape(96, 56, 56)
    assert Multiply().output_shape_of([Shape(96, 56, 56), Shape(96, 56, 56)], ["a", "b"]) == Shape(
        96, 56, 56
    )
    assert Multiply().output_shape_of(
        [Shape(1, 1, 7), Shape(4, 5, 1), Shape(1, 5, 7)], ["a", "b", "c"]
    ) == Shape(4, 5, 7)
    with pytest.raises(LayerError) as caught:
        Multiply().output_shape_of(
            [Shape(96, 1, 1), Shape(96, 4, 4), Shape(96, 5, 5)], ["gate", "a", "b"]
        )
    assert str(caught.value) == (
        "cannot multiply branches whose sizes differ other than by 1: "
        "branch 'a' gives 96x4x4 but branch 'b' gives 96x5x5"
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Conv2d(64, (3, 0)), "kernel_size must be positive, got (3, 0)"),
        (lambda: Conv2d(64, (3, 3, 3)), "kernel_size must be positive, got (3, 3, 3)"),
        (lambda: Conv2d(64, 3, stride=(1, 0)), "stride must be positive, got (1, 0)"),
        (
            lambda: Conv2d(64, 3, padding=(1, -1)),
            "padding must be 'same' or at least 0, got (1, -1)",
        ),
        (
            lambda: Conv2d(64, 3, padding="valid"),
            "padding must be 'same' or at least 0, got 'valid'",
        ),
        (lambda: Conv2d(64, 3, dilation=(0, 1)), "dilation must be positive, got (0, 1)"),
        (
            lambda: ConvTranspose2d(64, 3, stride=2, output_padding=2),
            "output padding 2 must be smaller than the stride 2 or the dilation 1",
        ),
        (
            lambda: ConvTranspose2d(64, 3, stride=(2, 1), output_padding=(1, 1)),
            "output padding 1 must be smaller than the stride 2x1 or the dilation 1",
        ),
        (lambda: ConvTranspose2d(64, 3, groups=3), "output channels 64 not divisible by groups 3"),
        (lambda: ConvTranspose2d(64, 3, padding=-1), "padding must be at least 0, got -1"),
        (lambda: StochasticDepth(1.5), "drop path probability must be from 0 to 1, got 1.5"),
        (lambda: ChannelShuffle(0), "groups must be positive, got 0"),
        (lambda: ChannelChunk(2, 2), "chunk index 2 must be below the 2 chunks"),
        (lambda: ChannelChunk(0, 0), "chunks must be positive, got 0"),
        (lambda: PositionwiseLinear(0), "out_features must be positive, got 0"),
        (lambda: PatchEmbedding(768, 0), "patch_size must be positive, got 0"),
        (lambda: MultiheadAttention(0), "heads must be positive, got 0"),
    ],
)
def test_invalid_arguments_are_refused_with_the_values(make, message) -> None:
    with pytest.raises(LayerError) as caught:
        make()
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (Conv2d(8, (1, 7)), Shape(3, 8, 5), "kernel 1x7 with padding 0 does not fit input 8x5"),
        (
            Conv2d(8, (3, 1), padding=(0, 1), dilation=(2, 1)),
            Shape(3, 4, 4),
            "kernel 3x1 (dilation 2x1, extent 5x1) with padding 0x1 does not fit input 4x4",
        ),
        (
            ConvTranspose2d(8, 3, padding=2),
            Shape(4, 1, 1),
            "kernel 3 with padding 2 leaves no output from input 1x1",
        ),
        (
            ConvTranspose2d(8, 3, groups=2),
            Shape(3, 4, 4),
            "input channels 3 not divisible by groups 2",
        ),
        (ChannelShuffle(3), Shape(116, 28, 28), "input channels 116 not divisible by groups 3"),
        (GroupNorm(32), Shape(100, 8, 8), "channels 100 not divisible by 32 groups"),
        (
            ChannelChunk(4, 3),
            Shape(3, 4, 4),
            "3 channels make only 3 chunks of 1, so there is no chunk 4 of 4",
        ),
        (
            ChannelChunk(4, 3),
            Shape(5, 4, 4),
            "5 channels make only 3 chunks of 2, so there is no chunk 4 of 4",
        ),
        (
            PatchEmbedding(768, 16),
            Shape(3, 225, 224),
            "input 225x224 does not divide into 16x16 patches",
        ),
        (
            ClassToken(),
            Shape(768, 14, 14),
            "a class token joins a sequence of tokens (D x 1 x N), got 768x14x14",
        ),
        (
            ClassTokenReadout(),
            Shape(768, 2, 4),
            "a class token is read from a sequence of tokens (D x 1 x N), got 768x2x4",
        ),
        (
            MultiheadAttention(12),
            Shape(100, 1, 10),
            "embedding dimension 100 not divisible by 12 heads",
        ),
    ],
)
def test_a_layer_that_does_not_fit_its_input_says_so(layer, shape, message) -> None:
    with pytest.raises(LayerError) as caught:
        layer.output_shape(shape)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("layer", "category", "in_place", "sees_whole_input"),
    [
        (Conv2d(8, (1, 7)), "convolution", False, False),
        (ConvTranspose2d(8, 2, stride=2), "convolution", False, False),
        (SiLU(), "activation", True, False),  # nn.SiLU(inplace=True) in EfficientNet
        (Hardswish(), "activation", True, False),  # nn.Hardswish(inplace=True) in MobileNetV3
        (Hardsigmoid(), "activation", False, False),  # SqueezeExcitation's scale_activation
        (Sigmoid(), "activation", False, False),
        (Tanh(), "activation", False, False),
        (GroupNorm(32), "normalization", False, False),
        (LeakyReLU(), "activation", True, False),  # nn.LeakyReLU(inplace=True) in timm
        (GlobalResponseNorm(), "normalization", False, False),
        (Interpolate(scale=2), "reshape", False, False),
        (StdConv2d(8, 3), "convolution", False, False),
        (GELU(), "activation", False, False),
        (ELU(), "activation", False, False),  # nn.ELU(), out of place by default
        (SELU(), "activation", False, False),
        (Mish(), "activation", False, False),
        (Dropout2d(), "regularization", False, False),  # input * noise, a new tensor
        (InstanceNorm2d(), "normalization", False, False),
        (ReflectionPad2d(1, 1, 1, 1), "reshape", False, False),  # a new, larger tensor
        (Softplus(), "activation", False, False),
        (PReLU(), "activation", False, False),
        (StochasticDepth(0.1), "regularization", False, False),
        (LayerNorm(), "normalization", False, False),
        (LayerScale(), "normalization", False, False),  # layer_scale * x, a new tensor
        (Multiply(), "merge", False, False),  # scale * input, a new tensor
        (ChannelShuffle(2), "reshape", False, False),  # transpose(...).contiguous(): a copy
        (ChannelChunk(2, 0), "reshape", True, False),  # a view
        (PositionwiseLinear(8), "linear", False, False),
        (PatchEmbedding(768, 16), "convolution", False, False),
        (ClassToken(), "embedding", False, False),  # torch.cat
        (PositionEmbedding(), "embedding", False, False),  # input + pos_embedding
        (ClassTokenReadout(), "reshape", True, False),  # x[:, 0], a view
        (MultiheadAttention(12), "attention", False, True),
        (WindowAttention(3, 7), "attention", False, False),  # its own window
        (CosineWindowAttention(3, 8), "attention", False, False),
        (RelativeAttention(2, 7), "attention", False, False),  # its own group of tokens
        (SpaceToDepth(), "reshape", False, False),  # torch.cat of four slices
        (WindowPartition(7), "reshape", False, True),  # a copy; fields not followed through it
        (WindowDepartition(7, 8), "reshape", False, False),  # a copy
        (SwapAxes(), "reshape", True, False),  # a view
        (MapToTokens(), "reshape", True, False),  # a view
    ],
)
def test_each_layer_states_its_facts(layer, category, in_place, sees_whole_input) -> None:
    assert category in CATEGORIES
    assert (layer.category, layer.in_place, layer.sees_whole_input) == (
        category,
        in_place,
        sees_whole_input,
    )


@pytest.mark.parametrize(
    ("layer", "shape", "windows"),
    [
        (
            Conv2d(8, (1, 7), padding=(0, 3)),
            Shape(3, 17, 17),
            (Window(extent=1, stride=1, padding=0), Window(extent=7, stride=1, padding=3)),
        ),
        (
            Conv2d(8, (3, 1), stride=(2, 1), dilation=(2, 1)),
            Shape(3, 17, 17),
            (Window(extent=5, stride=2, padding=0), Window(extent=1, stride=1, padding=0)),
        ),
        (
            PatchEmbedding(768, 16),
            Shape(3, 224, 224),
            (Window(extent=16, stride=16, padding=0),) * 2,
        ),
        (ConvTranspose2d(8, 2, stride=2), Shape(3, 8, 8), None),
        (MultiheadAttention(2), Shape(8, 1, 10), None),
        (LayerNorm(), Shape(8, 4, 4), None),
        (ChannelShuffle(2), Shape(8, 4, 4), None),
    ],
)
def test_windows(layer, shape, windows) -> None:
    assert layer.window(shape) == windows


def test_rectangular_kernels_grow_the_field_along_their_own_axis() -> None:
    fields = receptive_fields(summarize(parse_network("conv7x1-8 conv7x1-8", Shape(3, 32, 32))))
    assert fields[-1].size == 13  # along the height
    fields = receptive_fields(summarize(parse_network("conv1x7-8 conv1x7-8", Shape(3, 32, 32))))
    assert fields[-1].size == 1


def test_attention_sees_every_token() -> None:
    spec = "patch16-64 classtoken posembed ( ln mha4 | )add"
    fields = receptive_fields(summarize(parse_network(spec, Shape(3, 64, 64))))
    assert [field.size for field in fields] == [1, 16, 16, 16, 16, None, None]


@pytest.mark.parametrize(
    ("token", "layer"),
    [
        ("conv1x7-192", Conv2d(192, (1, 7), padding=(0, 3))),
        ("conv7x1-192/nobias", Conv2d(192, (7, 1), padding=(3, 0), bias=False)),
        ("conv3-64/s2x1", Conv2d(64, 3, stride=(2, 1), padding=1)),
        ("conv1x7-8/p0", Conv2d(8, (1, 7))),
        ("conv3-8/p0x1", Conv2d(8, 3, padding=(0, 1))),
        ("conv3-8/d1x2", Conv2d(8, 3, padding=(1, 2), dilation=(1, 2))),
        ("convt4-64/s2/p1", ConvTranspose2d(64, 4, stride=2, padding=1)),
        (
            "convt3-16/s2/p1/op1/nobias",
            ConvTranspose2d(16, 3, stride=2, padding=1, output_padding=1, bias=False),
        ),
        (
            "convt2x3-8/s2x1/d1x2/g2",
            ConvTranspose2d(8, (2, 3), stride=(2, 1), dilation=(1, 2), groups=2),
        ),
        ("silu", SiLU()),
        ("hardswish", Hardswish()),
        ("hardsigmoid", Hardsigmoid()),
        ("sigmoid", Sigmoid()),
        ("tanh", Tanh()),
        ("gn32", GroupNorm(32)),
        ("leakyrelu", LeakyReLU()),
        ("leakyrelu0.1", LeakyReLU(0.1)),
        ("gn1/noaffine", GroupNorm(1, affine=False)),
        ("grn", GlobalResponseNorm()),
        ("upsample2", Interpolate(scale=2)),
        ("upsample2x1/bilinear", Interpolate(scale=(2, 1), mode="bilinear")),
        ("resize7x9/bicubic", Interpolate(size=(7, 9), mode="bicubic")),
        ("stdconv7-64/s2/nobias", StdConv2d(64, 7, stride=2, padding=3, bias=False)),
        ("stdconv3-16/s2/gain", StdConv2d(16, 3, stride=2, padding=1, gain=True)),
        ("gelu", GELU()),
        ("gelu/tanh", GELU(tanh=True)),
        ("elu", ELU()),
        ("elu0.5", ELU(0.5)),
        ("selu", SELU()),
        ("mish", Mish()),
        ("dropout2d", Dropout2d()),
        ("instancenorm", InstanceNorm2d()),
        ("reflectpad3", ReflectionPad2d(3, 3, 3, 3)),
        ("replicatepad0x1x2x0", ReplicationPad2d(0, 1, 2, 0)),
        ("instancenorm/affine/running", InstanceNorm2d(affine=True, running=True)),
        ("dropout2d0.25", Dropout2d(0.25)),
        ("softplus", Softplus()),
        ("softplus2", Softplus(2)),
        ("prelu", PReLU()),
        ("prelu/channels", PReLU(channels=True)),
        ("droppath0.1", StochasticDepth(0.1)),
        ("ln", LayerNorm()),
        ("layerscale", LayerScale()),
        ("layerscale/bias", LayerScale(bias=True)),
        ("linear-3072", PositionwiseLinear(3072)),
        ("linear-10/nobias", PositionwiseLinear(10, bias=False)),
        ("shuffle2", ChannelShuffle(2)),
        ("chunk1of2", ChannelChunk(2, 0)),
        ("chunk2of2", ChannelChunk(2, 1)),
        ("patch16-768", PatchEmbedding(768, 16)),
        ("classtoken", ClassToken()),
        ("posembed", PositionEmbedding()),
        ("mha12", MultiheadAttention(12)),
        ("mha4/nobias", MultiheadAttention(4, bias=False)),
        ("cls", ClassTokenReadout()),
        ("tokens", MapToTokens()),
        ("wmsa3-7/shift3", WindowAttention(3, 7, 3)),
        ("wmsa2-3x4/shift1x2/nobias", WindowAttention(2, (3, 4), (1, 2), bias=False)),
        ("cosmsa3-8/shift4", CosineWindowAttention(3, 8, 4)),
        ("cosmsa3-8/hidden256", CosineWindowAttention(3, 8, hidden=256)),
        ("relmsa2-7", RelativeAttention(2, 7)),
        ("s2d", SpaceToDepth()),
        ("partition7", WindowPartition(7)),
        ("departition7/rows8", WindowDepartition(7, 8)),
        ("swapaxes", SwapAxes()),
    ],
)
def test_each_token_reads_as_its_layer_and_is_written_back(token, layer) -> None:
    assert parse_layer(token) == layer
    assert str(layer) == token


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("conv1x-3", "kernel must be a whole number or two joined by 'x', got '1x'"),
        ("conv3-8/s2x", "stride must be a whole number or two joined by 'x', got '2x'"),
        ("conv3x0-8", "kernel_size must be positive, got (3, 0)"),
        ("convt3-8/op1", "output padding 1 must be smaller than the stride 1 or the dilation 1"),
        ("convt3-8/same", "unknown option 'same' for convt; options: s, p, op, d, g, nobias"),
        ("convt3", "expected convt<kernel>-<channels>, e.g. convt3-64 or convt1x7-192"),
        ("droppath", "expected droppath<probability>, e.g. droppath0.1"),
        ("droppathx", "drop path probability must be a number, got 'x'"),
        ("chunk3of2", "chunk number 3 must be from 1 to 2"),
        ("chunk2", "expected chunk<i>of<n>, e.g. chunk1of2"),
        ("patch16", "expected patch<size>-<dim>, e.g. patch16-768"),
        ("mha", "heads must be a whole number, got ''"),
        ("shuffle", "groups must be a whole number, got ''"),
        ("gelu2", "unexpected '2' after 'gelu'"),
        ("wmsa3", "expected wmsa<heads>-<window>, e.g. wmsa3-7/shift3"),
        ("wmsa3-7/shift7", "shift 7 must be below the window 7"),
        ("wmsa3-7/hidden256", "unknown option 'hidden' for wmsa; options: shift, nobias"),
        ("departition7", "expected departition<size>/rows<n>, e.g. departition7/rows8"),
    ],
)
def test_a_malformed_token_says_what_is_wrong(token, message) -> None:
    with pytest.raises(SpecError) as caught:
        parse_layer(token)
    assert message in str(caught.value)


def test_a_squeeze_and_excitation_group_in_the_notation() -> None:
    spec = "conv3-32 ( gap conv1-8 silu conv1-32 sigmoid | )mul"
    rows = summarize(parse_network(spec, Shape(3, 32, 32))).rows
    assert (rows[-1].kind, rows[-1].inputs, rows[-1].output_shape) == (
        "mul",
        ("sigmoid1", "conv1"),
        Shape(32, 32, 32),
    )
    assert sum(row.params for row in rows) == 896 + 264 + 288


def test_a_transformer_block_in_the_notation() -> None:
    spec = "patch16-768 classtoken posembed ( ln mha12 | )add ( ln linear-3072 gelu linear-768 | )add ln cls FC-1000"
    summary = summarize(parse_network(spec))
    block = [row for row in summary.rows if row.kind in ("layernorm", "attention", "linear")][:5]
    assert sum(row.params for row in block) == 7_087_872  # one ViT-B/16 encoder block
    assert summary.rows[-1].output_shape == Shape(1000, 1, 1)


def test_the_builder_names_each_new_kind() -> None:
    net = Builder("net", Shape(3, 32, 32))
    net.chain(
        [Conv2d(16, (1, 3), padding=(0, 1)), ConvTranspose2d(16, 2, stride=2), LayerNorm(), SiLU()]
    )
    entry = net.last
    gate = net.chain([Hardsigmoid()], prefix="se.")
    net.merge(Multiply(), [gate, entry])
    net.chain([LayerScale(), StochasticDepth(0.1), ChannelShuffle(2), ChannelChunk(2, 0)])
    net.chain([PositionwiseLinear(16), GELU(), Hardswish(), Sigmoid(), PatchEmbedding(8, 8)])
    net.chain([ClassToken(), PositionEmbedding(), MultiheadAttention(2)])
    net.merge(Add(), [net.last, "posembed1"])
    net.layer(ClassTokenReadout())
    names = [node.name for node in net.build().nodes]
    assert names == [
        "conv1",
        "convt1",
        "layernorm1",
        "silu1",
        "se.hardsigmoid1",
        "mul1",
        "layerscale1",
        "stochasticdepth1",
        "shuffle1",
        "chunk1",
        "linear1",
        "gelu1",
        "hardswish1",
        "sigmoid1",
        "patch1",
        "classtoken1",
        "posembed1",
        "attention1",
        "add1",
        "readout1",
    ]
    assert summarize(net.build()).rows[-1].output_shape == Shape(8, 1, 1)
