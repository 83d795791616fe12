"""The layer types: each answers, for an input shape, its output shape and its counts."""

from __future__ import annotations

from cnncount.layers.base import Layer
from cnncount.layers.conv import Conv2d
from cnncount.layers.linear import Flatten, Linear
from cnncount.layers.norm import BatchNorm2d, LocalResponseNorm
from cnncount.layers.pointwise import Dropout, ReLU, Softmax
from cnncount.layers.pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "BatchNorm2d",
    "Conv2d",
    "Dropout",
    "Flatten",
    "Layer",
    "Linear",
    "LocalResponseNorm",
    "MaxPool2d",
    "ReLU",
    "Softmax",
]
