"""Renderers: functions from a :class:`~cnncount.summary.Summary` to text; none recomputes a count."""

from __future__ import annotations

from cnncount.render.reference import (
    block_breakdown,
    fc_details,
    reference_table,
    report,
    totals_lines,
)
from cnncount.render.tabular import to_csv, to_json, to_markdown

__all__ = [
    "block_breakdown",
    "fc_details",
    "reference_table",
    "report",
    "to_csv",
    "to_json",
    "to_markdown",
    "totals_lines",
]
