"""torchvision's transformer blocks -> cnncount layers: the entries that ViT, Swin and MaxViT
need, registered into the PyTorch reader's two tables.

- ViT: ``nn.MultiheadAttention`` as a leaf (self-attention, batch first); the patches'
  ``reshape`` and ``permute`` into tokens (:class:`~cnncount.layers.tokens.MapToTokens`); the
  class token's ``torch.cat``, the position embedding's ``+`` and the readout ``x[:, 0]``, each
  found by the parameter it reads.
- Swin: ``ShiftedWindowAttention`` (v1) and ``ShiftedWindowAttentionV2`` as
  :class:`~cnncount.layers.window_attention.WindowAttention` and
  :class:`~cnncount.layers.window_attention.CosineWindowAttention`; ``PatchMerging`` and
  ``PatchMergingV2`` as a 2 x 2 gather, a layer norm and a linear layer, in their order.
- MaxViT: ``RelativePositionalMultiHeadAttention`` as
  :class:`~cnncount.layers.relative_attention.RelativeAttention`, and the ``WindowPartition``,
  ``SwapAxes`` and ``WindowDepartition`` that surround it as the layers of the same names.

A map cut into G groups of P tokens, (batch, G, P, D), flows channels last (``NHWC``) as
cnncount's ``Shape(D, G, P)``, so that the layer norms and linear layers between act on each
token as on each position of a map.

Examples:
    >>> import torch
    >>> from cnncount import from_torch
    >>> class TinyViT(torch.nn.Module):  # torchvision's VisionTransformer, in a few lines
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.conv_proj = torch.nn.Conv2d(3, 32, 8, 8)
    ...         self.class_token = torch.nn.Parameter(torch.zeros(1, 1, 32))
    ...         self.pos_embedding = torch.nn.Parameter(torch.zeros(1, 17, 32))
    ...         self.attention = torch.nn.MultiheadAttention(32, 4, batch_first=True)
    ...     def forward(self, x):
    ...         x = self.conv_proj(x).reshape(1, 32, 16).permute(0, 2, 1)
    ...         x = torch.cat([self.class_token.expand(1, -1, -1), x], dim=1) + self.pos_embedding
    ...         return self.attention(x, x, x, need_weights=False)[0][:, 0]
    >>> [str(node.layer) for node in from_torch(TinyViT(), (3, 32, 32)).nodes]
    ['conv8-32/s8/p0', 'tokens', 'classtoken', 'posembed', 'mha4', 'cls']
"""

from __future__ import annotations

from cnncount.layers.attention import MultiheadAttention
from cnncount.layers.linear import PositionwiseLinear
from cnncount.layers.norm import LayerNorm
from cnncount.layers.partition import SpaceToDepth, SwapAxes, WindowDepartition, WindowPartition
from cnncount.layers.relative_attention import RelativeAttention
from cnncount.layers.tokens import ClassToken, ClassTokenReadout, MapToTokens, PositionEmbedding
from cnncount.layers.window_attention import CosineWindowAttention, WindowAttention
from cnncount.readers.torch_functions import extend
from cnncount.readers.torch_modules import register
from cnncount.readers.torch_trace import Call, Mapped, Mapping

__all__: list[str] = []  # the entries join the tables when the module is imported

_SWIN = "torchvision.models.swin_transformer"
_MAXVIT = "torchvision.models.maxvit"


@register("torch.nn.modules.activation.MultiheadAttention")
def _multihead_attention(call: Call) -> Mapped:
    attention = call.module
    call.source("NLC")
    if not attention.batch_first:
        raise call.refuse("cnncount reads attention on batch-first tokens only (batch_first=True)")
    if len(call.flows) != 3 or len(set(call.flows)) != 1:
        raise call.refuse(
            "cnncount counts self-attention only: query, key and value the same tensor"
        )
    if not attention._qkv_same_embed_dim or attention.bias_k is not None or attention.add_zero_attn:
        raise call.refuse(
            "cnncount counts attention without kdim, vdim, add_bias_kv or add_zero_attn"
        )
    _no_dropout(call, attention.dropout)
    return Mapped((MultiheadAttention(attention.num_heads, attention.in_proj_bias is not None),))


@register(f"{_SWIN}.ShiftedWindowAttention", f"{_SWIN}.ShiftedWindowAttentionV2")
def _shifted_window_attention(call: Call) -> Mapped:
    attention = call.module
    call.source("NHWC")
    bias = attention.qkv.bias is not None
    if (attention.proj.bias is not None) != bias:
        raise call.refuse(
            "cnncount counts window attention with biases in both projections or in neither"
        )
    _no_dropout(call, attention.attention_dropout)
    _no_dropout(call, attention.dropout)
    window, shift = tuple(attention.window_size), tuple(attention.shift_size)
    if type(attention).__name__ == "ShiftedWindowAttention":
        return Mapped((WindowAttention(attention.num_heads, window, shift, bias),))
    first, _, last = attention.cpb_mlp
    hidden = first.out_features
    if last.bias is not None or first.bias is None or last.in_features != hidden:
        raise call.refuse("cnncount counts Swin v2's position-bias MLP as torchvision builds it")
    return Mapped((CosineWindowAttention(attention.num_heads, window, shift, bias, hidden),))


def _no_dropout(call: Call, p: float) -> None:
    """Refuse dropout inside an attention block, whose mask cnncount's layer does not keep."""
    if p:
        raise call.refuse(f"cnncount counts this attention without dropout inside it, not p={p}")


@register(f"{_SWIN}.PatchMerging", f"{_SWIN}.PatchMergingV2")
def _patch_merging(call: Call) -> Mapped:
    merging = call.module
    call.source("NHWC")
    reduction = merging.reduction
    linear = PositionwiseLinear(reduction.out_features, reduction.bias is not None)
    norm = LayerNorm(scale=merging.norm.elementwise_affine, center=merging.norm.bias is not None)
    if type(merging).__name__ == "PatchMerging":
        return Mapped((SpaceToDepth(), norm, linear))
    return Mapped((SpaceToDepth(), linear, norm))


@register(f"{_MAXVIT}.RelativePositionalMultiHeadAttention")
def _relative_attention(call: Call) -> Mapped:
    attention = call.module
    call.source("NHWC")
    if attention.size**2 != attention.max_seq_len:
        raise call.refuse(
            f"cnncount counts attention over square windows, not {attention.max_seq_len} tokens"
        )
    return Mapped((RelativeAttention(attention.n_heads, attention.size),))


@register(f"{_MAXVIT}.WindowPartition")
def _window_partition(call: Call) -> Mapped:
    call.source("NCHW")
    return Mapped((WindowPartition(int(call.argument(1, "p"))),), layout="NHWC")


@register(f"{_MAXVIT}.WindowDepartition")
def _window_departition(call: Call) -> Mapped:
    call.source("NHWC")
    size, rows = (
        int(call.argument(index, name)) for index, name in ((1, "p"), (2, "h_partitions"))
    )
    return Mapped((WindowDepartition(size, rows),), layout="NCHW")


@register(f"{_MAXVIT}.SwapAxes")
def _swap_axes(call: Call) -> Mapped:
    call.source("NHWC")
    swapped = sorted(axis % 4 for axis in (call.module.a, call.module.b))
    if swapped != [1, 2]:
        raise call.refuse("cnncount swaps the groups and the tokens of a partition only (-2, -3)")
    return Mapped((SwapAxes(),))


@extend("Tensor.view", "Tensor.reshape", "torch.reshape")
def _patches_to_tokens(call: Call, previous: Mapping) -> Mapped | tuple[Mapped, ...]:
    """Map ViT's ``x.reshape(n, D, h * w)`` of its patch map onto the tokens, channels first."""
    flow = call.flows[0]
    shape = flow.shape
    if flow.layout == "NCHW" and call.output_dims() == [shape.channels, shape.height * shape.width]:
        return Mapped((MapToTokens(),), layout="NCL")
    return previous(call)


@extend("Tensor.permute", "torch.permute")
def _tokens_last(call: Call, previous: Mapping) -> Mapped | tuple[Mapped, ...]:
    """Map the ``permute(0, 2, 1)`` that moves the tokens' channels last."""
    flow = call.flows[0]
    given = call.args[1:] or (call.kwargs.get("dims"),)
    order = tuple(given[0]) if len(given) == 1 and isinstance(given[0], (tuple, list)) else given
    if flow.layout in ("NCL", "NLC") and tuple(axis % 3 for axis in order) == (0, 2, 1):
        return Mapped(layout="NLC" if flow.layout == "NCL" else "NCL")
    return previous(call)


@extend("torch.cat", "torch.concat", "torch.concatenate")
def _class_token(call: Call, previous: Mapping) -> Mapped | tuple[Mapped, ...]:
    """Map ``torch.cat([class_token.expand(n, -1, -1), x], dim=1)`` onto a class token."""
    tensors = call.argument(0, "tensors")
    if not call.constants or len(call.flows) != 1 or call.flows[0].layout != "NLC":
        return previous(call)
    flow, token = call.flows[0], tensors[0]
    if (
        len(tensors) != 2
        or call.argument(1, "dim", 0) % 3 != 1
        or list(token.shape[1:]) != [1, flow.shape.channels]
        or not any(token is tensor for tensor in call.constant_tensors)
    ):
        raise call.refuse(
            f"cnncount puts one learned token before the sequence, as a class token; not this use of {call.constants[0]!r}"
        )
    return Mapped((ClassToken(),))


@extend("Tensor.add", "torch.add", "Tensor.__add__", "Tensor.__radd__")
def _position_embedding(call: Call, previous: Mapping) -> Mapped | tuple[Mapped, ...]:
    """Map ``x + pos_embedding``: a learned value added to every value of the tokens (or of a map)."""
    if len(call.flows) != 1 or len(call.constants) != 1:
        return previous(call)
    flow, added = call.flows[0], call.constant_tensors
    if (
        len(added) == 1
        and added[0].numel() == flow.shape.numel
        and call.output_dims() == flow.dims()
    ):
        return Mapped((PositionEmbedding(),))
    if flow.layout == "NLC":
        raise call.refuse(
            f"cnncount adds a learned value to every value of the tokens, as a position embedding; {call.constants[0]!r} holds another number of values"
        )
    return previous(call)


@extend("Tensor.__getitem__")
def _readout(call: Call, previous: Mapping) -> Mapped | tuple[Mapped, ...]:
    """Map ViT's ``x[:, 0]``, the class token read out."""
    flow = call.flows[0]
    if flow.layout != "NLC":
        return previous(call)
    index = call.argument(1, "indices")
    if not (
        isinstance(index, tuple)
        and len(index) == 2
        and index[0] == slice(None)
        and isinstance(index[1], int)
        and index[1] in (0, -flow.shape.width)
    ):
        raise call.refuse(
            f"cnncount cannot count Tensor.__getitem__ with {index!r} on a tensor laid out {flow.layout}: it reads the first token of a sequence, x[:, 0], only"
        )
    return Mapped((ClassTokenReadout(),), layout="NC")
