"""The built book in a real browser: Debian's Chromium, headless, driven by Playwright.

Every page of the table of contents loads with no console error, no request off its own origin,
no broken image and no image without an alt text that says what it shows; the
VGG-16 page shows the regenerated table; the search finds "fc1"; a chapter's .ipynb download
parses. A screenshot of the VGG-16 page is left in test-artifacts/. Skipped, with the reason,
where Playwright or Chromium is missing (`.ci/run` installs Chromium).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cnncount.published import breakdown_section as section
from tests.book import chapters, describes_an_image
from tests.chromium import CHROMIUM, FLAGS, MISSING, serve

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install playwright"
)

if not CHROMIUM.exists():
    pytest.skip(MISSING, allow_module_level=True)


@pytest.fixture(scope="module")
def site(book_html: Path) -> Iterator[str]:
    """Serve the built book on a free port of localhost; yield its address."""
    with serve(book_html) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def open_page(browser, url: str) -> tuple[object, list[str]]:
    """Open ``url`` in a fresh page; return the page and the list its console errors go to, and
    any request it makes off its own origin."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    origin = urlsplit(url).netloc
    page.on(
        "request",
        lambda request: (
            errors.append(f"off the origin: {request.url}")
            if urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).netloc != origin
            else None
        ),
    )
    page.goto(url, wait_until="networkidle")
    return page, errors


@pytest.mark.parametrize("chapter", [path.stem for path in chapters()])
def test_page_loads_without_console_errors_or_broken_images(
    browser, site: str, chapter: str
) -> None:
    page, errors = open_page(browser, f"{site}/{chapter}.html")
    images = page.eval_on_selector_all(
        "img", "images => images.map(image => [image.src, image.naturalWidth, image.alt])"
    )
    page.close()
    assert errors == []
    assert all(width > 0 for _, width, _ in images), images
    assert [source for source, _, alt in images if not describes_an_image(alt)] == []


def test_vgg16_page_shows_the_regenerated_table(browser, site: str, artifacts: Path) -> None:
    page, errors = open_page(browser, f"{site}/vgg16.html")
    outputs = page.locator("div.cell_output pre").all_inner_texts()
    page.screenshot(path=str(artifacts / "vgg16.png"), full_page=True)
    page.close()
    table = next(text for text in outputs if text.startswith("INPUT:"))
    assert table.splitlines() == section("INPUT:", "FC:")
    assert errors == []


def test_search_finds_fc1(browser, site: str) -> None:
    page, errors = open_page(browser, f"{site}/search.html?q=fc1")
    page.wait_for_selector("ul.search li", timeout=15_000)
    results = page.locator("ul.search li").all_inner_texts()
    page.close()
    assert results and any(
        "fully connected" in result.lower() or "fc1" in result for result in results
    )
    assert errors == []


def test_notebook_download_parses(browser, site: str) -> None:
    page, _ = open_page(browser, f"{site}/vgg16.html")
    href = page.locator("a[href$='.ipynb']").first.get_attribute("href")
    response = page.request.get(f"{site}/{href}")
    assert response.ok
    notebook = json.loads(response.text())
    page.close()
    assert notebook["nbformat"] == 4 and any(
        cell["cell_type"] == "code" for cell in notebook["cells"]
    )
