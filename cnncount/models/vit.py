"""The vision transformer ViT-B/16 (Dosovitskiy et al., 2020), as torchvision builds it.

The image is cut into 16x16 patches, each projected to a token of 768 values; a sequence of N
tokens of D values is written ``D x 1 x N`` (see :mod:`cnncount.layers.tokens`).
"""

from __future__ import annotations

from cnncount.layers.attention import MultiheadAttention
from cnncount.layers.gates import GELU
from cnncount.layers.linear import Linear, PositionwiseLinear
from cnncount.layers.merge import Add
from cnncount.layers.norm import LayerNorm
from cnncount.layers.pointwise import Dropout
from cnncount.layers.tokens import ClassToken, ClassTokenReadout, PatchEmbedding, PositionEmbedding
from cnncount.network import Builder, Network
from cnncount.shapes import Shape

__all__ = ["vit_b_16"]

PATCH = 16
"""The side of a patch, in pixels."""
HIDDEN = 768
"""The values of a token."""
LAYERS = 12
"""Encoder blocks."""
HEADS = 12
"""Attention heads in each block."""
MLP = 3072
"""The width of each block's MLP."""


def vit_b_16(input_shape: Shape, classes: int = 1000) -> Network:
    """Return ViT-B/16: a patch embedding, a class token and learned positions, twelve encoder
    blocks of self-attention and an MLP, a final layer norm, and a classifier on the class token.

    The position embedding has a value for every token, so its parameters grow with the image:
    at 384 x 384 there are 577 tokens, as in torchvision's ``vit_b_16`` built for that size.

    Examples:
        >>> from cnncount import summarize
        >>> summarize(vit_b_16(Shape(3, 224, 224))).totals.params
        86567656
        >>> summarize(vit_b_16(Shape(3, 384, 384))).totals.params
        86859496
    """
    net = Builder("vit_b_16", input_shape)
    net.layer(PatchEmbedding(HIDDEN, PATCH), "conv_proj")
    net.layer(ClassToken(), "class_token")
    net.layer(PositionEmbedding(), "encoder.pos_embedding")
    net.layer(Dropout(0.0), "encoder.dropout")
    for layer in range(LAYERS):
        _encoder_block(net, f"encoder.layers.encoder_layer_{layer}.")
    net.layer(LayerNorm(), "encoder.ln")
    net.layer(ClassTokenReadout(), "class_token_readout")  # x[:, 0]
    net.layer(Linear(classes), "heads.head")
    return net.build()


def _encoder_block(net: Builder, prefix: str) -> str:
    """Add an encoder block: layer norm, self-attention, residual; layer norm, MLP, residual."""
    entry = net.last
    net.layer(LayerNorm(), f"{prefix}ln_1")
    net.layer(MultiheadAttention(HEADS), f"{prefix}self_attention")
    net.layer(Dropout(0.0), f"{prefix}dropout")
    attended = net.merge(Add(), [net.last, entry], f"{prefix}add_1")  # x + input
    net.layer(LayerNorm(), f"{prefix}ln_2")
    net.layer(PositionwiseLinear(MLP), f"{prefix}mlp.0")
    net.layer(GELU(), f"{prefix}mlp.1")
    net.layer(Dropout(0.0), f"{prefix}mlp.2")
    net.layer(PositionwiseLinear(HIDDEN), f"{prefix}mlp.3")
    net.layer(Dropout(0.0), f"{prefix}mlp.4")
    return net.merge(Add(), [attended, net.last], f"{prefix}add_2")  # x + y
