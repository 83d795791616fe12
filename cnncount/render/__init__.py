"""Renderers: functions from a :class:`~cnncount.summary.Summary` and the
:class:`~cnncount.views.Views` asked for to text. They own every line and every JSON key, and
count nothing: they only lay out, round and convert to bytes what the summary and the views hold.

- :mod:`~cnncount.render.report`: the CS231n-style text report;
- :mod:`~cnncount.render.tabular`: Markdown and HTML (a summary's, or any
  :class:`~cnncount.table.Table`'s), CSV, JSON and plain records;
- :mod:`~cnncount.render.cost`: the text of each view of what a pass costs;
- :mod:`~cnncount.render.display`: the table each value shows in a notebook, and its short repr;
- :mod:`~cnncount.render.tables`: the book's tables of several models, devices or figures;
- :mod:`~cnncount.render.catalogue`: the list of built-in models;
- :mod:`~cnncount.render.figures`: matplotlib figures, for the book (import it explicitly: it
  needs matplotlib, which counting does not);
- :mod:`~cnncount.render.animations`: a window sliding over an input, as GIF, likewise;
- :mod:`~cnncount.render.diagrams`: a network's layers and blocks drawn from its rows, likewise.
"""

from __future__ import annotations

from cnncount.render.report import (
    block_breakdown,
    fc_details,
    reference_table,
    text_report,
    totals_lines,
)
from cnncount.render.tabular import markdown_table, to_csv, to_json, to_markdown

__all__ = [
    "block_breakdown",
    "fc_details",
    "markdown_table",
    "reference_table",
    "text_report",
    "to_csv",
    "to_json",
    "to_markdown",
    "totals_lines",
]
