"""What PyTorch really keeps: the tensors autograd saves, and the live tensors of an inference
pass, measured on torchvision's models (imported only where torch and torchvision are)."""

from __future__ import annotations

import contextlib
import weakref

import torch
from torch.utils._python_dispatch import TorchDispatchMode


def storage(tensor: torch.Tensor) -> int:
    """Return the address of a tensor's storage, which its views share."""
    return tensor.untyped_storage().data_ptr()


class _WeightCasts(TorchDispatchMode):
    """Record the storages of the copies autocast makes of the parameters."""

    def __init__(self, parameters: set[int]) -> None:
        super().__init__()
        self.parameters = parameters
        self.casts: dict[int, int] = {}

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        out = func(*args, **(kwargs or {}))
        if func.overloadpacket.__name__ == "_to_copy" and storage(args[0]) in self.parameters:
            self.casts[storage(out)] = out.untyped_storage().nbytes()
        return out


def saved_bytes(
    model: torch.nn.Module, x: torch.Tensor, autocast: str | None = None
) -> tuple[int, int]:
    """Return the bytes of the distinct storages autograd saves in a train-mode forward pass of
    ``x``, parameters, buffers and ``x`` excluded, and apart from them the bytes of the copies of
    the parameters autocast (``"bfloat16"`` on the CPU) saves."""
    model.train()
    parameters = {storage(t) for t in model.parameters()}
    excluded = parameters | {storage(t) for t in [*model.buffers(), x]}
    saved: dict[int, int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        if storage(tensor) not in excluded:
            saved[storage(tensor)] = tensor.untyped_storage().nbytes()
        # Keep the storage alive, so that its address is not reused during the pass, but not the
        # tensor: a saved output holding its own grad_fn would be a cycle that is never freed.
        return tensor.detach()

    casts = _WeightCasts(parameters)
    cast = (
        torch.autocast("cpu", dtype=getattr(torch, autocast))
        if autocast
        else contextlib.nullcontext()
    )
    with cast, casts, torch.autograd.graph.saved_tensors_hooks(pack, lambda packed: packed):
        model(x)
    weights = sum(size for address, size in saved.items() if address in casts.casts)
    return sum(saved.values()) - weights, weights


class _LiveTensors(TorchDispatchMode):
    """Follow the bytes of the tensors alive during a pass, from each op's outputs to the moment
    their storage is freed, and keep the most at once."""

    def __init__(self, excluded: set[int]) -> None:
        super().__init__()
        self.excluded = excluded
        self.live: set[int] = set()
        self.bytes = self.peak = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):  # type: ignore[no-untyped-def]
        out = func(*args, **(kwargs or {}))
        for tensor in out if isinstance(out, (tuple, list)) else [out]:
            if isinstance(tensor, torch.Tensor):
                self._follow(tensor)
        self.peak = max(self.peak, self.bytes)
        return out

    def _follow(self, tensor: torch.Tensor) -> None:
        address = storage(tensor)
        if address in self.excluded or address in self.live:
            return
        size = tensor.untyped_storage().nbytes()
        self.live.add(address)
        self.bytes += size
        weakref.finalize(tensor.untyped_storage(), self._free, address, size)

    def _free(self, address: int, size: int) -> None:
        self.live.discard(address)
        self.bytes -= size


def inference_peak(model: torch.nn.Module, x: torch.Tensor) -> int:
    """Return the most bytes of tensors alive at once in an eval-mode, no-grad forward pass of
    ``x``, the parameters, the buffers and ``x`` excluded."""
    model.eval()
    excluded = {storage(t) for t in [*model.parameters(), *model.buffers(), x]}
    with torch.no_grad():
        model(x)  # a first pass, so that nothing made once is measured
        tracker = _LiveTensors(excluded)
        with tracker:
            model(x)
    return tracker.peak
