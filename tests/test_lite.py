"""The book's live version as built: a JupyterLite site in ``_build/html/lite`` that needs no server.

Checked without a browser (tests/test_live.py runs it in one): each chapter links its reader's
notebook in the Lite site, the very file its download button offers; the kernel installs the
wheel of this checkout as it starts; every example of the API reference has its live notebook,
which gives the docstring's outputs; no page asks another host for anything; the build leaves
nothing in the source tree, and a second build writes the same files; and
Pyodide comes either from its CDN or, where the session built with it (npm installed), from the
site, with a lock that describes the files served.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import hashlib
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

from tests.book import BOOK, PYODIDE, build_book, chapters, notebooks

LITE_LINK = "Run this chapter in your browser"


def page(book_html: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((book_html / name).read_text(encoding="utf-8"), "html.parser")


def kernel_settings(book_html: Path) -> dict[str, Any]:
    """Return the Pyodide kernel's settings in the Lite site's jupyter-lite.json."""
    config = json.loads((book_html / "lite" / "jupyter-lite.json").read_text(encoding="utf-8"))
    settings = config["jupyter-config-data"]["litePluginSettings"]
    kernel: dict[str, Any] = settings["@jupyterlite/pyodide-kernel-extension:kernel"]
    return kernel


@pytest.mark.parametrize("chapter", [path.stem for path in chapters()])
def test_each_chapter_runs_its_reader_notebook_live(book_html: Path, chapter: str) -> None:
    links = page(book_html, f"{chapter}.html").select("p.lite-launch a")
    if chapter not in {path.stem for path in notebooks()}:
        assert links == []
        return
    assert [(link.get_text(), link["href"]) for link in links] == [
        (LITE_LINK, f"lite/notebooks/index.html?path={chapter}.ipynb")
    ]
    live = book_html / "lite" / "files" / f"{chapter}.ipynb"
    assert live.read_bytes() == (book_html / "_sources" / f"{chapter}.ipynb").read_bytes()


def test_the_kernel_installs_the_wheel_of_this_checkout(book_html: Path) -> None:
    (url,) = kernel_settings(book_html)["loadPyodideOptions"]["packages"]
    worker = "lite/extensions/@jupyterlite/pyodide-kernel-extension/static/"  # URLs resolve from it
    wheel = book_html / urljoin(worker, url)
    assert wheel.name.startswith("cnncount-") and wheel.is_file()
    with zipfile.ZipFile(wheel) as archive:
        modules = {name: archive.read(name) for name in archive.namelist() if name.endswith(".py")}
    assert modules and all(
        (BOOK.parent / name).read_bytes() == source for name, source in modules.items()
    )
    assert len(modules) == len(list((BOOK.parent / "cnncount").rglob("*.py")))


def example_notebooks(book_html: Path) -> list[Path]:
    """Return the notebook behind each "Try it" button of the API reference, in the Lite site."""
    api = page(book_html, "api.html")
    buttons = api.select(".try_examples_outer_container > .try_examples_button_container button")
    names = [re.search(r"path=([\w-]+\.ipynb)", button["onclick"]).group(1) for button in buttons]
    return [book_html / "lite" / "files" / name for name in names]


def test_every_api_example_has_its_live_notebook(book_html: Path) -> None:
    api = page(book_html, "api.html")
    rubrics = [rubric for rubric in api.select("p.rubric") if rubric.get_text() == "Examples"]
    notebooks = example_notebooks(book_html)
    assert len(notebooks) == len(set(notebooks)) == len(rubrics) > 100
    for path in notebooks:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        assert notebook["cells"][0]["source"].startswith("# The examples of cnncount."), path.name


def run_cell(source: str, namespace: dict[str, Any]) -> str:
    """Run a code cell in ``namespace`` as a Jupyter kernel does; return what it prints, then the
    repr of its last expression, or its exception as a traceback's last line ends."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        try:
            exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 (the cell is the test)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
                print(repr(value) if value is not None else "", end="")
        except Exception as error:  # noqa: BLE001 (an example may show its error)
            print(f"{type(error).__name__}: {error}", end="")
    return printed.getvalue().strip()


def agrees(shown: str, got: str, source: str = "") -> bool:
    """Return whether a cell's output ``got`` is the ``shown`` one, as doctest compares them: a
    traceback by its last line, whose exception may be named with its module, and the options
    that the source's ``# doctest:`` directive sets (``+ELLIPSIS``, ``+NORMALIZE_WHITESPACE``).

    Examples:
        >>> agrees("a ... c", "a b c", "print(x)  # doctest: +ELLIPSIS"), agrees("a ... c", "a b c")
        (True, False)
    """
    if shown.startswith("Traceback"):
        return shown.splitlines()[-1].endswith(got.splitlines()[-1])
    flags = 0
    for directive in re.findall(r"#\s*doctest:\s*(.*)", source):
        for option in directive.split(","):
            option = option.strip()
            if option.startswith("+"):
                flags |= doctest.OPTIONFLAGS_BY_NAME[option[1:]]
    return not shown or doctest.OutputChecker().check_output(shown + "\n", got + "\n", flags)


def test_every_api_example_notebook_gives_the_outputs_of_its_docstring(book_html: Path) -> None:
    """Each example runs from its notebook alone, here in CPython; tests/test_live.py runs one in Pyodide."""
    differ = []
    for path in example_notebooks(book_html):
        namespace: dict[str, Any] = {}
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                got = run_cell(cell["source"], namespace)
                shown = "".join(output["data"]["text/plain"] for output in cell["outputs"]).strip()
                if not agrees(shown, got, "".join(cell["source"])):
                    differ.append(f"{path.name}: {cell['source']!r} gave {got!r}, not {shown!r}")
        if "matplotlib.pyplot" in sys.modules:  # the figures' examples draw
            sys.modules["matplotlib.pyplot"].close("all")
    assert differ == []


def remote(soup: BeautifulSoup) -> list[str]:
    """Return what a page would load from another host: its stylesheets, icons, scripts, images, frames."""
    loaded = [tag.get("href", "") for tag in soup.find_all("link")]
    loaded += [tag.get("src", "") for tag in soup.find_all(["script", "img", "iframe"])]
    return [url for url in loaded if urlsplit(url).netloc]


def test_no_page_asks_another_host_for_anything(book_html: Path) -> None:
    pages = sorted(book_html.glob("*.html"))
    assert len(pages) > len(chapters())
    assert {path.name: remote(page(book_html, path.name)) for path in pages} == {
        path.name: [] for path in pages
    }


def test_the_build_leaves_nothing_in_the_source_tree(book_html: Path) -> None:
    # jupyterlite-sphinx's contents folder and doit's task database, had the build left them there
    assert not (BOOK / "_contents").exists()
    assert not (BOOK / ".jupyterlite.doit.db").exists()


def test_pyodide_comes_from_its_cdn_or_from_the_site_with_a_true_lock(book_html: Path) -> None:
    settings = kernel_settings(book_html)
    served = book_html / "lite" / "static" / "pyodide"
    if not served.is_dir():  # `make book`: the kernel's default, Pyodide's CDN, and comm from here
        assert "pyodideUrl" not in settings
        assert list((book_html / "lite" / "pypi").glob("comm-*.whl"))
        return
    assert settings["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    lock = json.loads((served / "pyodide-lock.json").read_text(encoding="utf-8"))
    local = {
        name: entry for name, entry in lock["packages"].items() if "://" not in entry["file_name"]
    }
    assert {"micropip", "ipython", "jedi", "comm"} <= set(local)
    for entry in local.values():
        assert (
            hashlib.sha256((served / entry["file_name"]).read_bytes()).hexdigest()
            == entry["sha256"]
        )
        assert {re.sub(r"[-_.]+", "-", name).lower() for name in entry["depends"]} <= set(local)
    assert lock["packages"]["matplotlib"]["file_name"].startswith(
        "https://cdn.jsdelivr.net/pyodide/"
    )


def digests(folder: Path) -> dict[str, str]:
    """Return the sha256 of every file under ``folder``, by its path there."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_building_again_writes_the_same_files(
    book_html: Path, offline_pyodide: Path | None
) -> None:
    """`make book` again with nothing changed: every file of the book is the same, the Lite site
    built anew included (with the examples' notebooks, though the API page is not read again).
    Sphinx writes again a page older than its source: the pages must keep the time it gave them."""
    pages = [(book_html / f"{chapter.stem}.html", chapter) for chapter in chapters()]
    assert [page for page, source in pages if page.stat().st_mtime < source.stat().st_mtime] == []
    before = digests(book_html)
    build_book(book_html.parent.parent, offline_pyodide)
    assert digests(book_html) == before
    assert not (BOOK / ".jupyterlite.doit.db").exists()


def test_make_book_offline_builds_as_the_tests_do() -> None:
    makefile = (BOOK.parent / "Makefile").read_text(encoding="utf-8")
    assert f"{PYODIDE}=$(PYODIDE) $(BIN)/jupyter-book build" in makefile
    assert "$(BIN)/python tools/pyodide_offline.py $(PYODIDE)" in makefile


def test_the_readme_names_the_pyodide_the_kernel_expects() -> None:
    readme = (BOOK.parent / "README.md").read_text(encoding="utf-8")
    assert f"npm pack pyodide@{PYODIDE_VERSION}" in readme
