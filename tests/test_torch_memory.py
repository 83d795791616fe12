"""cnncount's memory model against what PyTorch really keeps, for every built-in model that
torchvision ships: the activations autograd saves for the backward pass (within 1%, in float32
and under bfloat16 autocast), the copies of the weights autocast saves (exactly), and the live
tensors of an inference pass.

Measured on the CPU, at batch 8, in train mode for the saved tensors: cnncount follows the CPU's
kernels (``device="cpu"``), whose dropout keeps its noise in the data type where CUDA keeps a
bool mask. Skipped, with the reason, where torch or torchvision is not installed (`make torch`).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

pytest.importorskip("torch", reason="PyTorch is not installed: `make torch` installs it")
pytest.importorskip("torchvision", reason="torchvision is not installed: `make torch` installs it")

import torch

from cnncount import Batch, get_model, summarize
from cnncount.memory import autocast_weight_bytes, inference_peak_bytes, kept_for_backward_bytes
from cnncount.models import MODELS
from tests.torch_memory import inference_peak, saved_bytes
from tests.torch_twins import torchvision_model

BATCH = 8
TWINS = {name: model.torchvision for name, model in MODELS.items() if model.torchvision}
"""Each built-in model that reproduces a torchvision model, and that model's name."""

MIXED = (
    "vgg16-torchvision",
    "resnet50",
    "mobilenet-v2",
    "efficientnet-b0",
    "convnext-tiny",
    "vit-b-16",
)
"""The models also measured under autocast (bfloat16, the CPU's)."""

_DENSE_LAYER = (
    "torchvision's _DenseLayer holds the concatenation and the bottleneck's output in local "
    "variables until it returns, which a network of layers does not say"
)
PEAK_GAPS = {"densenet121": _DENSE_LAYER, "densenet161": _DENSE_LAYER}
"""Models whose inference peak cnncount underestimates, and why."""


def image_batch(name: str) -> torch.Tensor:
    shape = get_model(name).input_shape
    return torch.randn(BATCH, shape.channels, shape.height, shape.width)


@pytest.mark.parametrize("name", list(TWINS))
def test_activations_kept_for_backward_match_autograd(name: str) -> None:
    measured, _ = saved_bytes(torchvision_model(TWINS[name]), image_batch(name))
    predicted = kept_for_backward_bytes(summarize(get_model(name)), Batch(BATCH, device="cpu"))
    assert abs(predicted / measured - 1) <= 0.01, (predicted, measured, predicted / measured)


@pytest.mark.parametrize("name", MIXED)
def test_mixed_precision_matches_autograd(name: str) -> None:
    summary = summarize(get_model(name))
    batch = Batch(BATCH, autocast="bfloat16", device="cpu")
    measured, weights = saved_bytes(torchvision_model(TWINS[name]), image_batch(name), "bfloat16")
    assert weights == autocast_weight_bytes(summary, batch)
    predicted = kept_for_backward_bytes(summary, batch)
    assert abs(predicted / measured - 1) <= 0.01, (predicted, measured, predicted / measured)


@pytest.mark.parametrize("name", list(TWINS))
def test_inference_peak_matches_the_live_tensors(name: str) -> None:
    summary = summarize(get_model(name))
    x = image_batch(name)
    measured = inference_peak(torchvision_model(TWINS[name]), x) + x.numel() * 4
    fixed = 4 * (summary.totals.params + summary.totals.buffers)
    predicted = inference_peak_bytes(summary, Batch(BATCH, device="cpu")) - fixed
    ratio = predicted / measured
    if name in PEAK_GAPS:
        assert 0.8 <= ratio < 0.99, (PEAK_GAPS[name], ratio)
    else:
        assert abs(ratio - 1) <= 0.01, (predicted, measured, ratio)
