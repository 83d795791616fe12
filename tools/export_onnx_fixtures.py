"""Export torchvision models to ONNX graphs without their weights, with torch's own counts beside.

Each model is exported with PyTorch's TorchScript exporter (``dynamo=False``), in
``TrainingMode.PRESERVE`` so that batch normalisation is kept rather than folded into the
convolutions, then saved with its weights moved to an external file that is thrown away: the
``.onnx`` left holds the graph and every initializer's dimensions, a few kilobytes. torch's own
figures go to ``counts.json``: the parameters and buffers of the module (batch normalisation's
``num_batches_tracked`` left out, as cnncount counts the running statistics only), the
multiply-accumulates (``FlopCounterMode`` / 2 on one image) and the output's size.

Run with PyTorch, torchvision and onnx installed:
``python tools/export_onnx_fixtures.py tests/data/onnx [MODEL ...]``; with ``--dynamo``, PyTorch's
dynamo exporter (it needs onnxscript) writes them instead:
``python tools/export_onnx_fixtures.py --dynamo tests/data/onnx/dynamo resnet18 ...``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import onnx
import torch
import torchvision
from onnx_strip import strip_metadata, strip_weights
from torch.utils.flop_counter import FlopCounterMode

MODELS = {
    "alexnet": {},
    "vgg16": {},
    "resnet18": {},
    "resnet50": {},
    "mobilenet_v2": {},
    "mobilenet_v3_small": {},
    "efficientnet_b0": {},
    "densenet121": {},
    "googlenet": {"aux_logits": False, "init_weights": False},
    "squeezenet1_0": {},
    "shufflenet_v2_x1_0": {},
    "regnet_y_400mf": {},
    "convnext_tiny": {},
}
"""The models exported, with the arguments that build each (GoogLeNet without its auxiliary
classifiers, which the exported graph of an inference would leave out)."""

OPSET = {"convnext_tiny": 20}
"""Opsets other than 17: ConvNeXt's GELU is one ``Gelu`` operator from opset 20 on."""


def torch_counts(model: torch.nn.Module, image: torch.Tensor) -> dict[str, int]:
    """Return torch's own parameters, buffers, multiply-accumulates and output size of ``model``."""
    buffers = sum(
        b.numel() for name, b in model.named_buffers() if not name.endswith("num_batches_tracked")
    )
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        output = model(image)
    return {
        "params": sum(p.numel() for p in model.parameters()),
        "buffers": buffers,
        "macs": counter.get_total_flops() // 2,
        "output": output.numel(),
    }


def export(
    name: str, folder: Path, opset: int | None = None, dynamo: bool = False
) -> dict[str, int]:
    """Write ``folder/NAME.onnx`` without its weights and return torch's counts of the model.

    TorchScript's exporter (``dynamo=False``) keeps batch normalisation (``TrainingMode.PRESERVE``)
    at any opset it knows; the dynamo exporter folds each batch norm into the convolution before it,
    as its optimiser does by default, so its weights are first given random values, as a trained
    model's would be (its optimiser drops a bias of zeros)."""
    model = torchvision.models.get_model(name, weights=None, **MODELS[name]).eval()
    image = torch.randn(1, 3, 224, 224)
    opset = opset or OPSET.get(name, 18 if dynamo else 17)
    with tempfile.TemporaryDirectory() as scratch:
        full = Path(scratch) / f"{name}.onnx"
        if dynamo:
            generator = torch.Generator().manual_seed(0)
            with torch.no_grad():
                for tensor in [*model.parameters(), *model.buffers()]:
                    if tensor.is_floating_point():
                        tensor.copy_(torch.rand(tensor.shape, generator=generator) + 0.5)
            program = torch.onnx.export(model, (image,), dynamo=True, opset_version=opset)
            program.save(str(full))
        else:
            torch.onnx.export(
                model,
                (image,),
                str(full),
                dynamo=False,
                opset_version=opset,
                training=torch.onnx.TrainingMode.PRESERVE,
                do_constant_folding=False,
            )
        graph = onnx.load(str(full))
    if dynamo:
        graph = strip_metadata(graph)
    onnx.save_model(strip_weights(graph), str(folder / f"{name}.onnx"))
    return torch_counts(model, image)


def main(argv: list[str]) -> None:
    dynamo = "--dynamo" in argv
    argv = [word for word in argv if word != "--dynamo"]
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    names = argv[1:] or list(MODELS)
    counts_file = folder / "counts.json"
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    for name in names:
        counts[name] = export(name, folder, dynamo=dynamo)
        print(name, counts[name], (folder / f"{name}.onnx").stat().st_size, "bytes")
    counts_file.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
