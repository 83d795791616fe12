"""cnncount against PyTorch: output shapes, parameter and buffer counts, and FLOPs, layer by layer.

Run for VGG-16 and for hundreds of generated stacks over kernel, stride, padding, dilation,
groups, bias, ceil mode and input size. Skipped, with the reason, where PyTorch is not installed;
`.ci/run` installs it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

torch = pytest.importorskip("torch", reason="PyTorch is not installed: `make torch` installs it")

from torch.utils.flop_counter import FlopCounterMode

from cnncount import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm2d,
    Conv2d,
    Dropout,
    Flatten,
    LayerError,
    Linear,
    LocalResponseNorm,
    MaxPool2d,
    Network,
    ReLU,
    Shape,
    Softmax,
    get_model,
    summarize,
)
from cnncount.memory import kept_for_backward_bytes
from cnncount.models import MODELS
from tests.torch_twins import output_shapes, saved_activation_bytes, torch_accepts, torch_network


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
        buffers = [
            b
            for name, b in module.named_buffers()
            if name.endswith(("running_mean", "running_var"))
        ]
        assert sum(b.numel() for b in buffers) == row.buffers, row.name
    assert torch_flops(model, shape) == 2 * summary.totals.macs


@pytest.mark.parametrize("model", list(MODELS))
def test_built_in_model_agrees_with_torch(model) -> None:
    summary = summarize(get_model(model))
    check_against_torch(summary)
    assert sum(p.numel() for p in torch_network(summary).parameters()) == summary.totals.params


def test_what_autograd_keeps_for_vgg16() -> None:
    """The kept-for-backward convention against the tensors PyTorch really saves (within 0.01%)."""
    summary = summarize(get_model("vgg16-torchvision"))
    measured = saved_activation_bytes(torch_network(summary), (3, 224, 224))
    predicted = kept_for_backward_bytes(summary) + 4 * summary.input_shape.numel
    assert abs(measured - predicted) <= measured // 10_000, (measured, predicted)


@st.composite
def convolutions(draw):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    stride = draw(st.integers(1, 3))
    padding = draw(
        st.sampled_from(["same"]) if stride == 1 and draw(st.booleans()) else st.integers(0, 4)
    )
    return Conv2d(
        groups * draw(st.integers(1, 4)),
        draw(st.integers(1, 7)),
        stride=stride,
        padding=padding,
        dilation=draw(st.integers(1, 3)),
        groups=groups,
        bias=draw(st.booleans()),
    )


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


spatial_layers = st.one_of(
    convolutions(),
    poolings(),
    st.builds(AdaptiveAvgPool2d, st.integers(1, 6), st.integers(1, 6)),
    st.builds(LocalResponseNorm, st.integers(1, 5)),
    st.just(BatchNorm2d()),
    st.just(ReLU()),
    st.just(Dropout()),
    st.just(Softmax()),
)
head_layers = st.one_of(
    st.builds(Linear, st.integers(1, 32), st.booleans()),
    st.just(ReLU()),
    st.just(Dropout()),
    st.just(Softmax()),
)


@st.composite
def stacks(draw):
    shape = Shape(draw(st.integers(1, 6)), draw(st.integers(1, 40)), draw(st.integers(1, 40)))
    layers = draw(st.lists(spatial_layers, min_size=1, max_size=5))
    if draw(st.booleans()):
        layers += [
            draw(st.sampled_from([Flatten(), Linear(draw(st.integers(1, 32)))])),
            *draw(st.lists(head_layers, max_size=3)),
        ]
    return Network.chain(layers, shape, name="generated")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stacks())
def test_generated_stacks_agree_with_torch(network) -> None:
    try:
        summary = summarize(network)
    except LayerError as error:
        event("refused by both")
        assert not torch_accepts(network), f"cnncount refused what PyTorch runs: {error}"
        return
    event("counted by both")
    check_against_torch(summary)
