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

from importlib import import_module

RENDERERS = {
    "block_breakdown": "report",
    "fc_details": "report",
    "markdown_table": "tabular",
    "reference_table": "report",
    "text_report": "report",
    "to_csv": "tabular",
    "to_json": "tabular",
    "to_markdown": "tabular",
    "totals_lines": "report",
}
"""Each renderer this package exports and its module, imported when the renderer is first asked for."""

__all__ = list(RENDERERS)


def __getattr__(name: str) -> object:
    """Return the renderer ``name``, its module imported the first time it is asked for (:pep:`562`).

    Examples:
        >>> __getattr__("to_csv").__module__
        'cnncount.render.tabular'
    """
    if name not in RENDERERS:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    renderer: object = getattr(import_module(f"{__name__}.{RENDERERS[name]}"), name)
    globals()[name] = renderer
    return renderer
