"""Offer each chapter as a notebook a reader can run, through the theme's ".ipynb" download button.

MyST-NB writes the notebook it executed for each chapter, but that one shows the prose's numbers
as raw ``{glue:text}`` roles and imports myst_nb in its hidden cells. For each page with an
executed notebook, this extension writes the reader's notebook (reader_notebook.py) to
``_sources/<page>.ipynb`` in the HTML output, beside the page's source, and points the theme's
download button at it. sphinx-book-theme shows that button only where a launch service is
configured; setting ``ipynb_source`` does without one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from myst_roles import References, Target
from reader_notebook import reader_notebook
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

EXECUTED = "jupyter_execute"  # MyST-NB's output folder, beside the HTML one
NOTEBOOKS = "_sources"  # where the theme's download button looks, under the HTML output


def offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Write the reader's notebook of ``pagename``, if it is a notebook, and link the download button to it."""
    executed = executed_notebook(app, pagename)
    if not executed.is_file():
        return
    try:
        notebook = reader_notebook(
            json.loads(executed.read_text(encoding="utf-8")), references(app, pagename)
        )
    except ValueError as error:
        logger.warning(f"no notebook for readers: {error}", location=pagename)
        return
    target = Path(app.outdir) / NOTEBOOKS / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def references(app: Sphinx, docname: str) -> References:
    """Return what the roles of ``docname`` resolve to, from the build: glued values, pages, labels, citations."""
    env = app.env
    documents = {
        name: Target(_href(app, name), env.titles[name].astext())
        for name in env.found_docs
        if name in env.titles
    }
    labels = {}
    std = env.get_domain("std")
    for label, (doc, anchor) in std.anonlabels.items():  # type: ignore[attr-defined]
        title = std.labels.get(label, ("", "", ""))[2]  # type: ignore[attr-defined]
        number, figtype = _number(env.toc_fignumbers.get(doc, {}), anchor)
        labels[label] = Target(
            f"{_href(app, doc)}#{anchor}", title, number, app.config.numfig_format.get(figtype, "")
        )
    exercises = sorted(env.toc_fignumbers.get(docname, {}).get("exercise", {}).values())
    exercise_format = app.config.numfig_format.get("exercise", "Exercise %s")
    glue = executed_notebook(app, docname).with_suffix(".glue.json")
    return References(
        docname,
        glued=json.loads(glue.read_text(encoding="utf-8")) if glue.is_file() else {},
        documents=documents,
        labels=labels,
        citations=_citations(app),
        exercises=[
            exercise_format.replace("%s", ".".join(map(str, number))) for number in exercises
        ],
    )


def executed_notebook(app: Sphinx, docname: str) -> Path:
    """Return where MyST-NB writes the notebook it executed for ``docname`` (there is none for a page that is not a notebook)."""
    return Path(app.outdir).parent / EXECUTED / f"{docname}.ipynb"


def _href(app: Sphinx, docname: str) -> str:
    """Return where a page is, from the notebooks' folder: its reader's notebook, or else its HTML page."""
    if executed_notebook(app, docname).is_file():
        return f"{docname}.ipynb"
    return f"../{app.builder.get_target_uri(docname)}"


def _number(fignumbers: dict[str, dict[str, tuple[int, ...]]], anchor: str) -> tuple[str, str]:
    """Return the number Sphinx gave the element with id ``anchor`` and its kind ("figure"), or two ''."""
    for figtype, numbers in fignumbers.items():
        if anchor in numbers:
            return ".".join(map(str, numbers[anchor])), figtype
    return "", ""


def _citations(app: Sphinx) -> dict[str, str]:
    """Return the label of each citation of sphinxcontrib-bibtex, where it is loaded."""
    try:
        domain = app.env.get_domain("cite")
    except ExtensionError:
        return {}
    return {
        citation.key: citation.formatted_entry.label
        for citation in getattr(domain, "citations", [])
    }


def setup(app: Sphinx) -> dict[str, Any]:
    # The theme reads ipynb_source at priority 501; run before it.
    app.connect("html-page-context", offer_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
