"""Write the model files that the chapter "Count your own network" reads, without their weights.

The chapter reads a student's PyTorch model, ``book/tinycnn.py``, three ways. This tool makes
the two files it reads besides:

- ``onnx``: TinyCNN exported to ``book/tinycnn.onnx`` by PyTorch's TorchScript exporter, its
  weights moved to an external file that is thrown away (as ``tools/export_onnx_fixtures.py``
  does), so that the file holds the graph and each weight's dimensions, a few kilobytes.
  Run with PyTorch and onnx: ``python tools/book_models.py onnx``.
- ``keras``: the same network in Keras with batch normalisation after each convolution
  (``book/tinycnn_keras.py``), saved as ``book/tinycnn_bn.keras``, and a copy whose first layer
  is a ``Lambda`` that scales the pixels, ``book/tinycnn_lambda.keras``; both without their
  weights file, and Keras's own counts printed. Run with Keras 3:
  ``KERAS_BACKEND=torch python tools/book_models.py keras``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

BOOK = Path(__file__).resolve().parent.parent / "book"


def write_onnx() -> None:
    """Export TinyCNN, for one 1 x 28 x 28 image, to ``book/tinycnn.onnx`` without its weights."""
    import onnx
    import torch

    sys.path.insert(0, str(BOOK))
    from tinycnn import TinyCNN

    model = TinyCNN().eval()
    with tempfile.TemporaryDirectory() as scratch:
        full = Path(scratch) / "tinycnn.onnx"
        torch.onnx.export(
            model, (torch.randn(1, 1, 28, 28),), str(full), dynamo=False, opset_version=17
        )
        stripped = Path(scratch) / "stripped" / "tinycnn.onnx"
        stripped.parent.mkdir()
        onnx.save_model(
            onnx.load(str(full)), str(stripped), save_as_external_data=True, location="weights"
        )
        (BOOK / "tinycnn.onnx").write_bytes(stripped.read_bytes())


def write_keras() -> None:
    """Save the Keras models to ``book/`` without their weights file."""
    import zipfile

    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras

    sys.path.insert(0, str(BOOK))
    from tinycnn_keras import tinycnn_bn

    scaled_by_code = keras.layers.Lambda(lambda x: x / 255.0, name="scale")
    with tempfile.TemporaryDirectory() as scratch:
        for name, scale in (("tinycnn_bn", None), ("tinycnn_lambda", scaled_by_code)):
            model = tinycnn_bn(scale)
            saved = Path(scratch) / f"{name}.keras"
            model.save(saved)
            with (
                zipfile.ZipFile(saved) as source,
                zipfile.ZipFile(BOOK / f"{name}.keras", "w", zipfile.ZIP_DEFLATED) as out,
            ):
                for entry in source.namelist():
                    if entry != "model.weights.h5":
                        out.writestr(entry, source.read(entry))
            trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
            frozen = sum(int(w.numpy().size) for w in model.non_trainable_weights)
            print(name, "trainable", trainable, "non-trainable", frozen)


if __name__ == "__main__":
    {"onnx": write_onnx, "keras": write_keras}[sys.argv[1]]()
