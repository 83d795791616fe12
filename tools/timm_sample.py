"""Read a sample of timm's families with ``cnncount.from_torch`` and set its figures beside torch's.

Each model of ``tests/data/timm-sample.txt`` (or each name given) is built by
``timm.create_model(name, pretrained=False)`` on the meta device, so no weight is allocated, and
read at its ``pretrained_cfg["input_size"]``. torch's own figures are computed here, live: the
parameters, the buffers (batch norm's ``num_batches_tracked`` left out), the multiply-accumulates
(``FlopCounterMode`` / 2 on a meta forward pass in evaluation mode) and the output's size. A model
reads exactly when cnncount's four figures equal torch's; otherwise it is refused in one line, or
its figures differ, which is a bug.

Run with torch and timm installed: ``python tools/timm_sample.py [MODEL ...]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import timm
import torch
from torch.utils.flop_counter import FlopCounterMode

from cnncount import ReadError, from_torch, summarize

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "timm-sample.txt"
"""The sample: one timm model a line, grouped by family under comments."""


@dataclass(frozen=True)
class Figures:
    """A model's parameters, buffers, multiply-accumulates and output size for one image, the
    size as cnncount writes shapes: C x H x W, a vector of C as C x 1 x 1, N tokens of D values
    as D x 1 x N."""

    params: int
    buffers: int
    macs: int
    output: tuple[int, int, int]


def sample_names() -> list[str]:
    """Return the models of the sample, in the file's order."""
    lines = (line.split("#")[0].strip() for line in SAMPLE.read_text().splitlines())
    return [line for line in lines if line]


def build(name: str) -> torch.nn.Module:
    """Return timm's model ``name``, untrained, built on the meta device."""
    with torch.device("meta"):
        return timm.create_model(name, pretrained=False)


def input_shape(model: torch.nn.Module) -> tuple[int, int, int]:
    """Return the (C, H, W) that the model's pretrained configuration feeds it."""
    channels, height, width = model.pretrained_cfg["input_size"]
    return (channels, height, width)


def torch_figures(model: torch.nn.Module, shape: tuple[int, int, int]) -> Figures:
    """Return torch's own figures of ``model`` (on meta) for one image of ``shape``.

    The forward pass runs with gradients enabled: FlopCounterMode's module tracker fails under
    ``torch.no_grad()`` on modules that take a parameter as input (timm's PiT and CaiT).
    """
    buffers = sum(
        b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked")
    )
    was_training = model.training
    model.eval()
    counter = FlopCounterMode(display=False)
    try:
        with counter:
            output = model(torch.empty(1, *shape, device="meta"))
    finally:
        model.train(was_training)
    return Figures(
        params=sum(p.numel() for p in model.parameters()),
        buffers=buffers,
        macs=counter.get_total_flops() // 2,
        output=_as_shape(tuple(int(size) for size in output.shape[1:])),
    )


def _as_shape(dims: tuple[int, ...]) -> tuple[int, int, int]:
    """Return torch's dimensions after the batch as cnncount's (C, H, W)."""
    if len(dims) == 1:
        return (dims[0], 1, 1)
    if len(dims) == 2:
        return (dims[1], 1, dims[0])
    channels, height, width = dims
    return (channels, height, width)


def cnncount_figures(model: torch.nn.Module, shape: tuple[int, int, int], name: str) -> Figures:
    """Return cnncount's figures of ``model`` read by ``from_torch``; raise ReadError where it
    is refused."""
    summary = summarize(from_torch(model, shape, name=name))
    out = summary.rows[-1].output_shape
    output = (out.channels, out.height, out.width)
    return Figures(
        params=summary.totals.params,
        buffers=summary.totals.buffers,
        macs=summary.totals.macs,
        output=output,
    )


def outcome(name: str) -> tuple[Figures, Figures | str]:
    """Return torch's figures of the model ``name`` and cnncount's, or cnncount's refusal."""
    model = build(name)
    shape = input_shape(model)
    reference = torch_figures(model, shape)
    try:
        return reference, cnncount_figures(model, shape, name)
    except ReadError as refusal:
        return reference, str(refusal)


def main(names: list[str]) -> int:
    """Print each model's figures, cnncount's beside torch's, and the count that read exactly."""
    exact, refused, wrong = 0, [], []
    for name in names:
        reference, read = outcome(name)
        if isinstance(read, str):
            refused.append(read)
            print(f"{name:34} refused")
            continue
        same = read == reference
        exact += same
        if not same:
            wrong.append(name)
        print(
            f"{name:34} {'exact' if same else 'DIFFERS':7} params {read.params:>12,} / "
            f"{reference.params:<12,} buffers {read.buffers:>9,} / {reference.buffers:<9,} "
            f"MACs {read.macs:>15,} / {reference.macs:<15,} output {read.output} / "
            f"{reference.output}"
        )
    print(f"\n{exact} of {len(names)} read exactly; {len(refused)} refused; {len(wrong)} differ")
    for line in refused:
        print(f"  refused: {line}")
    for name in wrong:
        print(f"  DIFFERS: {name}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or sample_names()))
