"""The book builds from scratch with warnings as errors, and its VGG-16 page shows the regenerated table.

The build itself is the session fixture ``book_html`` (tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from cnncount.published import breakdown_section as section
from tests.book import BOOK, BUILD_OPTIONS, chapters, describes_an_image


def test_make_book_builds_as_this_test_does() -> None:
    recipe = next(
        line
        for line in (BOOK.parent / "Makefile").read_text().splitlines()
        if "jupyter-book build" in line
    )
    assert all(option in recipe.split() for option in BUILD_OPTIONS)


def test_every_chapter_is_a_page(book_html: Path) -> None:
    for chapter in chapters():
        assert (book_html / f"{chapter.stem}.html").is_file(), chapter.name


def test_vgg16_page_shows_the_regenerated_table(book_html: Path) -> None:
    page = BeautifulSoup((book_html / "vgg16.html").read_text(encoding="utf-8"), "html.parser")
    outputs = [pre.get_text() for pre in page.select("div.cell_output pre")]
    table = next(text for text in outputs if text.startswith("INPUT:"))
    assert table.splitlines() == section("INPUT:", "FC:")
    breakdown = next(text for text in outputs if text.startswith("conv3-64  x 2"))
    assert breakdown.splitlines() == section("conv3-64  x 2", "TOTAL     ")


def test_glued_figures_are_rendered(book_html: Path) -> None:
    text = BeautifulSoup(
        (book_html / "intro.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text()
    assert "138,357,544 parameters" in text


def test_own_network_page_reads_the_onnx_file(book_html: Path) -> None:
    """The book's build has the onnx package (its extra), so the page shows the file read, not the
    line that a reader without onnx sees."""
    text = BeautifulSoup(
        (book_html / "own.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text()
    assert "/fc2/Gemm" in text and "/Relu_2" in text  # rows of the table, not named in the prose
    assert "reading an ONNX file needs" not in text  # the refusal's line, as ReadError words it


def test_vgg16_page_offers_its_notebook(book_html: Path) -> None:
    page = BeautifulSoup((book_html / "vgg16.html").read_text(encoding="utf-8"), "html.parser")
    link = page.find("a", href=lambda href: bool(href) and href.endswith("vgg16.ipynb"))
    assert link is not None
    notebook = json.loads((book_html / link["href"]).read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and notebook["cells"]


def test_figures_are_images(book_html: Path) -> None:
    page = BeautifulSoup((book_html / "where.html").read_text(encoding="utf-8"), "html.parser")
    images = [img["src"] for img in page.select("figure img")]
    assert len(images) == 2
    for source in images:
        assert (book_html / source).stat().st_size > 10_000


def test_every_image_says_what_it_shows(book_html: Path) -> None:
    """A screen reader, or a broken image, shows the alt text: never a file name (MyST-NB's default)."""
    images = []
    for chapter in chapters():
        page = BeautifulSoup(
            (book_html / f"{chapter.stem}.html").read_text(encoding="utf-8"), "html.parser"
        )
        images += [(chapter.stem, image.get("alt")) for image in page.find_all("img")]
    assert images
    assert [(name, alt) for name, alt in images if not describes_an_image(alt)] == []


def test_every_page_states_the_licences(book_html: Path) -> None:
    for chapter in chapters():
        page = BeautifulSoup(
            (book_html / f"{chapter.stem}.html").read_text(encoding="utf-8"), "html.parser"
        )
        footer = " ".join(page.select_one("footer div.extra_footer").get_text().split())
        assert "prose and figures are licensed under CC BY 4.0" in footer, chapter.stem
        assert "under the MIT licence" in footer, chapter.stem
