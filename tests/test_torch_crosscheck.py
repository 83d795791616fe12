"""cnncount against PyTorch: output shapes, parameter and buffer counts, and FLOPs, layer by layer.

Run for VGG-16 and for hundreds of generated stacks over kernel, stride, padding, dilation,
groups, bias, ceil mode and input size. Skipped, with the reason, where PyTorch is not installed;
`.ci/run` installs it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning"),
]

torch = pytest.importorskip("torch", reason="PyTorch is not installed: `make torch` installs it")

from torch.utils.flop_counter import FlopCounterMode

from cnncount import (
    ELU,
    GELU,
    SELU,
    AdaptiveAvgPool2d,
    Add,
    AvgPool2d,
    BatchNorm2d,
    Builder,
    ChannelChunk,
    ChannelShuffle,
    ClassToken,
    ClassTokenReadout,
    Concat,
    Conv2d,
    ConvTranspose2d,
    CosineWindowAttention,
    Dropout,
    Dropout2d,
    Flatten,
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
    Linear,
    LocallyConnected2d,
    LocalResponseNorm,
    MapToTokens,
    MaxPool2d,
    Mish,
    MultiheadAttention,
    Multiply,
    Network,
    PatchEmbedding,
    PositionEmbedding,
    PositionwiseLinear,
    PReLU,
    ReflectionPad2d,
    RelativeAttention,
    ReLU,
    ReplicationPad2d,
    Shape,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    SpaceToDepth,
    StdConv2d,
    StochasticDepth,
    SwapAxes,
    Tanh,
    WindowAttention,
    WindowDepartition,
    WindowPartition,
    ZeroPad2d,
    get_model,
    summarize,
)
from cnncount.layers.interpolate import MODES
from cnncount.models import MODELS
from tests.torch_twins import (
    output_shapes,
    torch_accepts,
    torch_layer,
    torch_network,
    torchvision_counts,
    torchvision_model,
)


def torch_flops(model, shape: Shape) -> int:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.zeros(1, shape.channels, shape.height, shape.width))
    return counter.get_total_flops()


def check_against_torch(summary) -> None:
    """Assert that PyTorch agrees with the summary on every shape and count."""
    model = torch_network(summary)
    shape = summary.input_shape
    assert output_shapes(model, (shape.channels, shape.height, shape.width)) == [
        (row.output_shape.channels, row.output_shape.height, row.output_shape.width)
        for row in summary.rows[1:]
    ]
    for module, row in zip(model.modules_by_row, summary.rows[1:]):
        if module is None:  # a merge: nothing learned
            assert row.params == row.buffers == 0
            continue
        parameters = dict(module.named_parameters())
        assert sum(p.numel() for p in parameters.values()) == row.params, row.name
        assert (
            sum(p.numel() for name, p in parameters.items() if name.endswith("bias")) == row.biases
        ), row.name
        buffers = [  # batch norm's counter of batches is no state of the layer's
            b for name, b in module.named_buffers() if not name.endswith("num_batches_tracked")
        ]
        assert sum(b.numel() for b in buffers) == row.buffers, row.name
    assert torch_flops(model, shape) == 2 * summary.totals.macs


@pytest.mark.parametrize("model", list(MODELS))
def test_built_in_model_agrees_with_torch(model) -> None:
    summary = summarize(get_model(model))
    check_against_torch(summary)
    assert sum(p.numel() for p in torch_network(summary).parameters()) == summary.totals.params


TORCHVISION_MODELS = [name for name, model in MODELS.items() if model.torchvision is not None]


@pytest.fixture(scope="module")
def torchvision():
    return pytest.importorskip(
        "torchvision", reason="torchvision is not installed: `make torch` installs it"
    )


def same_shape(row, shape: tuple[int, ...]) -> bool:
    """Return whether a row's output shape is torchvision's module's, in cnncount's layout.

    A map that torchvision holds channels last (ConvNeXt's linear layers) has its channels last;
    a patch embedding's map is read as a sequence, row after row; a map that torchvision has
    flattened before a layer that keeps its shape (AlexNet's first dropout) is its values."""
    ours = tuple(row.output_shape.as_list())
    if isinstance(row.layer, PatchEmbedding):
        return ours == (shape[0], 1, shape[1] * shape[2])
    flattened = (row.output_shape.numel, 1, 1)
    return shape in (ours, (*ours[1:], ours[0]), flattened)


@pytest.mark.parametrize("model", TORCHVISION_MODELS)
def test_built_in_model_agrees_with_torchvision_module_by_module(torchvision, model) -> None:
    """Each module of torchvision's model against the row of the same name: output shape,
    parameters, biases, running statistics and flop_counter's multiply-accumulates; each
    parameter outside a module (a class token, a layer scale) against the row named after it;
    every other row learns and multiplies nothing; and the totals."""
    summary = summarize(get_model(model))
    rows = {row.name: row for row in summary.rows}
    shape = summary.input_shape
    reference = torchvision_model(MODELS[model].torchvision)
    modules, loose, macs = torchvision_counts(
        reference, (shape.channels, shape.height, shape.width)
    )
    for name, counts in modules.items():
        if counts.shape is None:  # never called: ShuffleNetV2's empty branch1, unused drop paths
            assert counts.params == counts.buffers == 0, name
            continue
        if name not in rows:
            assert counts.params == counts.buffers == counts.macs == 0, name
            continue
        row = rows[name]
        assert (row.params, row.biases, row.buffers, row.macs) == (
            counts.params,
            counts.biases,
            counts.buffers,
            counts.macs,
        ), name
        assert same_shape(row, counts.shape), (name, row.output_shape, counts.shape)
    for name, size in loose.items():
        assert rows[name].params == size, name
    for name, row in rows.items():
        if name not in modules and name not in loose:
            assert row.params == row.buffers == row.macs == 0, name
    assert summary.totals.params == sum(p.numel() for p in reference.parameters())
    assert summary.totals.macs == macs


def test_vit_attention_counted_analytically_is_what_the_math_kernel_counts(torchvision) -> None:
    """flop_counter counts nothing of nn.MultiheadAttention on its fused inference path, and misses
    Q Kᵀ and A V in the CPU attention kernel with gradients on; with PyTorch's math kernel both
    are two batched matrix products it counts. That count equals cnncount's, block by block."""
    from torch.nn.attention import SDPBackend, sdpa_kernel

    summary = summarize(get_model("vit-b-16"))
    model = torchvision_model("vit_b_16")
    image = torch.zeros(1, 3, 224, 224)
    fused = FlopCounterMode(display=False)
    with fused, torch.no_grad():
        model(image)
    math = FlopCounterMode(display=False)
    with math, sdpa_kernel(SDPBackend.MATH), torch.enable_grad():
        model(image)
    counts = math.get_flop_counts()
    attention = [row for row in summary.rows if row.kind == "attention"]
    assert len(attention) == 12
    for row in attention:
        assert sum(counts[f"VisionTransformer.{row.name}"].values()) == 2 * row.macs, row.name
    assert math.get_total_flops() == 2 * summary.totals.macs
    assert fused.get_total_flops() == 2 * (summary.totals.macs - sum(row.macs for row in attention))


@st.composite
def sizes(draw, least: int, most: int):
    """One size for both axes, or a (height, width) pair."""
    if draw(st.booleans()):
        return draw(st.integers(least, most))
    return (draw(st.integers(least, most)), draw(st.integers(least, most)))


@st.composite
def convolutions(draw):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    stride = draw(sizes(1, 3))
    padding = draw(
        st.sampled_from(["same"]) if stride == 1 and draw(st.booleans()) else sizes(0, 4)
    )
    return Conv2d(
        groups * draw(st.integers(1, 4)),
        draw(sizes(1, 7)),
        stride=stride,
        padding=padding,
        dilation=draw(sizes(1, 3)),
        groups=groups,
        bias=draw(st.booleans()),
    )


@st.composite
def standardised_convolutions(draw):
    conv = draw(convolutions())
    return StdConv2d(
        conv.out_channels,
        conv.kernel_size,
        conv.stride,
        conv.padding,
        conv.dilation,
        conv.groups,
        conv.bias,
        gain=draw(st.booleans()),
    )


@st.composite
def locally_connected(draw):
    return LocallyConnected2d(
        draw(st.integers(1, 4)),
        draw(sizes(1, 5)),
        stride=draw(sizes(1, 3)),
        padding=draw(sizes(0, 3)),
        bias=draw(st.booleans()),
    )


@st.composite
def transposed_convolutions(draw):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    strides, dilations = draw(sizes(1, 3)), draw(sizes(1, 2))
    below = [  # output padding must be below the stride or the dilation, on each axis
        max(pair) - 1
        for pair in zip(
            *(size if isinstance(size, tuple) else (size, size) for size in (strides, dilations))
        )
    ]
    return ConvTranspose2d(
        groups * draw(st.integers(1, 4)),
        draw(sizes(1, 5)),
        stride=strides,
        padding=draw(sizes(0, 3)),
        output_padding=(draw(st.integers(0, below[0])), draw(st.integers(0, below[1]))),
        dilation=dilations,
        groups=groups,
        bias=draw(st.booleans()),
    )


def test_a_transposed_convolution_with_no_output_along_one_axis_is_refused() -> None:
    """PyTorch refuses a transposed convolution whose output is empty along an axis, except a
    grouped one (another kernel), which returns an empty tensor; cnncount refuses both, as no map
    is empty."""
    for groups in (1, 2):
        layer = ConvTranspose2d(
            2, 1, stride=2, padding=(0, 1), output_padding=(0, 1), groups=groups
        )
        with pytest.raises(LayerError, match="leaves no output from input 1x1"):
            layer.output_shape(Shape(2, 1, 1))
        assert not torch_accepts(Network.chain([layer], Shape(2, 1, 1)))
    grouped = torch.nn.ConvTranspose2d(
        2, 2, 1, stride=2, padding=(0, 1), output_padding=(0, 1), groups=2
    )
    assert grouped(torch.zeros(1, 2, 1, 1)).shape == (1, 2, 1, 0)


@pytest.mark.parametrize(
    ("stride", "dilation", "output_padding"), [(1, 1, 1), (2, 1, 2), (2, 3, 3), ((2, 1), 1, (1, 1))]
)
def test_an_output_padding_refused_by_cnncount_is_refused_by_torch(
    stride, dilation, output_padding
) -> None:
    with pytest.raises(LayerError, match="output padding"):
        ConvTranspose2d(4, 3, stride=stride, dilation=dilation, output_padding=output_padding)
    twin = torch.nn.ConvTranspose2d(
        2, 4, 3, stride=stride, dilation=dilation, output_padding=output_padding
    )
    with pytest.raises(RuntimeError, match="output padding must be smaller"):
        twin(torch.zeros(1, 2, 8, 8))


@st.composite
def poolings(draw):
    kernel = draw(st.integers(1, 5))
    kind = draw(st.sampled_from([MaxPool2d, AvgPool2d]))
    return kind(
        kernel,
        stride=draw(st.integers(1, 3)),
        padding=draw(st.integers(0, kernel // 2)),
        ceil_mode=draw(st.booleans()),
    )


def spatial_layers(shape: Shape | None):
    """Layers of every kind that keeps a map a map; the costly ones only where ``shape`` (None
    where an earlier layer is refused) keeps them small."""
    small = shape is not None and shape.height * shape.width <= 576
    return st.one_of(
        convolutions(),
        *([transposed_convolutions(), locally_connected()] if small else []),
        poolings(),
        st.builds(AdaptiveAvgPool2d, st.integers(1, 6), st.integers(1, 6)),
        st.builds(LocalResponseNorm, st.integers(1, 5)),
        st.just(BatchNorm2d()),
        st.just(LayerNorm()),
        st.builds(LayerScale, bias=st.booleans()),
        st.builds(GroupNorm, st.integers(1, 4), st.booleans()),
        st.just(GlobalResponseNorm()),
        st.builds(Interpolate, scale=sizes(1, 3), mode=st.sampled_from(MODES)),
        st.builds(Interpolate, size=sizes(1, 9), mode=st.sampled_from(MODES)),
        standardised_convolutions(),
        st.just(LayerScale()),
        st.just(PositionEmbedding()),
        st.sampled_from([ReLU(), Dropout(), Softmax(), LeakyReLU(0.1)]),
        st.sampled_from([SiLU(), Hardswish(), Hardsigmoid(), Sigmoid(), Tanh(), GELU()]),
        st.sampled_from([GELU(tanh=True), ELU(0.5), SELU(), Mish(), Softplus(2)]),
        st.builds(PReLU, channels=st.booleans()),
        st.builds(Dropout2d, st.floats(0, 1)),
        st.builds(InstanceNorm2d, affine=st.booleans(), running=st.booleans()),
        st.sampled_from([ZeroPad2d, ReflectionPad2d, ReplicationPad2d]).flatmap(
            lambda kind: st.builds(kind, *[st.integers(0, 2)] * 4)
        ),
        st.builds(StochasticDepth, st.floats(0, 1)),
        st.builds(PositionwiseLinear, st.integers(1, 16), st.booleans()),
        st.builds(ChannelShuffle, st.integers(1, 4)),
        st.integers(1, 3).flatmap(
            lambda n: st.builds(ChannelChunk, st.just(n), st.integers(0, n - 1))
        ),
        st.builds(PatchEmbedding, st.integers(1, 16), st.integers(1, 8), st.booleans()),
        st.just(ClassToken()),
        st.just(ClassTokenReadout()),
        *([st.builds(MultiheadAttention, st.integers(1, 4), st.booleans())] if small else []),
        *(windowed_layers() if small else []),
        st.just(SpaceToDepth()),
        st.just(SwapAxes()),
        st.just(MapToTokens()),
        st.builds(WindowPartition, st.integers(1, 3)),
        st.builds(WindowDepartition, st.integers(1, 3), st.integers(1, 3)),
    )


def windowed_layers():
    """Swin's window attention, shifted or not, windows square or not, and MaxViT's attention."""
    swin = st.tuples(
        st.sampled_from([WindowAttention, CosineWindowAttention]),
        st.integers(1, 3),
        st.tuples(st.integers(1, 4), st.integers(1, 4)),
        st.booleans(),
        st.booleans(),
    ).map(
        lambda args: args[0](
            args[1], args[2], (args[2][0] // 2, args[2][1] // 2) if args[3] else 0, args[4]
        )
    )
    return [swin, st.builds(RelativeAttention, st.integers(1, 3), st.integers(1, 3))]


head_layers = st.one_of(
    st.builds(Linear, st.integers(1, 32), st.booleans()),
    st.just(ReLU()),
    st.just(Dropout()),
    st.just(Softmax()),
)


def after(layer, shape: Shape | None) -> Shape | None:
    """Return the output shape of ``layer`` for ``shape``, or None where either is refused."""
    try:
        return None if shape is None else layer.output_shape(shape)
    except LayerError:
        return None


@st.composite
def chain_onto(draw, net: Builder, source: str, shape: Shape | None, most: int, least: int = 0):
    """Add ``least`` to ``most`` spatial layers reading ``source``; return the last name and its
    shape."""
    for _ in range(draw(st.integers(least, most))):
        layer = draw(spatial_layers(shape))
        source, shape = net.layer(layer, source=source), after(layer, shape)
    return source, shape


@st.composite
def group_onto(draw, net: Builder, shape: Shape | None):
    """Add branches reading the last layer and their merge: an addition, a concatenation or a
    product, or a squeeze-and-excitation gate times its input."""
    entry = net.last
    if shape is not None and draw(st.booleans()):  # squeeze-and-excitation, often fitting
        channels = draw(st.sampled_from([shape.channels, shape.channels, 1, 3]))
        gate = [
            AdaptiveAvgPool2d(1),
            Conv2d(draw(st.integers(1, 8)), 1),
            draw(st.sampled_from([ReLU(), SiLU()])),
            Conv2d(channels, 1),
            draw(st.sampled_from([Sigmoid(), Hardsigmoid()])),
        ]
        gated = net.chain(gate, source=entry)
        net.merge(Multiply(), [gated, entry])
        return
    ends = [draw(chain_onto(net, entry, shape, 3)) for _ in range(draw(st.integers(2, 3)))]
    merge = draw(st.sampled_from([Add(), Concat(), Multiply()]))
    if len({end for end, _ in ends}) < len(ends):  # two empty branches: the same node twice
        return
    net.merge(merge, [end for end, _ in ends])


def network_shape(net: Builder) -> Shape | None:
    """Return the output shape of the network built so far, or None where it is refused."""
    try:
        return summarize(net.build()).rows[-1].output_shape
    except LayerError:
        return None


@st.composite
def networks(draw):
    """Random networks of every layer kind: chains with groups, and at times a classifier.

    One in three starts as a vision transformer does: an image of whole patches, embedded, a class
    token put first and positions added.
    """
    channels, patch = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    tokens = draw(st.integers(0, 2)) == 0
    if tokens:
        shape = Shape(channels, patch * draw(st.integers(1, 5)), patch * draw(st.integers(1, 5)))
    else:
        shape = Shape(channels, draw(st.integers(1, 24)), draw(st.integers(1, 24)))
    net = Builder("generated", shape)
    if tokens:
        dim = draw(st.integers(1, 4)) * draw(st.sampled_from([1, 2, 3]))
        net.chain([PatchEmbedding(dim, patch), ClassToken(), PositionEmbedding()])
    for _ in range(draw(st.integers(1, 5))):
        current = shape if net.last == "input" else network_shape(net)
        if draw(st.integers(0, 3)) == 0:
            draw(group_onto(net, current))
        else:
            draw(chain_onto(net, net.last, current, 1, least=1))
    if draw(st.booleans()):
        net.chain(
            [
                draw(st.sampled_from([Flatten(), Linear(draw(st.integers(1, 32)))])),
                *draw(st.lists(head_layers, max_size=3)),
            ]
        )
    return net.build()


def one_layer(layer, shape: Shape) -> Network:
    """Return a network of ``layer`` alone, on an input of ``shape``."""
    builder = Builder("generated", shape)
    builder.chain([layer])
    return builder.build()


def contracts_one_value(summary) -> bool:
    """Whether MaxViT's attention has one value per head or one token per group, where torch
    lowers ``einsum``'s product of queries and keys, or of weights and values, to an elementwise
    multiply, which flop_counter does not count."""
    return any(
        isinstance(row.layer, RelativeAttention)
        and (row.input_shape.channels == row.layer.heads or row.layer.size == 1)
        for row in summary.rows[1:]
    )


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
@example(one_layer(StdConv2d(1, 1, padding="same", bias=False), Shape(1, 1, 1)))
@example(one_layer(RelativeAttention(3, 3), Shape(6, 1, 9)))
@example(one_layer(GroupNorm(1, affine=False), Shape(1, 1, 1)))
@example(one_layer(InstanceNorm2d(), Shape(4, 1, 1)))
@example(one_layer(InstanceNorm2d(running=True), Shape(1, 1, 1)))
def test_generated_networks_agree_with_torch(network) -> None:
    try:
        summary = summarize(network)
    except LayerError as error:
        event("refused by both")
        assert not torch_accepts(network), f"cnncount refused what PyTorch runs: {error}"
        return
    assume(not contracts_one_value(summary))
    event("counted by both")
    for kind in {row.kind for row in summary.rows[1:]}:
        event(f"counted: {kind}")
    check_against_torch(summary)


def test_the_attention_twin_is_pytorchs_attention() -> None:
    """The twin computes attention step by step, so that flop_counter sees both matrix products;
    it computes what nn.MultiheadAttention computes."""
    twin = torch_layer(MultiheadAttention(4), Shape(32, 1, 10)).eval()
    x = torch.randn(2, 32, 1, 10)
    tokens = x.flatten(2).transpose(1, 2)
    with torch.no_grad():
        expected, _ = twin.attention(tokens, tokens, tokens, need_weights=False)
        assert torch.allclose(twin(x).flatten(2).transpose(1, 2), expected, atol=1e-5)


def test_the_locally_connected_twin_is_a_convolution_with_a_filter_per_position() -> None:
    """AlexNet's first layer without sharing: the twin's shape and parameters are cnncount's, and
    with the same filter at every position it computes what the shared convolution computes."""
    shape = Shape(3, 227, 227)
    layer = LocallyConnected2d(96, 11, stride=4)
    twin = torch_layer(layer, shape).eval()
    x = torch.randn(2, 3, 227, 227)
    with torch.no_grad():
        assert twin(x).shape == (2, *layer.output_shape(shape).as_list())
    assert sum(p.numel() for p in twin.parameters()) == layer.params(shape)
    conv = torch.nn.Conv2d(3, 96, 11, stride=4)
    with torch.no_grad():
        twin.weight.copy_(conv.weight.reshape(96, -1).t().expand_as(twin.weight))
        twin.bias.copy_(conv.bias[:, None, None].expand_as(twin.bias))
        assert torch.allclose(twin(x), conv(x), atol=1e-4)
