"""Properties of the layer arithmetic that hold for every size, kernel and network."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnncount import (
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    LayerError,
    Linear,
    MaxPool2d,
    Network,
    ReLU,
    Shape,
    summarize,
)
from cnncount.layers.windows import window_output_size
from cnncount.summary import COUNTS

sizes = st.integers(1, 512)


@given(size=sizes, kernel=st.integers(0, 5).map(lambda k: 2 * k + 1), dilation=st.integers(1, 4))
def test_same_padding_preserves_resolution_for_odd_kernels(size, kernel, dilation) -> None:
    conv = Conv2d(8, kernel, padding="same", dilation=dilation)
    assert conv.output_shape(Shape(3, size, size)) == Shape(8, size, size)
    symmetric = Conv2d(8, kernel, padding=dilation * (kernel - 1) // 2, dilation=dilation)
    assert symmetric.output_shape(Shape(3, size, size)) == Shape(8, size, size)


@given(
    smaller=sizes,
    larger=sizes,
    kernel=st.integers(1, 7),
    stride=st.integers(1, 4),
    padding=st.integers(0, 3),
    dilation=st.integers(1, 3),
    ceil_mode=st.booleans(),
)
def test_output_size_is_monotone_in_input_size(
    smaller, larger, kernel, stride, padding, dilation, ceil_mode
) -> None:
    smaller, larger = sorted((smaller, larger))
    assert window_output_size(
        smaller, kernel, stride, padding, dilation, ceil_mode
    ) <= window_output_size(larger, kernel, stride, padding, dilation, ceil_mode)


layers = st.one_of(
    st.builds(
        lambda out, k, s: Conv2d(out, k, stride=s, padding=k // 2),
        st.integers(1, 16),
        st.integers(1, 5),
        st.integers(1, 2),
    ),
    st.builds(lambda k: MaxPool2d(k), st.integers(1, 3)),
    st.builds(lambda k: AvgPool2d(k, stride=1), st.integers(1, 3)),
    st.just(BatchNorm2d()),
    st.just(ReLU()),
    st.just(Dropout()),
)
heads = st.lists(st.builds(Linear, st.integers(1, 64), st.booleans()), max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    body=st.lists(layers, min_size=1, max_size=6),
    head=heads,
    first=st.integers(16, 64),
    second=st.integers(16, 64),
)
def test_parameters_do_not_depend_on_input_size_except_the_first_fully_connected_layer(
    body, head, first, second
) -> None:
    try:
        small = summarize(Network.chain(body + head, Shape(3, first, first)))
        large = summarize(Network.chain(body + head, Shape(3, second, second)))
    except LayerError:
        assume(False)
    first_fc = next((row.name for row in small.rows if row.kind == "fc"), None)
    for a, b in zip(small.rows, large.rows):
        if a.name != first_fc:
            assert (a.params, a.buffers) == (b.params, b.buffers), a.name


@settings(max_examples=300, deadline=None)
@given(body=st.lists(layers, min_size=1, max_size=8), head=heads, size=st.integers(8, 96))
def test_totals_are_the_sums_of_the_rows(body, head, size) -> None:
    try:
        summary = summarize(Network.chain(body + head, Shape(3, size, size)))
    except LayerError:
        assume(False)
    for count in COUNTS:
        assert getattr(summary.totals, count) == sum(getattr(row, count) for row in summary.rows)
    assert all(row.output_shape.numel > 0 for row in summary.rows)
