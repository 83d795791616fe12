"""Tables the book shows that set several values side by side: models, configurations, published
figures, devices and layers. Each is a :class:`~cnncount.table.Table`, which a notebook shows as
HTML; like every renderer, these functions only lay out what they are given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cnncount.precision import BYTES_PER_VALUE
from cnncount.table import Table

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from cnncount.conventions import Convention
    from cnncount.published import PublishedFigure
    from cnncount.roofline import Device, LayerBound, Roofline
    from cnncount.summary import Row, Summary

__all__ = [
    "configuration_table",
    "device_table",
    "forward_bounds_table",
    "intensity_table",
    "model_table",
    "reproduced_figures_table",
]


def model_table(summaries: Mapping[str, Summary]) -> Table:
    """Return each model's input, parameters, buffers, MACs and activations, and whether it
    writes its activation layers out.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> print(model_table({name: summarize(get_model(name)) for name in ("vgg16", "resnet18")}))
        model     input       parameters  buffers  MACs (G)  activations (M)  activations written
        vgg16     3x224x224  138,357,544        0     15.47             15.2  no
        resnet18  3x224x224   11,689,512    9,600      1.81              8.4  yes
    """
    return Table(
        caption="",
        headings=(
            "model",
            "input",
            "parameters",
            "buffers",
            "MACs (G)",
            "activations (M)",
            "activations written",
        ),
        numeric=(False, False, True, True, True, True, False),
        rows=tuple(
            (
                name,
                summary.input_shape,
                summary.totals.params,
                summary.totals.buffers,
                f"{summary.totals.macs / 1e9:.2f}",
                f"{summary.totals.activations / 1e6:.1f}",
                "yes" if any(_is_activation(row) for row in summary.rows) else "no",
            )
            for name, summary in summaries.items()
        ),
        foot=(),
    )


def _is_activation(row: Row) -> bool:
    return row.layer is not None and row.layer.category == "activation"


def configuration_table(models: Mapping[str, str], paper_millions: Mapping[str, int]) -> Table:
    """Return each VGG configuration's model, weight layers and parameters, in full and in
    millions, beside the millions of the paper's Table 2.

    Examples:
        >>> print(configuration_table({"A": "vgg11", "D": "vgg16"}, {"A": 133, "D": 138}))
        configuration  model  weight layers   parameters  millions  paper's Table 2
        A              vgg11             11  132,863,336       133              133
        D              vgg16             16  138,357,544       138              138
    """
    from cnncount.models import get_model
    from cnncount.summary import summarize

    rows = []
    for column, name in models.items():
        summary = summarize(get_model(name))
        params = summary.totals.params
        layers = sum(1 for row in summary.rows if row.params)
        rows.append((column, name, layers, params, round(params / 1e6), paper_millions[column]))
    return Table(
        caption="",
        headings=(
            "configuration",
            "model",
            "weight layers",
            "parameters",
            "millions",
            "paper's Table 2",
        ),
        numeric=(False, False, True, True, True, True),
        rows=tuple(rows),
        foot=(),
    )


def reproduced_figures_table(
    reproduced: Sequence[tuple[PublishedFigure, Convention, str]],
) -> Table:
    """Return each published figure, who printed it (or "ours"), the convention that reproduces
    it, the network, and the figure cnncount computes.

    Examples:
        >>> from cnncount.conventions import get_convention
        >>> from cnncount.published import published_figures
        >>> entry = published_figures()[2]
        >>> table = reproduced_figures_table([(entry, get_convention(entry.convention), "108.45 MB")])
        >>> table.rows[0][:4]
        ('108.45', 'torchinfo 1.8.0: Forward/backward pass size (MB): 108.45', 'torchinfo', 'vgg16')
    """
    return Table(
        caption="",
        headings=(
            "figure",
            "printed by",
            "convention",
            "network",
            "cnncount computes",
        ),
        numeric=(True, False, False, False, True),
        rows=tuple(
            (
                entry.published,
                entry.as_printed if entry.origin == "tool" else f"ours: {entry.as_printed}",
                convention.name,
                entry.model,
                figure,
            )
            for entry, convention, figure in reproduced
        ),
        foot=(),
    )


def device_table(devices: Mapping[str, Device]) -> Table:
    """Return each device's float32 and float16 peaks, its bandwidth and its ridge points; a dash
    where its profile gives no float16 peak.

    Examples:
        >>> from cnncount.roofline import DEVICES
        >>> print(device_table(DEVICES))
        device      peak float32 (TFLOP/s)  peak float16 (TFLOP/s)  bandwidth (TB/s)  ridge float32  ridge float16
        h100-sxm                        67                   989.4              3.35           20.0          295.3
        rtx-4090                      82.6                   165.2             1.008           81.9          163.9
        laptop-cpu                  0.8448                       —              0.12            7.0              —
    """

    def half(device: Device, figure: str) -> str:
        return figure if "float16" in dict(device.peaks) else "—"

    return Table(
        caption="",
        headings=(
            "device",
            "peak float32 (TFLOP/s)",
            "peak float16 (TFLOP/s)",
            "bandwidth (TB/s)",
            "ridge float32",
            "ridge float16",
        ),
        numeric=(False, True, True, True, True, True),
        rows=tuple(
            (
                name,
                f"{device.peak('float32') / 1e12:g}",
                half(device, f"{device.peak('float16') / 1e12:g}"),
                f"{device.bandwidth / 1e12:g}",
                f"{device.ridge('float32'):.1f}",
                half(device, f"{device.ridge('float16'):.1f}"),
            )
            for name, device in devices.items()
        ),
        foot=(),
    )


def intensity_table(checked: Sequence[tuple[str, Row, LayerBound]]) -> Table:
    """Return each layer's MFLOPs, megabytes, arithmetic intensity and what bounds it, the layer
    named by its network.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.roofline import DEVICES, roofline
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> bounds = roofline(vgg16, DEVICES["h100-sxm"]).layers
        >>> print(intensity_table([("vgg16", vgg16.rows[1], bounds[0])]))
        layer        token     MFLOPs     MB  FLOPs per byte  bound by
        vgg16 conv1  conv3-64   173.4  13.45          12.889  memory
    """
    return Table(
        caption="",
        headings=("layer", "token", "MFLOPs", "MB", "FLOPs per byte", "bound by"),
        numeric=(False, False, True, True, True, False),
        rows=tuple(
            (
                f"{model} {row.name}",
                row.token,
                f"{bound.flops / 1e6:,.1f}",
                f"{bound.bytes / 1e6:,.2f}",
                f"{bound.intensity:.3f}",
                bound.bound,
            )
            for model, row, bound in checked
        ),
        foot=(),
    )


def forward_bounds_table(
    comparison: Sequence[tuple[str, str, float, Roofline, Roofline, float, float]],
    slow: str,
    fast: str,
) -> Table:
    """Return, for each device and data type, its ridge in FLOPs per byte and per value, the
    forward bounds of two networks (``slow`` and ``fast`` name them), their ratio, and the ratio
    for one image.

    Each entry of ``comparison`` is (device, data type, ridge, slow's roofline, fast's roofline,
    their ratio, the ratio for one image). The ridge per value is the ridge times the data
    type's bytes per value: the FLOPs a layer must do per value it moves to be compute-bound.

    Examples:
        >>> from cnncount import Batch, get_model, summarize
        >>> from cnncount.roofline import DEVICES, roofline
        >>> h100 = DEVICES["h100-sxm"]
        >>> big, small = (roofline(summarize(get_model(name)), h100) for name in ("vgg16", "resnet18"))
        >>> ratio = big.forward_seconds / small.forward_seconds
        >>> print(forward_bounds_table([("h100-sxm", "float32", h100.ridge("float32"), big, small, ratio, ratio)], "VGG-16", "ResNet-18"))
        device    data type  ridge per byte  ridge per value  VGG-16 (ms)  ResNet-18 (ms)  ratio  ratio, one image
        h100-sxm  float32              20.0               80         0.62            0.07    8.8               8.8
    """
    return Table(
        caption="",
        headings=(
            "device",
            "data type",
            "ridge per byte",
            "ridge per value",
            f"{slow} (ms)",
            f"{fast} (ms)",
            "ratio",
            "ratio, one image",
        ),
        numeric=(False, False, True, True, True, True, True, True),
        rows=tuple(
            (
                name,
                dtype,
                f"{ridge:.1f}",
                f"{ridge * BYTES_PER_VALUE[dtype]:.0f}",
                f"{slower.forward_seconds * 1e3:.2f}",
                f"{faster.forward_seconds * 1e3:.2f}",
                f"{ratio:.1f}",
                f"{single:.1f}",
            )
            for name, dtype, ridge, slower, faster, ratio, single in comparison
        ),
        foot=(),
    )
