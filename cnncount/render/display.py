"""What each record shows in a notebook: the :class:`~cnncount.table.Table` of its
figures (which Jupyter renders as HTML, or as Markdown in a PDF), and its short ``repr``.

Their text, ``str()``, is the command line's: :mod:`cnncount.render.report` and
:mod:`cnncount.render.cost`. Like every renderer, these functions count nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cnncount.precision import ONE_IMAGE
from cnncount.render.cost import (
    activation_figure,
    compute_figure,
    convention_lines,
    data_types,
    inference_line,
    keras_lines,
    roofline_table,
    training_lines,
)
from cnncount.render.tabular import COLUMNS, MARKDOWN, TOTALS
from cnncount.table import Table
from cnncount.units import format_bytes

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from cnncount.memory import TrainingMemory
    from cnncount.precision import Batch
    from cnncount.receptive import ReceptiveField
    from cnncount.roofline import Roofline
    from cnncount.summary import Counts, Row, Summary
    from cnncount.views import BatchFit, ConventionCount, Views

__all__ = [
    "batch_fit_table",
    "convention_count_repr",
    "convention_count_table",
    "counts_table",
    "receptive_field_grid",
    "roofline_bounds_table",
    "roofline_repr",
    "row_repr",
    "row_table",
    "summary_repr",
    "training_memory_repr",
    "training_memory_table",
    "views_html",
    "views_markdown",
    "views_repr",
]


def summary_repr(summary: Summary) -> str:
    """Return a summary's name, input, number of rows and totals, on one line.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> summary_repr(summarize(get_model("vgg16")))
        '<Summary of vgg16 (3x224x224): 22 rows, 138,357,544 params, 15,470,264,320 MACs / image>'
    """
    totals = summary.totals
    return (
        f"<Summary of {summary.model} ({summary.input_shape}): {len(summary.rows)} rows, "
        f"{totals.params:,} params, {totals.macs:,} MACs / image>"
    )


def counts_table(counts: Counts) -> Table:
    """Return the counts as a one-row table, with the headings of the summary's columns.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> print(counts_table(summarize(get_model("vgg16")).totals))
        activations      weights  biases       params  buffers            MACs           FLOPs
         15,237,608  138,344,128  13,416  138,357,544        0  15,470,264,320  30,940,528,640
    """
    return _one_row(counts, TOTALS)


def row_table(row: Row) -> Table:
    """Return one row of a summary as a one-row table of the summary's columns.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> print(row_table(summarize(get_model("vgg16")).rows[1]))
        layer  token     output (CxHxW)  activations  weights  biases  params        MACs
        conv1  conv3-64  64x224x224        3,211,264    1,728      64   1,792  86,704,128
    """
    return _one_row(row, MARKDOWN)


def row_repr(row: Row) -> str:
    """Return a row's name, token, output shape, parameters and MACs, on one line.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> row_repr(summarize(get_model("vgg16")).rows[1])
        '<Row conv1 conv3-64: 64x224x224, 1,792 params, 86,704,128 MACs>'
    """
    return f"<Row {row.name} {row.token}: {row.output_shape}, {row.params:,} params, {row.macs:,} MACs>"


def _one_row(counts: Counts, keys: Sequence[str]) -> Table:
    columns = [COLUMNS[key] for key in keys]
    return Table(
        caption="",
        headings=tuple(column.heading for column in columns),
        numeric=tuple(column.numeric for column in columns),
        rows=(tuple(column.read(counts, ONE_IMAGE) for column in columns),),  # type: ignore[arg-type]
        foot=(),
    )


def training_memory_table(memory: TrainingMemory) -> Table:
    """Return the parts of training memory, one a row, in bytes, MB and MiB, and their total.

    Examples:
        >>> from cnncount import Batch, get_model, summarize
        >>> from cnncount.memory import training_memory
        >>> print(training_memory_table(training_memory(summarize(get_model("vgg16")), Batch(64), "adam")))
        TRAINING memory, batch of 64, float32, adam optimizer
        part                                   bytes       MB       MiB
        inputs                            38,535,168  38.5 MB  36.8 MiB
        parameters                       553,430,176   553 MB   528 MiB
        gradients                        553,430,176   553 MB   528 MiB
        optimizer state                1,106,860,352  1.11 GB  1.03 GiB
        buffers                                    0      0 B       0 B
        activations kept for backward  4,645,584,896  4.65 GB  4.33 GiB
        total                          6,897,840,768  6.90 GB  6.42 GiB
    """

    def part(name: str, size: int) -> tuple[object, ...]:
        return (name, size, format_bytes(size), format_bytes(size, binary=True))

    return Table(
        caption=training_lines(memory).splitlines()[0].removesuffix(":"),
        headings=("part", "bytes", "MB", "MiB"),
        numeric=(False, True, True, True),
        rows=tuple(part(name, size) for name, size in memory.parts),
        foot=(part("total", memory.total),),
    )


def training_memory_repr(memory: TrainingMemory) -> str:
    """Return the batch, data types, optimizer and total of training memory, on one line.

    Examples:
        >>> from cnncount import Batch, get_model, summarize
        >>> from cnncount.memory import training_memory
        >>> training_memory_repr(training_memory(summarize(get_model("vgg16")), Batch(64), "adam"))
        '<TrainingMemory, batch of 64, float32, adam: 6,897,840,768 bytes (6.42 GiB)>'
    """
    return (
        f"<TrainingMemory, batch of {memory.batch.size:,}, {data_types(memory.batch)}, "
        f"{memory.optimizer}: {memory.total:,} bytes ({format_bytes(memory.total, binary=True)})>"
    )


def convention_count_table(count: ConventionCount) -> Table:
    """Return a convention's figures as its tool prints them, beside the exact counts.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> print(convention_count_table(compute_views(summarize(get_model("vgg16")), convention="torchinfo").convention))
        CONVENTION torchinfo: Forward/backward pass size (MB) and Total mult-adds (G)
        figure                    as printed              exact
        activation memory          108.45 MB  108,453,696 bytes
        compute            15.48 G mult-adds     15,483,821,032
    """
    rows: list[tuple[object, ...]] = []
    if count.activation_bytes is not None:
        rows.append(
            ("activation memory", activation_figure(count), f"{count.activation_bytes:,} bytes")
        )
    if count.compute is not None:
        rows.append(("compute", compute_figure(count), count.compute))
    if count.trainable is not None and count.non_trainable is not None:
        total = count.trainable + count.non_trainable
        printed = keras_lines(count.trainable, count.non_trainable, count.bytes_per_value)
        for line, exact in zip(printed, (total, count.trainable, count.non_trainable)):
            what, figure = line.strip().split(": ")
            rows.append((what, figure, exact))
    return Table(
        caption=convention_lines(count).splitlines()[0],
        headings=("figure", "as printed", "exact"),
        numeric=(False, True, True),
        rows=tuple(rows),
        foot=(),
    )


def convention_count_repr(count: ConventionCount) -> str:
    """Return a convention's name and its figures as its tool prints them, on one line.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> convention_count_repr(compute_views(summarize(get_model("vgg16")), convention="torchinfo").convention)
        '<ConventionCount torchinfo: 108.45 MB, 15.48 G mult-adds>'
    """
    figures = []
    if count.activation_bytes is not None:
        figures.append(activation_figure(count))
    if count.compute is not None:
        figures.append(compute_figure(count))
    return f"<ConventionCount {count.convention.name}: {', '.join(figures)}>"


def receptive_field_grid(fields: Sequence[ReceptiveField]) -> Table:
    """Return the receptive field of each row as a table: its size, jump and start, in input pixels.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.receptive import receptive_fields
        >>> table = receptive_field_grid(receptive_fields(summarize(get_model("vgg16"))))
        >>> table.headings, table.rows[3], table.rows[-1]
        (('layer', 'size', 'jump', 'start'), ('maxpool1', 6, 2, '0.5'), ('fc3', 'all', 32, '15.5'))
    """
    return Table(
        caption="Receptive fields, in input pixels along the height",
        headings=("layer", "size", "jump", "start"),
        numeric=(False, True, True, True),
        rows=tuple(
            (
                field.name,
                "all" if field.size is None else field.size,
                field.jump,
                f"{field.start:.1f}",
            )
            for field in fields
        ),
        foot=(),
    )


def roofline_bounds_table(result: Roofline) -> Table:
    """Return each layer's FLOPs, bytes, intensity and bound, then the forward bound and the
    training step's estimate, as the text of :func:`~cnncount.render.cost.roofline_table` gives them.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.roofline import DEVICES, roofline
        >>> table = roofline_bounds_table(roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"]))
        >>> table.headings
        ('layer', 'GFLOPs', 'MB', 'FLOP/B', 'bound (us)', 'bound by')
        >>> table.rows[1], table.foot
        (('conv2', '3.699', '25.8', '143.2', '55.215', 'compute'), (('forward bound', '', '', '', '616.357', ''), ('training step, estimated', '', '', '', '1,849.071', '3 forward bounds')))
    """
    return Table(
        caption=roofline_table(result).splitlines()[0],
        headings=("layer", "GFLOPs", "MB", "FLOP/B", "bound (us)", "bound by"),
        numeric=(False, True, True, True, True, False),
        rows=tuple(
            (
                layer.name,
                f"{layer.flops / 1e9:.3f}",
                f"{layer.bytes / 1e6:.1f}",
                f"{layer.intensity:.1f}",
                f"{layer.seconds * 1e6:,.3f}",
                layer.bound,
            )
            for layer in result.layers
        ),
        foot=(
            ("forward bound", "", "", "", f"{result.forward_seconds * 1e6:,.3f}", ""),
            (
                "training step, estimated",
                "",
                "",
                "",
                f"{result.training_seconds * 1e6:,.3f}",
                f"{result.training_seconds / result.forward_seconds:g} forward bounds",
            ),
        ),
    )


def roofline_repr(result: Roofline) -> str:
    """Return the device, the batch and the forward bound of a roofline, on one line.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.roofline import DEVICES, roofline
        >>> roofline_repr(roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"]))
        '<Roofline of 21 layers on h100-sxm, batch of 1, float32: forward bound 0.616 ms>'
    """
    return (
        f"<Roofline of {len(result.layers)} layers on {result.device.name}, batch of "
        f"{result.batch.size:,}, {data_types(result.batch)}: forward bound "
        f"{result.forward_seconds * 1e3:.3f} ms>"
    )


def batch_fit_table(fit: BatchFit) -> Table:
    """Return the largest batch that fits a budget, and what for, as a one-row table.

    Examples:
        >>> from cnncount import Batch
        >>> from cnncount.views import BatchFit
        >>> print(batch_fit_table(BatchFit(budget=16 * 2**30, optimizer="adam", like=Batch(), batch=204)))
        budget (bytes)  budget (GiB)  for                 data types  largest batch
        17,179,869,184      16.0 GiB  training with adam  float32               204
    """
    return Table(
        caption="",
        headings=("budget (bytes)", "budget (GiB)", "for", "data types", "largest batch"),
        numeric=(True, True, False, False, True),
        rows=(
            (
                fit.budget,
                format_bytes(fit.budget, binary=True),
                f"training with {fit.optimizer}" if fit.optimizer else "inference",
                data_types(fit.like),
                fit.batch,
            ),
        ),
        foot=(),
    )


def views_html(views: Views) -> str:
    """Return the HTML of each view asked for, one after another, in the text report's order.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> html = views_html(compute_views(summarize(get_model("vgg16")), budget=16 * 2**30))
        >>> html.count("<table>"), html.splitlines()[0]
        (1, '<p>INFERENCE peak: 579,722,400 bytes ~= 580 MB (553 MiB), batch of 1, float32</p>')
    """
    from html import escape

    return "\n".join(
        table._repr_html_() if isinstance(table, Table) else f"<p>{escape(table)}</p>"
        for table in _view_tables(views)
    )


def views_markdown(views: Views) -> str:
    """Return the Markdown of each view asked for, one after another, in the text report's order.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> print(views_markdown(compute_views(summarize(get_model("vgg16")), budget=16 * 2**30)))
        INFERENCE peak: 579,722,400 bytes ~= 580 MB (553 MiB), batch of 1, float32
        <BLANKLINE>
        | budget (bytes) | budget (GiB) | for | data types | largest batch |
        |--:|--:|:--|:--|--:|
        | 17,179,869,184 | 16.0 GiB | inference | float32 | 632 |
    """
    return "\n\n".join(
        table._repr_markdown_() if isinstance(table, Table) else table
        for table in _view_tables(views)
    )


def _view_tables(views: Views) -> list[Table | str]:
    """Return the table of each view asked for, or its line where it is a single figure."""
    return [_TABLES[name](view, views.batch) for name, view in views.items()]


def views_repr(views: Views) -> str:
    """Return the batch of the views and the names of those asked for, on one line.

    Examples:
        >>> from cnncount import Batch, get_model, summarize
        >>> from cnncount.views import compute_views
        >>> views_repr(compute_views(summarize(get_model("vgg16")), Batch(8), optimizer="adam", device="h100-sxm"))
        '<Views for a batch of 8, float32: inference_peak_bytes, training, roofline>'
    """
    asked = [name for name, _ in views.items()]
    return (
        f"<Views for a batch of {views.batch.size:,}, {data_types(views.batch)}: "
        f"{', '.join(asked) or 'none asked for'}>"
    )


_TABLES: dict[str, Callable[[Any, Batch], Table | str]] = {
    "inference_peak_bytes": inference_line,
    "training": lambda training, _: training_memory_table(training),
    "largest_batch": lambda fit, _: batch_fit_table(fit),
    "convention": lambda count, _: convention_count_table(count),
    "receptive_fields": lambda fields, _: receptive_field_grid(fields),
    "roofline": lambda roofline, _: roofline_bounds_table(roofline),
}
"""How each view, by its field's name in :class:`~cnncount.views.Views`, shows in a notebook."""
