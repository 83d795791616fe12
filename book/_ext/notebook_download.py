"""Offer each executed chapter as a ``.ipynb`` download, through the theme's own button.

sphinx-book-theme shows its ".ipynb" download only where a launch service (Binder, Colab...)
is configured. This extension does without one: it copies the notebook that MyST-NB wrote
when it executed the chapter into ``_sources`` and tells the theme where it is.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

EXECUTED = "jupyter_execute"  # MyST-NB's output folder, beside the HTML one


def offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Copy the executed notebook of ``pagename``, if there is one, and link the download button to it."""
    executed = Path(app.outdir).parent / EXECUTED / f"{pagename}.ipynb"
    if not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict[str, Any]:
    # The theme reads ipynb_source at priority 501; run before it.
    app.connect("html-page-context", offer_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
