"""What a reader does with the package: a fresh venv with the wheel, and a downloaded notebook run in it.

The fixtures ``wheel`` and ``reader_venv`` (tests/conftest.py) build these once per session.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).parent.parent
READER_KERNEL = "cnncount-reader"
"""The kernel of the reader's venv, installed there under its own name so that no other Python answers."""

MYST_LEFTOVERS = re.compile(
    r"\{(glue|numref|doc|ref|cite)|```\{|:::\{|\{[a-z][\w:.-]*\}`|^\([^()\s]+\)=\s*$", re.MULTILINE
)
"""MyST that Jupyter shows as typed: its roles, directives and targets."""


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``command``; fail the test with its output if it fails."""
    result = subprocess.run(
        [str(word) for word in command], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )
    return result


def build_wheel(folder: Path) -> Path:
    """Build the package's wheel from the checkout into ``folder``, as pip does for an install; return it."""
    run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "--wheel-dir", folder)
    (wheel,) = folder.glob("cnncount-*.whl")
    return wheel


def make_reader_venv(venv: Path, wheel: Path) -> Path:
    """Make a venv at ``venv`` with what a reader installs: ``wheel`` with its notebooks extra, nbclient and
    ipykernel; register its kernel as ``READER_KERNEL``; return ``venv``."""
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", f"{wheel}[notebooks]", "nbclient", "ipykernel")
    run(python, "-m", "ipykernel", "install", "--prefix", venv, "--name", READER_KERNEL)
    return venv


def execute(notebook: Path, venv: Path) -> Any:
    """Run every cell of ``notebook`` in the kernel of ``venv``, from the notebook's folder; return the
    executed notebook. Raises CellExecutionError, naming the cell, on the first error."""
    kernels = KernelSpecManager(
        kernel_dirs=[str(venv / "share" / "jupyter" / "kernels")], ensure_native_kernel=False
    )
    kernel = AsyncKernelManager(kernel_name=READER_KERNEL, kernel_spec_manager=kernels)
    executed = nbformat.read(notebook, as_version=4)
    NotebookClient(
        executed, km=kernel, timeout=300, resources={"metadata": {"path": str(notebook.parent)}}
    ).execute()
    return executed


def myst_leftovers(notebook: Any) -> list[str]:
    """Return the MyST roles, directives and targets left in the Markdown cells of ``notebook``.

    Examples:
        >>> cells = [{"cell_type": "markdown", "source": "{glue:text}`n` and ```{note}"}, {"cell_type": "code", "source": "{ref}`x`"}]
        >>> myst_leftovers({"cells": cells})
        ['{glue', '```{']
    """
    sources = [
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    ]
    return [match.group(0) for source in sources for match in MYST_LEFTOVERS.finditer(source)]
