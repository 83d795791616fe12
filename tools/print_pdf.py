"""The whole book as one PDF: `make pdf` runs ``python -m tools.print_pdf``.

Jupyter Book writes the book as one page (``--builder singlehtml``, executed from the execution
cache that `make book` fills), and headless Chromium prints that page to ``_build/pdf/cnncount.pdf``.
The print style sheet, ``book/_static/print.css``, opens the solutions, hides the sidebars and
buttons, fits the figures to the page and starts each chapter on a new page. Before printing,
each animated GIF is replaced by its first frame, so that the print shows the still that the
animation starts from.

Chromium is ``$CNNCOUNT_CHROMIUM``, else ``/usr/bin/chromium`` (tests/chromium.py); Playwright
drives it and never downloads a browser of its own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml

from tests.book import BUILD_OPTIONS
from tests.chromium import CHROMIUM, FLAGS, serve

__all__ = ["FIRST_FRAMES", "PUBLISHED_PDF", "build_single_page", "print_page"]

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
PUBLISHED_PDF = "cnncount.pdf"
"""The PDF's name, in ``_build/pdf`` and in the published site beside ``intro.html``."""

FIRST_FRAMES = """async () => {
  const images = [...document.images].filter(image => /\\.gif(\\?|$)|^data:image\\/gif/i.test(image.src));
  for (const image of images) {
    const data = await (await fetch(image.src)).arrayBuffer();
    const decoder = new ImageDecoder({data, type: "image/gif"});
    const {image: frame} = await decoder.decode({frameIndex: 0});
    const canvas = document.createElement("canvas");
    canvas.width = frame.displayWidth;
    canvas.height = frame.displayHeight;
    canvas.getContext("2d").drawImage(frame, 0, 0);
    frame.close();
    decoder.close();
    image.src = canvas.toDataURL("image/png");
    await image.decode();
  }
  return images.length;
}"""
"""Replace each animated GIF of the page by a PNG of its first frame; return how many there were."""

MATHJAX_TYPESET = "async () => { if (window.MathJax?.startup) await MathJax.startup.promise; }"

FOOTER = (
    '<div style="width: 100%; font-size: 8pt; color: #555; text-align: center;">'
    '<span class="pageNumber"></span></div>'
)


def build_single_page(path_output: Path) -> Path:
    """Build the book as one HTML page under ``path_output``/_build; return that page.

    It is executed from ``path_output``/_build/.jupyter_cache, the cache of `make book`'s build
    into the same folder.
    """
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(BOOK)]
    command += ["--builder", "singlehtml", *BUILD_OPTIONS, "--path-output", str(path_output)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or "build succeeded" not in result.stdout:
        msg = f"the single-page build failed:\n{result.stdout[-4000:]}{result.stderr[-4000:]}"
        raise SystemExit(msg)
    root = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))["root"]
    return path_output / "_build" / "singlehtml" / f"{root}.html"


def print_page(page: Path, pdf: Path) -> int:
    """Print the HTML file ``page`` to ``pdf`` in headless Chromium; return its number of GIFs."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        msg = (
            f"no Chromium at {CHROMIUM}: install chromium, or name a browser in $CNNCOUNT_CHROMIUM"
        )
        raise SystemExit(msg)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    # served, as the site is: a page opened from a file may not fetch its own images
    with serve(page.parent) as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(color_scheme="light")
        tab = context.new_page()
        tab.goto(f"{site}/{page.name}", wait_until="load")
        tab.evaluate(MATHJAX_TYPESET)
        animations = int(tab.evaluate(FIRST_FRAMES))
        tab.pdf(
            path=str(pdf),
            format="A4",
            margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"},
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            outline=True,
            tagged=True,
        )
        browser.close()
    return animations


def main(arguments: list[str] | None = None) -> None:
    """Build the single page and print it: ``--path-output DIR`` writes DIR/_build/pdf/cnncount.pdf."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--path-output", type=Path, default=ROOT, help="as jupyter-book's")
    options = parser.parse_args(arguments)
    page = build_single_page(options.path_output)
    pdf = options.path_output / "_build" / "pdf" / PUBLISHED_PDF
    animations = print_page(page, pdf)
    print(
        f"The book is in {pdf} ({pdf.stat().st_size // 1024} KiB, {animations} animations as their first frame)"
    )


if __name__ == "__main__":
    main()
