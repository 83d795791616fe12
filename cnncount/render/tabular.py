"""Machine- and document-friendly renderings of a summary: Markdown, CSV and JSON.

The JSON document is a public interface; its keys may grow but are never renamed::

    {"model", "input_shape": [C, H, W], "batch", "dtype", "bytes_per_value",
     "rows": [{"name", "kind", "token", "inputs", "output_shape": [C, H, W], "activations",
               "weights", "biases", "params", "buffers", "macs", "flops",
               "activation_bytes"}, ...],
     "totals": {"params", "weights", "biases", "buffers", "activations", "macs", "flops",
                "activation_bytes", "param_bytes"},
     ...}

Counts are per image; ``flops`` are two per multiply-accumulate; ``activation_bytes`` are
for the whole batch in ``dtype``. Further top-level keys hold the views the command line was
asked for: ``inference_peak_bytes``, ``training_memory``, ``largest_batch``, ``convention``,
``receptive_fields``.
"""

from __future__ import annotations

from cnncount.summary import COUNTS, Row, Summary
from cnncount.units import BYTES_PER_VALUE

__all__ = ["to_csv", "to_json", "to_markdown"]

_MARKDOWN_COUNTS = ("activations", "weights", "biases", "params", "macs")


def to_markdown(summary: Summary) -> str:
    """Return a GitHub-flavoured Markdown table of the rows, with a totals line.

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
    header = "| layer | token | output (CxHxW) | activations | weights | biases | params | MACs |"
    lines = [header, "|:--|:--|:--|--:|--:|--:|--:|--:|"]
    for row in summary.rows:
        counts = " | ".join(f"{getattr(row, name):,}" for name in _MARKDOWN_COUNTS)
        lines.append(f"| {row.name} | {row.token} | {row.output_shape} | {counts} |")
    totals = " | ".join(f"**{summary.totals[name]:,}**" for name in _MARKDOWN_COUNTS)
    lines.append(f"| **total** | | | {totals} |")
    return "\n".join(lines)


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
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "kind", "token", "channels", "height", "width", *COUNTS])
    for row in summary.rows:
        writer.writerow([row.name, row.kind, row.token, *row.output_shape.as_list(), *_counts(row)])
    return buffer.getvalue()


def to_json(
    summary: Summary, batch: int = 1, dtype: str = "float32", extra: dict[str, object] | None = None
) -> str:
    """Return the summary as the documented JSON document (see the module's docstring),
    with the keys of ``extra`` added at the top level.

    Examples:
        >>> import json
        >>> from cnncount import get_model, summarize
        >>> document = json.loads(to_json(summarize(get_model("vgg16"))))
        >>> document["input_shape"], document["rows"][1]["output_shape"], document["rows"][1]["params"]
        ([3, 224, 224], [64, 224, 224], 1792)
        >>> document["totals"]["params"], document["totals"]["activations"], document["totals"]["macs"]
        (138357544, 15237608, 15470264320)
        >>> json.loads(to_json(summarize(get_model("vgg16")), extra={"largest_batch": 204}))["largest_batch"]
        204
    """
    import json

    size = BYTES_PER_VALUE[dtype]
    totals = summary.totals
    document = {
        "model": summary.model,
        "input_shape": summary.input_shape.as_list(),
        "batch": batch,
        "dtype": dtype,
        "bytes_per_value": size,
        "rows": [
            {
                "name": row.name,
                "kind": row.kind,
                "token": row.token,
                "inputs": list(row.inputs),
                "output_shape": row.output_shape.as_list(),
                **dict(zip(COUNTS, _counts(row))),
                "flops": 2 * row.macs,
                "activation_bytes": row.activations * batch * size,
            }
            for row in summary.rows
        ],
        "totals": {
            **{
                name: totals[name]
                for name in ("params", "weights", "biases", "buffers", "activations", "macs")
            },
            "flops": 2 * totals["macs"],
            "activation_bytes": totals["activations"] * batch * size,
            "param_bytes": totals["params"] * size,
        },
        **(extra or {}),
    }
    return json.dumps(document, indent=2)


def _counts(row: Row) -> list[int]:
    return [getattr(row, name) for name in COUNTS]
