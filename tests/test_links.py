"""Every internal link of the built book resolves, anchors included; external links are listed, not fetched."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

LINKING = {"a": "href", "link": "href", "img": "src", "script": "src"}


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


def broken_links(html: Path) -> tuple[list[str], list[str]]:
    """Return the internal links that resolve to no file or no anchor, and the external links."""
    broken, external = [], []
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
            if not target.is_file():
                broken.append(f"{page.relative_to(html)}: {link} (no file)")
            elif parts.fragment and target.suffix == ".html":
                if target not in known_anchors:
                    known_anchors[target] = anchors(target)
                if unquote(parts.fragment) not in known_anchors[target]:
                    broken.append(f"{page.relative_to(html)}: {link} (no anchor)")
    return broken, external


def test_no_internal_link_is_broken(book_html: Path, artifacts: Path) -> None:
    broken, external = broken_links(book_html)
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


@pytest.mark.parametrize("page", ["vgg16.html", "api.html"])
def test_pages_link_somewhere(book_html: Path, page: str) -> None:
    assert len(links(book_html / page)) > 10
