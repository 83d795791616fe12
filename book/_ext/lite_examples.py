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

jupyterlite-sphinx empties the Lite contents as each build starts, and the directive writes its
notebooks only when its page is read: each notebook is kept in ``_build/lite/examples`` too, and
put back in the contents at the end of every build, so that an unchanged page need not be read.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import itertools
import json
import shutil
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
    """Replace jupyterlite-sphinx's ``try_examples`` directive, and keep its notebooks between builds."""
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
            random, upstream.uuid4 = upstream.uuid4, lambda: next(names)
            try:
                result: list[nodes.Node] = super().run()
            finally:
                upstream.uuid4 = random
            notebook = Path(self.env.config.jupyterlite_content_dir) / self.options["path"]
            _finish(notebook, _doctest_module(self.env))
            _kept(self.env.app).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, _kept(self.env.app) / notebook.name)
            _example_notebooks(self.env).setdefault(self.env.docname, set()).add(notebook.name)
            return result

    app.add_directive("try_examples", TryExamples, override=True)
    app.connect("env-get-outdated", _pages_whose_notebooks_are_gone)
    app.connect("env-purge-doc", _forget_example_notebooks)
    app.connect("env-merge-info", _merge_example_notebooks)
    app.connect("build-finished", _restore_example_notebooks, priority=400)


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


def _kept(app: Sphinx) -> Path:
    """Return where the examples' notebooks are kept between builds, ``_build/lite/examples``."""
    return Path(app.outdir).parent / "lite" / "examples"


def _example_notebooks(env: BuildEnvironment) -> dict[str, set[str]]:
    """Return the names of the examples' notebooks of each page, kept in the environment."""
    if not hasattr(env, "lite_example_notebooks"):
        env.lite_example_notebooks = {}  # type: ignore[attr-defined]
    notebooks: dict[str, set[str]] = env.lite_example_notebooks  # type: ignore[attr-defined]
    return notebooks


def _pages_whose_notebooks_are_gone(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Return the pages to read again because a notebook of theirs is no longer kept (``_build/lite`` deleted)."""
    notebooks = _example_notebooks(env)
    return sorted(
        docname
        for docname, names in notebooks.items()
        if docname not in removed and not all((_kept(app) / name).is_file() for name in names)
    )


def _forget_example_notebooks(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Forget the notebooks of a page that is read again or removed."""
    _example_notebooks(env).pop(docname, None)


def _merge_example_notebooks(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    """Take the notebooks of the pages that a parallel reader read."""
    theirs = _example_notebooks(other)
    _example_notebooks(env).update({name: theirs[name] for name in docnames & theirs.keys()})


def _restore_example_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Put every page's example notebooks in the Lite contents, before jupyterlite-sphinx builds it."""
    if exception is not None or app.builder.format != "html":
        return
    contents = Path(app.config.jupyterlite_content_dir)
    for names in _example_notebooks(app.env).values():
        for name in sorted(names):
            shutil.copyfile(_kept(app) / name, contents / name)
