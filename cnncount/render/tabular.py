"""Machine- and document-friendly renderings of a summary: Markdown, CSV and JSON.

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

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields

from cnncount.precision import Batch
from cnncount.render.cost import cost_sections
from cnncount.summary import COUNTS, Row, Summary
from cnncount.views import Views

__all__ = ["COLUMNS", "Column", "markdown_table", "to_csv", "to_json", "to_markdown"]


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


def markdown_table(
    headings: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[bool] = ()
) -> str:
    """Return a GitHub-flavoured Markdown table: one heading per column, one line per row.

    Integers are written with thousands separators and every other cell as ``str`` gives it; an
    empty cell stays empty. ``numeric`` says which columns are right-aligned (none by default).

    Examples:
        >>> print(markdown_table(["layer", "params"], [["fc1", 102764544], ["**total**", ""]], [False, True]))
        | layer | params |
        |:--|--:|
        | fc1 | 102,764,544 |
        | **total** | |
        >>> markdown_table(["a"], [[1, 2]])
        Traceback (most recent call last):
        ...
        ValueError: row 1 has 2 cells for 1 headings: [1, 2]
    """
    aligned = list(numeric) or [False] * len(headings)
    if len(aligned) != len(headings):
        msg = f"{len(aligned)} alignments for {len(headings)} headings: {list(numeric)!r}"
        raise ValueError(msg)
    lines = [
        _markdown_line(headings),
        "|" + "|".join("--:" if right else ":--" for right in aligned) + "|",
    ]
    for number, row in enumerate(rows, start=1):
        if len(row) != len(headings):
            msg = f"row {number} has {len(row)} cells for {len(headings)} headings: {list(row)!r}"
            raise ValueError(msg)
        lines.append(_markdown_line([_markdown_cell(cell) for cell in row]))
    return "\n".join(lines)


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
    batch = Batch() if views is None else views.batch
    columns = [COLUMNS[key] for key in MARKDOWN]
    rows: list[list[object]] = [
        [column.read(row, batch) for column in columns] for row in summary.rows
    ]
    totals = [
        f"**{getattr(summary.totals, column.key):,}**" if column.numeric else ""
        for column in columns
    ]
    rows.append(["**total**", *totals[1:]])
    text = markdown_table(
        [column.heading for column in columns], rows, [column.numeric for column in columns]
    )
    if views is not None and views.asked:
        text += "\n\n```text\n" + "\n\n".join(cost_sections(views)) + "\n```"
    return text


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
        "rows": [
            {key: _json_value(COLUMNS[key].read(row, batch)) for key in JSON}
            for row in summary.rows
        ],
        "totals": {
            **{key: getattr(totals, key) for key in ("params", "weights", "biases", "buffers")},
            **{key: getattr(totals, key) for key in ("activations", "macs", "flops")},
            "activation_bytes": batch.bytes(totals.activations),
            "param_bytes": totals.params * batch.bytes_per_value,
        },
        **({} if views is None else _view_documents(views)),
    }
    return json.dumps(document, indent=2)


def _markdown_cell(value: object) -> str:
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
        documents["convention"] = {
            "name": count.convention.name,
            "activation_bytes": count.activation_bytes,
            "compute": count.compute,
        }
    if views.receptive_fields is not None:
        documents["receptive_fields"] = [
            {field.name: getattr(receptive, field.name) for field in fields(receptive)}
            for receptive in views.receptive_fields
        ]
    if views.roofline is not None:
        result = views.roofline
        dtype = result.batch.autocast or result.batch.dtype
        documents["roofline"] = {
            "device": result.device.name,
            "peak_flops_per_second": result.device.peak(dtype),
            "bandwidth_bytes_per_second": result.device.bandwidth,
            "layers": [
                {
                    field.name: getattr(layer, field.name)
                    for field in fields(layer)
                    if field.name != "kind"
                }
                for layer in result.layers
            ],
            "forward_seconds": result.forward_seconds,
            "training_seconds": result.training_seconds,
        }
    return documents
