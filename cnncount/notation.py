"""The VGG paper's layer notation (``conv3-64 maxpool FC-4096 soft-max``), extended.

Tokens are separated by spaces, commas or new lines and read case-insensitively. Options
follow a token after slashes: ``conv7-64/s2/p3``. The README documents the grammar.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from cnncount.errors import CnncountError, LayerError, SpecError
from cnncount.layers.base import Layer
from cnncount.layers.windows import preserving_padding
from cnncount.network import INPUT, Builder, Network
from cnncount.shapes import Shape

if TYPE_CHECKING:
    from cnncount.layers.conv import Conv2d
    from cnncount.layers.merge import Merge

__all__ = [
    "DEFAULT_INPUT",
    "closing_token",
    "names_a_layer",
    "parse_layer",
    "parse_layers",
    "parse_network",
    "tokenize",
]

DEFAULT_INPUT = Shape(3, 224, 224)
"""The input a spec is fed unless told otherwise, the VGG paper's 224x224 RGB image."""

_TOKEN = re.compile(r"[(|]|\)?[^ \t\r\n,(|)]+|\)")
"""One token, which is ``(`` or ``|`` alone, or a run of characters up to a separator (spaces,
commas, new lines) or a bracket, which may start with ``)``."""
_EXPECTED = (
    "expected conv<kernel>-<channels>, convt<kernel>-<channels>, stdconv<kernel>-<channels>, "
    "local<kernel>-<channels>, "
    "maxpool, avgpool, gap, adaptiveavgpool<size>, FC-<features>, linear-<features>, LRN, bn, "
    "ln, gn<groups>, instancenorm, grn, layerscale, relu, relu6, leakyrelu, elu, selu, mish, softplus, prelu, silu, hardswish, hardsigmoid, sigmoid, "
    "tanh, gelu, dropout, dropout2d, droppath<p>, soft-max, log-soft-max, flatten, shuffle<groups>, chunk<i>of<n>, "
    "upsample<scale>, resize<size>, patch<size>-<dim>, classtoken, posembed, mha<heads>, cls, "
    "pad<pixels>, reflectpad<pixels>, replicatepad<pixels>, rescale<scale>, normalize, tokens, wmsa<heads>-<window>, cosmsa<heads>-<window>, "
    "relmsa<heads>-<size>, s2d, partition<size>, departition<size>/rows<n> or swapaxes"
)


def tokenize(spec: str) -> list[tuple[str, int]]:
    """Split a spec into its tokens, each with the column (from 1) where it starts.

    ``(`` and ``|`` are tokens of their own; ``)`` starts one (``)add``, ``)cat``).

    Examples:
        >>> tokenize("conv3-64, conv3-64  maxpool")
        [('conv3-64', 1), ('conv3-64', 11), ('maxpool', 21)]
        >>> [token for token, _ in tokenize("(conv3-64|)add")]
        ['(', 'conv3-64', '|', ')add']
    """
    return [(match.group(), match.start() + 1) for match in _TOKEN.finditer(spec)]


def parse_layer(token: str) -> Layer:
    """Return the layer a single token writes; a bad token raises a :class:`~cnncount.errors.SpecError`.

    Examples:
        >>> parse_layer("conv3-64")
        Conv2d(out_channels=64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1, bias=True)
        >>> from cnncount.layers.conv import Conv2d
        >>> parse_layer("conv7-64/s2/p3") == Conv2d(64, 7, stride=2, padding=3)
        True
        >>> parse_layer("conv1x7-192/nobias") == Conv2d(192, (1, 7), padding=(0, 3), bias=False)
        True
        >>> parse_layer("convt4-64/s2/p1"), parse_layer("mha12"), parse_layer("chunk2of2")
        (ConvTranspose2d(out_channels=64, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), output_padding=(0, 0), dilation=(1, 1), groups=1, bias=True), MultiheadAttention(heads=12, bias=True), ChannelChunk(chunks=2, index=1))
        >>> parse_layer("local11-96/s4/p0")
        LocallyConnected2d(out_channels=96, kernel_size=(11, 11), stride=(4, 4), padding=(0, 0), bias=True)
        >>> parse_layer("maxpool3/s2/ceil"), parse_layer("FC-4096")
        (MaxPool2d(kernel_size=3, stride=2, padding=0, ceil_mode=True), Linear(out_features=4096, bias=True))
        >>> parse_layer("conv3-0")
        Traceback (most recent call last):
        ...
        cnncount.errors.SpecError: spec token 1 'conv3-0' (column 1): out_channels must be positive, got 0
    """
    return _layer_at([(token, 1)], 0)


def _read_layer(token: str) -> Layer:
    """Return the layer of ``token``, or raise a :class:`LayerError` saying what is wrong with it."""
    head, *options = token.lower().split("/")
    prefix = _prefix(head)
    if prefix is None:
        raise LayerError(f"unknown layer; {_EXPECTED}")
    return _BUILDERS[prefix](head[len(prefix) :], _read_options(options))


def names_a_layer(token: str) -> bool:
    """Return whether ``token`` starts like a layer of the notation, whatever its values.

    Examples:
        >>> names_a_layer("conv3-0"), names_a_layer("maxpool3/p9"), names_a_layer("vgg16")
        (True, True, False)
    """
    return _prefix(token.lower()) is not None


def _prefix(head: str) -> str | None:
    return next((prefix for prefix in _BUILDERS if head.startswith(prefix)), None)


def parse_layers(spec: str) -> list[Layer]:
    """Return the layers a spec writes, in order; a bad token raises a :class:`~cnncount.errors.SpecError`.

    Examples:
        >>> [str(layer) for layer in parse_layers("CONV3-64 LRN maxpool fc-10 Soft-Max")]
        ['conv3-64', 'LRN', 'maxpool', 'FC-10', 'soft-max']
        >>> parse_layers("conv3-64 conv3-6x4")
        Traceback (most recent call last):
        ...
        cnncount.errors.SpecError: spec token 2 'conv3-6x4' (column 10): channels must be a whole number, got '6x4'
    """
    tokens = _tokens(spec)
    for index, (token, _) in enumerate(tokens):
        if token in ("(", "|") or token.startswith(")"):
            raise _spec_error(
                "branches make a graph: read this spec with parse_network", tokens, index
            )
    return [_layer_at(tokens, index) for index in range(len(tokens))]


def parse_network(spec: str, input_shape: Shape = DEFAULT_INPUT, name: str = "spec") -> Network:
    """Return the network a spec writes, fed ``input_shape``.

    Layers follow one another. A group ``( A | B | ... )add`` runs its branches side by side
    on the same input and adds their outputs; ``)cat`` concatenates their channels instead.
    An empty branch is the identity: ``( conv3-64 bn relu conv3-64 bn | )add`` is a residual
    block. Groups nest.

    Examples:
        >>> net = parse_network("conv3-64 maxpool FC-10", Shape(3, 32, 32), name="tiny")
        >>> net.name, [node.name for node in net.nodes]
        ('tiny', ['conv1', 'maxpool1', 'fc1'])
        >>> block = parse_network("conv3-64 ( conv3-64 bn relu conv3-64 bn | )add relu", Shape(3, 32, 32))
        >>> [(node.name, node.inputs) for node in block.nodes][-2:]
        [('add1', ('batchnorm2', 'conv1')), ('relu2', ('add1',))]
        >>> parse_network("conv3-64 ( conv1-16 | conv3-32 )cat").nodes[-1].inputs
        ('conv2', 'conv3')
        >>> parse_network("conv3-64 ( conv3-64 conv3-64 )add")
        Traceback (most recent call last):
        ...
        cnncount.errors.SpecError: spec token 2 '(' (column 10): a group needs two or more branches, separated by '|'
    """
    tokens = _tokens(spec)
    builder = Builder(name, input_shape)
    end, _ = _sequence(tokens, 0, builder, INPUT, depth=0)
    if end < len(tokens):
        raise _spec_error(f"{tokens[end][0]!r} outside a group", tokens, end)
    return builder.build()


_MERGES = {")add": "Add", ")cat": "Concat", ")mul": "Multiply"}
"""The merge (of :mod:`cnncount.layers.merge`) each group's closing token names."""
_IN_PLACE = "inplace"
"""The option of ``)add`` for an addition into the first branch's tensor (``out += identity``)."""


def closing_token(merge: Merge) -> str:
    """Return the token that closes a group with ``merge``, as :func:`parse_network` reads it.

    Examples:
        >>> from cnncount.layers.merge import Add, Concat
        >>> closing_token(Concat()), closing_token(Add()), closing_token(Add(in_place=True))
        (')cat', ')add', ')add/inplace')
    """
    closing = next(token for token, name in _MERGES.items() if name == type(merge).__name__)
    return f"{closing}/{_IN_PLACE}" if merge.in_place else closing


def _read_merge(closing: str) -> Merge:
    """Return the merge of a group's closing token, ``)add/inplace`` included."""
    head, *options = closing.split("/")
    read = _read_options(options)
    _only(read, _IN_PLACE if head == ")add" else "", head)
    if _flag(read, _IN_PLACE):
        from cnncount.layers.merge import Add

        return Add(in_place=True)
    merge: type[Merge] = getattr(import_module("cnncount.layers.merge"), _MERGES[head])
    return merge()


MAX_DEPTH = 64
"""How deep groups may nest, far beyond any real network and well within Python's recursion."""


def _tokens(spec: str) -> list[tuple[str, int]]:
    tokens = tokenize(spec)
    if not tokens:
        raise CnncountError("spec is empty: write layers such as 'conv3-64 maxpool FC-10'")
    return tokens


def _spec_error(detail: str, tokens: list[tuple[str, int]], index: int) -> SpecError:
    token, column = tokens[index]
    return SpecError(detail, token, index + 1, column)


def _layer_at(tokens: list[tuple[str, int]], index: int) -> Layer:
    try:
        return _read_layer(tokens[index][0])
    except LayerError as error:
        raise _spec_error(error.detail, tokens, index) from None


def _sequence(
    tokens: list[tuple[str, int]], index: int, builder: Builder, source: str, depth: int
) -> tuple[int, str]:
    """Add the layers and groups from ``index`` on, reading ``source``; stop at ``|`` or ``)``.

    ``depth`` counts the groups open around ``index``.
    """
    while index < len(tokens):
        token = tokens[index][0]
        if token == "|" or token.startswith(")"):
            break
        if token == "(":
            if depth == MAX_DEPTH:
                raise _spec_error(f"groups nest deeper than {MAX_DEPTH}", tokens, index)
            index, source = _group(tokens, index, builder, source, depth + 1)
        else:
            source = builder.layer(_layer_at(tokens, index), source=source)
            index += 1
    return index, source


def _group(
    tokens: list[tuple[str, int]], opening: int, builder: Builder, source: str, depth: int
) -> tuple[int, str]:
    """Add the branches of the group opened at ``opening`` and their merge; return past it."""
    ends = []
    index = opening + 1
    while True:
        index, end = _sequence(tokens, index, builder, source, depth)
        ends.append(end)
        if index == len(tokens):
            raise _spec_error(
                "this '(' is never closed by ')add', ')cat' or ')mul'", tokens, opening
            )
        closing = tokens[index][0].lower()
        if closing != "|" and closing.split("/")[0] not in _MERGES:
            raise _spec_error("expected '|', ')add', ')cat' or ')mul'", tokens, index)
        index += 1
        if closing != "|":
            break
    if len(ends) < 2:
        raise _spec_error("a group needs two or more branches, separated by '|'", tokens, opening)
    try:
        merge = _read_merge(closing)
    except LayerError as error:
        raise _spec_error(error.detail, tokens, index - 1) from None
    return index, builder.merge(merge, ends)


def _read_options(options: list[str]) -> dict[str, str]:
    """Map each option's leading letters to the rest: ``["s2x1", "nobias"]`` to
    ``{"s": "2x1", "nobias": ""}``."""
    read: dict[str, str] = {}
    for option in options:
        letters = option[: len(option) - len(option.lstrip("abcdefghijklmnopqrstuvwxyz"))]
        if not letters or letters in read:
            problem = "repeated" if letters in read else "malformed"
            raise LayerError(f"{problem} option {option!r}")
        read[letters] = option[len(letters) :]
    return read


def _whole(text: str, what: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise LayerError(f"{what} must be a whole number, got {text!r}")
    return int(text)


def _pair(text: str, what: str) -> int | tuple[int, int]:
    """Read ``3`` as 3 and ``1x7`` as (1, 7): a size for both axes, or height x width."""
    if "x" not in text:
        return _whole(text, what)
    height, _, width = text.partition("x")
    if not all(part.isascii() and part.isdigit() for part in (height, width)):
        raise LayerError(f"{what} must be a whole number or two joined by 'x', got {text!r}")
    return int(height), int(width)


def _only(options: dict[str, str], allowed: str, layer: str) -> None:
    unknown = [name for name in options if name not in allowed.split()]
    if unknown:
        expected = ", ".join(allowed.split()) if allowed else "none"
        raise LayerError(f"unknown option {unknown[0]!r} for {layer}; options: {expected}")


def _flag(options: dict[str, str], name: str) -> bool:
    if options.get(name):
        raise LayerError(f"option {name!r} takes no value, got {name + options[name]!r}")
    return name in options


def _conv(rest: str, options: dict[str, str]) -> Conv2d:
    from cnncount.layers.conv import Conv2d

    _only(options, "s p same d g nobias", "conv")
    kernel, channels = _kernel_channels(rest, "conv")
    dilation = _pair(options.get("d", "1"), "dilation")
    padding: int | tuple[int, int] | str = _preserving(kernel, dilation)
    if _flag(options, "same"):
        if "p" in options:
            raise LayerError("give either 'same' or a padding p<pixels>, not both")
        padding = "same"
    elif "p" in options:
        padding = _pair(options["p"], "padding")
    return Conv2d(
        channels,
        kernel,
        stride=_pair(options.get("s", "1"), "stride"),
        padding=padding,
        dilation=dilation,
        groups=_whole(options.get("g", "1"), "groups"),
        bias=not _flag(options, "nobias"),
    )


def _stdconv(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.stdconv import StdConv2d

    _only(options, "s p same d g nobias gain", "stdconv")
    gain = _flag(options, "gain")
    conv = _conv(rest, {name: value for name, value in options.items() if name != "gain"})
    return StdConv2d(
        conv.out_channels,
        conv.kernel_size,
        conv.stride,
        conv.padding,
        conv.dilation,
        conv.groups,
        conv.bias,
        gain=gain,
    )


def _convt(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.transposed import ConvTranspose2d

    _only(options, "s p op d g nobias", "convt")
    kernel, channels = _kernel_channels(rest, "convt")
    return ConvTranspose2d(
        channels,
        kernel,
        stride=_pair(options.get("s", "1"), "stride"),
        padding=_pair(options.get("p", "0"), "padding"),
        output_padding=_pair(options.get("op", "0"), "output padding"),
        dilation=_pair(options.get("d", "1"), "dilation"),
        groups=_whole(options.get("g", "1"), "groups"),
        bias=not _flag(options, "nobias"),
    )


def _local(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.local import LocallyConnected2d

    _only(options, "s p nobias", "local")
    kernel, channels = _kernel_channels(rest, "local")
    return LocallyConnected2d(
        channels,
        kernel,
        stride=_pair(options.get("s", "1"), "stride"),
        padding=_pair(options["p"], "padding") if "p" in options else _preserving(kernel, 1),
        bias=not _flag(options, "nobias"),
    )


def _kernel_channels(rest: str, token: str) -> tuple[int | tuple[int, int], int]:
    kernel_text, dash, channels_text = rest.partition("-")
    if not dash:
        raise LayerError(f"expected {token}<kernel>-<channels>, e.g. {token}3-64 or {token}1x7-192")
    return _pair(kernel_text, "kernel"), _whole(channels_text, "channels")


def _preserving(kernel: int | tuple[int, int], dilation: int | tuple[int, int]) -> tuple[int, int]:
    kernels = kernel if isinstance(kernel, tuple) else (kernel, kernel)
    dilations = dilation if isinstance(dilation, tuple) else (dilation, dilation)
    return (
        preserving_padding(kernels[0], dilations[0]),
        preserving_padding(kernels[1], dilations[1]),
    )


def _pool(name: str) -> Callable[[str, dict[str, str]], Layer]:
    """Build the pooling layer ``name`` (``MaxPool2d``, ``AvgPool2d``) of a token."""

    def build(rest: str, options: dict[str, str]) -> Layer:
        from cnncount.layers import pool

        kind: type[pool.MaxPool2d | pool.AvgPool2d] = getattr(pool, name)
        _only(options, "s p ceil", kind.token)
        kernel = _whole(rest, "kernel") if rest else 2
        stride = _whole(options["s"], "stride") if "s" in options else None
        padding = _whole(options.get("p", "0"), "padding")
        return kind(kernel, stride=stride, padding=padding, ceil_mode=_flag(options, "ceil"))

    return build


def _adaptive(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.pool import AdaptiveAvgPool2d

    _only(options, "", "adaptiveavgpool")
    height, _, width = rest.partition("x")
    return AdaptiveAvgPool2d(_whole(height, "size"), _whole(width or height, "size"))


def _global(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.pool import AdaptiveAvgPool2d

    _only(options, "", "gap")
    _nothing_after("gap", rest)
    return AdaptiveAvgPool2d(1)


def _fc(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.linear import Linear

    _only(options, "nobias", "FC")
    return Linear(_whole(rest, "features"), bias=not _flag(options, "nobias"))


def _lrn(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.norm import LocalResponseNorm

    _only(options, "", "LRN")
    return LocalResponseNorm(_whole(rest, "size") if rest else 5)


def _dropout(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.pointwise import Dropout

    _only(options, "", "dropout")
    return Dropout(_probability(rest, "dropout") if rest else 0.5)


def _dropout2d(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.pointwise import Dropout2d

    _only(options, "", "dropout2d")
    return Dropout2d(_probability(rest, "dropout") if rest else 0.5)


def _layer_scale(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.residual import LayerScale

    _only(options, "bias", "layerscale")
    _nothing_after("layerscale", rest)
    return LayerScale(bias=_flag(options, "bias"))


def _droppath(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.residual import StochasticDepth

    _only(options, "", "droppath")
    if not rest:
        raise LayerError("expected droppath<probability>, e.g. droppath0.1")
    return StochasticDepth(_probability(rest, "drop path"))


def _probability(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise LayerError(f"{what} probability must be a number, got {text!r}") from None


def _linear(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.linear import PositionwiseLinear

    _only(options, "nobias", "linear")
    return PositionwiseLinear(_whole(rest, "features"), bias=not _flag(options, "nobias"))


def _shuffle(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.channels import ChannelShuffle

    _only(options, "", "shuffle")
    return ChannelShuffle(_whole(rest, "groups"))


def _chunk(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.channels import ChannelChunk

    _only(options, "", "chunk")
    number_text, of, chunks_text = rest.partition("of")
    if not of:
        raise LayerError("expected chunk<i>of<n>, e.g. chunk1of2")
    number, chunks = _whole(number_text, "chunk number"), _whole(chunks_text, "chunks")
    if not 1 <= number <= chunks:
        raise LayerError(f"chunk number {number} must be from 1 to {chunks}")
    return ChannelChunk(chunks, number - 1)


def _patch(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.tokens import PatchEmbedding

    _only(options, "nobias", "patch")
    size_text, dash, dim_text = rest.partition("-")
    if not dash:
        raise LayerError("expected patch<size>-<dim>, e.g. patch16-768")
    return PatchEmbedding(
        _whole(dim_text, "dim"), _whole(size_text, "patch size"), bias=not _flag(options, "nobias")
    )


def _attention(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.attention import MultiheadAttention

    _only(options, "nobias", "mha")
    return MultiheadAttention(_whole(rest, "heads"), bias=not _flag(options, "nobias"))


def _norm(name: str, token: str) -> Callable[[str, dict[str, str]], Layer]:
    """Build the normalisation ``name`` (``BatchNorm2d``, ``LayerNorm``) of a token, which may go
    without its learned scale (``/noscale``) or shift (``/nocenter``)."""

    def build(rest: str, options: dict[str, str]) -> Layer:
        from cnncount.layers import norm

        _only(options, "noscale nocenter", token)
        _nothing_after(token, rest)
        kind: type[norm.BatchNorm2d | norm.LayerNorm] = getattr(norm, name)
        return kind(scale=not _flag(options, "noscale"), center=not _flag(options, "nocenter"))

    return build


def _window_attention(cosine: bool) -> Callable[[str, dict[str, str]], Layer]:
    """Build Swin's window attention, ``wmsa<heads>-<window>`` (``cosmsa`` for v2's cosine
    attention), with the options ``/shift<s>``, ``/nobias`` and, for v2, ``/hidden<n>``."""
    token = "cosmsa" if cosine else "wmsa"

    def build(rest: str, options: dict[str, str]) -> Layer:
        from cnncount.layers.window_attention import CosineWindowAttention, WindowAttention

        _only(options, "shift nobias hidden" if cosine else "shift nobias", token)
        heads_text, dash, window_text = rest.partition("-")
        if not dash:
            raise LayerError(f"expected {token}<heads>-<window>, e.g. {token}3-7/shift3")
        heads, window = _whole(heads_text, "heads"), _pair(window_text, "window")
        shift, bias = _pair(options.get("shift", "0"), "shift"), not _flag(options, "nobias")
        if cosine:
            hidden = _whole(options.get("hidden", "512"), "hidden")
            return CosineWindowAttention(heads, window, shift, bias, hidden)
        return WindowAttention(heads, window, shift, bias)

    return build


def _pad(name: str, token: str) -> Callable[[str, dict[str, str]], Layer]:
    """Build the padding ``name`` of :mod:`cnncount.layers.padding` from ``<token><pixels>`` or
    ``<token><top>x<bottom>x<left>x<right>``."""

    def build(rest: str, options: dict[str, str]) -> Layer:
        _only(options, "", token)
        sides = rest.split("x")
        if len(sides) not in (1, 4):
            raise LayerError(
                f"expected {token}<pixels> or {token}<top>x<bottom>x<left>x<right>, got {rest!r}"
            )
        top, bottom, left, right = [_whole(side, "padding") for side in sides * (4 // len(sides))]
        layer: Callable[..., Layer] = getattr(import_module("cnncount.layers.padding"), name)
        return layer(top, bottom, left, right)

    return build


def _rescale(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.scaling import Rescaling

    _only(options, "", "rescale")
    sign = next(
        (at for at in range(1, len(rest)) if rest[at] in "+-" and rest[at - 1] != "e"), len(rest)
    )
    scale, offset = rest[:sign], rest[sign:] or "0"
    try:
        return Rescaling(float(scale), float(offset))
    except ValueError:
        msg = f"expected rescale<scale>, rescale<scale>+<offset> or rescale<scale>-<offset>, got {rest!r}"
        raise LayerError(msg) from None


def _normalize(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.scaling import Normalization

    _only(options, "constant", "normalize")
    _nothing_after("normalize", rest)
    return Normalization(stored=not _flag(options, "constant"))


def _relative_attention(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.relative_attention import RelativeAttention

    _only(options, "", "relmsa")
    heads_text, dash, size_text = rest.partition("-")
    if not dash:
        raise LayerError("expected relmsa<heads>-<size>, e.g. relmsa2-7")
    return RelativeAttention(_whole(heads_text, "heads"), _whole(size_text, "size"))


def _partition(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.partition import WindowPartition

    _only(options, "", "partition")
    return WindowPartition(_whole(rest, "size"))


def _departition(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.partition import WindowDepartition

    _only(options, "rows", "departition")
    if "rows" not in options:
        raise LayerError("expected departition<size>/rows<n>, e.g. departition7/rows8")
    return WindowDepartition(_whole(rest, "size"), _whole(options["rows"], "rows"))


def _leakyrelu(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.pointwise import LeakyReLU

    _only(options, "", "leakyrelu")
    try:
        return LeakyReLU(float(rest) if rest else 0.01)
    except ValueError:
        raise LayerError(f"negative slope must be a number, got {rest!r}") from None


def _scaled(name: str, token: str, factor: str) -> Callable[[str, dict[str, str]], Layer]:
    """Build the layer ``name`` of :mod:`cnncount.layers.rectifiers` from a token that may end
    in its one factor (``elu0.5``, ``softplus2``)."""

    def build(rest: str, options: dict[str, str]) -> Layer:
        _only(options, "", token)
        layer: Callable[..., Layer] = getattr(import_module("cnncount.layers.rectifiers"), name)
        if not rest:
            return layer()
        try:
            value = float(rest)
        except ValueError:
            raise LayerError(f"{factor} must be a number, got {rest!r}") from None
        return layer(value)

    return build


def _prelu(rest: str, options: dict[str, str]) -> Layer:
    _only(options, "channels", "prelu")
    _nothing_after("prelu", rest)
    from cnncount.layers.rectifiers import PReLU

    return PReLU(channels=_flag(options, "channels"))


def _groupnorm(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.groupnorm import GroupNorm

    _only(options, "noaffine", "gn")
    return GroupNorm(_whole(rest, "groups"), affine=not _flag(options, "noaffine"))


def _instancenorm(rest: str, options: dict[str, str]) -> Layer:
    from cnncount.layers.groupnorm import InstanceNorm2d

    _only(options, "affine running", "instancenorm")
    _nothing_after("instancenorm", rest)
    return InstanceNorm2d(affine=_flag(options, "affine"), running=_flag(options, "running"))


def _interpolate(size: bool) -> Callable[[str, dict[str, str]], Layer]:
    """Build an interpolation to a scale (``upsample2``) or to a size (``resize7x9``)."""

    def build(rest: str, options: dict[str, str]) -> Layer:
        from cnncount.layers.interpolate import Interpolate

        _only(options, "bilinear bicubic", "resize" if size else "upsample")
        modes = [mode for mode in ("bilinear", "bicubic") if _flag(options, mode)]
        if len(modes) > 1:
            raise LayerError("give one interpolation mode, bilinear or bicubic, not both")
        mode = modes[0] if modes else "nearest"
        value = _pair(rest, "size" if size else "scale")
        return Interpolate(size=value, mode=mode) if size else Interpolate(scale=value, mode=mode)

    return build


def _plain(module: str, name: str, token: str) -> Callable[[str, dict[str, str]], Layer]:
    """Build the layer ``name`` of a token that takes nothing, from ``cnncount.layers.<module>``,
    imported when the first such token is read."""

    def build(rest: str, options: dict[str, str]) -> Layer:
        _only(options, "", token)
        _nothing_after(token, rest)
        layer: type[Layer] = getattr(import_module(f"cnncount.layers.{module}"), name)
        return layer()

    return build


def _gelu(rest: str, options: dict[str, str]) -> Layer:
    _only(options, "tanh", "gelu")
    _nothing_after("gelu", rest)
    from cnncount.layers.gates import GELU

    return GELU(tanh=_flag(options, "tanh"))


def _log_softmax(rest: str, options: dict[str, str]) -> Layer:
    _only(options, "", "log-soft-max")
    _nothing_after("log-soft-max", rest)
    from cnncount.layers.pointwise import Softmax

    return Softmax(log=True)


def _nothing_after(token: str, rest: str) -> None:
    if rest:
        raise LayerError(f"unexpected {rest!r} after {token!r}; {_EXPECTED}")


_BUILDERS: dict[str, Callable[[str, dict[str, str]], Layer]] = {
    "convt": _convt,  # before "conv", which it starts with
    "conv": _conv,
    "stdconv": _stdconv,
    "local": _local,
    "maxpool": _pool("MaxPool2d"),
    "avgpool": _pool("AvgPool2d"),
    "adaptiveavgpool": _adaptive,
    "gap": _global,
    "fc-": _fc,
    "linear-": _linear,
    "lrn": _lrn,
    "batchnorm": _norm("BatchNorm2d", "batchnorm"),
    "bn": _norm("BatchNorm2d", "bn"),
    "layernorm": _norm("LayerNorm", "layernorm"),
    "ln": _norm("LayerNorm", "ln"),
    "layerscale": _layer_scale,
    "gn": _groupnorm,
    "instancenorm": _instancenorm,
    "grn": _plain("grn", "GlobalResponseNorm", "grn"),
    "relu6": _plain("pointwise", "ReLU6", "relu6"),
    "leakyrelu": _leakyrelu,
    "relu": _plain("pointwise", "ReLU", "relu"),
    "elu": _scaled("ELU", "elu", "alpha"),
    "selu": _plain("rectifiers", "SELU", "selu"),
    "mish": _plain("rectifiers", "Mish", "mish"),
    "softplus": _scaled("Softplus", "softplus", "beta"),
    "prelu": _prelu,
    "silu": _plain("gates", "SiLU", "silu"),
    "hardswish": _plain("gates", "Hardswish", "hardswish"),
    "hardsigmoid": _plain("gates", "Hardsigmoid", "hardsigmoid"),
    "sigmoid": _plain("gates", "Sigmoid", "sigmoid"),
    "tanh": _plain("gates", "Tanh", "tanh"),
    "gelu": _gelu,
    "dropout2d": _dropout2d,
    "dropout": _dropout,
    "droppath": _droppath,
    "soft-max": _plain("pointwise", "Softmax", "soft-max"),
    "softmax": _plain("pointwise", "Softmax", "softmax"),
    "log-soft-max": _log_softmax,
    "flatten": _plain("linear", "Flatten", "flatten"),
    "shuffle": _shuffle,
    "chunk": _chunk,
    "upsample": _interpolate(size=False),
    "resize": _interpolate(size=True),
    "patch": _patch,
    "classtoken": _plain("tokens", "ClassToken", "classtoken"),
    "posembed": _plain("tokens", "PositionEmbedding", "posembed"),
    "mha": _attention,
    "cls": _plain("tokens", "ClassTokenReadout", "cls"),
    "pad": _pad("ZeroPad2d", "pad"),
    "reflectpad": _pad("ReflectionPad2d", "reflectpad"),
    "replicatepad": _pad("ReplicationPad2d", "replicatepad"),
    "rescale": _rescale,
    "normalize": _normalize,
    "tokens": _plain("tokens", "MapToTokens", "tokens"),
    "wmsa": _window_attention(cosine=False),
    "cosmsa": _window_attention(cosine=True),
    "relmsa": _relative_attention,
    "s2d": _plain("partition", "SpaceToDepth", "s2d"),
    "partition": _partition,
    "departition": _departition,
    "swapaxes": _plain("partition", "SwapAxes", "swapaxes"),
}
"""Each token's prefix and the builder of its layer from the rest of the head and the options."""
