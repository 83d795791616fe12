"""Text renderings of what a pass costs: the inference peak, training memory, the largest batch,
a convention's figures, receptive fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cnncount.precision import Batch
from cnncount.units import BYTE_UNITS, format_bytes
from cnncount.views import BatchFit, ConventionCount, Views

if TYPE_CHECKING:  # a view's module is loaded by whoever computed that view
    from collections.abc import Callable

    from cnncount.conventions import Convention
    from cnncount.memory import TrainingMemory
    from cnncount.receptive import ReceptiveField
    from cnncount.roofline import Roofline

__all__ = [
    "activation_figure",
    "batch_fit_line",
    "compute_figure",
    "convention_lines",
    "cost_sections",
    "data_types",
    "inference_line",
    "keras_lines",
    "keras_size",
    "receptive_field_table",
    "roofline_table",
    "training_lines",
]


def cost_sections(views: Views) -> list[str]:
    """Return the text of each view asked for, in a fixed order.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> views = compute_views(summarize(get_model("vgg16")), budget=16 * 2**30)
        >>> for section in cost_sections(views):
        ...     print(section)
        INFERENCE peak: 579,722,400 bytes ~= 580 MB (553 MiB), batch of 1, float32
        BUDGET 17,179,869,184 bytes (16.0 GiB) fits a batch of 632 for inference in float32
    """
    return [_SECTIONS[name](view, views.batch) for name, view in views.items()]


def inference_line(peak: int, batch: Batch) -> str:
    """Return the peak memory of an inference pass, in bytes, MB and MiB.

    Examples:
        >>> from cnncount import Batch
        >>> inference_line(579722400, Batch())
        'INFERENCE peak: 579,722,400 bytes ~= 580 MB (553 MiB), batch of 1, float32'
    """
    return (
        f"INFERENCE peak: {peak:,} bytes ~= {format_bytes(peak)} ({format_bytes(peak, binary=True)}), "
        f"batch of {batch.size:,}, {data_types(batch)}"
    )


def training_lines(memory: TrainingMemory) -> str:
    """Return the parts of training memory, one a line, in bytes, MB and MiB, and their total.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.memory import training_memory
        >>> from cnncount.precision import Batch
        >>> print(training_lines(training_memory(summarize(get_model("vgg16")), Batch(64), optimizer="adam")))
        TRAINING memory, batch of 64, float32, adam optimizer:
          inputs                             38,535,168 bytes   38.5 MB   36.8 MiB
          parameters                        553,430,176 bytes    553 MB    528 MiB
          gradients                         553,430,176 bytes    553 MB    528 MiB
          optimizer state                 1,106,860,352 bytes   1.11 GB   1.03 GiB
          buffers                                     0 bytes       0 B        0 B
          activations kept for backward   4,645,584,896 bytes   4.65 GB   4.33 GiB
          total                           6,897,840,768 bytes   6.90 GB   6.42 GiB
        >>> mixed = training_memory(
        ...     summarize(get_model("vgg16")), Batch(16, autocast="float16"), accumulation=4, segments=4
        ... )
        >>> print(training_lines(mixed).splitlines()[0])
        TRAINING memory, batch of 16 (4 accumulated: 64 a step), float32 with float16 autocast, sgd optimizer, checkpointed in 4 segments:
    """
    rows = [*memory.parts, ("total", memory.total)]
    width = max(len(f"{size:,}") for _, size in rows)
    batch = memory.batch
    size = f"batch of {batch.size:,}"
    if memory.accumulation > 1:
        size += f" ({memory.accumulation} accumulated: {memory.effective_batch:,} a step)"
    types = data_types(batch)
    checkpoints = f", checkpointed in {memory.segments} segments" if memory.segments > 1 else ""
    header = f"TRAINING memory, {size}, {types}, {memory.optimizer} optimizer{checkpoints}:"
    lines = [
        f"  {name:<30}{size:>{width + 2},} bytes  {format_bytes(size):>8}  "
        f"{format_bytes(size, binary=True):>9}"
        for name, size in rows
    ]
    return "\n".join([header, *lines])


def batch_fit_line(fit: BatchFit) -> str:
    """Return the largest batch that fits a budget, and what for.

    Examples:
        >>> from cnncount import Batch
        >>> print(batch_fit_line(BatchFit(budget=16 * 2**30, optimizer="adam", like=Batch(), batch=204)))
        BUDGET 17,179,869,184 bytes (16.0 GiB) fits a batch of 204 for training with adam in float32
    """
    mode = f"training with {fit.optimizer}" if fit.optimizer else "inference"
    return (
        f"BUDGET {fit.budget:,} bytes ({format_bytes(fit.budget, binary=True)}) fits a batch of "
        f"{fit.batch:,} for {mode} in {data_types(fit.like)}"
    )


def data_types(batch: Batch) -> str:
    """Return the data types a batch runs in, as the reports name them.

    Examples:
        >>> from cnncount import Batch
        >>> data_types(Batch()), data_types(Batch(autocast="bfloat16", device="cpu"))
        ('float32', 'float32 with bfloat16 autocast on the CPU')
    """
    types = (
        batch.dtype if batch.autocast is None else f"{batch.dtype} with {batch.autocast} autocast"
    )
    return types if batch.device == "cuda" else f"{types} on the CPU"


def activation_figure(count: ConventionCount) -> str:
    """Return the activation memory as the convention's tool prints it, its unit named.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> vgg16, modules = summarize(get_model("vgg16")), summarize(get_model("vgg16-modules"))
        >>> activation_figure(compute_views(vgg16, convention="cs231n").convention)
        '15,237,608 values'
        >>> activation_figure(compute_views(vgg16, convention="convnet-burden").convention)
        '58 MiB'
        >>> activation_figure(compute_views(modules, convention="torchsummary").convention)
        '218.59 MiB'
    """
    rule = count.convention.memory
    if rule is None or count.activation_values is None or count.activation_bytes is None:
        raise ValueError(f"convention {count.convention.name!r} counts no activation memory")
    if rule.unit == "values":
        return f"{count.activation_values:,} values"
    return f"{count.activation_bytes / BYTE_UNITS[rule.unit]:,.{rule.decimals}f} {rule.unit}"


def compute_figure(count: ConventionCount) -> str:
    """Return the compute as the convention's tool prints it: billions, two decimals, its unit.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> compute_figure(compute_views(summarize(get_model("vgg16")), convention="flops").convention)
        '30.94 GFLOPs'
    """
    rule = count.convention.compute
    if rule is None or count.compute is None:
        raise ValueError(f"convention {count.convention.name!r} counts no compute")
    return f"{count.compute / 1e9:,.2f} {rule.unit}"


def convention_lines(count: ConventionCount) -> str:
    """Return what the convention's tool would print for the network, and what it counts.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> print(convention_lines(compute_views(summarize(get_model("vgg16")), convention="torchinfo").convention))
        CONVENTION torchinfo: Forward/backward pass size (MB) and Total mult-adds (G)
          activation memory: 108.45 MB
          compute:           15.48 G mult-adds
    """
    convention: Convention = count.convention
    lines = [f"CONVENTION {convention.name}: {convention.prints}"]
    if count.activation_values is not None:
        lines.append(f"  activation memory: {activation_figure(count)}")
    if count.compute is not None:
        lines.append(f"  compute:           {compute_figure(count)}")
    if count.trainable is not None and count.non_trainable is not None:
        lines += keras_lines(count.trainable, count.non_trainable, count.bytes_per_value)
    return "\n".join(lines)


def keras_lines(trainable: int, non_trainable: int, bytes_per_value: int = 4) -> list[str]:
    """Return the three parameter lines of Keras 3's ``model.summary()``, as it prints them.

    Examples:
        >>> for line in keras_lines(25_583_592, 53_120):
        ...     print(line)
         Total params: 25,636,712 (97.80 MB)
         Trainable params: 25,583,592 (97.59 MB)
         Non-trainable params: 53,120 (207.50 KB)
    """
    figures = (
        ("Total", trainable + non_trainable),
        ("Trainable", trainable),
        ("Non-trainable", non_trainable),
    )
    return [
        f" {what} params: {count:,} ({keras_size(count * bytes_per_value)})"
        for what, count in figures
    ]


def keras_size(size_bytes: float) -> str:
    """Return a size as Keras's summary writes it: two decimals, in 1024s called KB, MB, GB.

    Examples:
        >>> keras_size(28), keras_size(4744), keras_size(553430176)
        ('28.00 B', '4.63 KB', '527.79 MB')
    """
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size_bytes < 1024:
            return f"{size_bytes:.2f} {unit}"
        size_bytes /= 1024
    return f"{size_bytes:.2f} PB"


def receptive_field_table(fields: list[ReceptiveField]) -> str:
    """Return the receptive field of each row: its size, jump and start, in input pixels.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.receptive import receptive_fields
        >>> lines = receptive_field_table(receptive_fields(summarize(get_model("vgg16")))).splitlines()
        >>> for line in lines[:5] + lines[-4:]:
        ...     print(line)
        layer       size  jump   start
        input          1     1     0.0
        conv1          3     1     0.0
        conv2          5     1     0.0
        maxpool1       6     2     0.5
        maxpool5     212    32    15.5
        fc1          all    32    15.5
        fc2          all    32    15.5
        fc3          all    32    15.5
    """
    width = max(len("layer"), *(len(field.name) for field in fields)) + 2
    lines = [f"{'layer':<{width}}{'size':>6}{'jump':>6}{'start':>8}"]
    for field in fields:
        size = "all" if field.size is None else str(field.size)
        lines.append(f"{field.name:<{width}}{size:>6}{field.jump:>6}{field.start:>8.1f}")
    return "\n".join(lines)


def roofline_table(result: Roofline) -> str:
    """Return each layer's FLOPs, bytes moved, arithmetic intensity and lower bound on its time,
    then the network's forward bound and the estimate of a training step built on it.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.roofline import DEVICES, roofline
        >>> lines = roofline_table(roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"])).splitlines()
        >>> for line in lines[:4] + lines[-3:]:
        ...     print(line)
        ROOFLINE on h100-sxm (NVIDIA H100 SXM5, a current datacenter GPU): 67.0 TFLOP/s in float32, 3.35 TB/s; ridge at 20.0 FLOP/B; batch of 1, float32
        layer      GFLOPs     MB  FLOP/B    bound us  bound by
        conv1       0.173   13.5    12.9       4.016  memory
        conv2       3.699   25.8   143.2      55.215  compute
        fc3         0.008   16.4     0.5       4.898  memory
        FORWARD bound:     0.616 ms (a forward pass: the layers one after another)
        TRAINING estimate: 1.849 ms (3 forward bounds: the forward pass and a backward pass of about twice it)
    """
    from cnncount.roofline import TRAINING_FACTOR

    device, batch = result.device, result.batch
    dtype = batch.autocast or batch.dtype
    header = (
        f"ROOFLINE on {device.name} ({device.description}): {device.peak(dtype) / 1e12:.1f} TFLOP/s in "
        f"{dtype}, {device.bandwidth / 1e12:.3g} TB/s; ridge at {device.ridge(dtype):.1f} FLOP/B; "
        f"batch of {batch.size:,}, {data_types(batch)}"
    )
    width = max(len("layer"), *(len(layer.name) for layer in result.layers)) + 2
    lines = [
        header,
        f"{'layer':<{width}}{'GFLOPs':>7}{'MB':>7}{'FLOP/B':>8}{'bound us':>12}  bound by",
    ]
    for layer in result.layers:
        lines.append(
            f"{layer.name:<{width}}{layer.flops / 1e9:>7.3f}{layer.bytes / 1e6:>7.1f}{layer.intensity:>8.1f}"
            f"{layer.seconds * 1e6:>12.3f}  {layer.bound}"
        )
    lines.append(
        f"FORWARD bound:     {result.forward_seconds * 1e3:.3f} ms "
        "(a forward pass: the layers one after another)"
    )
    lines.append(
        f"TRAINING estimate: {result.training_seconds * 1e3:.3f} ms ({TRAINING_FACTOR} forward "
        "bounds: the forward pass and a backward pass of about twice it)"
    )
    return "\n".join(lines)


_SECTIONS: dict[str, Callable[[Any, Batch], str]] = {
    "inference_peak_bytes": inference_line,
    "training": lambda training, _: training_lines(training),
    "largest_batch": lambda fit, _: batch_fit_line(fit),
    "convention": lambda count, _: convention_lines(count),
    "receptive_fields": lambda fields, _: receptive_field_table(fields),
    "roofline": lambda roofline, _: roofline_table(roofline),
}
"""How each view, by its field's name in :class:`~cnncount.views.Views`, is written as text."""
