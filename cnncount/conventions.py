"""The ways tools count a network's activation memory and compute, each named and reproduced.

The same VGG-16 is said to need 58 MB, 108.45 MB or 218.59 MB of activations, and
15.47, 15.48, 15.52, 30.94 or 30.97 G operations. Each figure is right about something
different. A :class:`Convention` states what one tool counts, so that cnncount can compute it
exactly and say why the figures differ.

Memory rules pick a set of rows, count their output values and multiply by a factor (2 where
the tool adds as much again for the backward pass); the tool prints their bytes in its unit
(MB is 10^6 bytes, MiB is 2^20: torchsummary and convnet-burden print MiB and call them MB),
which :mod:`cnncount.render.cost` does. Compute rules add per-row terms, each read from the
layer's :attr:`~cnncount.layers.base.Layer.category`:

- ``macs``: multiply-accumulates of convolutions and fully connected layers, biases excluded;
- ``bias_adds``: one addition per output value of a convolution or linear layer with a bias;
- ``conv_bias_adds``: the same, for convolutions only;
- ``activation_ops``: one operation per output value of an activation (a ReLU in VGG);
- ``pool_ops``: one operation per input value of a pooling layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnncount.errors import CnncountError
from cnncount.summary import Row, Summary

__all__ = [
    "CONVENTIONS",
    "ComputeRule",
    "Convention",
    "MemoryRule",
    "activation_values",
    "compute_count",
    "get_convention",
    "term",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class MemoryRule:
    """Which rows' outputs a tool counts as activation memory, how often, and in which unit.

    ``rows`` is ``"all"`` (the input too), ``"layers"`` (every layer, not the input) or
    ``"weighted"`` (layers with parameters); ``unit`` is ``"values"`` or a unit of
    :data:`cnncount.units.BYTE_UNITS`, printed with ``decimals`` decimals.

    Examples:
        >>> MemoryRule(rows="weighted", factor=2, unit="MB", decimals=2)
        MemoryRule(rows='weighted', factor=2, unit='MB', decimals=2)
    """

    rows: str
    factor: int
    unit: str
    decimals: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ComputeRule:
    """The per-row terms a tool adds up, each with its multiplier, and the unit it prints.

    Examples:
        >>> ComputeRule(terms=(("macs", 2),), unit="GFLOPs")
        ComputeRule(terms=(('macs', 2),), unit='GFLOPs')
    """

    terms: tuple[tuple[str, int], ...]
    unit: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Convention:
    """A named way of counting: the tool, what it prints, and its memory and compute rules.

    Examples:
        >>> get_convention("torchinfo").prints
        'Forward/backward pass size (MB) and Total mult-adds (G)'
    """

    name: str
    prints: str
    memory: MemoryRule | None
    compute: ComputeRule | None
    params: bool = False
    """Whether the tool prints the parameters apart from the state that is not learned, as
    Keras's trainable and non-trainable weights."""


CONVENTIONS = {
    convention.name: convention
    for convention in (
        Convention(
            name="cnncount",
            prints="every output, the input included, forward only; multiply-accumulates",
            memory=MemoryRule(rows="all", factor=1, unit="MB", decimals=2),
            compute=ComputeRule(terms=(("macs", 1),), unit="GMACs"),
        ),
        Convention(
            name="cs231n",
            prints="the CS231n notes' memory column, summed: values, forward only",
            memory=MemoryRule(rows="all", factor=1, unit="values", decimals=0),
            compute=None,
        ),
        Convention(
            name="convnet-burden",
            prints="convnet-burden's feature memory, in MiB written MB",
            memory=MemoryRule(rows="all", factor=1, unit="MiB", decimals=0),
            compute=None,
        ),
        Convention(
            name="torchinfo",
            prints="Forward/backward pass size (MB) and Total mult-adds (G)",
            memory=MemoryRule(rows="weighted", factor=2, unit="MB", decimals=2),
            compute=ComputeRule(terms=(("macs", 1), ("bias_adds", 1)), unit="G mult-adds"),
        ),
        Convention(
            name="torchsummary",
            prints="Forward/backward pass size (MB), in MiB: every module's output, twice",
            memory=MemoryRule(rows="layers", factor=2, unit="MiB", decimals=2),
            compute=None,
        ),
        Convention(
            name="flops",
            prints="FLOPs as two per multiply-accumulate",
            memory=None,
            compute=ComputeRule(terms=(("macs", 2),), unit="GFLOPs"),
        ),
        Convention(
            name="ptflops",
            prints="ptflops' GMac with its PyTorch backend, which counts ReLU and pooling twice",
            memory=None,
            compute=ComputeRule(
                terms=(("macs", 1), ("bias_adds", 1), ("activation_ops", 2), ("pool_ops", 2)),
                unit="GMac",
            ),
        ),
        Convention(
            name="calflops",
            prints="calflops' FLOPs: two per MAC, plus convolution biases, ReLU and pooling",
            memory=None,
            compute=ComputeRule(
                terms=(("macs", 2), ("conv_bias_adds", 1), ("activation_ops", 1), ("pool_ops", 1)),
                unit="GFLOPs",
            ),
        ),
        Convention(
            name="keras",
            prints="model.summary()'s parameter lines: buffers are non-trainable, KB is 1024 bytes",
            memory=None,
            compute=None,
            params=True,
        ),
    )
}
"""Every named convention, by name."""


def get_convention(name: str) -> Convention:
    """Return the convention called ``name``.

    Examples:
        >>> get_convention("calflops").compute.unit
        'GFLOPs'
        >>> get_convention("thop")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: unknown convention 'thop'; conventions: cnncount, cs231n, convnet-burden, torchinfo, torchsummary, flops, ptflops, calflops, keras
    """
    if name not in CONVENTIONS:
        msg = f"unknown convention {name!r}; conventions: {', '.join(CONVENTIONS)}"
        raise CnncountError(msg)
    return CONVENTIONS[name]


def activation_values(summary: Summary, convention: Convention) -> int:
    """Return the activation values a convention counts for one image, its factor applied.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> activation_values(vgg16, get_convention("cs231n"))
        15237608
        >>> activation_values(vgg16, get_convention("torchinfo"))  # 2 x the weighted layers' outputs
        27113424
    """
    rule = _memory_rule(convention)
    rows = summary.rows if rule.rows == "all" else summary.rows[1:]
    if rule.rows == "weighted":
        rows = tuple(row for row in rows if row.params)
    return rule.factor * sum(row.activations for row in rows)


_BIAS_ADDS = {"bias_adds": ("convolution", "linear"), "conv_bias_adds": ("convolution",)}
"""The layer categories whose biases each bias term counts."""


def term(row: Row, name: str) -> int:
    """Return one per-row term of the compute rules (see the module's docstring).

    Examples:
        >>> from cnncount import get_model, summarize
        >>> conv1 = summarize(get_model("vgg16")).rows[1]
        >>> term(conv1, "macs"), term(conv1, "bias_adds"), term(conv1, "pool_ops")
        (86704128, 3211264, 0)
    """
    category = "" if row.layer is None else row.layer.category
    if name == "macs":
        return row.macs
    if name in _BIAS_ADDS:
        return row.activations if category in _BIAS_ADDS[name] and row.biases else 0
    if name == "activation_ops":
        return row.activations if category == "activation" else 0
    if name == "pool_ops":
        return row.input_shape.numel if category == "pooling" else 0
    raise ValueError(f"unknown compute term {name!r}")


def compute_count(summary: Summary, convention: Convention) -> int:
    """Return the operations a convention counts for one image.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> vgg16, torchvision = summarize(get_model("vgg16")), summarize(get_model("vgg16-torchvision"))
        >>> compute_count(vgg16, get_convention("cnncount")), compute_count(vgg16, get_convention("torchinfo"))
        (15470264320, 15483821032)
        >>> compute_count(torchvision, get_convention("ptflops")), compute_count(torchvision, get_convention("calflops"))
        (15523225576, 30973778432)
    """
    rule = _compute_rule(convention)
    return sum(factor * term(row, name) for row in summary.rows for name, factor in rule.terms)


def _memory_rule(convention: Convention) -> MemoryRule:
    if convention.memory is None:
        raise CnncountError(f"convention {convention.name!r} counts no activation memory")
    return convention.memory


def _compute_rule(convention: Convention) -> ComputeRule:
    if convention.compute is None:
        raise CnncountError(f"convention {convention.name!r} counts no compute")
    return convention.compute
