"""Read the chapters, and so execute their notebooks, on every core of the machine.

myst-nb executes a chapter's notebook while Sphinx reads the chapter, and Sphinx reads in
parallel when its ``-j`` asks, which Jupyter Book 1's command line cannot pass. This extension
sets that number to the machine's cores once the builder starts, before the first chapter is
read. Sphinx reads in parallel only where every extension declares it safe. Three that Jupyter
Book and this book add declare nothing, and are safe: ``sphinx_multitoc_numbering`` only
replaces the section numbering that Sphinx runs after every chapter is read,
``sphinx_jupyterbook_latex`` only transforms each chapter's own doctree (and the rest for LaTeX
builders alone), and ``sphinx-mathjax-offline`` only sets MathJax's path and copies its files
once the build has finished.
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx

SAFE_UNDECLARED = (
    "sphinx_multitoc_numbering",
    "sphinx_jupyterbook_latex",
    "sphinx-mathjax-offline",
)
"""The extensions that declare nothing about parallel reading and are safe for it."""


def read_on_every_core(app: Sphinx) -> None:
    """Declare the undeclared extensions safe, and read with one process per core."""
    for name in SAFE_UNDECLARED:
        if name in app.extensions:
            app.extensions[name].parallel_read_safe = True
    app.parallel = max(app.parallel, os.cpu_count() or 1)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", read_on_every_core)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
