"""Regenerate the Keras reader's fixtures with Keras itself.

Run with Keras 3 on PyTorch's CPU backend, from the repository's top:

    KERAS_BACKEND=torch /work/venvs/keras/bin/python tools/keras_fixtures.py

Each keras.applications model is built with ``weights=None`` and saved with ``model.save``; the
``config.json`` inside the archive is kept (the weights are not), beside Keras's own counts in
``tests/data/keras/counts.json``: ``count_params()``, the trainable and non-trainable counts and
``output_shape``. The small models are kept whole as ``.keras`` archives, their weights stripped.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "keras"

APPLICATIONS = [
    "VGG16",
    "ResNet50",
    "MobileNetV2",
    "EfficientNetB0",
    "DenseNet121",
    "InceptionV3",
    "Xception",
    "ConvNeXtTiny",
    "MobileNetV3Small",
]


def small_sequential() -> keras.Model:
    """Return a small Sequential CNN, with every common layer kind."""
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.ZeroPadding2D(((1, 0), (0, 1))),
            layers.DepthwiseConv2D(3, depth_multiplier=2, strides=2),
            layers.SeparableConv2D(24, 3, padding="same", use_bias=False),
            layers.BatchNormalization(center=False),
            layers.ReLU(max_value=6.0),
            layers.AveragePooling2D(2),
            layers.Conv2D(32, 1, groups=8, dilation_rate=1),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(10, activation="softmax"),
        ],
        name="small_sequential",
    )


def small_functional() -> keras.Model:
    """Return a functional model with branches, a nested model and squeeze-and-excitation."""
    layers = keras.layers
    inner_in = keras.Input((16, 16, 8))
    inner = layers.Conv2D(8, 3, padding="same", use_bias=False, name="conv")(inner_in)
    inner = layers.LayerNormalization(name="ln")(inner)
    inner = layers.Activation("gelu", name="gelu")(inner)
    block = keras.Model(inner_in, inner, name="block")

    inputs = keras.Input((32, 32, 3))
    x = layers.Normalization(axis=-1)(inputs)
    x = layers.Conv2D(8, 3, strides=2, padding="same", activation="swish")(x)
    left = layers.Conv2D(8, 1)(x)
    right = layers.DepthwiseConv2D(3, padding="same", activation="hard_swish")(x)
    x = layers.Add()([left, right])
    x = block(x)
    squeeze = layers.GlobalAveragePooling2D(keepdims=True)(x)
    squeeze = layers.Conv2D(4, 1, activation="relu")(squeeze)
    squeeze = layers.Conv2D(8, 1, activation="sigmoid")(squeeze)
    x = layers.Multiply()([x, squeeze])
    x = layers.Concatenate()([x, layers.Conv2D(4, 1, activation="tanh")(x)])
    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
    x = layers.Dense(6)(x)
    pooled = layers.GlobalMaxPooling2D()(x)
    outputs = layers.Dense(3, activation="hard_sigmoid")(pooled)
    return keras.Model(inputs, outputs, name="small_functional")


def counts(model: keras.Model) -> dict[str, object]:
    """Return Keras's own counts for ``model``."""
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    frozen = sum(int(w.numpy().size) for w in model.non_trainable_weights)
    return {
        "count_params": int(model.count_params()),
        "trainable": trainable,
        "non_trainable": frozen,
        "output_shape": list(model.output_shape),
    }


def config_of(archive: Path) -> bytes:
    """Return the ``config.json`` entry of a saved ``.keras`` archive."""
    with zipfile.ZipFile(archive) as zipped:
        return zipped.read("config.json")


def strip(archive: Path, target: Path) -> None:
    """Write ``archive`` to ``target`` without its weights file."""
    with (
        zipfile.ZipFile(archive) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for name in source.namelist():
            if name != "model.weights.h5":
                out.writestr(name, source.read(name))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    record: dict[str, object] = {"keras": keras.__version__, "models": {}, "failed": {}}
    builders = {name: getattr(keras.applications, name) for name in APPLICATIONS}
    with tempfile.TemporaryDirectory() as scratch:
        for name, build in [
            ("small_sequential", small_sequential),
            ("small_functional", small_functional),
            *builders.items(),
        ]:
            try:
                model = build() if name.startswith("small") else build(weights=None)
                path = Path(scratch) / f"{name}.keras"
                model.save(path)
            except Exception as error:  # noqa: BLE001 (a model that does not build on this backend)
                record["failed"][name] = f"{type(error).__name__}: {error}"  # type: ignore[index]
                print(name, "failed:", error, file=sys.stderr)
                continue
            record["models"][name] = counts(model)  # type: ignore[index]
            if name.startswith("small"):
                strip(path, OUT / f"{name}.keras")
                (OUT / f"{name}.json").write_text(model.to_json(indent=1) + "\n")
            else:
                config = json.loads(config_of(path))
                (OUT / f"{name}.config.json").write_text(json.dumps(config, separators=(",", ":")))
            print(name, record["models"][name])  # type: ignore[index]
    (OUT / "counts.json").write_text(json.dumps(record, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
