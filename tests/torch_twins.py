"""PyTorch twins of cnncount's networks, for the cross-check tests (imported only where torch is).

Every tensor of a twin is laid out as cnncount writes shapes: batch x channels x height x width,
a sequence of N tokens of D values as (batch, D, 1, N). The twins of layers that PyTorch applies
to the last dimension (``nn.Linear`` per position, ``nn.LayerNorm``, attention) move the channels
last and back, as ConvNeXt's ``LayerNorm2d`` does.
"""

from __future__ import annotations

import math
from functools import reduce
from operator import mul

import torch
import torch.nn.functional as F
from torch import nn

from cnncount import (
    ELU,
    GELU,
    SELU,
    AdaptiveAvgPool2d,
    Add,
    AvgPool2d,
    BatchNorm2d,
    ChannelChunk,
    ChannelShuffle,
    ClassToken,
    ClassTokenReadout,
    Concat,
    Conv2d,
    ConvTranspose2d,
    CosineWindowAttention,
    Dropout,
    Dropout2d,
    Flatten,
    GlobalResponseNorm,
    GroupNorm,
    Hardsigmoid,
    Hardswish,
    InstanceNorm2d,
    Interpolate,
    LayerNorm,
    LayerScale,
    LeakyReLU,
    Linear,
    LocallyConnected2d,
    LocalResponseNorm,
    MapToTokens,
    MaxPool2d,
    Merge,
    Mish,
    MultiheadAttention,
    Multiply,
    PatchEmbedding,
    PositionEmbedding,
    PositionwiseLinear,
    PReLU,
    ReflectionPad2d,
    RelativeAttention,
    ReLU,
    ReLU6,
    ReplicationPad2d,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    SpaceToDepth,
    StdConv2d,
    StochasticDepth,
    SwapAxes,
    Tanh,
    WindowAttention,
    WindowDepartition,
    WindowPartition,
    ZeroPad2d,
)
from cnncount.layers import Layer
from cnncount.network import Network
from cnncount.shapes import Shape
from cnncount.summary import Summary

REFUSALS = (RuntimeError, ValueError, IndexError, AssertionError)
"""What PyTorch raises for a layer that does not fit its input (AssertionError: nn.MultiheadAttention
with heads that do not divide the dimension; IndexError: a chunk that is not there)."""


class ChannelsLast(nn.Module):
    """Apply ``module`` to the channels at each position, as to the last dimension of a
    channels-last map: ``nn.Linear`` and ``nn.LayerNorm`` as ConvNeXt and ViT use them."""

    def __init__(self, module: nn.Module) -> None:
        super().__init__()
        self.module = module

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.module(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class Attention(nn.Module):
    """Self-attention over the H*W positions, with the parameters of ``nn.MultiheadAttention``,
    computed step by step so that ``flop_counter`` counts both matrix products (Q Kᵀ and A V):
    PyTorch's fused kernels count none of them."""

    def __init__(self, dim: int, heads: int, bias: bool) -> None:
        super().__init__()
        self.heads = heads
        self.attention = nn.MultiheadAttention(dim, heads, bias=bias, batch_first=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, dim, height, width = x.shape
        tokens = x.flatten(2).transpose(1, 2)  # (batch, N, D)
        attention = self.attention
        q, k, v = F.linear(tokens, attention.in_proj_weight, attention.in_proj_bias).chunk(3, -1)
        q, k, v = (
            t.reshape(batch, -1, self.heads, dim // self.heads).transpose(1, 2) for t in (q, k, v)
        )
        weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(dim // self.heads), dim=-1)
        joined = (weights @ v).transpose(1, 2).reshape(batch, -1, dim)
        out = attention.out_proj(joined)
        return out.transpose(1, 2).reshape(batch, dim, height, width)


class Patches(nn.Module):
    """A p x p convolution at stride p, its map read as a sequence (batch, D, 1, N); the image must
    divide into whole patches, as torchvision's ViT asserts."""

    def __init__(self, channels: int, dim: int, patch: int, bias: bool) -> None:
        super().__init__()
        self.patch = patch
        self.conv = nn.Conv2d(channels, dim, patch, stride=patch, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[2] % self.patch or x.shape[3] % self.patch:
            raise ValueError("Input shape indivisible by patch size!")
        return self.conv(x).flatten(2).unsqueeze(2)


class Local(nn.Module):
    """A locally connected layer, which PyTorch lacks: the input's windows cut out by ``F.unfold``,
    each of the L output positions multiplied by its own (C_in kh kw) x C_out weight, and one bias
    per output value, as Keras's ``LocallyConnected2D`` holds them."""

    def __init__(self, layer: LocallyConnected2d, shape: Shape) -> None:
        super().__init__()
        self.kernel, self.stride, self.padding = layer.kernel_size, layer.stride, layer.padding
        self.size = tuple(  # floor((n + 2p - k) / s) + 1 along each axis, written out afresh
            (n + 2 * p - k) // s + 1
            for n, k, s, p in zip(
                (shape.height, shape.width), *(self.kernel, self.stride, self.padding)
            )
        )
        window = shape.channels * self.kernel[0] * self.kernel[1]
        self.weight = nn.Parameter(
            torch.randn(self.size[0] * self.size[1], window, layer.out_channels)
        )
        self.bias = (
            nn.Parameter(torch.zeros(layer.out_channels, *self.size)) if layer.bias else None
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        columns = F.unfold(x, self.kernel, padding=self.padding, stride=self.stride)
        # one matrix product per position (batch L), which flop_counter counts whatever the sizes
        out = torch.bmm(columns.permute(2, 0, 1), self.weight).permute(1, 2, 0)
        out = out.reshape(x.shape[0], -1, *self.size)
        return out if self.bias is None else out + self.bias


class Prepend(nn.Module):
    """A learned token put before the sequence (batch, D, 1, N), as torchvision's ViT concatenates
    its class token."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, dim, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.token.expand(x.shape[0], -1, -1, -1), x], dim=3)


class Readout(nn.Module):
    """The first token of a sequence (batch, D, 1, N): ViT's ``x[:, 0]``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        sequence = x.view(x.shape[0], x.shape[1], x.shape[3])  # refuses a map of height > 1
        return sequence[:, :, :1].unsqueeze(2)


class Scale(nn.Module):
    """A learned value times the input (layer scale), a learned value plus it (position
    embedding), or a learned value times it plus a learned bias (layer scale with a bias:
    Caffe's ``Scale`` layer)."""

    def __init__(self, shape: tuple[int, ...], multiply: bool, add: bool) -> None:
        super().__init__()
        self.multiply = multiply
        self.scale = nn.Parameter(torch.ones(1, *shape))
        self.bias = nn.Parameter(torch.zeros(1, *shape)) if multiply and add else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.multiply:
            return x + self.scale
        x = x * self.scale
        return x + self.bias if self.bias is not None else x


class DropPath(nn.Module):
    """torchvision's ``StochasticDepth(p, "row")``: the identity in evaluation."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return x
        keep = torch.empty(x.shape[0], 1, 1, 1).bernoulli_(1 - self.p)
        return x * keep / (1 - self.p)


class Chunk(nn.Module):
    """One of the slices of ``x.chunk(chunks, dim=1)``, as ShuffleNetV2 splits its channels."""

    def __init__(self, chunks: int, index: int) -> None:
        super().__init__()
        self.chunks, self.index = chunks, index

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.chunk(self.chunks, dim=1)[self.index]


class Tokens(nn.Module):
    """A map's positions read as a sequence (batch, C, 1, H W), as ViT reshapes its patches."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.flatten(2).unsqueeze(2)


class Windowed(nn.Module):
    """torchvision's MaxViT partition, departition or Swin patch-merging gather, with the map
    channels first around it: (batch, C, G, P) for groups of tokens, as cnncount writes them."""

    def __init__(self, layer: Layer) -> None:
        super().__init__()
        self.layer = layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        from torchvision.models import maxvit, swin_transformer

        layer = self.layer
        if isinstance(layer, WindowPartition):
            return maxvit.WindowPartition()(x, layer.size).permute(0, 3, 1, 2)
        if isinstance(layer, WindowDepartition):
            groups = x.permute(0, 2, 3, 1)
            columns = x.shape[2] // layer.rows
            return maxvit.WindowDepartition()(groups, layer.size, layer.rows, columns)
        gathered = swin_transformer._patch_merging_pad(x.permute(0, 2, 3, 1))
        return gathered.permute(0, 3, 1, 2)


class StandardisedConv(nn.Conv2d):
    """timm's ``StdConv2d`` (and, with a gain, its ``ScaledStdConv2d``): each filter brought to
    mean 0 and variance 1 before the convolution."""

    def __init__(self, channels: int, layer: StdConv2d) -> None:
        super().__init__(
            channels,
            layer.out_channels,
            layer.kernel_size,
            stride=layer.stride,
            padding=layer.padding,
            dilation=layer.dilation,
            groups=layer.groups,
            bias=layer.bias,
        )
        self.gain = nn.Parameter(torch.ones(layer.out_channels, 1, 1, 1)) if layer.gain else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = self.weight.reshape(1, self.out_channels, -1)
        weight = F.batch_norm(flat, None, None, training=True, momentum=0.0).reshape_as(self.weight)
        weight = weight if self.gain is None else weight * self.gain
        return self._conv_forward(x, weight, self.bias)


class ResponseNorm(nn.Module):
    """ConvNeXt V2's global response normalisation, as timm's ``GlobalResponseNorm`` on NCHW."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.bias = nn.Parameter(torch.zeros(1, channels, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        norms = x.norm(p=2, dim=(2, 3), keepdim=True)
        ratios = norms / (norms.mean(dim=1, keepdim=True) + 1e-6)
        return x + torch.addcmul(self.bias, self.weight, x * ratios)


def torch_layer(layer: Layer, shape: Shape) -> nn.Module:
    """Return the PyTorch module of ``layer`` for an input of ``shape``."""
    if isinstance(layer, StdConv2d):
        return StandardisedConv(shape.channels, layer)
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
    if isinstance(layer, LocallyConnected2d):
        return Local(layer, shape)
    if isinstance(layer, ConvTranspose2d):
        return nn.ConvTranspose2d(
            shape.channels,
            layer.out_channels,
            layer.kernel_size,
            stride=layer.stride,
            padding=layer.padding,
            output_padding=layer.output_padding,
            groups=layer.groups,
            bias=layer.bias,
            dilation=layer.dilation,
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
    if isinstance(layer, LeakyReLU):
        return nn.LeakyReLU(layer.negative_slope, inplace=True)
    if isinstance(layer, Dropout2d):
        return nn.Dropout2d(layer.p)
    if isinstance(layer, Dropout):
        return nn.Dropout(layer.p)
    if isinstance(layer, Softmax):
        return nn.Softmax(dim=1)
    if isinstance(layer, LocalResponseNorm):
        return nn.LocalResponseNorm(layer.size)
    if isinstance(layer, BatchNorm2d):
        return nn.BatchNorm2d(shape.channels)
    return _newer_layer(layer, shape)


def _newer_layer(layer: Layer, shape: Shape) -> nn.Module:
    """Return the PyTorch module of one of the layers of modern networks."""
    simple = {
        SiLU: lambda: nn.SiLU(inplace=True),
        Hardswish: lambda: nn.Hardswish(inplace=True),
        Hardsigmoid: nn.Hardsigmoid,
        Sigmoid: nn.Sigmoid,
        Tanh: nn.Tanh,
        SELU: nn.SELU,
        Mish: nn.Mish,
        ClassTokenReadout: Readout,
    }
    if type(layer) in simple:
        return simple[type(layer)]()
    if isinstance(layer, GELU):
        return nn.GELU(approximate="tanh" if layer.tanh else "none")
    if isinstance(layer, ELU):
        return nn.ELU(layer.alpha)
    pads = {
        ZeroPad2d: nn.ZeroPad2d,
        ReflectionPad2d: nn.ReflectionPad2d,
        ReplicationPad2d: nn.ReplicationPad2d,
    }
    if type(layer) in pads:
        return pads[type(layer)]((layer.left, layer.right, layer.top, layer.bottom))
    if isinstance(layer, InstanceNorm2d):
        return nn.InstanceNorm2d(
            shape.channels, affine=layer.affine, track_running_stats=layer.running
        )
    if isinstance(layer, Softplus):
        return nn.Softplus(layer.beta)
    if isinstance(layer, PReLU):
        return nn.PReLU(shape.channels if layer.channels else 1)
    if isinstance(layer, StochasticDepth):
        return DropPath(layer.p)
    if isinstance(layer, LayerNorm):
        return ChannelsLast(nn.LayerNorm(shape.channels))
    if isinstance(layer, LayerScale):
        return Scale((shape.channels, 1, 1), multiply=True, add=layer.bias)
    if isinstance(layer, PositionEmbedding):
        return Scale((shape.channels, shape.height, shape.width), multiply=False, add=True)
    if isinstance(layer, PositionwiseLinear):
        return ChannelsLast(nn.Linear(shape.channels, layer.out_features, bias=layer.bias))
    if isinstance(layer, ChannelShuffle):
        return nn.ChannelShuffle(layer.groups)
    if isinstance(layer, GroupNorm):
        return nn.GroupNorm(layer.groups, shape.channels, affine=layer.affine)
    if isinstance(layer, GlobalResponseNorm):
        return ResponseNorm(shape.channels)
    if isinstance(layer, Interpolate):
        if layer.size is not None:
            return nn.Upsample(size=layer.size, mode=layer.mode)
        assert layer.scale is not None
        return nn.Upsample(scale_factor=tuple(map(float, layer.scale)), mode=layer.mode)
    if isinstance(layer, ChannelChunk):
        return Chunk(layer.chunks, layer.index)
    if isinstance(layer, PatchEmbedding):
        return Patches(shape.channels, layer.dim, layer.patch_size, layer.bias)
    if isinstance(layer, ClassToken):
        return Prepend(shape.channels)
    if isinstance(layer, MultiheadAttention):
        return Attention(shape.channels, layer.heads, layer.bias)
    return _windowed_layer(layer, shape)


def _windowed_layer(layer: Layer, shape: Shape) -> nn.Module:
    """Return the torchvision module of one of Swin's and MaxViT's layers, channels moved last
    and back, or the reshape that stands for a rearranging layer."""
    from torchvision.models import maxvit, swin_transformer

    if isinstance(layer, (WindowAttention, CosineWindowAttention)):
        attention = (
            swin_transformer.ShiftedWindowAttentionV2
            if isinstance(layer, CosineWindowAttention)
            else swin_transformer.ShiftedWindowAttention
        )
        window, shift = list(layer.window_size), list(layer.shift)
        module = attention(shape.channels, window, shift, layer.heads, layer.bias, layer.bias)
        return ChannelsLast(module)
    if isinstance(layer, RelativeAttention):
        if shape.channels % layer.heads or shape.width != layer.size**2:
            # torchvision's module is built from a head size, and broadcasts its bias over a
            # group of one token: the sizes that cnncount refuses cannot be built to fit
            raise ValueError(f"{shape} does not fit {layer}")
        return ChannelsLast(
            maxvit.RelativePositionalMultiHeadAttention(
                shape.channels, shape.channels // layer.heads, layer.size**2
            )
        )
    if isinstance(layer, (WindowPartition, WindowDepartition, SpaceToDepth)):
        return Windowed(layer)
    if isinstance(layer, SwapAxes):
        return maxvit.SwapAxes(-1, -2)
    if isinstance(layer, MapToTokens):
        return Tokens()
    raise TypeError(f"no PyTorch twin for {layer!r}")


def merge(layer: Merge, inputs: list[torch.Tensor]) -> torch.Tensor:
    """Return what PyTorch makes of the branches that ``layer`` merges."""
    if isinstance(layer, Add):
        return torch.stack(inputs).sum(dim=0)
    if isinstance(layer, Concat):
        return torch.cat(inputs, dim=1)
    if isinstance(layer, Multiply):
        return reduce(mul, inputs)
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
            x = merge(row.layer, inputs) if module is None else module(inputs[0])
            values[row.name] = x
            self.shapes.append(tuple(x.shape[1:]) + (1,) * (4 - x.dim()))
        return x


def torch_network(summary: Summary) -> TorchGraph:
    """Return the summary's network as a PyTorch module, in evaluation mode."""
    return TorchGraph(summary).eval()


def torch_accepts(network: Network) -> bool:
    """Return whether PyTorch runs the network on one image of its input to a tensor that is not
    empty."""
    shape = network.input_shape
    values = {"input": torch.zeros(1, shape.channels, shape.height, shape.width)}
    try:
        with torch.no_grad():
            for node in network.nodes:
                inputs = [values[source] for source in node.inputs]
                if isinstance(node.layer, Merge):
                    values[node.name] = merge(node.layer, inputs)
                    continue
                x = inputs[0]
                spatial = tuple(x.shape[2:]) or (1, 1)
                module = torch_layer(node.layer, Shape(x.shape[1], *spatial)).eval()
                values[node.name] = module(x)
                if values[node.name].numel() == 0:
                    # PyTorch's grouped transposed convolution returns an output empty along an
                    # axis where the others refuse it; cnncount refuses it
                    return False
    except REFUSALS:
        return False
    return True


def output_shapes(model: TorchGraph, shape: tuple[int, int, int]) -> list[tuple[int, ...]]:
    """Return each row's output shape for one image, as (C, H, W); a vector is (n, 1, 1)."""
    with torch.no_grad():
        model(torch.zeros(1, *shape))
    return model.shapes


class ModuleCounts:
    """What torchvision's module called ``name`` holds and does, for one image: the output shape of
    its first call in cnncount's layout, its parameters, biases and running statistics, and its
    multiply-accumulates over all its calls."""

    def __init__(self, name: str, module: nn.Module) -> None:
        self.name = name
        self.module = module
        parameters = dict(module.named_parameters())
        self.params = sum(p.numel() for p in parameters.values())
        self.biases = sum(p.numel() for key, p in parameters.items() if key.endswith("bias"))
        self.buffers = sum(
            b.numel()
            for key, b in module.named_buffers()
            if key.endswith(("running_mean", "running_var"))
        )
        self.shape: tuple[int, ...] | None = None
        self.macs = 0


def torchvision_model(name: str) -> nn.Module:
    """Return torchvision's model ``name`` without weights, in evaluation mode; GoogLeNet and
    Inception-v3 without their auxiliary heads."""
    import torchvision

    options = (
        {"aux_logits": False, "init_weights": False}
        if name in ("googlenet", "inception_v3")
        else {}
    )
    return torchvision.models.get_model(name, weights=None, **options).eval()


def _layout(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Write a tensor's shape without its batch as cnncount does: (n,) as (n, 1, 1), a sequence of
    L tokens of D values (L, D) as (D, 1, L), a map (C, H, W) as it is."""
    if len(shape) == 1:
        return (shape[0], 1, 1)
    if len(shape) == 2:
        return (shape[1], 1, shape[0])
    return shape


def attention_matmul_macs(module: nn.MultiheadAttention, tokens: torch.Tensor) -> int:
    """Return the multiply-accumulates of Q Kᵀ and A V in one self-attention call on ``tokens``
    (batch, L, E; L, batch, E unless batch first), counted from the module's own sizes: per head
    L² x E/heads each, so 2 L² E.

    PyTorch's CPU attention kernel runs them, but ``flop_counter`` has no formula for it."""
    batch, length = tokens.shape[:2] if module.batch_first else tokens.shape[1::-1]
    head_dim = module.embed_dim // module.num_heads
    return 2 * batch * module.num_heads * length * length * head_dim


def torchvision_counts(
    model: nn.Module, shape: tuple[int, int, int]
) -> tuple[dict[str, ModuleCounts], dict[str, int], int]:
    """Run ``model`` on one image of ``shape`` under ``flop_counter``; return its leaf modules
    (``nn.MultiheadAttention`` counted as one) by name, the parameters that belong to no leaf
    (ViT's class token and position embedding, ConvNeXt's layer scales) by name with their sizes,
    and the total multiply-accumulates.

    Attention runs with gradients on, where PyTorch takes the path whose projections
    ``flop_counter`` sees; its two matrix products are added from :func:`attention_matmul_macs`.
    """
    from torch.utils.flop_counter import FlopCounterMode

    attentions = (nn.MultiheadAttention,)
    leaves: dict[str, ModuleCounts] = {}
    inside_attention: set[str] = set()
    for name, module in model.named_modules():
        if any(name.startswith(f"{outer}.") for outer in inside_attention):
            continue
        if isinstance(module, attentions):
            inside_attention.add(name)
        if isinstance(module, attentions) or not list(module.children()):
            leaves[name] = ModuleCounts(name, module)
    owned = {id(p) for counts in leaves.values() for p in counts.module.parameters()}
    loose = {name: p.numel() for name, p in model.named_parameters() if id(p) not in owned}
    matmuls: dict[str, int] = {}

    def record(counts: ModuleCounts):
        def hook(module: nn.Module, inputs: tuple[torch.Tensor, ...], output: object) -> None:
            tensor = output[0] if isinstance(output, tuple) else output
            if counts.shape is None:
                counts.shape = _layout(tuple(tensor.shape[1:]))
            if isinstance(module, attentions):
                matmuls[counts.name] = matmuls.get(counts.name, 0) + attention_matmul_macs(
                    module, inputs[0]
                )

        return hook

    handles = [counts.module.register_forward_hook(record(counts)) for counts in leaves.values()]
    counter = FlopCounterMode(display=False)
    gradients = any(isinstance(module, attentions) for module in model.modules())
    with counter, torch.set_grad_enabled(gradients):
        model(torch.zeros(1, *shape))
    for handle in handles:
        handle.remove()
    root = type(model).__name__
    flops = counter.get_flop_counts()
    for name, counts in leaves.items():
        counts.macs = sum(flops.get(f"{root}.{name}", {}).values()) // 2 + matmuls.get(name, 0)
    return leaves, loose, counter.get_total_flops() // 2 + sum(matmuls.values())
