"""The book as one PDF, as `make pdf` writes it (tools/print_pdf.py), printed by headless Chromium.

The PDF builds from the test's own build of the book, executed from its cache. It holds every
chapter's title and each solution's text, open. An animated GIF prints as its first frame.
Skipped, with the reason, where Playwright, Chromium or pypdf is missing.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.book import chapters
from tests.chromium import CHROMIUM, FLAGS, MISSING, serve
from tools.print_pdf import FIRST_FRAMES, PUBLISHED_PDF, ROOT

pytestmark = pytest.mark.slow  # a browser, or the whole book printed: `make test`, not `make check`

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install playwright"
)
pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed: pip install pypdf")

if not CHROMIUM.exists():
    pytest.skip(MISSING, allow_module_level=True)


@pytest.fixture(scope="module")
def pdf(book_html: Path) -> Path:
    """Run `make pdf`'s command on the test's build of the book; return the PDF it writes."""
    path_output = book_html.parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "tools.print_pdf", "--path-output", str(path_output)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return path_output / "_build" / "pdf" / PUBLISHED_PDF


@pytest.fixture(scope="module")
def text(pdf: Path) -> str:
    """Return the PDF's text, with every run of white space made one space."""
    reader = pypdf.PdfReader(pdf)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def squeeze(words: str) -> str:
    """Return ``words`` without white space: a PDF's text breaks lines where the page did.

    Examples:
        >>> squeeze("A convolution’s\\n parameters")
        'Aconvolution’sparameters'
    """
    return re.sub(r"\s+", "", words)


def page_titles(book_html: Path) -> list[str]:
    """Return the title of each chapter's page in the built book, in the table of contents' order."""
    titles = []
    for chapter in chapters():
        soup = BeautifulSoup(
            (book_html / f"{chapter.stem}.html").read_text(encoding="utf-8"), "html.parser"
        )
        heading = soup.select_one("main h1")
        assert heading is not None, chapter
        titles.append(heading.get_text().rstrip("#").strip())
    return titles


def outline(reader: pypdf.PdfReader) -> list[tuple[str, int]]:
    """Return the PDF's bookmarks, nested ones included, as (title without white space, page index)."""

    def flatten(items: list[object]) -> list[object]:
        return [
            entry
            for item in items
            for entry in (flatten(item) if isinstance(item, list) else [item])
        ]

    return [
        (squeeze(item.title), reader.get_destination_page_number(item))
        for item in flatten(reader.outline)
    ]


def test_each_chapter_starts_a_page_of_its_own_in_order(book_html: Path, pdf: Path) -> None:
    """The outline has every chapter, each on a page of its own in the table of contents' order,
    and the page it points at shows that chapter's title."""
    titles = page_titles(book_html)
    assert len(titles) == len(chapters()) > 10
    reader = pypdf.PdfReader(pdf)
    bookmarks = outline(reader)
    pages = [
        next((page for name, page in bookmarks if name.startswith(squeeze(title))), -1)
        for title in titles
    ]
    assert -1 not in pages, dict(zip(titles, pages))
    assert pages == sorted(set(pages)), dict(zip(titles, pages))
    missing = [
        title
        for title, page in zip(titles, pages)
        if squeeze(title) not in squeeze(reader.pages[page].extract_text())
    ]
    assert missing == []


def words_only(text: str) -> str:
    """Return ``text`` with each run of anything but letters and spaces made a bar, and ligatures
    (a PDF's "ﬁ") made letters.

    Examples:
        >>> words_only("The ﬁlter has 363 weights,\\n so the layer")
        'The filter has | weights | so the layer'
    """
    runs = re.sub(r"[^A-Za-z’' ]+", " | ", unicodedata.normalize("NFKC", text).replace("\n", " "))
    return " ".join(runs.split())


def test_every_solution_prints_open(book_html: Path, text: str) -> None:
    """The longest run of plain words of each solution, math and numbers aside, is in the PDF's
    text: no solution printed closed."""
    phrases = []
    for chapter in chapters():
        html = (book_html / f"{chapter.stem}.html").read_text(encoding="utf-8")
        for solution in BeautifulSoup(html, "html.parser").select("div.solution section"):
            for part in solution.select(".math, .admonition-title"):  # a nested box's title
                part.replace_with(" | ")  # is its own line in print
            runs = (run.strip() for run in words_only(solution.get_text(" ")).split("|"))
            phrases.append(max(runs, key=len))
    assert len(phrases) > 10
    printed = words_only(text)
    assert [phrase for phrase in phrases if phrase not in printed] == []


def test_an_animation_prints_as_its_first_frame(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image", reason="Pillow is not installed: pip install pillow")
    frames = [image.new("RGB", (8, 8), colour) for colour in ("red", "blue", "blue")]
    frames[0].save(
        tmp_path / "slide.gif", save_all=True, append_images=frames[1:], duration=50, loop=0
    )
    (tmp_path / "page.html").write_text(
        '<img src="slide.gif" alt="A window sliding.">', encoding="utf-8"
    )
    with serve(tmp_path) as site, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.goto(f"{site}/page.html", wait_until="load")
        page.wait_for_timeout(300)  # the animation has moved on to blue
        assert page.evaluate(FIRST_FRAMES) == 1
        pixel = page.evaluate(
            """() => { const image = document.images[0], canvas = document.createElement("canvas");
            canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
            const context = canvas.getContext("2d"); context.drawImage(image, 0, 0);
            return [image.src.slice(0, 22), [...context.getImageData(4, 4, 1, 1).data]]; }"""
        )
        browser.close()
    assert pixel == ["data:image/png;base64,", [255, 0, 0, 255]]
