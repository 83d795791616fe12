"""The notebook a reader downloads or runs in the browser: an executed chapter, made to read and
run in plain Jupyter and in JupyterLite's Pyodide kernel.

`reader_notebook` is the one transformation, for every place the book hands out a notebook (the
download button, and the live version of lite.py):

- Markdown cells show what the page shows: roles and directives resolved (myst_directives);
- each figure is followed by its caption, numbered as on the page, and its images get its alt text;
- code cells keep their executed outputs; ``from myst_nb import glue`` becomes a stand-in that
  only shows what it is given, as ``glue`` does, so the notebook runs without myst_nb;
- a cell that imports cnncount's figures also names matplotlib, which Pyodide then loads;
- the files beside the chapter that it reads (a model file, a module it imports or shows) are
  written out by a first, folded cell where they are missing, so the notebook runs on its own;
- cells are numbered (``cell-1``...), so two builds write the same file;
- cells the page hides (``remove-cell``, ``hide-input``...) stay, with their source or outputs
  collapsed, so a reader sees the page's story and can still open, change and re-run them.
"""

from __future__ import annotations

import base64
import copy
import re
from collections.abc import Mapping
from typing import Any

from myst_directives import BOOK, PlainMarkdown
from myst_roles import References, resolve_roles

__all__ = ["GLUE_STAND_IN", "files_cell", "files_read", "reader_notebook"]

HIDDEN = {
    "remove-cell": ("source_hidden", "outputs_hidden"),
    "hide-cell": ("source_hidden", "outputs_hidden"),
    "remove-input": ("source_hidden",),
    "hide-input": ("source_hidden",),
    "remove-output": ("outputs_hidden",),
    "hide-output": ("outputs_hidden",),
}
"""What Jupyter collapses (cell metadata ``jupyter``) for each tag that hides part of a cell on the page."""

GLUE_STAND_IN = '''\
def {name}(name, value, display=True):
    """Stand-in for MyST-NB's glue, which hands a value to the book's prose: here it only shows it."""
    if display:
        import IPython.display

        IPython.display.display(value)'''
"""What replaces ``from myst_nb import glue [as name]`` in a reader's notebook. Its first line is
what Jupyter shows of the collapsed cell."""

PYODIDE_PACKAGES = {
    "cnncount.render.figures": "matplotlib",
    "cnncount.render.animations": "matplotlib",
    "cnncount.render.diagrams": "matplotlib",
}
"""The modules of cnncount that import a package Pyodide must load first, and that package.
Pyodide's kernel loads the packages a cell imports by name, not those its imports import: a cell
that uses such a module gets a first line that names the package (elsewhere, a plain import)."""

NAMES_PACKAGE = "import {package}  # named here so that a browser's Pyodide kernel loads it"

_FILE_NAMED = re.compile(
    r"[\"']([\w.-]+\.(?:onnx|keras|json|py))[\"']|\{literalinclude\}[ \t]+([\w.-]+\.py)\b"
)
"""A file a chapter reads, named as a string in its code or shown whole by ``{literalinclude}``."""

_IMPORT_GLUE = re.compile(
    r"^(?P<indent>[ \t]*)from[ \t]+myst_nb[ \t]+import[ \t]+glue(?:[ \t]+as[ \t]+(?P<name>\w+))?[ \t]*$",
    re.MULTILINE,
)


def reader_notebook(executed: Mapping[str, Any], references: References) -> dict[str, Any]:
    """Return the reader's notebook of a chapter from the notebook MyST-NB executed (nbformat 4 JSON).

    Examples:
        >>> executed = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"source_map": [1, 9]}, "cells": [
        ...     {"cell_type": "code", "id": "a", "metadata": {"tags": ["remove-cell"]}, "outputs": [],
        ...      "execution_count": 1, "source": "from myst_nb import glue\\nglue('n', 3, display=False)"},
        ...     {"cell_type": "markdown", "id": "b", "metadata": {}, "source": "{glue:text}`n` layers"}]}
        >>> notebook = reader_notebook(executed, References("intro", glued={"n": {"data": {"text/plain": "3"}}}))
        >>> notebook["cells"][1]["source"], notebook["metadata"]
        ('3 layers', {})
        >>> notebook["cells"][0]["metadata"]["jupyter"]
        {'source_hidden': True, 'outputs_hidden': True}
        >>> print(notebook["cells"][0]["source"])
        def glue(name, value, display=True):
            \"""Stand-in for MyST-NB's glue, which hands a value to the book's prose: here it only shows it.\"""
            if display:
                import IPython.display
        <BLANKLINE>
                IPython.display.display(value)
        glue('n', 3, display=False)
    """
    notebook = copy.deepcopy(dict(executed))
    notebook["metadata"].pop("source_map", None)  # MyST-NB's map from cells to source lines
    markdown = PlainMarkdown(references)
    cells = []
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    files = files_read(sources)
    if files:
        cells_above = int(
            bool(notebook["cells"]) and notebook["cells"][0]["cell_type"] == "markdown"
        )
        notebook["cells"].insert(  # under the title, which opens the chapter
            cells_above, files_cell({name: (BOOK / name).read_bytes() for name in files})
        )
    for index, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = (
            markdown(source)
            if cell["cell_type"] == "markdown"
            else with_pyodide_packages(_without_myst_nb(source, index, references))
        )
        cell["id"] = f"cell-{index + 1}"  # MyST-NB's ids are random
        for tag in cell["metadata"].get("tags", []):
            for flag in HIDDEN.get(tag, ()):
                cell["metadata"].setdefault("jupyter", {})[flag] = True
        cells.append(cell)
        figure = cell["metadata"].get("mystnb", {}).get("figure", {})
        if cell["cell_type"] == "code" and figure.get("caption"):
            _describe_images(cell)
            cells.append(_caption(cell, figure, references))
    notebook["cells"] = cells
    return notebook


def files_read(sources: list[str], folder: Any = BOOK) -> list[str]:
    """Return the files in ``folder`` that the cells' ``sources`` name, in order, each once.

    Examples:
        >>> files_read(['read_model("tinycnn.onnx")', "```{literalinclude} tinycnn.py", "'missing.onnx'"])
        ['tinycnn.onnx', 'tinycnn.py']
    """
    names = (
        name
        for source in sources
        for match in _FILE_NAMED.finditer(source)
        for name in match.groups()
        if name
    )
    return [name for name in dict.fromkeys(names) if (folder / name).is_file()]


def files_cell(files: Mapping[str, bytes]) -> dict[str, Any]:
    """Return a folded code cell that writes each of ``files`` beside the notebook, if missing there.

    Examples:
        >>> cell = files_cell({"net.json": b"{}"})
        >>> print(cell["source"])
        # The files this chapter reads, written beside the notebook where they are missing
        import base64
        import pathlib
        <BLANKLINE>
        FILES = {
            "net.json": "e30=",
        }
        for name, data in FILES.items():
            if not pathlib.Path(name).exists():
                pathlib.Path(name).write_bytes(base64.b64decode(data))
        >>> cell["metadata"]
        {'tags': ['remove-cell']}
    """
    lines = [f'    "{name}": "{base64.b64encode(data).decode()}",' for name, data in files.items()]
    source = "\n".join(
        [
            "# The files this chapter reads, written beside the notebook where they are missing",
            "import base64",
            "import pathlib",
            "",
            "FILES = {",
            *lines,
            "}",
            "for name, data in FILES.items():",
            "    if not pathlib.Path(name).exists():",
            "        pathlib.Path(name).write_bytes(base64.b64decode(data))",
        ]
    )
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": ["remove-cell"]},
        "outputs": [],
        "source": source,
    }


def with_pyodide_packages(source: str) -> str:
    """Return a code cell's source with a first line naming each package Pyodide must load for it.

    Examples:
        >>> print(with_pyodide_packages("from cnncount.render.figures import per_layer"))
        import matplotlib  # named here so that a browser's Pyodide kernel loads it
        from cnncount.render.figures import per_layer
        >>> with_pyodide_packages("import cnncount")
        'import cnncount'
    """
    needed = dict.fromkeys(
        package
        for module, package in PYODIDE_PACKAGES.items()
        if re.search(rf"\b{re.escape(module)}\b", source)
        and not re.search(rf"^import {re.escape(package)}\b", source, re.MULTILINE)
    )
    return "\n".join([*(NAMES_PACKAGE.format(package=package) for package in needed), source])


def _without_myst_nb(source: str, index: int, references: References) -> str:
    """Return a code cell's source with myst_nb's glue replaced by the stand-in."""
    if "myst_nb" in _IMPORT_GLUE.sub("", source):
        msg = f"{references.docname}: cell {index} uses myst_nb other than by `from myst_nb import glue`, which a reader cannot run"
        raise ValueError(msg)
    return _IMPORT_GLUE.sub(
        lambda match: _stand_in(match.group("name") or "glue", match.group("indent")), source
    )


def _stand_in(name: str, indent: str) -> str:
    return "\n".join(
        f"{indent}{line}" if line else "" for line in GLUE_STAND_IN.format(name=name).split("\n")
    )


def _describe_images(cell: dict[str, Any]) -> None:
    """Give the images of a figure cell the figure's alt text, which nbconvert's HTML shows."""
    alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt")
    for output in cell.get("outputs", []):
        for mime in output.get("data", {}):
            if alt and mime.startswith("image/"):
                output.setdefault("metadata", {}).setdefault(mime, {})["alt"] = alt


def _caption(
    cell: dict[str, Any], figure: Mapping[str, Any], references: References
) -> dict[str, Any]:
    """Return the Markdown cell that shows a figure's caption under it, numbered and anchored as on the page."""
    name = str(figure.get("name", ""))
    target = references.labels.get(name.lower()) if name else None
    anchor = (
        f'<a id="{target.href.partition("#")[2]}"></a>' if target and "#" in target.href else ""
    )
    number = f"**{target.numbered}** " if target and target.numbered else ""
    caption = resolve_roles(str(figure["caption"]), references)
    cell_id = f"{cell['id']}-caption" if "id" in cell else None
    return {"cell_type": "markdown", "metadata": {}, "source": f"{anchor}{number}{caption}"} | (
        {"id": cell_id} if cell_id else {}
    )
