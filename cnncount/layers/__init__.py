"""The layer types: each answers, for an input shape, its output shape and its counts."""

from __future__ import annotations

from cnncount.layers.attention import MultiheadAttention
from cnncount.layers.base import Layer
from cnncount.layers.channels import ChannelChunk, ChannelShuffle
from cnncount.layers.conv import Conv2d
from cnncount.layers.gates import GELU, Hardsigmoid, Hardswish, Sigmoid, SiLU, Tanh
from cnncount.layers.linear import Flatten, Linear, PositionwiseLinear
from cnncount.layers.local import LocallyConnected2d
from cnncount.layers.merge import Add, Concat, Merge, Multiply
from cnncount.layers.norm import BatchNorm2d, LayerNorm, LocalResponseNorm
from cnncount.layers.padding import ZeroPad2d
from cnncount.layers.pointwise import Dropout, ReLU, ReLU6, Softmax
from cnncount.layers.pool import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from cnncount.layers.residual import LayerScale, StochasticDepth
from cnncount.layers.tokens import (
    ClassToken,
    ClassTokenReadout,
    PatchEmbedding,
    PositionEmbedding,
)
from cnncount.layers.transposed import ConvTranspose2d

__all__ = [
    "GELU",
    "AdaptiveAvgPool2d",
    "Add",
    "AvgPool2d",
    "BatchNorm2d",
    "ChannelChunk",
    "ChannelShuffle",
    "ClassToken",
    "ClassTokenReadout",
    "Concat",
    "Conv2d",
    "ConvTranspose2d",
    "Dropout",
    "Flatten",
    "Hardsigmoid",
    "Hardswish",
    "Layer",
    "LayerNorm",
    "LayerScale",
    "Linear",
    "LocalResponseNorm",
    "LocallyConnected2d",
    "MaxPool2d",
    "Merge",
    "MultiheadAttention",
    "Multiply",
    "PatchEmbedding",
    "PositionEmbedding",
    "PositionwiseLinear",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "StochasticDepth",
    "Tanh",
    "ZeroPad2d",
]
