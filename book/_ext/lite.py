"""Every chapter live in the reader's browser: a JupyterLite site built with the book.

jupyterlite-sphinx runs ``jupyter lite build`` once the HTML is written, into ``_build/html/lite``.
This extension gives it its inputs and tidies up after it:

- a Lite folder of its own, ``_build/lite/src``, whose ``jupyter-lite.json`` makes the Pyodide
  kernel install cnncount's wheel (built here) as it starts: ``import cnncount`` works at once;
- the Lite contents in ``_build/lite/contents`` rather than in the source tree: each chapter's
  reader's notebook (notebook_download.py writes it), the very file its download button offers;
- under each chapter's title, a "Run this chapter in your browser" link to that notebook;
- the API reference's examples run live (lite_examples.py);
- no request off the book's origin until live code runs: jupyterlite-sphinx's Google font goes;
- no ``.jupyterlite.doit.db`` left in ``book/``, where ``jupyter lite build`` runs, and the
  times of the book's own files as Sphinx wrote them.

Only the site's build (the ``html`` builder) makes the Lite site. Another builder, such as the
single page that `make pdf` prints, gets no live code: no launch link, no wheel, no ``jupyter lite
build``.

Pyodide comes from its CDN, as JupyterLite's kernel has it by default, unless the environment
variable ``CNNCOUNT_PYODIDE`` names a folder made by ``tools/pyodide_offline.py``: the site then
serves Pyodide itself, and only packages outside it (matplotlib) come from the CDN.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from lite_examples import setup_try_examples
from notebook_download import NOTEBOOKS, executed_notebook
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

__all__ = ["LAUNCH_TEXT", "PYODIDE_VARIABLE", "SITE_BUILDER", "lite_url"]

SITE_BUILDER = "html"
"""The builder of the site, the only one that builds the Lite site beside it."""
LITE = "lite"  # jupyterlite-sphinx's output folder in the HTML, fixed by it
LAUNCH_TEXT = "Run this chapter in your browser"
PYODIDE_VARIABLE = "CNNCOUNT_PYODIDE"
DOIT_DB = ".jupyterlite.doit.db"
KERNEL_WHEELS = ("comm==0.2.3",)
"""What the kernel installs as it starts that Pyodide's CDN does not have (0.8.6: comm): served by
the site, or every reader's browser would ask PyPI for it."""


def _work(app: Sphinx) -> Path:
    """Return the Lite build's own folder, ``_build/lite``, beside the HTML."""
    return Path(app.outdir).parent / LITE


def keep_source_clean(app: Sphinx, config: Config) -> None:
    """Point jupyterlite-sphinx's folders into ``_build`` (before its own config-inited handler
    empties the contents folder: an absolute path wins its join with ``book/``)."""
    config.jupyterlite_dir = str(_work(app) / "src")
    config.jupyterlite_content_dir = str(_work(app) / "contents")


def builds_site(app: Sphinx) -> bool:
    """Return whether this build writes the site, and so its Lite site."""
    return app.builder.name == SITE_BUILDER


def skip_lite_build(app: Sphinx) -> None:
    """Keep jupyterlite-sphinx from building a Lite site, which it does for any HTML builder,
    in a build that does not write the site."""
    if builds_site(app):
        return
    from jupyterlite_sphinx.jupyterlite_sphinx import jupyterlite_build

    for listener in list(app.events.listeners["build-finished"]):
        if listener.handler is jupyterlite_build:
            app.disconnect(listener.id)


def prepare_lite_dir(app: Sphinx) -> None:
    """Write the Lite folder: the build's settings, the kernel's, and where Pyodide comes from."""
    if not builds_site(app):
        return
    source = Path(app.config.jupyterlite_dir)
    for folder in (source, Path(app.outdir) / LITE):  # nothing of an older build stays
        shutil.rmtree(folder, ignore_errors=True)
    (source / "pypi").mkdir(parents=True)
    remove_doit_db(app)
    project = _project(Path(app.srcdir))
    epoch = _source_date_epoch(project)
    wheel = _build_wheel(project, _work(app) / "wheel", epoch)
    # The kernel loads it by URL, where a query string is refused: a folder named after its hash
    # keeps a browser from reusing an older build's wheel of the same version.
    url = f"wheels/{hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]}/{wheel.name}"
    app.env.lite_wheel = (str(wheel), url)  # type: ignore[attr-defined]
    pyodide = os.environ.get(PYODIDE_VARIABLE)
    if pyodide:
        _copy_pyodide(Path(pyodide).resolve(), source / "static" / "pyodide")
    else:
        for wheel_file in _download(KERNEL_WHEELS, _work(app) / "downloads"):
            shutil.copyfile(wheel_file, source / "pypi" / wheel_file.name)
    _write_json(source / "jupyter-lite.json", _runtime_settings(url))
    _write_json(source / "jupyter_lite_config.json", _build_settings(_work(app), epoch))


def _runtime_settings(wheel_url: str) -> dict[str, Any]:
    """Return the site's settings: the kernel installs the wheel at ``wheel_url`` as it starts."""
    # The kernel resolves the address from its worker's folder, four levels down the site.
    kernel = {"loadPyodideOptions": {"packages": [f"../../../../{wheel_url}"]}}
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "cnncount",
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": kernel},
        },
    }


def _build_settings(work: Path, epoch: int) -> dict[str, Any]:
    """Return the settings of ``jupyter lite build``."""
    # Of the environment's labextensions, only the kernel's: jupytext's fails to start in the REPL.
    kernel_extension = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite"
    return {
        "LiteBuildConfig": {
            "no_sourcemaps": True,
            "source_date_epoch": epoch,  # the times in the site's indexes
            "cache_dir": str(work / "cache"),
            "ignore_sys_prefix": ["federated_extensions"],
        },
        "FederatedExtensionAddon": {"extra_labextensions_path": [str(kernel_extension)]},
    }


def _copy_pyodide(folder: Path, target: Path) -> None:
    """Copy an offline Pyodide to the kernel's well-known place, which its build serves and points at."""
    missing = [
        name for name in ("pyodide.mjs", "pyodide-lock.json") if not (folder / name).is_file()
    ]
    if missing:  # jupyter lite build would make a site whose kernel cannot start, and say nothing
        msg = f"${PYODIDE_VARIABLE} is {folder}, which has no {' or '.join(missing)}: make it with tools/pyodide_offline.py"
        raise ExtensionError(msg)
    shutil.copytree(folder, target)


def _download(requirements: tuple[str, ...], folder: Path) -> list[Path]:
    """Return the wheels of ``name==version`` requirements, downloaded from PyPI into ``folder`` once."""
    patterns = [requirement.replace("==", "-") + "-*.whl" for requirement in requirements]
    if not all(any(folder.glob(pattern)) for pattern in patterns):
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        _run([*command, "--only-binary=:all:", "--dest", str(folder), *requirements])
    return [next(folder.glob(pattern)) for pattern in patterns]


def _build_wheel(project: Path, folder: Path, epoch: int) -> Path:
    """Build cnncount's wheel into ``folder``, the same bytes on every build of a commit; return it."""
    shutil.rmtree(folder, ignore_errors=True)
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    _run(
        [sys.executable, "-m", "flit_core.wheel", "--outdir", str(folder), str(project)],
        environment,
    )
    (wheel,) = folder.glob("cnncount-*.whl")
    return wheel


def _run(command: list[str], environment: dict[str, str] | None = None) -> None:
    """Run ``command``; a failure is an error that shows its output."""
    result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if result.returncode:
        msg = f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"
        raise ExtensionError(msg)


def _project(folder: Path) -> Path:
    """Return the folder of pyproject.toml, ``folder`` or above it."""
    for candidate in (folder.resolve(), *folder.resolve().parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate
    msg = f"no pyproject.toml in {folder} or above it: the book is built from cnncount's checkout"
    raise ExtensionError(msg)


def _source_date_epoch(project: Path) -> int:
    """Return $SOURCE_DATE_EPOCH, else the time of the last commit, else 1980-01-01 (zip's first day)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(
        ["git", "-C", str(project), "log", "-1", "--format=%ct"],
        capture_output=True,
        text=True,
        check=False,
    )
    return int(result.stdout.strip() or 315532800) if result.returncode == 0 else 315532800


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def lite_url(docname: str) -> str:
    """Return the address, from the page of ``docname``, of its notebook in the Lite site.

    Examples:
        >>> lite_url("vgg16")
        'lite/notebooks/index.html?path=vgg16.ipynb'
    """
    return f"{'../' * docname.count('/')}{LITE}/notebooks/index.html?path={docname}.ipynb"


def add_launch_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put a "Run this chapter in your browser" link under the title of each chapter that is a notebook."""
    if not builds_site(app) or not executed_notebook(app, docname).is_file():
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    link = nodes.reference("", LAUNCH_TEXT, refuri=lite_url(docname), internal=False)
    title = section.first_child_matching_class(nodes.title)
    section.insert(
        0 if title is None else title + 1, nodes.paragraph("", "", link, classes=["lite-launch"])
    )


def copy_reader_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """Put each chapter's reader's notebook in the Lite contents, before jupyterlite-sphinx builds the site.

    They are read from the HTML output, where they stay between builds: an unchanged chapter,
    whose page is not written again, keeps its notebook.
    """
    if exception is not None or not builds_site(app):
        return
    contents = Path(app.config.jupyterlite_content_dir)
    for docname in sorted(app.env.found_docs):
        notebook = Path(app.outdir) / NOTEBOOKS / f"{docname}.ipynb"
        if notebook.is_file() and executed_notebook(app, docname).is_file():
            target = contents / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)


def publish_wheel(app: Sphinx, exception: Exception | None) -> None:
    """Put cnncount's wheel where jupyter-lite.json says, once the Lite build has made its folder."""
    if exception is not None or not builds_site(app) or not hasattr(app.env, "lite_wheel"):
        return
    wheel, url = app.env.lite_wheel
    target = Path(app.outdir) / LITE / url
    target.parent.mkdir(parents=True)
    shutil.copyfile(wheel, target)


def drop_remote_css(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop the stylesheets of other hosts from the page (jupyterlite-sphinx's Google font)."""
    context["css_files"] = [
        css
        for css in context.get("css_files", [])
        if not str(css.filename).startswith(("http://", "https://", "//"))
    ]


class FileTimes:
    """The modification times of the book's own files, kept across the Lite build.

    With a ``source_date_epoch``, ``jupyter lite build`` sets the time of every file under the
    folder of what it copies to that epoch, and its output is inside the HTML: every page would
    seem older than its source, and Sphinx would write each one again on the next build.
    """

    def __init__(self) -> None:
        self.times: dict[Path, tuple[int, int]] = {}

    def keep(self, app: Sphinx, exception: Exception | None) -> None:
        """Note the times of the files of the HTML output outside ``lite/``."""
        outdir = Path(app.outdir)
        self.times = {
            path: (path.stat().st_atime_ns, path.stat().st_mtime_ns)
            for path in outdir.rglob("*")
            if path.is_file() and path.relative_to(outdir).parts[0] != LITE
        }

    def restore(self, app: Sphinx, exception: Exception | None) -> None:
        """Give those files their times back."""
        for path, times in self.times.items():
            os.utime(path, ns=times)


def remove_doit_db(app: Sphinx, exception: Exception | None = None) -> None:
    """Remove the task database ``jupyter lite build`` leaves in ``book/``, its working folder.

    Before the Lite build too: a database that outlives its output makes doit skip tasks (the
    one that points the kernel at the site's Pyodide among them).
    """
    (Path(app.srcdir) / DOIT_DB).unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("jupyterlite_sphinx")
    setup_try_examples(app)
    app.connect("config-inited", keep_source_clean, priority=400)
    app.connect("builder-inited", skip_lite_build)
    app.connect("builder-inited", prepare_lite_dir)
    app.connect("doctree-resolved", add_launch_link)
    app.connect("html-page-context", drop_remote_css, priority=1000)
    app.connect("build-finished", copy_reader_notebooks, priority=400)
    app.connect("build-finished", remove_doit_db, priority=400)
    times = FileTimes()
    app.connect("build-finished", times.keep, priority=450)
    # jupyterlite-sphinx builds the Lite site at priority 500
    app.connect("build-finished", remove_doit_db, priority=600)
    app.connect("build-finished", times.restore, priority=600)
    app.connect("build-finished", publish_wheel, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
