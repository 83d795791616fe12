"""The layer types: each answers, for an input shape, its output shape and its counts."""

from __future__ import annotations

from cnncount.layers.base import Layer
from cnncount.layers.conv import Conv2d
from cnncount.layers.linear import Flatten, Linear
from cnncount.layers.merge import Add, Concat, Merge
from cnncount.layers.norm import BatchNorm2d, LocalResponseNorm
from cnncount.layers.pointwise import Dropout, ReLU, ReLU6, Softmax
from cnncount.layers.pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d

__all__ = [
    "AdaptiveAvgPool2d",
    "Add",
    "AvgPool2d",
    "BatchNorm2d",
    "Concat",
    "Conv2d",
    "Dropout",
    "Flatten",
    "Layer",
    "Linear",
    "LocalResponseNorm",
    "MaxPool2d",
    "Merge",
    "ReLU",
    "ReLU6",
    "Softmax",
]
