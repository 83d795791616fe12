"""Show types that have no page of their own as plain text in the API reference: the classes of
other projects (matplotlib's Figure) and the standard library's abstract collections
(``collections.abc.Sequence`` in the package's type hints) and paths (``pathlib.Path``).

The build runs offline, so no other project's inventory is fetched, and ``--nitpick`` would
report every reference to a class that is not cnncount's. This extension resolves references
into the listed packages to their plain name, and leaves every other missing reference an error.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

EXTERNAL_PACKAGES = ("matplotlib.", "collections.abc.", "pathlib.")


def plain_external_type(
    app: Sphinx, env: Any, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    """Return the reference's own text for a class of an external package, else None."""
    target = node.get("reftarget", "")
    if node.get("refdomain") == "py" and target.startswith(EXTERNAL_PACKAGES):
        return contnode
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("missing-reference", plain_external_type)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
