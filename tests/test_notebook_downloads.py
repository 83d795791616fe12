"""Every notebook the built book offers runs as a reader runs it, and reads as the page does.

A reader downloads a chapter's ``.ipynb`` into an empty folder and runs it in a fresh venv with
``pip install "cnncount[notebooks]" nbclient ipykernel``: the fixture ``reader_venv`` is that venv,
with the package installed from a wheel of the checkout. Jupyter renders Markdown, not MyST, so
no Markdown cell may hold a role, a directive or a target.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.book import notebooks
from tests.reader import execute, myst_leftovers


@pytest.fixture(scope="module")
def downloads(book_html: Path) -> dict[str, Path]:
    """Return the notebook behind each page's download button, by page name."""
    found = {}
    for page in sorted(book_html.glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        link = soup.find("a", href=lambda href: bool(href) and href.endswith(".ipynb"))
        if link is not None:
            found[page.stem] = (page.parent / link["href"]).resolve()
    return found


def test_every_chapter_offers_its_notebook(downloads: dict[str, Path]) -> None:
    assert sorted(downloads) == sorted(chapter.stem for chapter in notebooks())
    assert all(path.is_file() for path in downloads.values())


@pytest.mark.parametrize("chapter", [path.stem for path in notebooks()])
def test_notebook_reads_as_the_page(downloads: dict[str, Path], chapter: str) -> None:
    notebook = json.loads(downloads[chapter].read_text(encoding="utf-8"))
    assert myst_leftovers(notebook) == []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        assert "myst_nb" not in source, source
        if "remove-cell" in cell["metadata"].get("tags", []):
            assert cell["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}


def test_figures_keep_their_captions_and_numbers(
    book_html: Path, downloads: dict[str, Path]
) -> None:
    notebook = json.loads(downloads["where"].read_text(encoding="utf-8"))
    page = BeautifulSoup((book_html / "where.html").read_text(encoding="utf-8"), "html.parser")
    numbers = [span.get_text().strip() for span in page.select("figcaption .caption-number")]
    markdown = "\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    assert numbers and all(
        f"**{number}**" in markdown and f"[{number}](#" in markdown for number in numbers
    )


@pytest.mark.parametrize("chapter", [path.stem for path in notebooks()])
def test_exercises_keep_their_numbers_and_solutions_stay_folded(
    book_html: Path, downloads: dict[str, Path], chapter: str
) -> None:
    notebook = json.loads(downloads[chapter].read_text(encoding="utf-8"))
    page = BeautifulSoup((book_html / f"{chapter}.html").read_text(encoding="utf-8"), "html.parser")
    numbers = [span.get_text().strip() for span in page.select(".exercise .caption-number")]
    markdown = "\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    assert len(numbers) >= 3  # every chapter ends with at least three exercises
    assert re.findall(r"\*\*(Exercise \d+)\*\*", markdown) == numbers
    assert (
        re.findall(r"<details>\n<summary>Solution to (Exercise \d+)</summary>", markdown) == numbers
    )
    assert len(page.select(".solution.dropdown")) == len(numbers)  # folded on the page too


def test_reader_kernel_is_the_fresh_venv(reader_venv: Path, tmp_path: Path) -> None:
    code = "import importlib.util, sys, cnncount; print(sys.prefix, cnncount.__file__, importlib.util.find_spec('myst_nb'))"
    notebook = tmp_path / "kernel.ipynb"
    notebook.write_text(
        json.dumps(
            {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {},
                "cells": [
                    {
                        "cell_type": "code",
                        "id": "a",
                        "metadata": {},
                        "source": code,
                        "outputs": [],
                        "execution_count": None,
                    }
                ],
            }
        )
    )
    prefix, package, myst_nb = execute(notebook, reader_venv).cells[0].outputs[0]["text"].split()
    assert Path(prefix).resolve() == reader_venv.resolve() != Path(sys.prefix).resolve()
    assert Path(package).resolve().is_relative_to(reader_venv.resolve())
    assert myst_nb == "None"  # the notebooks run without it


@pytest.mark.parametrize("chapter", [path.stem for path in notebooks()])
def test_downloaded_notebook_runs_in_a_bare_venv(
    downloads: dict[str, Path], reader_venv: Path, tmp_path: Path, chapter: str
) -> None:
    download = tmp_path / f"{chapter}.ipynb"
    shutil.copy(downloads[chapter], download)
    assert sorted(tmp_path.iterdir()) == [download]
    executed = execute(
        download, reader_venv
    )  # raises CellExecutionError, naming the cell, on the first error
    figures = [cell for cell in executed.cells if cell.metadata.get("mystnb", {}).get("figure")]
    assert all(
        any("image/png" in output.get("data", {}) for output in cell.outputs) for cell in figures
    )
