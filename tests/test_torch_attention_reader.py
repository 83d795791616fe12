"""The PyTorch reader on torchvision's transformers, ViT, Swin (v1 and v2) and MaxViT, whose
counts tests/test_torch_reader.py compares with torch's: their layers are the window kinds, what
cnncount cannot count exactly is refused in one line, and the training memory of the networks
read is what autograd keeps.

Skipped, with the reason, where torch or torchvision is not installed (`make torch`).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

pytest.importorskip("torch", reason="PyTorch is not installed: `make torch` installs it")
torchvision = pytest.importorskip(
    "torchvision", reason="torchvision is not installed: `make torch` installs it"
)

import torch
from torch import nn

from cnncount import (
    Batch,
    ClassToken,
    CosineWindowAttention,
    MapToTokens,
    PositionEmbedding,
    ReadError,
    RelativeAttention,
    SpaceToDepth,
    SwapAxes,
    WindowAttention,
    WindowDepartition,
    WindowPartition,
    from_torch,
    summarize,
)
from cnncount.memory import kept_for_backward_bytes
from tests.torch_memory import saved_bytes


def crop_size(name: str) -> int:
    """Return the side of the images the model's default weights were trained on."""
    return int(torchvision.models.get_model_weights(name).DEFAULT.transforms().crop_size[0])


def build(name: str, device: str = "meta") -> nn.Module:
    """Return torchvision's model ``name`` without weights, for its weights' crop size: a ViT's
    position embedding is built for its image size (vit_h_14's weights take 518 x 518)."""
    size = {"image_size": crop_size(name)} if name.startswith("vit") else {}
    with torch.device(device):
        return torchvision.models.get_model(name, weights=None, **size).eval()


def kinds(name: str) -> dict[str, type]:
    size = crop_size(name)
    network = from_torch(build(name), (3, size, size), name=name)
    return {node.name: type(node.layer) for node in network.nodes}


def test_swin_reads_as_shifted_windows_and_patch_merging() -> None:
    network = from_torch(build("swin_t"), (3, 224, 224), name="swin_t")
    layers = {node.name: node.layer for node in network.nodes}
    assert layers["features.1.0.attn"] == WindowAttention(3, 7, 0)
    assert layers["features.1.1.attn"] == WindowAttention(3, 7, 3)  # every second block shifts
    assert layers["features.7.1.attn"] == WindowAttention(24, 7, 3)  # 7 x 7: not shifted at run
    assert [type(layers[f"features.2{suffix}"]).__name__ for suffix in ("", "#2", "#3")] == [
        SpaceToDepth.__name__,
        "LayerNorm",  # v1 normalises the 4C gathered channels, then reduces them to 2C
        "PositionwiseLinear",
    ]
    assert kinds("swin_v2_t")["features.1.1.attn"] is CosineWindowAttention


def test_maxvit_reads_as_partitions_around_relative_attention() -> None:
    found = kinds("maxvit_t")
    window, grid = (f"blocks.0.layers.0.layers.{kind}_attention" for kind in ("window", "grid"))
    assert found[f"{window}.partition_op"] is WindowPartition
    assert found[f"{window}.attn_layer.1"] is RelativeAttention
    assert found[f"{window}.departition_op"] is WindowDepartition
    assert found[f"{grid}.partition_swap"] is SwapAxes  # the grid: windows' axes swapped
    assert found[f"{grid}.departition_swap"] is SwapAxes


def test_vit_reads_its_patches_as_tokens() -> None:
    found = kinds("vit_b_16")
    assert [found[name] for name in ("maptotokens", "classtoken", "encoder.posembed")] == [
        MapToTokens,
        ClassToken,
        PositionEmbedding,
    ]


class Attending(nn.Module):
    """Tokens of 16 values from 4 x 4 patches, through ``attention`` as ``forward`` calls it."""

    def __init__(self, attention: nn.Module, cross: bool = False) -> None:
        super().__init__()
        self.embed = nn.Conv2d(3, 16, 4, 4)
        self.attention = attention
        self.other = nn.Linear(16, 16) if cross else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        tokens = self.embed(x).reshape(1, 16, 16).permute(0, 2, 1)
        other = self.other(tokens)
        return self.attention(tokens, other, other, need_weights=False)[0]


class Prepended(nn.Module):
    """A class token put after the tokens, which cnncount does not say."""

    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Conv2d(3, 16, 4, 4)
        self.token = nn.Parameter(torch.zeros(1, 1, 16))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        tokens = self.embed(x).reshape(1, 16, 16).permute(0, 2, 1)
        return torch.cat([tokens, self.token.expand(1, -1, -1)], dim=1)


def swin_block(**options: float) -> nn.Module:
    from torchvision.models.swin_transformer import ShiftedWindowAttention

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Conv2d(3, 16, 4, 4)
            self.attn = ShiftedWindowAttention(16, [2, 2], [1, 1], 2, **options)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.attn(self.embed(x).permute(0, 2, 3, 1))

    return Block()


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (
            Attending(nn.MultiheadAttention(16, 2)),
            "tiny: module 'attention' (MultiheadAttention): cnncount reads attention on batch-first tokens only (batch_first=True)",
        ),
        (
            Attending(nn.MultiheadAttention(16, 2, batch_first=True), cross=True),
            "tiny: module 'attention' (MultiheadAttention): cnncount counts self-attention only: query, key and value the same tensor",
        ),
        (
            Attending(nn.MultiheadAttention(16, 2, dropout=0.1, batch_first=True)),
            "tiny: module 'attention' (MultiheadAttention): cnncount counts this attention without dropout inside it, not p=0.1",
        ),
        (
            swin_block(attention_dropout=0.1),
            "tiny: module 'attn' (ShiftedWindowAttention): cnncount counts this attention without dropout inside it, not p=0.1",
        ),
        (
            Prepended(),
            "tiny: the model (Prepended): cnncount puts one learned token before the sequence, as a class token; not this use of 'token'",
        ),
    ],
)
def test_what_cnncount_cannot_count_is_refused_in_one_line(model: nn.Module, message: str) -> None:
    with pytest.raises(ReadError) as caught:
        from_torch(model, (3, 16, 16), name="tiny")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("name", "batch"),
    [
        ("vit_b_16", 2),
        ("swin_t", 2),
        ("maxvit_t", 2),
        # Swin v2's bias MLP keeps its values once per batch, which cnncount's per-image
        # counts leave out: 2.1% of the whole at batch 2, 0.5% at batch 8
        ("swin_v2_t", 8),
    ],
)
def test_the_training_memory_of_a_transformer_read_is_what_autograd_keeps(
    name: str, batch: int
) -> None:
    """On the CPU, within 1%, as tests/test_torch_memory.py holds the built-in models."""
    model, size = build(name, device="cpu"), crop_size(name)
    measured, _ = saved_bytes(model, torch.randn(batch, 3, size, size))
    summary = summarize(from_torch(model, (3, size, size), name=name))
    predicted = kept_for_backward_bytes(summary, Batch(batch, device="cpu"))
    assert abs(predicted / measured - 1) <= 0.01, (predicted, measured)
