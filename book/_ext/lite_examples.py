"""The API reference's examples, live: jupyterlite-sphinx's ``try_examples``, made to fit cnncount.

With ``global_enable_try_examples``, jupyterlite-sphinx wraps each ``Examples`` section that
napoleon renders in its ``try_examples`` directive: a "Try it" button that opens the section as
a notebook in JupyterLite, in place. The directive is replaced here by one that

- names the notebook, and the HTML elements it toggles, after the example rather than with a
  random ``uuid4``, so that two builds write the same files;
- opens the notebook with a cell that gives it the names of the module that defines the documented
  object, as its doctest has them (``Shape``, ``summarize``... without an import), and names the
  packages Pyodide must load;
- never reuses another example's notebook: the directive keys notebooks by page and line, and the
  lines of docstrings restart at each ``automodule``.

The pages with examples are read again on every build: jupyterlite-sphinx empties the Lite
contents as the build starts, and the directive writes its notebooks only when its page is read.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import itertools
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from reader_notebook import with_pyodide_packages
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

__all__ = ["NAMESPACE", "setup_try_examples"]

NAMESPACE = """\
import {module} as module
globals().update({{name: value for name, value in vars(module).items() if not name.startswith("__")}})"""
"""The first cell of an example's notebook, after a comment. ``from module import *`` would miss
the names the module imports (``Shape``) and those its ``__all__`` leaves out."""


def setup_try_examples(app: Sphinx) -> None:
    """Replace jupyterlite-sphinx's ``try_examples`` directive, and read its pages on every build."""
    from jupyterlite_sphinx import jupyterlite_sphinx as upstream

    class TryExamples(upstream.TryExamplesDirective):  # type: ignore[misc]
        def run(self) -> list[nodes.Node]:
            seen = self.env.temp_data.setdefault("lite_examples", Counter())
            text = "\n".join(self.content)
            seen[text] += 1  # the rank of identical examples on the page tells them apart
            names = _uuids(f"{self.env.docname}\n{seen[text]}\n{text}")
            self.env.temp_data.get("generated_notebooks", {}).pop(
                f"{self.env.docname}-{self.lineno}", None
            )
            _example_pages(self.env).add(self.env.docname)
            random, upstream.uuid4 = upstream.uuid4, lambda: next(names)
            try:
                result: list[nodes.Node] = super().run()
            finally:
                upstream.uuid4 = random
            notebook = Path(self.env.config.jupyterlite_content_dir) / self.options["path"]
            _finish(notebook, _doctest_module(self.env))
            return result

    app.add_directive("try_examples", TryExamples, override=True)
    app.connect("env-get-outdated", _read_example_pages)
    app.connect("env-purge-doc", lambda app, env, docname: _example_pages(env).discard(docname))
    app.connect(
        "env-merge-info",
        lambda app, env, docnames, other: _example_pages(env).update(_example_pages(other)),
    )


def _uuids(seed: str) -> Iterator[uuid.UUID]:
    """Yield UUIDs that follow from ``seed``, one after another."""
    for number in itertools.count():
        yield uuid.UUID(bytes=hashlib.sha256(f"{seed}\n{number}".encode()).digest()[:16], version=4)


def _doctest_module(env: BuildEnvironment) -> str | None:
    """Return the module whose names the example's doctest has: the documented object's own (a
    package documents what it imports from its modules), else the module being documented."""
    module = env.ref_context.get("py:module")
    documented = env.temp_data.get("object")  # (name, prefix) of the object being described
    if not module or not documented:
        return module
    chain: list[Any] = [importlib.import_module(module)]
    for part in documented[0].split("."):
        chain.append(getattr(chain[-1], part, None))
    for found in reversed(chain):
        if inspect.isclass(found) or inspect.isroutine(found):
            return str(found.__module__)
    return module


def _finish(path: Path, module: str | None) -> None:
    """Give the notebook at ``path`` its module's names first, and numbered cell ids."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells: list[dict[str, Any]] = notebook["cells"]
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["source"] = with_pyodide_packages(cell["source"])
    if module:
        comment = f"# The examples of {module} run in its namespace, as its doctests do"
        source = with_pyodide_packages(NAMESPACE.format(module=module))
        cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
        cells.insert(0, {**cell, "source": f"{comment}\n{source}"})
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"cell-{number}"  # nbformat's are random
    path.write_text(json.dumps(notebook, indent=4, ensure_ascii=False), encoding="utf-8")


def _example_pages(env: BuildEnvironment) -> set[str]:
    """Return the pages with examples, kept in the environment between builds."""
    if not hasattr(env, "lite_example_pages"):
        env.lite_example_pages = set()  # type: ignore[attr-defined]
    pages: set[str] = env.lite_example_pages  # type: ignore[attr-defined]
    return pages


def _read_example_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Return the pages with examples, to be read again even if unchanged."""
    return sorted((_example_pages(env) & env.found_docs) - removed)
