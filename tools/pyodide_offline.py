"""Lay out Pyodide for the book's live code to run with no network: its core, the kernel's wheels, a lock.

Usage, with the project's interpreter (``make book-offline`` runs it)::

    .venv/bin/python tools/pyodide_offline.py OUT [--npm PATH]

OUT gets the core of the Pyodide that the installed JupyterLite kernel expects, from the npm
package ``pyodide`` (``npm pack``); the pure-Python wheels the kernel installs as it starts, from
PyPI (``pip download``); and a ``pyodide-lock.json`` that lists them with their own sha256, since
Pyodide checks each wheel it loads against its lock and PyPI's files are not Pyodide's. The lock
keeps Pyodide's other packages (numpy, matplotlib...) at their address on Pyodide's CDN: where
the reader is online, a cell that imports one still gets it. ``CNNCOUNT_PYODIDE=OUT`` then makes
the book's build serve this Pyodide (book/_ext/lite.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
"""The files of the npm package that a browser loads (not its source maps, typings or demos)."""

KERNEL_NEEDS = ("micropip", "ipython", "jedi", "comm")
"""What jupyterlite-pyodide-kernel 0.8 installs as it starts, besides the wheels it ships."""

NOT_IN_PYODIDE = {"comm": {"version": "0.2.3", "depends": [], "imports": ["comm"]}}
"""What the kernel needs that Pyodide's lock does not list, pinned."""

PLAIN = {"install_dir": "site", "package_type": "package"}
"""The rest of a lock entry for a wheel that Pyodide's lock does not list."""


def normalize(name: str) -> str:
    """Return a package's normalized name (PEP 503), as Pyodide's lock keys it.

    Examples:
        >>> normalize("prompt_toolkit"), normalize("Stack.Data")
        ('prompt-toolkit', 'stack-data')
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def kernel_pyodide_version() -> str:
    """Return the version of Pyodide that the installed jupyterlite-pyodide-kernel expects."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    return str(PYODIDE_VERSION)


def npm_core(version: str, npm: str, folder: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Return the core files of the npm package ``pyodide@version``, and its lock."""
    run([npm, "pack", f"pyodide@{version}", "--pack-destination", str(folder), "--silent"])
    (tarball,) = folder.glob("pyodide-*.tgz")
    files = {}
    with tarfile.open(tarball) as archive:
        for name in (*CORE, "pyodide-lock.json"):
            member = archive.extractfile(f"package/{name}")
            if member is None:
                msg = f"{tarball.name} has no {name}"
                raise FileNotFoundError(msg)
            files[name] = member.read()
    return files, json.loads(files.pop("pyodide-lock.json"))


def needed(lock: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the lock entries of what the kernel needs and of their dependencies, by normalized name."""
    entries = {normalize(key): entry for key, entry in lock["packages"].items()}
    entries.update({name: {"name": name, **entry} for name, entry in NOT_IN_PYODIDE.items()})
    found: dict[str, dict[str, Any]] = {}
    todo = list(KERNEL_NEEDS)
    while todo:
        name = normalize(todo.pop())
        if name not in found:
            found[name] = entries[name]
            todo.extend(found[name]["depends"])
    return found


def pip_download(pins: dict[str, str], python: str, folder: Path) -> dict[str, Path]:
    """Download the pure-Python wheels ``name==version`` for Pyodide's Python; return them by name."""
    requirements = [f"{name}=={version}" for name, version in sorted(pins.items())]
    target = ["--implementation", "py", "--platform", "any", "--python-version", python]
    options = ["--quiet", "--no-deps", "--only-binary=:all:", *target, "--dest", str(folder)]
    run([sys.executable, "-m", "pip", "download", *options, *requirements])
    return {normalize(wheel.name.split("-")[0]): wheel for wheel in folder.glob("*.whl")}


def run(command: list[str]) -> None:
    """Run ``command``; stop with its output if it fails."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def provision(out: Path, npm: str) -> dict[str, Any]:
    """Write the offline Pyodide into ``out`` (replacing it); return its lock."""
    version = kernel_pyodide_version()
    with tempfile.TemporaryDirectory() as scratch:
        core, lock = npm_core(version, npm, Path(scratch))
        entries = needed(lock)
        python = ".".join(lock["info"]["python"].split(".")[:2])
        wheels = pip_download(
            {name: entry["version"] for name, entry in entries.items()}, python, Path(scratch)
        )
        missing = sorted(set(entries) - set(wheels))
        if missing:
            raise SystemExit(f"pip download brought no wheel of {missing}")
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        for name, data in core.items():
            (out / name).write_bytes(data)
        cdn = f"https://cdn.jsdelivr.net/pyodide/v{version}/full/"
        packages = {
            normalize(key): entry | {"file_name": cdn + entry["file_name"]}
            for key, entry in lock["packages"].items()
        }
        for name, entry in entries.items():
            shutil.copyfile(wheels[name], out / wheels[name].name)
            served = {
                "file_name": wheels[name].name,
                "sha256": sha256(out / wheels[name].name),
                "unvendored_tests": False,  # no -tests package is served
            }
            packages[name] = {**packages.get(name, PLAIN), **entry, **served}
    lock = {"info": lock["info"], "packages": dict(sorted(packages.items()))}
    (out / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n", encoding="utf-8")
    return lock


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write, e.g. _build/pyodide")
    parser.add_argument("--npm", default="npm", help="the npm command (default: npm)")
    arguments = parser.parse_args(argv)
    if shutil.which(arguments.npm) is None:
        parser.error(f"npm is not installed ({arguments.npm!r}): apt-get install npm")
    lock = provision(arguments.out, arguments.npm)
    served = [entry for entry in lock["packages"].values() if "://" not in entry["file_name"]]
    size = sum(path.stat().st_size for path in arguments.out.iterdir())
    print(
        f"Pyodide {kernel_pyodide_version()} in {arguments.out}: {size / 1e6:.1f} MB, {len(served)} wheels served"
    )


if __name__ == "__main__":
    main()
