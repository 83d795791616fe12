"""Machine- and document-friendly renderings of a summary: Markdown, HTML, CSV, JSON and plain
records; and the text, Markdown and HTML of any :class:`~cnncount.table.Table`.

One table of columns, :data:`COLUMNS`, names each value a row can show and how to read it; each
format picks its columns from it. The JSON document is a public interface; its keys may grow
but are never renamed::

    {"model", "input_shape": [C, H, W], "batch", "dtype", "bytes_per_value",
     "rows": [{"name", "kind", "token", "inputs", "output_shape": [C, H, W], "activations",
               "weights", "biases", "params", "buffers", "macs", "flops",
               "activation_bytes"}, ...],
     "totals": {"params", "weights", "biases", "buffers", "activations", "macs", "flops",
                "activation_bytes", "param_bytes"},
     ...}

Counts are per image; ``flops`` are two per multiply-accumulate; ``activation_bytes`` are
for the whole batch in ``dtype``. Further top-level keys hold the views that were asked for:
``inference_peak_bytes``, ``training_memory``, ``largest_batch``, ``convention``,
``receptive_fields``, ``roofline`` (``{"device", "peak_flops_per_second",
"bandwidth_bytes_per_second", "layers": [{"name", "flops", "bytes", "intensity", "seconds",
"bound"}, ...], "forward_seconds", "training_seconds"}``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from cnncount.precision import ONE_IMAGE, Batch
from cnncount.render.cost import cost_sections
from cnncount.summary import COUNTS, Row, Summary
from cnncount.table import Table
from cnncount.views import Views

if TYPE_CHECKING:
    from cnncount.roofline import Roofline

__all__ = [
    "COLUMNS",
    "Column",
    "html_table",
    "markdown_table",
    "records",
    "roofline_records",
    "summary_table",
    "text_table",
    "to_csv",
    "to_html",
    "to_json",
    "to_markdown",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """A value a row can show: its key (the CSV header and the JSON key), its Markdown heading,
    and how to read it from a row for a batch.

    Examples:
        >>> COLUMNS["macs"].heading, COLUMNS["macs"].numeric
        ('MACs', True)
    """

    key: str
    heading: str
    numeric: bool
    read: Callable[[Row, Batch], object]


def _count(name: str, heading: str) -> Column:
    return Column(
        key=name, heading=heading, numeric=True, read=lambda row, batch: getattr(row, name)
    )


COLUMNS = {
    column.key: column
    for column in (
        Column(key="name", heading="layer", numeric=False, read=lambda row, batch: row.name),
        Column(key="kind", heading="kind", numeric=False, read=lambda row, batch: row.kind),
        Column(key="token", heading="token", numeric=False, read=lambda row, batch: row.token),
        Column(
            key="inputs", heading="inputs", numeric=False, read=lambda row, batch: list(row.inputs)
        ),
        Column(
            key="output_shape",
            heading="output (CxHxW)",
            numeric=False,
            read=lambda row, batch: row.output_shape,
        ),
        Column(
            key="channels",
            heading="channels",
            numeric=True,
            read=lambda row, batch: row.output_shape.channels,
        ),
        Column(
            key="height",
            heading="height",
            numeric=True,
            read=lambda row, batch: row.output_shape.height,
        ),
        Column(
            key="width",
            heading="width",
            numeric=True,
            read=lambda row, batch: row.output_shape.width,
        ),
        _count("activations", "activations"),
        _count("weights", "weights"),
        _count("biases", "biases"),
        _count("params", "params"),
        _count("buffers", "buffers"),
        _count("macs", "MACs"),
        _count("flops", "FLOPs"),
        Column(
            key="activation_bytes",
            heading="activation bytes",
            numeric=True,
            read=lambda row, batch: batch.bytes(row.activations),
        ),
    )
}
"""Every column a row can show, by key."""

MARKDOWN = ("name", "token", "output_shape", "activations", "weights", "biases", "params", "macs")
CSV = ("name", "kind", "token", "channels", "height", "width", *COUNTS)
JSON = ("name", "kind", "token", "inputs", "output_shape", *COUNTS, "flops", "activation_bytes")
TOTALS = (*COUNTS, "flops")
"""The columns of a :class:`~cnncount.summary.Counts` shown alone (a summary's totals)."""


def markdown_table(
    headings: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[bool] = (),
    foot: Iterable[Sequence[object]] = (),
) -> str:
    """Return a GitHub-flavoured Markdown table: one heading per column, one line per row, then
    the rows of ``foot`` in bold.

    Integers are written with thousands separators and every other cell as ``str`` gives it; an
    empty cell stays empty. ``numeric`` says which columns are right-aligned (none by default).

    Examples:
        >>> print(markdown_table(["layer", "params"], [["fc1", 102764544]], [False, True], [["total", ""]]))
        | layer | params |
        |:--|--:|
        | fc1 | 102,764,544 |
        | **total** | |
        >>> markdown_table(["a"], [[1, 2]])
        Traceback (most recent call last):
        ...
        ValueError: row 1 has 2 cells for 1 headings: [1, 2]
    """
    aligned = _alignments(headings, numeric)
    lines = [
        _markdown_line(headings),
        "|" + "|".join("--:" if right else ":--" for right in aligned) + "|",
    ]
    body, closing = _cells(headings, rows), _cells(headings, foot)
    lines += [_markdown_line(cells) for cells in body]
    lines += [
        _markdown_line([f"**{cell}**" if cell else "" for cell in cells]) for cells in closing
    ]
    return "\n".join(lines)


def html_table(
    headings: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[bool] = (),
    caption: str = "",
    foot: Iterable[Sequence[object]] = (),
) -> str:
    """Return an HTML table, its cells written as :func:`markdown_table` writes them and escaped:
    a caption, one heading per column, one row per row, then the rows of ``foot`` in bold.

    Examples:
        >>> print(html_table(["layer", "params"], [["fc<1>", 102764544]], [False, True], "A & B"))
        <table>
        <caption>A &amp; B</caption>
        <thead><tr><th style="text-align: left">layer</th><th style="text-align: right">params</th></tr></thead>
        <tbody>
        <tr><td style="text-align: left">fc&lt;1&gt;</td><td style="text-align: right">102,764,544</td></tr>
        </tbody>
        </table>
    """
    from html import escape

    aligned = [
        f' style="text-align: {"right" if right else "left"}"'
        for right in _alignments(headings, numeric)
    ]

    def line(cells: Sequence[str], tag: str = "td", bold: bool = False) -> str:
        shown = [
            f"<strong>{escape(cell)}</strong>" if bold and cell else escape(cell) for cell in cells
        ]
        return (
            "<tr>"
            + "".join(f"<{tag}{align}>{cell}</{tag}>" for align, cell in zip(aligned, shown))
            + "</tr>"
        )

    lines = ["<table>"]
    if caption:
        lines.append(f"<caption>{escape(caption)}</caption>")
    lines.append(f"<thead>{line(headings, 'th')}</thead>")
    lines += ["<tbody>", *(line(cells) for cells in _cells(headings, rows)), "</tbody>"]
    closing = _cells(headings, foot)
    if closing:
        lines += ["<tfoot>", *(line(cells, bold=True) for cells in closing), "</tfoot>"]
    lines.append("</table>")
    return "\n".join(lines)


def text_table(
    headings: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[bool] = (),
    caption: str = "",
    foot: Iterable[Sequence[object]] = (),
) -> str:
    """Return a plain-text table, its cells written as :func:`markdown_table` writes them: the
    caption, the headings, the rows and those of ``foot``, each column as wide as its widest cell.

    Examples:
        >>> print(text_table(["layer", "params"], [["conv1", 1792], ["fc1", 102764544]], [False, True]))
        layer       params
        conv1        1,792
        fc1    102,764,544
    """
    aligned = _alignments(headings, numeric)
    lines = [list(headings), *_cells(headings, rows), *_cells(headings, foot)]
    widths = [max(len(cells[column]) for cells in lines) for column in range(len(headings))]
    text = [
        "  ".join(
            f"{cell:>{width}}" if right else f"{cell:<{width}}"
            for cell, width, right in zip(cells, widths, aligned)
        ).rstrip()
        for cells in lines
    ]
    return "\n".join([caption, *text] if caption else text)


def to_markdown(summary: Summary, views: Views | None = None) -> str:
    """Return a GitHub-flavoured Markdown table of the rows, with a totals line, and the views
    that were asked for as a text block.

    Examples:
        >>> from cnncount import parse_network, summarize
        >>> print(to_markdown(summarize(parse_network("conv3-8 FC-10"))))
        | layer | token | output (CxHxW) | activations | weights | biases | params | MACs |
        |:--|:--|:--|--:|--:|--:|--:|--:|
        | input | input | 3x224x224 | 150,528 | 0 | 0 | 0 | 0 |
        | conv1 | conv3-8 | 8x224x224 | 401,408 | 216 | 8 | 224 | 10,838,016 |
        | fc1 | FC-10 | 10x1x1 | 10 | 4,014,080 | 10 | 4,014,090 | 4,014,080 |
        | **total** | | | **551,946** | **4,014,296** | **18** | **4,014,314** | **14,852,096** |
    """
    table = summary_table(summary, Batch() if views is None else views.batch)
    text = markdown_table(table.headings, table.rows, table.numeric, table.foot)
    if views is not None and views.asked:
        text += "\n\n```text\n" + "\n\n".join(cost_sections(views)) + "\n```"
    return text


def to_html(summary: Summary) -> str:
    """Return an HTML table of the rows, with a totals line: the Markdown table's columns, as
    :func:`html_table` writes them.

    Examples:
        >>> from cnncount import Shape, parse_network, summarize
        >>> print(to_html(summarize(parse_network("FC-10", Shape(3, 2, 2)))).splitlines()[1])
        <caption>spec, 3x2x2 input: 2 rows</caption>
    """
    table = summary_table(summary)
    return html_table(table.headings, table.rows, table.numeric, table.caption, table.foot)


def summary_table(summary: Summary, batch: Batch = ONE_IMAGE) -> Table:
    """Return the rows of the summary as a :class:`~cnncount.table.Table` of the Markdown columns, with a totals line.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> table = summary_table(summarize(get_model("vgg16")))
        >>> table.caption, table.headings[:3], table.foot[0][-1]
        ('vgg16, 3x224x224 input: 22 rows', ('layer', 'token', 'output (CxHxW)'), 15470264320)
    """
    columns = [COLUMNS[key] for key in MARKDOWN]
    totals = [getattr(summary.totals, column.key) if column.numeric else "" for column in columns]
    return Table(
        caption=f"{summary.model}, {summary.input_shape} input: {len(summary.rows)} rows",
        headings=tuple(column.heading for column in columns),
        numeric=tuple(column.numeric for column in columns),
        rows=tuple(tuple(column.read(row, batch) for column in columns) for row in summary.rows),
        foot=(("total", *totals[1:]),),
    )


def records(summary: Summary, batch: Batch = ONE_IMAGE) -> list[dict[str, object]]:
    """Return one dictionary of plain values per row, under the JSON document's keys; a shape is
    its list ``[C, H, W]``. ``pandas.DataFrame(records(summary))`` makes a frame of them.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> rows = records(summarize(get_model("vgg16")))
        >>> len(rows), rows[1]
        (22, {'name': 'conv1', 'kind': 'conv', 'token': 'conv3-64', 'inputs': ['input'], 'output_shape': [64, 224, 224], 'activations': 3211264, 'weights': 1728, 'biases': 64, 'params': 1792, 'buffers': 0, 'macs': 86704128, 'flops': 173408256, 'activation_bytes': 12845056})
    """
    return [
        {key: _json_value(COLUMNS[key].read(row, batch)) for key in JSON} for row in summary.rows
    ]


def roofline_records(result: Roofline) -> list[dict[str, object]]:
    """Return one dictionary of plain values per layer of a roofline, under the JSON document's keys.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.roofline import DEVICES, roofline
        >>> first = roofline_records(roofline(summarize(get_model("vgg16")), DEVICES["h100-sxm"]))[0]
        >>> first["name"], first["flops"], first["bytes"], first["bound"], list(first)
        ('conv1', 173408256, 13454336, 'memory', ['name', 'flops', 'bytes', 'intensity', 'seconds', 'bound'])
    """
    return [
        {field.name: getattr(layer, field.name) for field in fields(layer) if field.name != "kind"}
        for layer in result.layers
    ]


def to_csv(summary: Summary) -> str:
    """Return the rows as CSV with a header line; sizes and counts are plain integers.

    Examples:
        >>> from cnncount import parse_network, summarize
        >>> print(to_csv(summarize(parse_network("conv3-8 FC-10"))), end="")
        name,kind,token,channels,height,width,activations,weights,biases,params,buffers,macs
        input,input,input,3,224,224,150528,0,0,0,0,0
        conv1,conv,conv3-8,8,224,224,401408,216,8,224,0,10838016
        fc1,fc,FC-10,10,1,1,10,4014080,10,4014090,0,4014080
    """
    import csv  # the modules of one format each, imported when it is asked for
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV)
    batch = Batch()
    for row in summary.rows:
        writer.writerow([COLUMNS[key].read(row, batch) for key in CSV])
    return buffer.getvalue()


def to_json(summary: Summary, views: Views | None = None) -> str:
    """Return the summary as the documented JSON document (see the module's docstring), with
    the views that were asked for.

    Examples:
        >>> import json
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> document = json.loads(to_json(vgg16))
        >>> document["input_shape"], document["rows"][1]["output_shape"], document["rows"][1]["params"]
        ([3, 224, 224], [64, 224, 224], 1792)
        >>> document["totals"]["params"], document["totals"]["activations"], document["totals"]["macs"]
        (138357544, 15237608, 15470264320)
        >>> json.loads(to_json(vgg16, compute_views(vgg16, budget=16 * 2**30)))["largest_batch"]
        632
    """
    batch = Batch() if views is None else views.batch
    totals = summary.totals
    document = {
        "model": summary.model,
        "input_shape": summary.input_shape.as_list(),
        "batch": batch.size,
        "dtype": batch.dtype,
        "bytes_per_value": batch.bytes_per_value,
        "rows": records(summary, batch),
        "totals": {
            **{key: getattr(totals, key) for key in ("params", "weights", "biases", "buffers")},
            **{key: getattr(totals, key) for key in ("activations", "macs", "flops")},
            "activation_bytes": batch.bytes(totals.activations),
            "param_bytes": totals.params * batch.bytes_per_value,
        },
        **({} if views is None else _view_documents(views)),
    }
    import json

    return json.dumps(document, indent=2)


def _alignments(headings: Sequence[str], numeric: Sequence[bool]) -> list[bool]:
    aligned = list(numeric) or [False] * len(headings)
    if len(aligned) != len(headings):
        msg = f"{len(aligned)} alignments for {len(headings)} headings: {list(numeric)!r}"
        raise ValueError(msg)
    return aligned


def _cells(headings: Sequence[str], rows: Iterable[Sequence[object]]) -> list[list[str]]:
    """Return each row's cells as text, having checked that it has one per heading."""
    written = []
    for number, row in enumerate(rows, start=1):
        if len(row) != len(headings):
            msg = f"row {number} has {len(row)} cells for {len(headings)} headings: {list(row)!r}"
            raise ValueError(msg)
        written.append([_cell(value) for value in row])
    return written


def _cell(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _markdown_line(cells: Sequence[str]) -> str:
    """Return one line of a Markdown table; an empty cell is a single space between its bars."""
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def _json_value(value: object) -> object:
    as_list = getattr(value, "as_list", None)
    return as_list() if as_list is not None else value


def _view_documents(views: Views) -> dict[str, object]:
    """Return the JSON value of each view that was asked for, under its key."""
    documents: dict[str, object] = {}
    if views.inference_peak_bytes is not None:
        documents["inference_peak_bytes"] = views.inference_peak_bytes
    if views.training is not None:
        memory = views.training
        documents["training_memory"] = {
            "batch": memory.batch.size,
            "dtype": memory.batch.dtype,
            "autocast": memory.batch.autocast,
            "optimizer": memory.optimizer,
            "accumulation": memory.accumulation,
            "effective_batch": memory.effective_batch,
            "segments": memory.segments,
            "parts": dict(memory.parts),
            "total_bytes": memory.total,
        }
    if views.largest_batch is not None:
        documents["largest_batch"] = views.largest_batch.batch
    if views.convention is not None:
        count = views.convention
        figures: dict[str, object] = {
            "name": count.convention.name,
            "activation_bytes": count.activation_bytes,
            "compute": count.compute,
        }
        if count.convention.params:
            figures["trainable_params"] = count.trainable
            figures["non_trainable_params"] = count.non_trainable
        documents["convention"] = figures
    if views.receptive_fields is not None:
        documents["receptive_fields"] = views.receptive_fields.records()
    if views.roofline is not None:
        result = views.roofline
        dtype = result.batch.autocast or result.batch.dtype
        documents["roofline"] = {
            "device": result.device.name,
            "peak_flops_per_second": result.device.peak(dtype),
            "bandwidth_bytes_per_second": result.device.bandwidth,
            "layers": roofline_records(result),
            "forward_seconds": result.forward_seconds,
            "training_seconds": result.training_seconds,
        }
    return documents
