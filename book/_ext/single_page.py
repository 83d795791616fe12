"""The single-page build, which `make pdf` prints, renders what the HTML build renders.

Sphinx looks up a node's visitors by the builder's name before its format, and another extension
registers visitors under ``singlehtml``, so myst-nb's folded code cells (``hide-input``,
``hide-cell``), registered for ``html`` only, would have none there. This registers them for the
single page too.
"""

from __future__ import annotations

from typing import Any

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        HideCodeCellNode, override=True, singlehtml=(visit_HideCellInput, depart_HideCellInput)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
