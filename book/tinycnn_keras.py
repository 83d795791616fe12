"""TinyCNN in Keras, with batch normalisation after each convolution."""

import keras
from keras import layers


def tinycnn_bn(scale: layers.Layer | None = None) -> keras.Sequential:
    """Return the network; its first layer scales the pixels from 0-255 to 0-1."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            scale or layers.Rescaling(1 / 255, name="scale"),
            layers.Conv2D(16, 3, padding="same", name="conv1"),
            layers.BatchNormalization(name="bn1"),
            layers.ReLU(name="relu1"),
            layers.MaxPooling2D(name="pool1"),
            layers.Conv2D(32, 3, padding="same", name="conv2"),
            layers.BatchNormalization(name="bn2"),
            layers.ReLU(name="relu2"),
            layers.MaxPooling2D(name="pool2"),
            layers.Flatten(name="flatten"),
            layers.Dense(128, activation="relu", name="fc1"),
            layers.Dense(10, name="fc2"),
        ],
        name="tinycnn_bn",
    )
