"""Every internal link of the built book resolves, anchors included; external links are listed, not fetched.

One file of the published site is not `make book`'s: the PDF, which `make pdf` writes and the
publishing workflow copies beside the pages (tests/test_workflow.py checks the copy, and
tests/test_pdf.py the PDF, where Chromium is installed). A link to it resolves when it names that
file exactly.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tools.print_pdf import PUBLISHED_PDF

LINKING = {"a": "href", "link": "href", "img": "src", "script": "src"}
PUBLISHED = (PUBLISHED_PDF,)
"""The files that the workflow adds to the site's folder, by their path in it."""


def links(page: Path) -> list[str]:
    """Return every link and source of an HTML page, as written."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [
        tag[attribute]
        for name, attribute in LINKING.items()
        for tag in soup.find_all(name)
        if tag.get(attribute)
    ]


def anchors(page: Path) -> set[str]:
    """Return the ids and names a link may point at on an HTML page."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {tag["id"] for tag in soup.find_all(id=True)} | {
        tag["name"] for tag in soup.find_all("a", attrs={"name": True})
    }


def broken_links(html: Path, published: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Return the internal links that resolve to no file or no anchor, and the external links; a
    link to one of the ``published`` paths resolves."""
    broken, external = [], []
    added = {(html / path).resolve() for path in published}
    # _static holds the theme's Jinja macro files, templates rather than pages
    pages = sorted(
        page for page in html.rglob("*.html") if "_static" not in page.relative_to(html).parts
    )
    known_anchors: dict[Path, set[str]] = {}
    for page in pages:
        for link in links(page):
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto") or parts.netloc:
                external.append(f"{page.relative_to(html)}: {link}")
                continue
            if parts.scheme or link.startswith("#") and not parts.fragment:
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() and target not in added:
                broken.append(f"{page.relative_to(html)}: {link} (no file)")
            elif parts.fragment and target.suffix == ".html":
                if target not in known_anchors:
                    known_anchors[target] = anchors(target)
                if unquote(parts.fragment) not in known_anchors[target]:
                    broken.append(f"{page.relative_to(html)}: {link} (no anchor)")
    return broken, external


def test_no_internal_link_is_broken(book_html: Path, artifacts: Path) -> None:
    broken, external = broken_links(book_html, PUBLISHED)
    (artifacts / "external-links.txt").write_text(
        "\n".join(sorted(set(external))) + "\n", encoding="utf-8"
    )
    assert broken == []


def test_the_check_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="missing.html">x</a><a href="#nowhere">y</a><a href="https://example.org">z</a>'
    )
    broken, external = broken_links(tmp_path)
    assert broken == ["index.html: missing.html (no file)", "index.html: #nowhere (no anchor)"]
    assert external == ["index.html: https://example.org"]


def test_a_published_file_resolves_only_under_its_own_name(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text('<a href="book.pdf">x</a><a href="other.pdf">y</a>')
    (tmp_path / "sub" / "page.html").write_text(
        '<a href="../book.pdf">x</a><a href="book.pdf">y</a>'
    )
    broken, _ = broken_links(tmp_path, ("book.pdf",))
    assert broken == ["index.html: other.pdf (no file)", "sub/page.html: book.pdf (no file)"]


def test_the_intro_links_the_pdf(book_html: Path) -> None:
    assert PUBLISHED_PDF in links(book_html / "intro.html")


@pytest.mark.parametrize("page", ["vgg16.html", "api.html"])
def test_pages_link_somewhere(book_html: Path, page: str) -> None:
    assert len(links(book_html / page)) > 10
