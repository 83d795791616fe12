"""Every chapter runs as a notebook, as a reader runs it: jupytext reads it, nbclient executes it."""

from __future__ import annotations

import jupytext
import pytest
from nbclient import NotebookClient

from tests.book import BOOK, notebooks

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("chapter", notebooks(), ids=lambda path: path.name)
def test_chapter_runs_as_a_notebook(chapter) -> None:
    notebook = jupytext.read(chapter)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(BOOK)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    assert any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
