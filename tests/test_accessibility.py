"""Every page of the built book passes axe-core's WCAG 2 A and AA rules, in the light and the dark theme.

axe-core comes from npm, installed into a temporary folder. Chromium loads each page of the book
served on 127.0.0.1, in the theme that the theme's switch would keep: ``mode`` and ``theme`` in
localStorage, which the page reads before it draws. Once the page has settled, axe runs, and any
serious or critical violation fails the test, listed by page, theme, rule and target. Skipped,
with the reason, where Playwright, Chromium or npm is missing.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.book import NPM, NPM_MISSING, has_npm
from tests.chromium import CHROMIUM, FLAGS, MISSING, serve

pytestmark = pytest.mark.slow  # a browser, or the whole book printed: `make test`, not `make check`

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install playwright"
)

if not CHROMIUM.exists():
    pytest.skip(MISSING, allow_module_level=True)
if not has_npm():
    pytest.skip(NPM_MISSING, allow_module_level=True)

AXE = "axe-core@4.14.1"
"""Pinned, so that a new release of its rules cannot fail an unchanged book."""
THEMES = ("light", "dark")
FAILING = ("serious", "critical")
TAGS = ["wcag2a", "wcag2aa"]

SETTLED = """() => new Promise(resolve => {
  let timer;
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 1000); });
  const done = () => { observer.disconnect(); resolve(); };
  observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true});
  timer = setTimeout(done, 1000);
})"""
"""Wait until the page has not changed for a second: the theme marks scrollable code as
focusable 300 ms after the page's scripts last change it."""

RUN_AXE = """async tags => (await axe.run(document, {
  runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
})).violations.map(rule => ({
  id: rule.id, impact: rule.impact, targets: rule.nodes.map(node => node.target.join(" ")),
}))"""


@pytest.fixture(scope="module")
def axe(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Install axe-core from npm into a temporary folder; return its script."""
    folder = tmp_path_factory.mktemp("axe")
    result = subprocess.run(
        [NPM, "install", "--prefix", str(folder), "--no-audit", "--no-fund", AXE],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return (folder / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def violations(browser, axe: str, site: str, pages: list[str], theme: str) -> list[str]:
    """Return each serious or critical violation on ``pages`` of ``site`` in ``theme``, as
    ``page (theme): rule impact at target``."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.add_init_script(
        f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
    )
    found = []
    for page_name in pages:
        page = context.new_page()
        page.goto(f"{site}/{page_name}", wait_until="networkidle")
        assert page.evaluate("document.documentElement.dataset.theme") == theme, page_name
        page.evaluate(SETTLED)
        page.add_script_tag(content=axe)
        for rule in page.evaluate(RUN_AXE, TAGS):
            if rule["impact"] in FAILING:
                found += [
                    f"{page_name} ({theme}): {rule['id']} {rule['impact']} at {target}"
                    for target in rule["targets"]
                ]
        page.close()
    context.close()
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_no_page_has_a_serious_violation(book_html: Path, browser, axe: str, theme: str) -> None:
    pages = sorted(path.name for path in book_html.glob("*.html") if path.name != "index.html")
    assert {"intro.html", "references.html", "api.html", "search.html"} <= set(pages)
    with serve(book_html) as site:
        assert violations(browser, axe, site, pages, theme) == []


def test_the_check_finds_a_violation(tmp_path: Path, browser, axe: str) -> None:
    (tmp_path / "page.html").write_text(
        '<!DOCTYPE html><html lang="en" data-theme="light"><title>x</title><main>'
        '<p style="color: #aaa; background: #fff">Pale text.</p>'
        '<div role="list"><div role="doc-biblioentry">An entry.</div></div></main></html>',
        encoding="utf-8",
    )
    with serve(tmp_path) as site:
        found = violations(browser, axe, site, ["page.html"], "light")
    assert sorted(found) == [
        'page.html (light): aria-required-children critical at div[role="list"]',
        "page.html (light): color-contrast serious at p",
    ]
