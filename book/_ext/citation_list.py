"""The references page's list as ARIA wants it: each citation is an item of the list.

docutils writes a bibliography as a ``<div role="list">`` of ``<div role="doc-biblioentry">``.
A list may hold only list items, and ARIA 1.2 deprecates ``doc-biblioentry``: axe-core reports
the list (aria-required-children, critical) and each entry. Here each entry is a ``listitem``,
written by the same translator with that one attribute changed.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

__all__ = ["CitationListTranslator"]

DEPRECATED = 'role="doc-biblioentry"'
LIST_ITEM = 'role="listitem"'


class CitationListTranslator(HTML5Translator):
    """Sphinx's HTML translator, with each citation a ``listitem`` of its list."""

    def visit_citation(self, node: nodes.citation) -> None:
        super().visit_citation(node)
        self.body[-1] = self.body[-1].replace(DEPRECATED, LIST_ITEM)


def setup(app: Sphinx) -> dict[str, Any]:
    for builder in ("html", "singlehtml"):  # the site, and the page that `make pdf` prints
        app.set_translator(builder, CitationListTranslator)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
