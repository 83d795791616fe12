"""Renderers: functions from a :class:`~cnncount.summary.Summary` to text; none recomputes a count.

The Markdown, CSV and JSON renderers load on first use, so that the text report starts fast.
"""

from __future__ import annotations

from cnncount.render.reference import (
    block_breakdown,
    fc_details,
    reference_table,
    report,
    totals_lines,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without the 3 ms import of typing
if TYPE_CHECKING:
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

_TABULAR = ("to_csv", "to_json", "to_markdown")


def __getattr__(name: str) -> object:
    if name in _TABULAR:
        from cnncount.render import tabular

        return getattr(tabular, name)
    raise AttributeError(f"module 'cnncount.render' has no attribute {name!r}")
