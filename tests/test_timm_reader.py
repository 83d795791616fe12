"""timm's models read by the PyTorch reader: each model of the sample (tests/data/timm-sample.txt)
reads exactly, its parameters, buffers, multiply-accumulates and output size equal to torch's own,
computed here, or it is one of the refusals listed below, refused in one line that names the
module and the operator. A refusal that turns into a wrong number fails; one that turns into an
exact reading passes, and belongs off the list. The layer kinds timm's blocks map onto are
checked the same way, one module at a time.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed: `make torch` installs it")
timm = pytest.importorskip("timm", reason="timm is not installed: `make torch` installs it")

from timm import layers
from timm.layers.grn import GlobalResponseNorm
from torch import nn

from cnncount import ReadError
from tools.timm_sample import (
    build,
    cnncount_figures,
    input_shape,
    sample_names,
    torch_figures,
)

pytestmark = pytest.mark.slow

REFUSED = {
    "ecaresnet26t": "EcaModule",
    "skresnet18": "SelectiveKernel",
    "resnest14d": "SplitAttn",
    "tresnet_m": "SpaceToDepth",
    "mobilenetv4_hybrid_medium": "MultiQueryAttention2d",
    "ghostnet_100": "GhostModule",
    "ghostnetv2_100": "GhostModule",
    "rexnet_100": "LinearBottleneck",
    "dm_nfnet_f0": "NormFreeBlock",
    "dpn68": "DualPathBlock",
    "vit_relpos_small_patch16_224": "RelPosAttention",
    "vit_small_r26_s32_224": "MaxPool2dSame",
    "deit_tiny_distilled_patch16_224": "VisionTransformerDistilled",
    "beit_base_patch16_224": "Attention",
    "eva02_tiny_patch14_224": "EvaAttention",
    "convit_tiny": "GPSA",
    "cait_xxs24_224": "TalkingHeadAttn",
    "crossvit_tiny_240": "PatchEmbed",
    "pit_ti_224": "Transformer",
    "tnt_s_patch16_224": "Unfold",
    "xcit_nano_12_p16_224": "ConvPatchEmbed",
    "swin_tiny_patch4_window7_224": "SwinTransformerBlock",
    "swinv2_tiny_window8_256": "SwinTransformerV2Block",
    "twins_svt_small": "PatchEmbed",
    "pvt_v2_b0": "PyramidVisionTransformerStage",
    "coat_lite_tiny": "ConvPosEnc",
    "nest_tiny": "NestLevel",
    "davit_tiny": "SpatialBlock",
    "gcvit_xxtiny": "GlobalContextVitBlock",
    "mvitv2_tiny": "PatchEmbed",
    "hiera_tiny_224": "PatchEmbed",
    "coatnet_nano_rw_224": "Attention2d",
    "maxvit_nano_rw_256": "PartitionAttentionCl",
    "maxvit_tiny_tf_224": "PartitionAttentionCl",
    "levit_128s": "LevitDistilled",
    "mobilevit_xxs": "MobileVitBlock",
    "mobilevitv2_050": "MobileVitV2Block",
    "efficientformer_l1": "Pooling",
    "efficientformerv2_s0": "Attention2d",
    "edgenext_xx_small": "Conv2d",  # a Fourier position encoding, computed from a grid
    "visformer_tiny": "PatchEmbed",
    "tiny_vit_5m_224": "TinyVitBlock",
    "fastvit_t8": "RepMixer",
    "efficientvit_b0": "LiteMLA",
    "efficientvit_m0": "LocalWindowAttention",
    "botnet26t_256": "BottleneckAttn",
    "halonet26t": "HaloAttn",
    "mixer_s16_224": "MixerBlock",
    "resmlp_12_224": "Affine",
    "gmlp_s16_224": "SpatialGatingUnit",
    "poolformer_s12": "Pooling",
    "poolformerv2_s12": "GroupNorm1NoBias",
    "convformer_s18": "StarReLU",
    "mambaout_femto": "GatedConvBlock",
    "sequencer2d_s": "LSTM2d",
    "hgnetv2_b0": "LearnableAffineBlock",
    "fasternet_t0": "Partial_conv3",
    "focalnet_tiny_srf": "FocalModulation",
    "volo_d1_224": "Unfold",
}
"""The models of the sample that cnncount refuses, and the class of the module each refusal names."""


def test_every_listed_refusal_is_in_the_sample() -> None:
    assert set(REFUSED) <= set(sample_names())


@pytest.mark.parametrize("name", sample_names())
def test_a_timm_model_reads_exactly_or_is_refused_in_one_line(name: str) -> None:
    model = build(name)
    shape = input_shape(model)
    reference = torch_figures(model, shape)
    try:
        read = cnncount_figures(model, shape, name)
    except ReadError as refusal:
        message = str(refusal)
        assert name in REFUSED, message
        assert "\n" not in message
        assert message.startswith((f"{name}: module '", f"{name}: the model ("))
        assert f"({REFUSED[name]}): cnncount " in message
        return
    assert read == reference


LAYERS = {
    "StdConv2d": lambda: layers.StdConv2d(8, 16, 3, stride=2, padding=1),
    "StdConv2dSame": lambda: layers.StdConv2dSame(8, 16, 3, stride=2),
    "ScaledStdConv2d": lambda: layers.ScaledStdConv2d(8, 16, 3, padding=1),
    "ScaledStdConv2dSame": lambda: layers.ScaledStdConv2dSame(8, 16, 3, stride=2),
    "Conv2dSame": lambda: layers.Conv2dSame(8, 16, 5, stride=2, dilation=2),
    "GroupNorm": lambda: nn.GroupNorm(4, 8),
    "GroupNorm1": lambda: layers.GroupNorm1(8),
    "GroupNormAct": lambda: layers.GroupNormAct(8, 2),
    "BatchNormAct2d": lambda: layers.BatchNormAct2d(8, act_layer=nn.SiLU),
    "LayerNorm2d": lambda: layers.LayerNorm2d(8),
    "Upsample nearest": lambda: nn.Upsample(scale_factor=2),
    "Upsample bilinear": lambda: nn.Upsample(size=(5, 7), mode="bilinear"),
    "interpolate": lambda: Resize(),
    "pad": lambda: Pad(),
    "GlobalResponseNorm": lambda: GlobalResponseNorm(8, channels_last=False),
    "DropPath": lambda: layers.DropPath(0.1),
    "LayerScale2d": lambda: layers.LayerScale2d(8),
    "LeakyReLU": lambda: nn.LeakyReLU(0.1, inplace=True),
    "GELUTanh": lambda: layers.GELUTanh(),
    "BatchNormAct2d GELUTanh": lambda: layers.BatchNormAct2d(8, act_layer="gelu_tanh"),
    "PReLU": lambda: layers.activations.PReLU(8),
    "Mish": lambda: layers.create_act_layer("mish"),
}
"""timm's blocks and the modules of torch.nn that they use, each read alone on an 8 x 9 x 11 map."""


class Resize(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.interpolate(x, scale_factor=(2, 3), mode="nearest")


class Pad(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.pad(x, (1, 2, 0, 3))


@pytest.mark.parametrize("name", list(LAYERS))
def test_a_timm_block_counts_as_torch_does(name: str) -> None:
    with torch.device("meta"):
        module = LAYERS[name]()
    shape = (8, 9, 11)
    assert cnncount_figures(module, shape, name) == torch_figures(module, shape)


def test_attention_with_a_norm_of_its_queries_is_refused_by_name() -> None:
    with torch.device("meta"):
        attention = layers.Attention(64, num_heads=4, qk_norm=True, norm_layer=nn.LayerNorm)
    model = nn.Sequential(layers.PatchEmbed(32, 8, 3, 64), attention)
    with pytest.raises(ReadError) as caught:
        cnncount_figures(model, (3, 32, 32), "qknorm")
    assert str(caught.value) == (
        "qknorm: module '1' (Attention): cnncount counts self-attention without q_norm"
    )


def test_attention_with_a_bias_on_one_projection_only_is_refused_by_name() -> None:
    with torch.device("meta"):
        model = nn.Sequential(layers.PatchEmbed(32, 8, 3, 64), layers.Attention(64, num_heads=4))
    with pytest.raises(ReadError) as caught:
        cnncount_figures(model, (3, 32, 32), "vit")
    assert str(caught.value) == (
        "vit: module '1' (Attention): cnncount counts self-attention with biases on all its "
        "projections or on none, not qkv_bias=False and proj_bias=True"
    )


def test_attention_without_a_norm_reads_as_multi_head_attention() -> None:
    with torch.device("meta"):
        attention = layers.Attention(64, num_heads=4, qkv_bias=True)
        model = nn.Sequential(layers.PatchEmbed(32, 8, 3, 64), attention)
    assert cnncount_figures(model, (3, 32, 32), "vit") == torch_figures(model, (3, 32, 32))
