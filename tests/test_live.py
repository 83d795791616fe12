"""The book's live code: chapters and an API example run in JupyterLite, in Chromium, offline.

The book is built with Pyodide in the site, as `make book-offline` builds it (the session fixture
``book_html`` does so where npm is installed), and served on 127.0.0.1. Chromium resolves no
other host, and a request anywhere else is aborted and fails the test. For two chapters and one
example of the API reference, the test opens the live version from the page, runs its cells in
the browser and checks that their outputs are the ones the page shows. What it measures (the
kernel's cold start, the time to the first output) goes to test-artifacts/live-timings.json,
with a screenshot of each notebook. Skipped, with the reason, where Playwright, Chromium or npm
is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jupyterlite_pyodide_kernel.constants import PYODIDE_CDN_URL

from tests.book import NPM_MISSING, has_npm
from tests.chromium import CHROMIUM, FLAGS, MISSING, serve

_WANTED = {
    "Playwright is not installed: pip install playwright": importlib.util.find_spec("playwright"),
    MISSING: CHROMIUM.exists(),
    NPM_MISSING: has_npm(),
}
if not all(_WANTED.values()):
    pytest.skip(
        "; ".join(reason for reason, found in _WANTED.items() if not found), allow_module_level=True
    )
sync_api = importlib.import_module("playwright.sync_api")

OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
"""No host name resolves but 127.0.0.1's, for the page and its workers alike."""

OUTPUT = ".jp-OutputArea-output"
FAILED = f"{OUTPUT}[data-mime-type='application/vnd.jupyter.stderr'], {OUTPUT}[data-mime-type='application/vnd.jupyter.error']"
KERNEL_READY = ".jp-KernelStatus-success"
"""The toolbar says the notebook's kernel has started."""

ALL_RUN = ".jp-Notebook-ExecutionIndicator[data-status='idle'] [aria-valuenow='100']"
"""Every cell scheduled has run."""

SHOWN = """([expected, failed]) => {
    const outputs = [...document.querySelectorAll('.jp-OutputArea-output')].map(e => e.textContent.trim());
    return document.querySelector(failed) !== null || expected.every(text => outputs.includes(text));
}"""

timings: dict[str, float] = {}


@pytest.fixture(scope="module")
def site(book_html: Path, artifacts: Path) -> Iterator[str]:
    """Serve the built book, with its own Pyodide, on 127.0.0.1; yield its address."""
    assert (book_html / "lite" / "static" / "pyodide" / "pyodide.mjs").is_file()
    with serve(book_html) as address:
        yield address
    (artifacts / "live-timings.json").write_text(json.dumps(timings, indent=1) + "\n")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*FLAGS, OFFLINE])
        yield chromium
        chromium.close()


@pytest.fixture
def offline(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """Yield a page in a fresh context (nothing cached: a cold kernel) and the list of the
    requests it made off 127.0.0.1, each aborted."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    elsewhere: list[str] = []

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    yield context.new_page(), elsewhere
    context.close()


def run_all(frame: Any, expected: list[str], name: str, clicked: float) -> list[str]:
    """Run every cell of the notebook in ``frame`` once its kernel has started; return the text of
    its outputs. The notebook's saved outputs are cleared first: what is read was computed here."""
    frame.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    shown = time.monotonic()
    frame.wait_for_selector(KERNEL_READY, timeout=180_000)
    timings[f"{name}: kernel's cold start, notebook shown to kernel ready, s"] = round(
        time.monotonic() - shown, 1
    )
    menu(frame, "Edit", "Clear Outputs of All Cells")
    assert frame.locator(OUTPUT).count() == 0
    menu(frame, "Run", "Run All Cells")
    frame.wait_for_selector(OUTPUT, timeout=180_000)
    timings[f"{name}: click to the first output, s"] = round(time.monotonic() - clicked, 1)
    frame.wait_for_function(SHOWN, arg=[expected, FAILED], timeout=180_000, polling=250)
    frame.wait_for_selector(ALL_RUN, timeout=180_000)
    timings[f"{name}: click to every cell run, s"] = round(time.monotonic() - clicked, 1)
    assert frame.locator(FAILED).all_text_contents() == []
    return [text.strip() for text in frame.locator(OUTPUT).all_text_contents()]


def menu(frame: Any, menu: str, item: str) -> None:
    """Choose ``item`` from the menu bar's ``menu``."""
    frame.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    frame.locator(".lm-Menu-itemLabel", has_text=item).first.click()


@pytest.mark.parametrize(
    ("chapter", "figure"), [("intro", "138,357,544"), ("papers", "3,644,493,824")]
)
def test_chapter_runs_live_with_the_outputs_of_its_page(
    offline: tuple[Any, list[str]], site: str, artifacts: Path, chapter: str, figure: str
) -> None:
    """Two chapters that draw nothing run live offline and print what their pages print (a chapter
    that draws needs matplotlib from Pyodide's CDN: the test below)."""
    page, elsewhere = offline
    page.goto(f"{site}/{chapter}.html")
    static = [text.strip() for text in page.locator("div.cell_output pre").all_text_contents()]
    shown = page.locator("div.cell_output").all_inner_texts()  # text and tables
    assert any(figure in text for text in shown)
    assert page.locator("div.cell_output img").count() == 0
    link = page.locator("p.lite-launch a")
    assert link.inner_text() == "Run this chapter in your browser"
    clicked = time.monotonic()
    link.click()
    live = run_all(page, static, chapter, clicked)
    page.screenshot(path=str(artifacts / f"live-{chapter}.png"))
    assert f"path={chapter}.ipynb" in page.url
    assert [text for text in static if text not in live] == []
    assert elsewhere == []


def test_a_summary_shows_live_as_the_html_table_of_its_page(
    offline: tuple[Any, list[str]], site: str, artifacts: Path
) -> None:
    """The introduction's cell that shows VGG-16's summary (its totals) renders, run in the
    browser, as an HTML table with the headings and cells of the page's table."""
    page, elsewhere = offline
    page.goto(f"{site}/intro.html")
    headings = page.locator("div.cell_output table th").all_inner_texts()
    cells = page.locator("div.cell_output table td").all_inner_texts()
    assert "params" in headings and "138,357,544" in cells
    clicked = time.monotonic()
    page.locator("p.lite-launch a").click()
    run_all(page, [], "intro's table", clicked)
    table = page.locator(f"{OUTPUT}[data-mime-type='text/html'] table")
    table.first.wait_for(timeout=60_000)
    page.screenshot(path=str(artifacts / "live-table.png"))
    assert table.locator("th").all_inner_texts() == headings
    assert table.locator("td").all_inner_texts() == cells
    assert elsewhere == []


def test_api_example_runs_live_with_the_output_of_its_docstring(
    offline: tuple[Any, list[str]], site: str, artifacts: Path
) -> None:
    page, elsewhere = offline
    page.goto(f"{site}/api.html")
    example = page.locator(".try_examples_outer_container", has_text="(22, 138357544, 15237608)")
    expected = [text.strip() for text in example.locator(".go").all_text_contents()]
    assert expected[0] == "(22, 138357544, 15237608)"
    clicked = time.monotonic()
    example.get_by_role("button", name="Try it in your browser").click()
    frame = page.locator(".try_examples_outer_iframe:not(.hidden) iframe").element_handle()
    first = expected[:1]  # the later outputs show as HTML tables live, as rich display does
    live = run_all(frame.content_frame(), first, "API example", clicked)
    page.screenshot(path=str(artifacts / "live-api.png"))
    assert first[0] in live
    assert elsewhere == []


def test_offline_a_figure_stops_where_it_asks_pyodides_cdn_for_matplotlib(
    offline: tuple[Any, list[str]], site: str
) -> None:
    """The cells before a chapter's first figure run; the figure's asks Pyodide's CDN for
    matplotlib, as an online reader's browser does, and here stops with the error a reader sees."""
    page, elsewhere = offline
    page.goto(f"{site}/lite/notebooks/index.html?path=where.ipynb")
    page.wait_for_selector(KERNEL_READY, timeout=180_000)
    menu(page, "Run", "Run All Cells")
    page.wait_for_selector(FAILED, timeout=180_000)
    assert "No module named 'matplotlib'" in page.locator(FAILED).first.text_content()
    cdn = f"{PYODIDE_CDN_URL}/"
    assert elsewhere and [url for url in elsewhere if not url.startswith(cdn)] == []
    assert any(url.startswith(f"{cdn}matplotlib-") for url in elsewhere)
