"""Count how many of torchvision's classification models each way of tracing gets through.

Run with an interpreter that has torch and torchvision (``make torch``):
``PYTHONPATH=. python benchmarks/compare_tracers.py [NAME ...]``; a name that torchvision does
not list is built by timm (``timm.create_model(name, pretrained=False)``, at its own input size).

For each model, built on the meta device: ``torch.fx.symbolic_trace`` (the module traced with
proxies, no tensor), ``torch.export.export`` on a meta image, and cnncount's recorder
(``from_torch``: the forward run on meta tensors, each module and function mapped). A model
"gets through" where the tracer returns without an error; the recorder refuses what it cannot
count, so its figure is also the number read. The time is each tracer's total.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import partial


def tracers(torch, side: int) -> dict[str, Callable[[object], object]]:
    """Return each tracer as a function of a meta model fed a meta image of ``side``."""
    from cnncount.readers.torch import from_torch

    def image():
        return torch.empty(1, 3, side, side, device="meta")

    return {
        "torch.fx.symbolic_trace": torch.fx.symbolic_trace,
        "torch.export.export (meta)": lambda model: torch.export.export(model, (image(),)),
        "cnncount's recorder": lambda model: from_torch(model, (3, side, side)),
    }


def main(names: list[str]) -> None:
    try:
        import torch
        import torchvision
    except ImportError as error:
        print(f"skipped: {error.name} is not installed here")
        return
    from cnncount.readers.torch import build_on_meta

    listed = torchvision.models.list_models(module=torchvision.models)
    names = names or listed
    through: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    for name in names:
        factory, side = (_torchvision if name in listed else _timm)(name)
        for tracer, trace in tracers(torch, side).items():
            model = build_on_meta(factory, name).eval()
            start = time.perf_counter()
            try:
                trace(model)
            except Exception as error:  # noqa: BLE001 -- any failure is the tracer's failure
                reason = str(error).strip().splitlines()[0][:120] if str(error).strip() else ""
                print(f"  {name}: {tracer}: {type(error).__name__}: {reason}")
            else:
                through.setdefault(tracer, []).append(name)
            seconds[tracer] = seconds.get(tracer, 0.0) + time.perf_counter() - start
    print(f"of {len(names)} models (torch {torch.__version__}):")
    for tracer in tracers(torch, 224):
        count = len(through.get(tracer, []))
        print(f"  {tracer:<30}{count:4d} get through, {seconds.get(tracer, 0.0):8.1f} s in all")


def _torchvision(name: str) -> tuple[Callable[[], object], int]:
    """Return the factory of torchvision's model ``name``, built as its weights are, and their
    crop size."""
    import torchvision

    side = torchvision.models.get_model_weights(name).DEFAULT.transforms().crop_size[0]
    options: dict[str, object] = {"image_size": side} if name.startswith("vit_") else {}
    if name in ("googlenet", "inception_v3"):
        options = {"aux_logits": False, "init_weights": False}
    return partial(torchvision.models.get_model, name, weights=None, **options), side


def _timm(name: str) -> tuple[Callable[[], object], int]:
    """Return the factory of timm's model ``name`` and the side of its default input."""
    import timm

    side = timm.get_pretrained_cfg(name).input_size[-1]
    return partial(timm.create_model, name, pretrained=False), side


if __name__ == "__main__":
    main(sys.argv[1:])
