"""The book builds from scratch with warnings as errors, and its VGG-16 page shows the regenerated table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.book import BOOK, BUILD_OPTIONS, chapters
from tests.reference import section


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the book into a fresh folder, every chapter executed, and return its HTML folder."""
    output = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(BOOK), *BUILD_OPTIONS, "--path-output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "build succeeded" in result.stdout
    return output / "_build" / "html"


def test_make_book_builds_as_this_test_does() -> None:
    recipe = next(line for line in (BOOK.parent / "Makefile").read_text().splitlines() if "jupyter-book build" in line)
    assert all(option in recipe.split() for option in BUILD_OPTIONS)


def test_every_chapter_is_a_page(html: Path) -> None:
    for chapter in chapters():
        assert (html / f"{chapter.stem}.html").is_file(), chapter.name


def test_vgg16_page_shows_the_regenerated_table(html: Path) -> None:
    page = BeautifulSoup((html / "vgg16.html").read_text(encoding="utf-8"), "html.parser")
    outputs = [pre.get_text() for pre in page.select("div.cell_output pre")]
    table = next(text for text in outputs if text.startswith("INPUT:"))
    assert table.splitlines() == section("INPUT:", "FC:")
    breakdown = next(text for text in outputs if text.startswith("conv3-64  x 2"))
    assert breakdown.splitlines() == section("conv3-64  x 2", "TOTAL     ")


def test_glued_figures_are_rendered(html: Path) -> None:
    text = BeautifulSoup((html / "intro.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "138,357,544 parameters" in text


def test_vgg16_page_offers_its_notebook(html: Path) -> None:
    page = BeautifulSoup((html / "vgg16.html").read_text(encoding="utf-8"), "html.parser")
    link = page.find("a", href=lambda href: bool(href) and href.endswith("vgg16.ipynb"))
    assert link is not None
    notebook = json.loads((html / link["href"]).read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and notebook["cells"]


def test_figures_are_images(html: Path) -> None:
    page = BeautifulSoup((html / "where.html").read_text(encoding="utf-8"), "html.parser")
    images = [img["src"] for img in page.select("figure img")]
    assert len(images) == 2
    for source in images:
        assert (html / source).stat().st_size > 10_000
