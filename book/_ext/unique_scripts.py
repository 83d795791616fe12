"""Drop the second copy of any script a page would load twice.

sphinx-thebe (loaded by Jupyter Book) registers its inline configuration script once per
reading pass, so a page can declare ``const THEBE_JS_URL`` twice: a script error in every page
of the book. This extension keeps the first copy of each script and drops the repeats.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def unique_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep the first of each identical script in the page's script list.

    An inline script's file name is None or "" depending on how it was registered; both mean none.
    """
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in context.get("script_files", []):
        key = (str(script.filename or ""), repr(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
