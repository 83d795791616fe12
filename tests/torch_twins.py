"""PyTorch twins of cnncount's networks, for the cross-check tests (imported only where torch is)."""

from __future__ import annotations

import torch
from torch import nn

from cnncount import (
    AdaptiveAvgPool2d,
    Add,
    AvgPool2d,
    BatchNorm2d,
    Concat,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    LocalResponseNorm,
    MaxPool2d,
    Merge,
    ReLU,
    ReLU6,
    Softmax,
)
from cnncount.layers import Layer
from cnncount.network import Network
from cnncount.shapes import Shape
from cnncount.summary import Summary


def torch_layer(layer: Layer, shape: Shape) -> nn.Module:
    """Return the PyTorch module of ``layer`` for an input of ``shape``."""
    if isinstance(layer, Conv2d):
        return nn.Conv2d(
            shape.channels,
            layer.out_channels,
            layer.kernel_size,
            stride=layer.stride,
            padding=layer.padding,
            dilation=layer.dilation,
            groups=layer.groups,
            bias=layer.bias,
        )
    if isinstance(layer, MaxPool2d):
        return nn.MaxPool2d(
            layer.kernel_size, layer.stride, layer.padding, ceil_mode=layer.ceil_mode
        )
    if isinstance(layer, AvgPool2d):
        return nn.AvgPool2d(
            layer.kernel_size, layer.stride, layer.padding, ceil_mode=layer.ceil_mode
        )
    if isinstance(layer, AdaptiveAvgPool2d):
        return nn.AdaptiveAvgPool2d((layer.height, layer.width))
    if isinstance(layer, Linear):
        return nn.Sequential(
            nn.Flatten(), nn.Linear(shape.numel, layer.out_features, bias=layer.bias)
        )
    if isinstance(layer, Flatten):
        return nn.Flatten()
    if isinstance(layer, ReLU):
        return nn.ReLU(inplace=True)
    if isinstance(layer, ReLU6):
        return nn.ReLU6(inplace=True)
    if isinstance(layer, Dropout):
        return nn.Dropout(layer.p)
    if isinstance(layer, Softmax):
        return nn.Softmax(dim=1)
    if isinstance(layer, LocalResponseNorm):
        return nn.LocalResponseNorm(layer.size)
    if isinstance(layer, BatchNorm2d):
        return nn.BatchNorm2d(shape.channels)
    raise TypeError(f"no PyTorch twin for {layer!r}")


class TorchGraph(nn.Module):
    """A summary's network in PyTorch: one module per row, run in order, merges as add and cat.

    ``modules_by_row`` gives each row's module (None for a merge); after a forward pass,
    ``shapes`` holds each row's output shape for one image as (C, H, W), a vector as (n, 1, 1).
    """

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.rows = summary.rows[1:]
        self.modules_by_row = [
            None if isinstance(row.layer, Merge) else torch_layer(row.layer, row.input_shape)
            for row in self.rows
        ]
        self.layers = nn.ModuleList(module for module in self.modules_by_row if module is not None)
        self.shapes: list[tuple[int, ...]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        values = {"input": x}
        self.shapes = []
        for row, module in zip(self.rows, self.modules_by_row):
            inputs = [values[source] for source in row.inputs]
            if isinstance(row.layer, Add):
                x = torch.stack(inputs).sum(dim=0)
            elif isinstance(row.layer, Concat):
                x = torch.cat(inputs, dim=1)
            else:
                x = module(inputs[0])
            values[row.name] = x
            self.shapes.append(tuple(x.shape[1:]) + (1,) * (4 - x.dim()))
        return x


def torch_network(summary: Summary) -> TorchGraph:
    """Return the summary's network as a PyTorch module, in evaluation mode."""
    return TorchGraph(summary).eval()


def torch_accepts(network: Network) -> bool:
    """Return whether PyTorch runs the network's chain of layers on one image of its input."""
    shape = network.input_shape
    x = torch.zeros(1, shape.channels, shape.height, shape.width)
    try:
        with torch.no_grad():
            for node in network.nodes:
                spatial = tuple(x.shape[2:]) or (1, 1)
                x = torch_layer(node.layer, Shape(x.shape[1], *spatial)).eval()(x)
    except (RuntimeError, ValueError):
        return False
    return True


def output_shapes(model: TorchGraph, shape: tuple[int, int, int]) -> list[tuple[int, ...]]:
    """Return each row's output shape for one image, as (C, H, W); a vector is (n, 1, 1)."""
    with torch.no_grad():
        model(torch.zeros(1, *shape))
    return model.shapes
