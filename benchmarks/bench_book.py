"""Print how long the book takes to build: cold, rebuilt from the execution cache, and unexecuted.

Run with the project's interpreter: ``.venv/bin/python benchmarks/bench_book.py``. Each build
goes to a fresh folder under a temporary directory, never to the project's ``_build``.

- cold: an empty output folder, so every chapter is executed (the README's ``make book`` on a
  fresh clone), the live site (JupyterLite, Pyodide from its CDN) included; the size that site
  adds to ``_build/html`` is printed with it;
- cold, without the live site: the same with book/_ext/lite.py left out, for the time it adds;
- cached rebuild: every page read and written again (``--all``), with the notebooks served
  from the execution cache of the cold build;
- no execution: a cold build with ``execute_notebooks: off``, the cost of Sphinx alone. Its
  glued figures are missing, so it is built without ``--warningiserror``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")


def build(output: Path, *options: str) -> float:
    """Build the book into ``output`` and return the wall seconds; a failed build stops the script."""
    command = [JUPYTER_BOOK, "build", str(ROOT / "book"), "--path-output", str(output), *options]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(
            f"build failed: {' '.join(command)}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return elapsed


def config_copy(folder: Path, *, execute: bool = True, lite: bool = True) -> Path:
    """Write a copy of _config.yml into ``folder``, its local extensions made absolute, with
    execution off or without the live site; return its path."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if not execute:
        config["execute"]["execute_notebooks"] = "off"
    extensions = config["sphinx"]["local_extensions"]
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in extensions.items() if lite or name != "lite"
    }
    if not lite:  # jupyterlite-sphinx's settings, unknown without it
        for name in ("global_enable_try_examples", "try_examples_global_button_text"):
            config["sphinx"]["config"].pop(name)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "_config.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def megabytes(folder: Path) -> float:
    """Return the size of the files under ``folder``, in MB (10^6 bytes)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        cold = build(folder / "book", "--warningiserror", "--nitpick")
        html = folder / "book" / "_build" / "html"
        site, live = megabytes(html), megabytes(html / "lite")
        cached = build(folder / "book", "--warningiserror", "--nitpick", "--all")
        without = config_copy(folder / "without-lite", lite=False)
        unlive = build(folder / "unlive", "--warningiserror", "--nitpick", "--config", str(without))
        bare = build(folder / "bare", "--config", str(config_copy(folder, execute=False)))
    print("book build (wall time)")
    print(
        f"  cold, every chapter executed   {cold:6.1f} s   (target: under 90 s, the live site included)"
    )
    print(
        f"  cold, without the live site    {unlive:6.1f} s   (the live site adds {cold - unlive:.1f} s)"
    )
    print(f"  cached rebuild, every page     {cached:6.1f} s")
    print(
        f"  no execution                   {bare:6.1f} s   (Sphinx alone, the live site included)"
    )
    print(f"_build/html: {site:.1f} MB, of which the live site (lite/) {live:.1f} MB")


if __name__ == "__main__":
    main()
