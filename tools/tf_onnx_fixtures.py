"""Convert keras.applications models to ONNX with TensorFlow's converter, tf2onnx, without weights.

Each model is built with ``weights=None`` in Keras 2 (``tf_keras``, the Keras that tf2onnx's
``from_keras`` converts) on one image of 224 x 224 (299 x 299 for Inception-v3) and converted by
``tf2onnx.convert.from_keras``: the graph keeps TensorFlow's channels-last layout, with the
``Transpose`` nodes that tf2onnx puts around the convolutions. Keras 3 writes a batch
normalisation out as products and sums, which TensorFlow's constant folding merges into the
convolution's weights, so its file no longer holds Keras's weights; Keras 2's fused batch norm
becomes one ``BatchNormalization``. tf2onnx also folds a batch normalisation into the convolution
before it by default; that one rewrite is turned off here, so that the file holds Keras's layers
and Keras's own counts apply (a folded file reads as what it holds, a convolution with a bias).
Keras's initial weights are constants in places (zero biases, batch norm's ones and zeros), which
tf2onnx's optimizer uses: it drops an addition of zeros and merges equal tensors. So every weight is
first given random values, as a trained model's would be, and the file holds each of them. The weights
are then left out of the file (:mod:`onnx_strip`), their dimensions kept.

Keras's own figures go to ``counts.json``: the trainable weights' sizes, the non-trainable ones
(batch normalisation's moving statistics), ``count_params()`` (their sum), ``output_shape``, and
the weights of the ``Normalization`` layers (EfficientNet's preprocessing: a mean and a variance per
channel and a count, which tf2onnx writes as constants of the graph, and cnncount reads as a fixed
normalisation that counts nowhere), and the channels of the batch norms that learn no scale
(Inception-v3's ``scale=False``): tf2onnx gives each a scale of ones, a tensor in the file that
cnncount, reading no weight's values, counts as learned.

Run with TensorFlow and tf2onnx installed (``pip install tensorflow-cpu tf-keras tf2onnx``):
``python tools/tf_onnx_fixtures.py tests/data/onnx/tensorflow [MODEL ...]``.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import onnx
import tensorflow as tf
import tf2onnx
import tf_keras as keras
from onnx_strip import strip_weights
from tf2onnx.optimizer import back_to_back_optimizer

MODELS = {
    "MobileNetV2": 224,
    "ResNet50": 224,
    "EfficientNetB0": 224,
    "DenseNet121": 224,
    "InceptionV3": 299,
}
"""The keras.applications models converted, each with its image size. VGG16 is left out: tf2onnx's
conversion of its 138 million weights grew past 18 GB of memory here before it was stopped."""

OPSET = 17
"""The opset asked of tf2onnx."""

back_to_back_optimizer._func_map.pop(("Conv", "BatchNormalization"), None)


def keras_counts(model: keras.Model) -> dict[str, object]:
    """Return Keras's own trainable and non-trainable weights, total and output shape of ``model``."""
    return {
        "trainable": sum(math.prod(weight.shape) for weight in model.trainable_weights),
        "non_trainable": sum(math.prod(weight.shape) for weight in model.non_trainable_weights),
        "count_params": model.count_params(),
        "normalization": sum(
            math.prod(weight.shape)
            for layer in model.layers
            if type(layer).__name__ == "Normalization"
            for weight in layer.weights
        ),
        "unscaled_norm_channels": sum(
            layer.moving_mean.shape[0]
            for layer in model.layers
            if type(layer).__name__ == "BatchNormalization" and not layer.scale
        ),
        "output_shape": list(model.output_shape[1:]),
    }


def convert(name: str, folder: Path) -> dict[str, object]:
    """Write ``folder/NAME.onnx`` without its weights and return Keras's counts of the model."""
    size = MODELS[name]
    model = getattr(keras.applications, name)(weights=None, input_shape=(size, size, 3))
    random = np.random.default_rng(0)
    model.set_weights(
        [random.uniform(0.5, 1.5, weight.shape).astype("float32") for weight in model.weights]
    )
    spec = (tf.TensorSpec((1, size, size, 3), tf.float32, name="image"),)
    proto, _ = tf2onnx.convert.from_keras(model, input_signature=spec, opset=OPSET)
    proto.producer_name, proto.producer_version = "tf2onnx", tf2onnx.__version__
    onnx.save_model(strip_weights(proto), str(folder / f"{name}.onnx"))
    return keras_counts(model)


def main(argv: list[str]) -> None:
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    names = argv[1:] or list(MODELS)
    counts_file = folder / "counts.json"
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    for name in names:
        counts[name] = {**convert(name, folder), "versions": _versions()}
        print(name, counts[name], (folder / f"{name}.onnx").stat().st_size, "bytes")
    counts_file.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n")


def _versions() -> str:
    return f"tensorflow {tf.__version__}, keras {keras.__version__}, tf2onnx {tf2onnx.__version__}, opset {OPSET}"


if __name__ == "__main__":
    main(sys.argv[1:])
