"""The CS231n-style text report: the layer table, the totals, the per-block breakdown, and the
views of what a pass costs that were asked for."""

from __future__ import annotations

from cnncount.layers.base import WeightFactors
from cnncount.precision import ONE_IMAGE, Batch
from cnncount.render.cost import cost_sections
from cnncount.summary import Row, Summary
from cnncount.units import format_bytes, short_count
from cnncount.views import Views

__all__ = ["block_breakdown", "fc_details", "reference_table", "text_report", "totals_lines"]

_BLOCK_LABEL_WIDTH = 20
_CONTAINERS = ("features", "classifier", "layers", "trunk_output", "encoder.layers")
"""Names of torchvision's containers whose children are the blocks (``features.3``,
``encoder.layers.encoder_layer_0``)."""
_MOST_TOKENS = 3


def reference_table(summary: Summary) -> str:
    """Return one line per row, laid out as the CS231n notes' VGG-16 table.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> print(reference_table(summarize(get_model("vgg16"))).splitlines()[4])
        CONV3-128: [112x112x128]  memory:  112*112*128=1.6M weights: (3*3*64)*128 = 73,728
    """
    cells = [
        (f"{_label(row)}:", f"[{row.output_shape.hwc()}]", _memory(row), _weights(row))
        for row in summary.rows
    ]
    label_width = max(len(cell[0]) for cell in cells) + 1
    shape_width = max(len(cell[1]) for cell in cells) + 2
    memory_width = max(len(cell[2]) for cell in cells) + 1
    return "\n".join(
        f"{label:<{label_width}}{shape:<{shape_width}}memory:  {memory:<{memory_width}}weights: {weights}"
        for label, shape, memory, weights in cells
    )


def totals_lines(summary: Summary, batch: Batch = ONE_IMAGE) -> str:
    """Return the totals of memory, parameters and multiply-accumulates, every unit named.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> print(totals_lines(summarize(get_model("vgg16"))))
        TOTAL memory: 15,237,608 values * 4 bytes (float32) = 60,950,432 bytes ~= 61.0 MB (58.1 MiB) / image (forward only)
        TOTAL params: 138,357,544 parameters (138,344,128 weights + 13,416 biases) ~= 138M = 553,430,176 bytes in float32 ~= 553 MB (528 MiB)
        TOTAL MACs:   15,470,264,320 multiply-accumulates / image ~= 15.5G
    """
    totals = summary.totals
    size, dtype = batch.bytes_per_value, batch.dtype
    values = f"{totals.activations:,} values"
    per = "/ image"
    if batch.size != 1:
        values += f" * {batch.size:,} images"
        per = f"/ batch of {batch.size:,}"
    memory = batch.bytes(totals.activations)
    params = totals.params
    param_bytes = params * size
    buffers = f", {totals.buffers:,} buffers apart" if totals.buffers else ""
    return "\n".join(
        [
            (
                f"TOTAL memory: {values} * {size} bytes ({dtype}) = {memory:,} bytes "
                f"~= {format_bytes(memory)} ({format_bytes(memory, binary=True)}) {per} (forward only)"
            ),
            (
                f"TOTAL params: {params:,} parameters ({totals.weights:,} weights + "
                f"{totals.biases:,} biases{buffers}) ~= {short_count(params, 3)} = "
                f"{param_bytes:,} bytes in {dtype} ~= {format_bytes(param_bytes)} "
                f"({format_bytes(param_bytes, binary=True)})"
            ),
            (
                f"TOTAL MACs:   {totals.macs:,} multiply-accumulates / image "
                f"~= {short_count(totals.macs, 3)}"
            ),
        ]
    )


def block_breakdown(summary: Summary) -> str:
    """Return the parameters of each block, of each fully connected layer, and the total.

    Layers named with dots (``layer3.1.conv2``) are grouped by their block: the first part of
    the name, or the container and the next part where the name starts with a container
    (``features.3``, ``encoder.layers.encoder_layer_0``). Otherwise, and where the names are a flat
    sequence's (``features.0``, ``classifier.6``), a block is the run of layers between two
    poolings, labelled by its tokens.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> print(block_breakdown(summarize(get_model("vgg11"))))
        conv3-64            : 1,792
        conv3-128           : 73,856
        conv3-256 x 2       : 885,248
        conv3-512 x 2       : 3,539,968
        conv3-512 x 2       : 4,719,616
        fc1                 : 102,764,544
        fc2                 : 16,781,312
        fc3                 : 4,097,000
        TOTAL               : 132,863,336
        >>> print(block_breakdown(summarize(get_model("resnet18"))))
        conv1               : 9,408
        bn1                 : 128
        layer1              : 147,968
        layer2              : 525,568
        layer3              : 2,099,712
        layer4              : 8,393,728
        fc                  : 513,000
        TOTAL               : 11,689,512
    """
    dotted = any(
        "." in row.name and not row.name.split(".", 1)[1].isdigit() for row in summary.rows
    )
    lines = _named_blocks(summary) if dotted else _pooling_blocks(summary)
    width = max([_BLOCK_LABEL_WIDTH - 1, *(len(label) for label, _ in lines)]) + 1
    body = [f"{label:<{width}}: {params:,}" for label, params in lines]
    return "\n".join([*body, f"{'TOTAL':<{width}}: {summary.totals.params:,}"])


def _named_blocks(summary: Summary) -> list[tuple[str, int]]:
    blocks: dict[str, int] = {}
    for row in summary.rows:
        if row.params:
            block = _block_name(row.name)
            blocks[block] = blocks.get(block, 0) + row.params
    return list(blocks.items())


def _block_name(name: str) -> str:
    for container in _CONTAINERS:
        rest = name[len(container) + 1 :].split(".")
        if name.startswith(f"{container}.") and len(rest) > 1:
            return f"{container}.{rest[0]}"
    return name.split(".")[0]


def _pooling_blocks(summary: Summary) -> list[tuple[str, int]]:
    entries: list[Row | list[Row]] = []
    block: list[Row] = []
    for row in summary.rows:
        category = "" if row.layer is None else row.layer.category
        if (category == "pooling" or _fully_connected(row)) and block:
            entries.append(block)
            block = []
        if _fully_connected(row):
            entries.append(row)
        elif row.params:
            block.append(row)
    if block:
        entries.append(block)
    blocks = [entry for entry in entries if isinstance(entry, list)]
    token_width = max((len(row.token) for block in blocks for row in block), default=0)
    return [
        (entry.name, entry.params)
        if isinstance(entry, Row)
        else (_block_label(entry, token_width), sum(row.params for row in entry))
        for entry in entries
    ]


def fc_details(summary: Summary) -> str:
    """Return each fully connected layer's weights and biases as products of its sizes.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> print(fc_details(summarize(get_model("vgg16"))))
         fc1 (x): (512x7x7)x4,096 (weights) + 4,096 (biases)
         fc2    : 4,096x4,096     (weights) + 4,096 (biases)
         fc3    : 4,096x1,000     (weights) + 1,000 (biases)
        (x) fc1 reads a 7x7 map of 512 channels, flattened to 25,088 values.
    """
    rows = [row for row in summary.rows if _fully_connected(row)]
    if not rows:
        return ""
    cells = []
    notes = []
    for row in rows:
        shape = row.input_shape
        flat = shape.height == shape.width == 1
        size = (
            f"{shape.channels:,}" if flat else f"({shape.channels:,}x{shape.height}x{shape.width})"
        )
        cells.append(
            (row.name if flat else f"{row.name} (x)", f"{size}x{row.output_shape.channels:,}", row)
        )
        if not flat:
            notes.append(
                f"(x) {row.name} reads a {shape.height}x{shape.width} map of {shape.channels:,} "
                f"channels, flattened to {shape.numel:,} values."
            )
    name_width = max(len(name) for name, _, _ in cells)
    size_width = max(len(size) for _, size, _ in cells) + 1
    lines = [
        f" {name:<{name_width}}: {size:<{size_width}}(weights) + {row.biases:,} (biases)"
        for name, size, row in cells
    ]
    return "\n".join(lines + notes)


def text_report(summary: Summary, views: Views | None = None) -> str:
    """Return the whole text report: table, totals, per-block breakdown and FC details, then the
    views of ``views`` that were asked for; their batch sizes the totals.

    Examples:
        >>> from cnncount import get_model, summarize
        >>> from cnncount.views import compute_views
        >>> vgg16 = summarize(get_model("vgg16"))
        >>> text = text_report(vgg16, compute_views(vgg16, Batch(64, "float16")))
        >>> text.splitlines()[0]
        'INPUT:     [224x224x3]    memory:  224*224*3=150K   weights: 0'
        >>> text.splitlines()[23]
        'TOTAL memory: 15,237,608 values * 64 images * 2 bytes (float16) = 1,950,413,824 bytes ~= 1.95 GB (1.82 GiB) / batch of 64 (forward only)'
    """
    batch = Batch() if views is None else views.batch
    parts = [reference_table(summary), totals_lines(summary, batch), block_breakdown(summary)]
    details = fc_details(summary)
    if details:
        parts.append(details)
    if views is not None and views.asked:
        parts += cost_sections(views)
    return "\n\n".join(parts) + "\n"


def _label(row: Row) -> str:
    """Label a row as the CS231n notes do: INPUT, CONV3-64, POOL2, FC."""
    if row.layer is None:
        return "INPUT"
    if _fully_connected(row):
        return "FC"
    kernel = getattr(row.layer, "kernel_size", None)
    if row.layer.category == "pooling" and kernel is not None:
        return f"POOL{kernel}"
    return row.token.upper()


def _fully_connected(row: Row) -> bool:
    """Whether a row is a fully connected layer: linear, and seeing its whole input (a linear
    layer applied position by position is not)."""
    return row.layer is not None and row.layer.category == "linear" and row.layer.sees_whole_input


def _memory(row: Row) -> str:
    shape = row.output_shape
    if shape.height == shape.width == 1:
        return str(row.activations)
    return f"{shape.height}*{shape.width}*{shape.channels}={short_count(row.activations)}"


def _weights(row: Row) -> str:
    if sum(len(group) for group in row.weight_factors) < 2:
        return f"{row.weights:,}"
    return f"{_product(row.weight_factors)} = {row.weights:,}"


def _product(factors: WeightFactors) -> str:
    groups = ["*".join(map(str, group)) for group in factors]
    if len(groups) > 1:
        groups = [f"({group})" if "*" in group else group for group in groups]
    return "*".join(groups)


def _block_label(rows: list[Row], token_width: int) -> str:
    """Label a block by its tokens and their counts, or by its size where it has many kinds."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.token] = counts.get(row.token, 0) + 1
    if len(counts) > _MOST_TOKENS:
        return f"{rows[0].name} to {rows[-1].name} ({len(rows)} layers)"
    return " + ".join(
        f"{token:<{token_width}} x {count}" if count > 1 else token
        for token, count in counts.items()
    )
