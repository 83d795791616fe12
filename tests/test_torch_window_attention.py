"""The windowed attention kinds against the torchvision modules they stand for: parameters,
buffers (``named_buffers``), multiply-accumulates (``FlopCounterMode`` / 2) and output shape on
meta tensors, and what autograd saves for one image, on the CPU, for sizes that need padding,
shifts that take effect or not, and windows that are not square.

Skipped, with the reason, where torch or torchvision is not installed (`make torch`).
"""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="PyTorch is not installed: `make torch` installs it")
pytest.importorskip("torchvision", reason="torchvision is not installed: `make torch` installs it")

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode
from torchvision.models import maxvit, swin_transformer

from cnncount import (
    CosineWindowAttention,
    Layer,
    LayerNorm,
    MapToTokens,
    PositionwiseLinear,
    RelativeAttention,
    Shape,
    SpaceToDepth,
    SwapAxes,
    WindowAttention,
    WindowDepartition,
    WindowPartition,
)
from tests.torch_memory import saved_bytes

SWIN = [  # channels, heads, window, shift, height, width
    (96, 3, (7, 7), (3, 3), 56, 56),  # Swin-T's first stage
    (96, 3, (7, 7), (0, 0), 28, 28),
    (32, 2, (7, 7), (3, 3), 10, 9),  # padded to 14 x 14
    (32, 4, (3, 5), (1, 2), 11, 13),  # a window that is not square, padded to 12 x 15
    (64, 2, (7, 7), (3, 3), 7, 7),  # one window as large as the map: not shifted, a view
    (64, 2, (7, 7), (3, 3), 3, 3),  # one window larger than the map: padded, not shifted
    (48, 2, (8, 8), (4, 4), 8, 16),  # Swin-V2's window, two windows side by side
]
"""Sizes of Swin's window attention, padded or not, shifted or not."""


def torch_facts(module: nn.Module, shape: tuple[int, ...]) -> tuple[int, int, int, tuple[int, ...]]:
    """Return the module's parameters, buffers, MACs for one image, and output shape, on meta."""
    module = module.to("meta").eval()
    params = sum(p.numel() for p in module.parameters())
    buffers = sum(b.numel() for _, b in module.named_buffers())
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        out = module(torch.empty(1, *shape, device="meta"))
    return params, buffers, counter.get_total_flops() // 2, tuple(out.shape[1:])


class Copied(nn.Module):
    """Run ``module`` on a copy of its input, so that an input autograd saves is counted."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.module(x.clone())


def saved_per_image(module: nn.Module, shape: tuple[int, ...]) -> int:
    """Return the float32 values autograd saves for each image more, from batch 2 to batch 3."""
    torch.manual_seed(0)
    wrapped = Copied(module)
    two, _ = saved_bytes(wrapped, torch.randn(2, *shape))
    three, _ = saved_bytes(wrapped, torch.randn(3, *shape))
    return (three - two) // 4


def predicted_saves(layer: Layer, shape: Shape) -> int:
    """Return the values cnncount says the layer keeps for one image, its input included."""
    saves = layer.saves(shape)
    return saves.values + (shape.numel if saves.input else 0)


def assert_counts(layer: Layer, shape: Shape, facts: tuple[int, int, int, tuple[int, ...]]) -> None:
    params, buffers, macs, out = facts
    assert (layer.params(shape), layer.buffers(shape), layer.macs(shape)) == (params, buffers, macs)
    got = layer.output_shape(shape)
    assert (got.height, got.width, got.channels) == out  # channels last, as Swin holds them


@pytest.mark.parametrize(("channels", "heads", "window", "shift", "height", "width"), SWIN)
@pytest.mark.parametrize("version", [1, 2])
def test_window_attention_counts_what_torchvision_runs(
    version: int,
    channels: int,
    heads: int,
    window: tuple[int, int],
    shift: tuple[int, int],
    height: int,
    width: int,
) -> None:
    torchvision_class, kind = {
        1: (swin_transformer.ShiftedWindowAttention, WindowAttention),
        2: (swin_transformer.ShiftedWindowAttentionV2, CosineWindowAttention),
    }[version]
    layer, shape = kind(heads, window, shift), Shape(channels, height, width)
    module = torchvision_class(channels, list(window), list(shift), heads)
    assert_counts(layer, shape, torch_facts(module, (height, width, channels)))
    cpu = torchvision_class(channels, list(window), list(shift), heads)
    assert predicted_saves(layer, shape) == saved_per_image(cpu, (height, width, channels))


@pytest.mark.parametrize(
    ("channels", "head_dim", "size", "groups"), [(64, 32, 7, 64), (96, 32, 4, 5), (32, 8, 2, 3)]
)
def test_relative_attention_counts_what_torchvision_runs(
    channels: int, head_dim: int, size: int, groups: int
) -> None:
    def module() -> nn.Module:
        return maxvit.RelativePositionalMultiHeadAttention(channels, head_dim, size**2)

    layer, shape = RelativeAttention(channels // head_dim, size), Shape(channels, groups, size**2)
    params, buffers, macs, out = torch_facts(module(), (groups, size**2, channels))
    assert (layer.params(shape), layer.buffers(shape), layer.macs(shape)) == (params, buffers, macs)
    assert (shape.height, shape.width, shape.channels) == out
    assert predicted_saves(layer, shape) == saved_per_image(module(), (groups, size**2, channels))


@pytest.mark.parametrize(("height", "width"), [(56, 56), (7, 7), (5, 8)])
@pytest.mark.parametrize("version", [1, 2])
def test_patch_merging_is_a_gather_a_norm_and_a_linear_layer(
    version: int, height: int, width: int
) -> None:
    channels = 32
    module = (swin_transformer.PatchMerging, swin_transformer.PatchMergingV2)[version - 1](channels)
    params, buffers, macs, out = torch_facts(module, (height, width, channels))
    gathered = SpaceToDepth().output_shape(Shape(channels, height, width))
    reduced = PositionwiseLinear(2 * channels, bias=False).output_shape(gathered)
    norm_input = gathered if version == 1 else reduced
    assert params == LayerNorm().params(norm_input) + PositionwiseLinear(
        2 * channels, False
    ).params(gathered)
    assert (buffers, macs) == (0, PositionwiseLinear(2 * channels, False).macs(gathered))
    assert (reduced.height, reduced.width, reduced.channels) == out


@pytest.mark.parametrize("grid", [False, True])
def test_maxvit_partitions_and_departitions_as_torchvision_reshapes(grid: bool) -> None:
    shape, size = Shape(64, 56, 56), 7
    parts = shape.height // size if grid else size  # torchvision's p
    x = torch.randn(1, shape.channels, shape.height, shape.width)
    windows = maxvit.WindowPartition()(x, parts)
    layers: list[Layer] = [WindowPartition(parts)] + ([SwapAxes()] if grid else [])
    if grid:
        windows = windows.swapaxes(-2, -3)
    partitioned = shape
    for layer in layers:
        partitioned = layer.output_shape(partitioned)
    assert (partitioned.height, partitioned.width, partitioned.channels) == tuple(windows.shape[1:])
    assert partitioned.width == size**2  # each row one window or one grid cell of 7 x 7
    back = windows.swapaxes(-2, -3) if grid else windows
    rows = shape.height // parts
    restored = maxvit.WindowDepartition()(back, parts, rows, shape.width // parts)
    undone = SwapAxes().output_shape(partitioned) if grid else partitioned
    assert tuple(restored.shape[1:]) == (shape.channels, shape.height, shape.width)
    assert WindowDepartition(parts, rows).output_shape(undone) == shape
    assert torch.equal(restored, x)


def test_map_to_tokens_is_vits_reshape() -> None:
    x = torch.empty(1, 768, 14, 14, device="meta")
    tokens = x.reshape(1, 768, 14 * 14).permute(0, 2, 1)
    shape = MapToTokens().output_shape(Shape(768, 14, 14))
    assert (shape.width, shape.channels) == tuple(tokens.shape[1:])
