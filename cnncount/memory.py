"""Memory for training and inference: what is kept, for a batch, in which data types.

Training keeps the inputs, the parameters, their gradients, the optimizer's state, the buffers,
and the activations that the backward pass needs. Which activations those are follows from what
each layer says its backward pass needs (:meth:`~cnncount.layers.base.Layer.saves`), the way
PyTorch's autograd keeps them:

- a tensor is kept if and only if some layer saves it, and counted once, whichever layers share
  it: an in-place layer (a ReLU, an in-place addition) writes into its input's tensor, and a view
  (a flatten) is its input's tensor;
- a layer that runs in place but needs its input keeps a copy of it (ReLU6, SiLU);
- indices, masks and statistics are counted in their own types;
- with autocast, each tensor has the type of the layer that wrote it, a layer that computes in
  another type than its input's keeps the cast copy it computes from, and the lower-precision
  copies of the weights of convolutions and matrix products are kept for their backward.

That is :func:`kept_for_backward_bytes`; the tests compare it with the tensors PyTorch saves.
With activation checkpointing, the network is cut into segments where a single tensor crosses,
as ``torch.utils.checkpoint.checkpoint_sequential`` cuts a sequence of modules: the forward pass
keeps each segment's input and the last segment's tensors, and the backward pass recomputes one
segment at a time.

Left out: the loss (a cross-entropy keeps one value per class and image), the memory of the
backward pass's own gradients of activations (freed layer by layer),
batch normalisation's per-channel statistics (2C values a batch), the optimizer's temporaries,
and everything outside the tensors: the CUDA context, cuDNN's workspace, and the allocator's
caching and rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cnncount.errors import CnncountError
from cnncount.network import INPUT
from cnncount.precision import BYTES_PER_VALUE, ONE_IMAGE, Batch
from cnncount.summary import Row, Summary
from cnncount.table import Shown

if TYPE_CHECKING:
    from cnncount.table import Table

__all__ = [
    "OPTIMIZER_STATE",
    "Moment",
    "TrainingMemory",
    "autocast_weight_bytes",
    "inference_peak_bytes",
    "kept_for_backward_bytes",
    "largest_batch",
    "segment_starts",
    "step_timeline",
    "training_memory",
]

OPTIMIZER_STATE = {
    "sgd": 0,
    "momentum": 1,
    "adagrad": 1,
    "rmsprop": 1,
    "adam": 2,
    "adamw": 2,
    "adamax": 2,
    "nadam": 2,
    "radam": 2,
    "adadelta": 2,
    "amsgrad": 3,
}
"""Values of optimizer state per parameter, as ``torch.optim`` keeps them. None for plain SGD;
the momentum buffer (SGD with momentum); the sum of squares (Adagrad) or their running mean
(RMSprop); the two moment estimates (Adam, AdamW, NAdam, RAdam), the first moment and the
infinity norm (Adamax), or the running means of squared gradients and updates (Adadelta); and
a third, the largest second moment so far, for Adam with ``amsgrad=True``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TrainingMemory(Shown):
    """The parts of training memory for one step, in bytes; they add up to :attr:`total`.

    ``accumulation`` is the number of batches whose gradients are added up before the optimizer
    steps: it changes the effective batch, not the memory. ``segments`` is the number of
    segments of activation checkpointing (1: none).

    Examples:
        >>> from cnncount import get_model, summarize
        >>> memory = training_memory(summarize(get_model("vgg16")), optimizer="adam")
        >>> [name for name, _ in memory.parts]
        ['inputs', 'parameters', 'gradients', 'optimizer state', 'buffers', 'activations kept for backward']
        >>> memory.total == sum(size for _, size in memory.parts)
        True

        It prints as the report's lines and shows as a table in a notebook:

        >>> memory
        <TrainingMemory, batch of 1, float32, adam: 2,286,910,080 bytes (2.13 GiB)>
        >>> print(str(memory).splitlines()[0])  # the report's lines, as str() gives them
        TRAINING memory, batch of 1, float32, adam optimizer:
    """

    batch: Batch
    optimizer: str
    accumulation: int
    segments: int
    parts: tuple[tuple[str, int], ...]

    def _table(self) -> Table:
        from cnncount.render.display import training_memory_table

        return training_memory_table(self)

    def __str__(self) -> str:
        from cnncount.render.cost import training_lines

        return training_lines(self)

    def __repr__(self) -> str:
        from cnncount.render.display import training_memory_repr

        return training_memory_repr(self)

    @property
    def total(self) -> int:
        """The bytes of all the parts.

        Examples:
            >>> from cnncount import get_model, summarize
            >>> training_memory(summarize(get_model("vgg16")), optimizer="sgd").total
            1180049728
        """
        return sum(size for _, size in self.parts)

    @property
    def effective_batch(self) -> int:
        """The images behind each step of the optimizer, the batch times the accumulation.

        Examples:
            >>> from cnncount import Batch, get_model, summarize
            >>> training_memory(summarize(get_model("vgg16")), Batch(16), accumulation=4).effective_batch
            64
        """
        return self.batch.size * self.accumulation


def kept_for_backward_bytes(summary: Summary, batch: Batch = ONE_IMAGE, segments: int = 1) -> int:
    """Return the bytes of the activations the backward pass needs, the input excluded; with
    ``segments`` of activation checkpointing, the most it needs at once.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> kept_for_backward_bytes(vgg16)  # every output but fc3's and the input's, and the pooling indices
        72587264
        >>> (15237608 - 150528 - 1000) * 4 + 1530368 * 8
        72587264
        >>> kept_for_backward_bytes(vgg16, segments=4) < kept_for_backward_bytes(vgg16)
        True
    """
    tensors = _Tensors(summary.rows, batch)
    if segments == 1:
        return batch.size * tensors.kept_bytes(range(1, len(summary.rows)))
    cuts = tensors.cuts(segments)
    starts = [1, *cuts]
    ends = [*cuts, len(summary.rows)]
    boundaries = [tensors.owner[summary.rows[cut - 1].name] for cut in cuts]
    peak = max(
        tensors.kept_bytes(range(start, end), boundaries[:segment])
        for segment, (start, end) in enumerate(zip(starts, ends))
    )
    return batch.size * peak


@dataclass(frozen=True, slots=True, kw_only=True)
class Moment:
    """The activation memory of a training step while one row runs, in bytes.

    ``kept`` is what the backward pass still needs; ``in_flight`` is the rest alive then: in the
    forward pass, the row's output if nothing keeps it; in the backward pass, the gradients of
    the row's output and of its inputs.

    Examples:
        >>> Moment(phase="backward", name="fc3", kept=72587264, in_flight=20384)
        Moment(phase='backward', name='fc3', kept=72587264, in_flight=20384)
    """

    phase: str
    name: str
    kept: int
    in_flight: int


def segment_starts(summary: Summary, segments: int) -> list[str]:
    """Return the rows where activation checkpointing's segments 2 to ``segments`` start.

    Each segment starts where one tensor is all that crosses from the rows before, as near as
    that allows to ``torch.utils.checkpoint.checkpoint_sequential``'s equal segments.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> segment_starts(summarize(get_model("vgg16")), 4)
        ['maxpool2', 'conv8', 'conv12']
    """
    rows = summary.rows
    return [rows[index].name for index in _Tensors(rows, ONE_IMAGE).cuts(segments)]


def step_timeline(summary: Summary, batch: Batch = ONE_IMAGE) -> list[Moment]:
    """Return the activation memory of a training step, row by row: the forward pass from the
    first row to the last, then the backward pass from the last to the first.

    The forward pass adds what each row keeps for backward; the backward pass frees it once the
    row's gradients are made. The network's input is left out, and so is its gradient, which
    nothing needs.

    Examples:
        >>> from cnncount import Shape, parse_network, summarize
        >>> chain = summarize(parse_network("conv3-8 relu conv3-8 relu", Shape(8, 4, 4)))
        >>> 8 * 4 * 4 * 4  # the bytes of each map
        512
        >>> [(moment.phase, moment.name, moment.kept, moment.in_flight) for moment in step_timeline(chain)][2:6]
        [('forward', 'conv2', 512, 512), ('forward', 'relu2', 1024, 0), ('backward', 'relu2', 1024, 1024), ('backward', 'conv2', 512, 1024)]
    """
    tensors = _Tensors(summary.rows, batch)
    moments = []
    for index in range(1, len(summary.rows)):
        row = summary.rows[index]
        saved, other = tensors.saved(range(1, index + 1))
        output = 0 if tensors.owner[row.name] in saved else tensors.size(row.name)
        moments.append(("forward", row.name, tensors.bytes_of(saved, other), output))
    for index in reversed(range(1, len(summary.rows))):
        row = summary.rows[index]
        saved, other = tensors.saved(range(1, index + 1))
        gradients = tensors.size(row.name) + sum(
            tensors.size(source) for source in row.inputs if source != INPUT
        )
        moments.append(("backward", row.name, tensors.bytes_of(saved, other), gradients))
    return [
        Moment(phase=phase, name=name, kept=batch.size * kept, in_flight=batch.size * flight)
        for phase, name, kept, flight in moments
    ]


def autocast_weight_bytes(summary: Summary, batch: Batch) -> int:
    """Return the bytes of the lower-precision copies of the weights that autocast makes for the
    layers it runs in lower precision, and keeps for their backward; none without autocast.

    Examples:
        >>> from cnncount import Batch, get_model, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> autocast_weight_bytes(vgg16, Batch(autocast="float16")) == 2 * vgg16.totals.weights
        True
    """
    if batch.autocast is None:
        return 0
    lower = sum(
        row.weights for row in summary.rows[1:] if row.layer and row.layer.autocast == "lower"
    )
    return lower * batch.lower_bytes_per_value


def training_memory(
    summary: Summary,
    batch: Batch = ONE_IMAGE,
    optimizer: str = "sgd",
    accumulation: int = 1,
    segments: int = 1,
) -> TrainingMemory:
    """Return what one training step keeps, part by part.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> memory = training_memory(summarize(get_model("vgg16")), Batch(64), optimizer="adam")
        >>> dict(memory.parts)["optimizer state"] == 2 * 4 * 138357544
        True
        >>> mixed = training_memory(summarize(get_model("vgg16")), Batch(64, autocast="float16"))
        >>> [name for name, _ in mixed.parts][-2:]
        ['autocast weight copies', 'activations kept for backward']
        >>> training_memory(summarize(get_model("vgg16")), optimizer="lamb")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: unknown optimizer 'lamb'; optimizers: sgd, momentum, adagrad, rmsprop, adam, adamw, adamax, nadam, radam, adadelta, amsgrad
    """
    if optimizer not in OPTIMIZER_STATE:
        msg = f"unknown optimizer {optimizer!r}; optimizers: {', '.join(OPTIMIZER_STATE)}"
        raise CnncountError(msg)
    if accumulation < 1:
        raise CnncountError(f"gradient accumulation must be at least 1 batch, got {accumulation}")
    size = batch.bytes_per_value
    params = summary.totals.params * size
    parts = [
        ("inputs", batch.bytes(summary.input_shape.numel)),
        ("parameters", params),
        ("gradients", params),
        ("optimizer state", OPTIMIZER_STATE[optimizer] * params),
        ("buffers", summary.totals.buffers * size),
    ]
    if batch.autocast is not None:
        parts.append(("autocast weight copies", autocast_weight_bytes(summary, batch)))
    parts.append(
        ("activations kept for backward", kept_for_backward_bytes(summary, batch, segments))
    )
    return TrainingMemory(
        batch=batch,
        optimizer=optimizer,
        accumulation=accumulation,
        segments=segments,
        parts=tuple(parts),
    )


def inference_peak_bytes(summary: Summary, batch: Batch = ONE_IMAGE) -> int:
    """Return the peak memory of an inference pass: the weights and buffers, and the most
    activation bytes alive at once.

    Layers run in order. The input lives throughout (its caller holds it); any other tensor lives
    from the layer that writes it to the last layer that reads it, the network's output to the
    end. A block of layers named alike (``layer1.0.conv1`` to ``layer1.0.relu3``: a module, as
    PyTorch runs it) holds its input until its last layer has run. An in-place layer writes into
    its input's tensor. In a chain the peak is the largest pair of a layer's input and output.

    Examples:
        >>> from cnncount import get_model, parse_network, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> inference_peak_bytes(vgg16) - 4 * vgg16.totals.params  # the input and 2 maps of 224*224*64
        26292224
        >>> block = summarize(parse_network("conv3-64 ( conv3-64 conv3-64 | )add"))
        >>> inference_peak_bytes(block) - 4 * block.totals.params  # the input and 3 maps in the block
        39137280
    """
    tensors = _Tensors(summary.rows, batch, training=False)
    fixed = (summary.totals.params + summary.totals.buffers) * batch.bytes_per_value
    return fixed + batch.size * tensors.peak_bytes()


def largest_batch(
    summary: Summary,
    budget: int,
    like: Batch = ONE_IMAGE,
    optimizer: str | None = None,
    segments: int = 1,
) -> int:
    """Return the largest batch whose memory fits ``budget`` bytes, in ``like``'s data types:
    for training with ``optimizer``, or for inference without one.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> largest_batch(vgg16, 16 * 2**30, optimizer="adam"), largest_batch(vgg16, 16 * 2**30)
        (204, 632)
        >>> largest_batch(vgg16, 2**29, optimizer="adam")
        Traceback (most recent call last):
        ...
        cnncount.errors.CnncountError: budget 536,870,912 bytes is less than the 2,213,720,704 bytes this model needs before its first image
    """

    def needed(size: int) -> int:
        batch = Batch(size, like.dtype, like.autocast)
        if optimizer is None:
            return inference_peak_bytes(summary, batch)
        return training_memory(summary, batch, optimizer, segments=segments).total

    per_image = needed(2) - needed(1)  # memory grows linearly with the batch
    fixed = needed(1) - per_image
    if budget < fixed + per_image:
        msg = f"budget {budget:,} bytes is less than the {fixed:,} bytes this model needs before its first image"
        if budget >= fixed:
            msg = f"budget {budget:,} bytes does not fit one image: {fixed + per_image:,} bytes needed"
        raise CnncountError(msg)
    return (budget - fixed) // per_image


class _Tensors:
    """The tensors of a pass over ``rows``: which row's tensor holds each row's output (its
    ``owner``: itself, or for an in-place layer or a view, its input's owner) and the bytes of
    one of its values (``value_bytes``), for one image."""

    def __init__(self, rows: tuple[Row, ...], batch: Batch, training: bool = True) -> None:
        self.rows = rows
        self.device = batch.device
        self.index = {row.name: index for index, row in enumerate(rows)}
        self.owner: dict[str, str] = {}
        self.value_bytes: dict[str, int] = {}
        for row in rows:
            layer = row.layer
            if layer is None:
                self.owner[row.name], self.value_bytes[row.name] = row.name, batch.bytes_per_value
            elif layer.in_place or layer.passes_through(training):
                self.owner[row.name] = self.owner[row.inputs[0]]
                self.value_bytes[row.name] = self.value_bytes[row.inputs[0]]
            else:
                self.owner[row.name] = row.name
                self.value_bytes[row.name] = _computed_in(row, self.value_bytes, batch)

    def size(self, name: str) -> int:
        """Return the bytes of the tensor that row ``name`` writes, for one image."""
        return self.rows[self.index[name]].activations * self.value_bytes[name]

    def kept_bytes(self, indices: range, also: list[str] | None = None) -> int:
        """Return the bytes the backward pass of the rows at ``indices`` needs, for one image,
        with the tensors ``also`` (checkpoints), the network's input excluded."""
        return self.bytes_of(*self.saved(indices, also))

    def bytes_of(self, saved: set[str], other: int) -> int:
        """Return the bytes of the tensors ``saved`` and ``other`` bytes besides, for one image."""
        return other + sum(self.size(owner) for owner in saved)

    def saved(self, indices: range, also: list[str] | None = None) -> tuple[set[str], int]:
        """Return the tensors the backward pass of the rows at ``indices`` keeps (with ``also``,
        the network's input excluded), and the bytes of its copies, indices and masks."""
        saved = set(also or ())
        other = 0
        for index in indices:
            row = self.rows[index]
            layer = row.layer
            assert layer is not None  # only the input row has none
            saves = layer.saves(row.input_shape)
            computed = self.value_bytes[row.name]
            if saves.input:
                for source in row.inputs:
                    # autocast casts the input of the layers it runs in a given type; promotion does not
                    cast = layer.autocast in ("lower", "float32", "cpu-float32")
                    recast = cast and self.value_bytes[source] != computed
                    if (
                        layer.in_place or recast
                    ):  # a copy: of what it overwrites, or autocast's cast
                        copied = computed if recast else self.value_bytes[source]
                        other += self.rows[self.index[source]].activations * copied
                    else:
                        saved.add(self.owner[source])
            if saves.output:
                saved.add(self.owner[row.name])
            mask_bytes = (
                1 if self.device == "cuda" else computed
            )  # CUDA's bool mask, the CPU's noise
            other += saves.values * computed + saves.mask * mask_bytes + saves.other_bytes
        saved.discard(INPUT)
        return saved, other

    def peak_bytes(self) -> int:
        """Return the most bytes of tensors alive at once in an inference pass, for one image."""
        end = len(self.rows)
        last = {INPUT: end, self.owner[self.rows[-1].name]: end}
        for index, row in enumerate(self.rows):
            for source in row.inputs:
                owner = self.owner[source]
                last[owner] = max(last.get(owner, index), index)
        for first, final in _modules(self.rows).values():
            for source in self.rows[first].inputs:
                if self.index[source] < first:  # the module's input, held until it returns
                    owner = self.owner[source]
                    last[owner] = max(last[owner], final)
        freed = [0] * (end + 1)
        for owner, index in last.items():
            freed[index] += self.size(owner)
        live = peak = 0
        for index, row in enumerate(self.rows):
            if self.owner[row.name] == row.name:
                live += self.size(row.name)
            transient = 0 if row.layer is None else row.layer.transient_bytes(row.input_shape)
            peak = max(peak, live + transient)
            live -= freed[index]
        return peak

    def cuts(self, segments: int) -> list[int]:
        """Return the indices where segments 2 to ``segments`` start: places where one tensor,
        written by the row just before, is all that crosses, spread as evenly as they allow."""
        if segments < 1:
            raise CnncountError(f"checkpointing needs at least 1 segment, got {segments}")
        candidates = self._single_tensor_cuts()
        if segments - 1 > len(candidates):
            msg = f"checkpointing in {segments} segments needs {segments - 1} places to cut; the network has {len(candidates)}"
            raise CnncountError(msg)
        layers = len(self.rows) - 1
        chosen: list[int] = []
        for segment in range(1, segments):
            target = 1 + segment * (layers // segments)  # checkpoint_sequential's equal segments
            left = segments - 1 - segment  # cuts still to place after this one
            allowed = [cut for cut in candidates if (not chosen or cut > chosen[-1])]
            allowed = allowed[: len(allowed) - left] if left else allowed
            chosen.append(min(allowed, key=lambda cut: abs(cut - target)))
        return chosen

    def _single_tensor_cuts(self) -> list[int]:
        crossing = [0] * (
            len(self.rows) + 1
        )  # tensors written before each index, read at or after it
        written: dict[str, int] = {}
        read: dict[str, int] = {}
        for index, row in enumerate(self.rows):
            written.setdefault(self.owner[row.name], index)
            for source in row.inputs:
                read[self.owner[source]] = index
        for (
            owner,
            last,
        ) in read.items():  # each crosses the indices after it is written, up to its last read
            crossing[written[owner] + 1] += 1
            crossing[last + 1] -= 1
        for index in range(1, len(crossing)):
            crossing[index] += crossing[index - 1]
        return [
            index
            for index in range(2, len(self.rows))
            if crossing[index] == 1 and read.get(self.owner[self.rows[index - 1].name], 0) >= index
        ]


def _computed_in(row: Row, value_bytes: dict[str, int], batch: Batch) -> int:
    """Return the bytes of a value of what the layer of ``row`` writes, with autocast or without:
    autocast keeps each device's float32 list to float32 on that device only."""
    layer = row.layer
    assert layer is not None
    if layer.autocast == "lower" and batch.autocast is not None:
        return batch.lower_bytes_per_value
    float32_on = {"float32": "cuda", "cpu-float32": "cpu"}.get(layer.autocast)
    if batch.autocast is not None and batch.device == float32_on:
        return BYTES_PER_VALUE["float32"]
    if layer.autocast == "promote":  # combined with a float32 parameter
        return max(BYTES_PER_VALUE[batch.dtype], *(value_bytes[source] for source in row.inputs))
    return max(value_bytes[source] for source in row.inputs)


def _modules(rows: tuple[Row, ...]) -> dict[str, tuple[int, int]]:
    """Return, for each block of rows named alike (``layer1.0`` for ``layer1.0.conv1``), the
    indices of its first and its last row."""
    spans: dict[str, tuple[int, int]] = {}
    for index, row in enumerate(rows):
        parts = row.name.split(".")
        for depth in range(1, len(parts)):
            prefix = ".".join(parts[:depth])
            first, _ = spans.get(prefix, (index, index))
            spans[prefix] = (first, index)
    return spans
