"""Resolve the MyST roles of a chapter's Markdown to what its page shows, in plain Markdown.

Jupyter renders Markdown, not MyST: ``{glue:text}`params:,``` would reach a reader as typed.
`resolve_roles` replaces each role with the text or the link that the page shows, taken from a
`References`: the values the chapter glued, and the pages, labels and citations of the book.
Inline code is left as written. A role it cannot resolve is an error that names it.
"""

from __future__ import annotations

import ast
import base64
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["References", "Target", "format_glued", "glued_markdown", "resolve_roles"]


@dataclass(frozen=True)
class Target:
    """What a reference can point at: a page, a section, a figure or an exercise.

    ``href`` is relative to the folder that holds the reader's notebooks; ``title`` is what
    ``{ref}`` and ``{doc}`` show; ``number`` and ``number_format`` are what ``{numref}`` shows,
    for what Sphinx numbered (``"2"`` and ``"Fig. %s"``).

    Examples:
        >>> Target("where.ipynb#fig-cumulative", "Running share", "3", "Fig. %s").numbered
        'Fig. 3'
    """

    href: str
    title: str = ""
    number: str = ""
    number_format: str = ""

    @property
    def numbered(self) -> str:
        """Return the target as ``{numref}`` shows it by default: ``'Fig. 3'``, or ``''`` if unnumbered."""
        return self.number_format.replace("%s", self.number) if self.number else ""


@dataclass(frozen=True)
class References:
    """What the roles of one chapter resolve to.

    ``docname`` is the chapter (``"where"``); ``glued`` maps each name it glued to the glue
    output (``{"data": {mime type: content}, "metadata": ...}``); ``documents`` and ``labels``
    map the book's pages and labels to targets; ``citations`` maps a bibliography key to its
    label; ``exercises`` are the chapter's exercise numbers in order (``"Exercise 1"``).
    """

    docname: str
    glued: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    documents: Mapping[str, Target] = field(default_factory=dict)
    labels: Mapping[str, Target] = field(default_factory=dict)
    citations: Mapping[str, str] = field(default_factory=dict)
    exercises: Sequence[str] = ()

    def href(self, target: Target) -> str:
        """Return the link from this chapter's notebook to ``target``.

        Examples:
            >>> here = References("where")
            >>> here.href(Target("where.ipynb#fig-cumulative")), here.href(Target("../api.html"))
            ('#fig-cumulative', '../api.html')
        """
        path, _, fragment = target.href.partition("#")
        if "://" in path:
            return target.href
        if path == f"{self.docname}.ipynb" and fragment:
            return f"#{fragment}"
        relative = posixpath.relpath(path, posixpath.dirname(self.docname) or ".")
        return f"{relative}#{fragment}" if fragment else relative

    def glue(self, key: str) -> Mapping[str, Any]:
        """Return the glue output named ``key``; an error names the chapter if there is none.

        Examples:
            >>> References("where").glue("params")
            Traceback (most recent call last):
            ...
            ValueError: where: nothing was glued as 'params'
        """
        if "::" in key:
            msg = (
                f"{self.docname}: {key!r} glues from another chapter, which a notebook cannot show"
            )
            raise ValueError(msg)
        if key not in self.glued:
            msg = f"{self.docname}: nothing was glued as {key!r}"
            raise ValueError(msg)
        return self.glued[key]

    def label(self, name: str) -> Target:
        """Return the target of a label (labels are case-insensitive, as in Sphinx)."""
        if name.lower() not in self.labels:
            msg = f"{self.docname}: no label {name!r} in the book"
            raise ValueError(msg)
        return self.labels[name.lower()]

    def document(self, path: str) -> Target:
        """Return the page that ``path`` names, absolute (``/vgg16``) or relative to this chapter."""
        if path.startswith("/"):
            name = path.lstrip("/")
        else:
            name = posixpath.normpath(posixpath.join(posixpath.dirname(self.docname), path))
        name = re.sub(r"\.(md|ipynb|rst)$", "", name)
        if name not in self.documents:
            msg = f"{self.docname}: no page {path!r} in the book"
            raise ValueError(msg)
        return self.documents[name]


def format_glued(text: str, spec: str) -> str:
    """Return a glued ``text/plain`` value formatted by ``spec`` exactly as ``{glue:text}`` does.

    MyST-NB reads the value back with ``ast.literal_eval`` and converts it to the type that the
    last character of the format spec asks for (``d`` an integer, ``f`` a float, ``s`` a string).

    Examples:
        >>> format_glued("138357544", ","), format_glued("'0.027'", "s"), format_glued("0.5", ".1%")
        ('138,357,544', '0.027', '50.0%')
    """
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if spec == "":
        return str(value)
    kind = spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, spec)


def glued_markdown(output: Mapping[str, Any], *, block: bool = False) -> str:
    """Return a glue output as ``{glue}`` shows it: its richest format that Markdown can hold.

    The order is MyST-NB's for HTML: HTML, images, Markdown, LaTeX, then plain text (shown as
    is, quotes included, or as a code block when ``block``).

    Examples:
        >>> glued_markdown({"data": {"text/plain": "'VGG'", "text/latex": "$x^2$"}})
        '$x^2$'
        >>> glued_markdown({"data": {"text/plain": "'VGG'"}})
        "'VGG'"
    """
    data = {
        mime: "".join(value) if isinstance(value, list) else str(value)
        for mime, value in output["data"].items()
    }
    if "text/html" in data:
        return data["text/html"]
    for mime in ("image/svg+xml", "image/png", "image/gif", "image/jpeg"):
        if mime in data:
            encoded = (
                base64.b64encode(data[mime].encode()).decode()
                if mime == "image/svg+xml"
                else data[mime].strip()
            )
            return f"![](data:{mime};base64,{encoded})"
    if "text/markdown" in data:
        return data["text/markdown"]
    if "text/latex" in data:
        latex = data["text/latex"].strip().strip("$")
        return f"$${latex}$$" if block else f"${latex}$"
    text = data.get("text/plain", "")
    if output.get("metadata", {}).get("strip_text_quotes") and re.fullmatch(
        r"(['\"]).*\1", text, re.DOTALL
    ):
        text = text[1:-1]
    return f"```\n{text}\n```" if block else text


_EXPLICIT_TITLE = re.compile(r"^(.+?)\s*<([^<>]+)>$", re.DOTALL)


def _split_title(content: str) -> tuple[str, str]:
    """Return the explicit title (or ``''``) and the target of a cross-reference role's content."""
    match = _EXPLICIT_TITLE.match(content)
    return (match.group(1), match.group(2)) if match else ("", content.strip())


def _glue_text(content: str, references: References) -> str:
    key, spec = content.rsplit(":", 1) if ":" in content else (content, "s")
    data = references.glue(content if "::" in content else key)["data"]  # `chapter::key` is refused
    if "text/plain" not in data:
        msg = f"{references.docname}: {key!r} was glued without a text/plain value"
        raise ValueError(msg)
    text = data["text/plain"]
    return format_glued("".join(text) if isinstance(text, list) else text, spec)


def _glue_markdown(content: str, references: References) -> str:
    key = content.rsplit(":", 1)[
        0
    ]  # after the colon: the Markdown flavour, which Jupyter does not choose
    data = references.glue(key)["data"]
    if "text/markdown" not in data:
        msg = f"{references.docname}: {key!r} was glued without a text/markdown value"
        raise ValueError(msg)
    markdown = data["text/markdown"]
    return "".join(markdown) if isinstance(markdown, list) else str(markdown)


def _numref(content: str, references: References) -> str:
    title, name = _split_title(content)
    target = references.label(name)
    if not target.number:
        msg = f"{references.docname}: {name!r} has no number for {{numref}}"
        raise ValueError(msg)
    text = (
        title.replace("%s", target.number)
        .replace("{number}", target.number)
        .replace("{name}", target.title)
    )
    return f"[{text or target.numbered}]({references.href(target)})"


def _ref(content: str, references: References) -> str:
    title, name = _split_title(content)
    target = references.label(name)
    if not (title or target.title):
        msg = f"{references.docname}: {{ref}} to {name!r} needs a title: the label is not on a heading"
        raise ValueError(msg)
    return f"[{title or target.title}]({references.href(target)})"


def _doc(content: str, references: References) -> str:
    title, path = _split_title(content)
    target = references.document(path)
    return f"[{title or target.title}]({references.href(target)})"


def _cite(content: str, references: References) -> str:
    keys = [key.strip() for key in content.split(",")]
    return "[" + "; ".join(references.citations.get(key, key) for key in keys) + "]"


ROLES: dict[str, Callable[[str, References], str]] = {
    "glue": lambda content, references: glued_markdown(references.glue(content)),
    "glue:": lambda content, references: glued_markdown(references.glue(content)),
    "glue:any": lambda content, references: glued_markdown(references.glue(content)),
    "glue:text": _glue_text,
    "glue:md": _glue_markdown,
    "numref": _numref,
    "ref": _ref,
    "doc": _doc,
    "math": lambda content, references: f"${content}$",
    "sub": lambda content, references: f"<sub>{content}</sub>",
    "sup": lambda content, references: f"<sup>{content}</sup>",
}
"""Each role a chapter may use, and how it is shown; every ``cite`` role is a citation."""

_INLINE = re.compile(
    r"\{(?P<role>[A-Za-z][\w:.+-]*)\}(?P<ticks>`+)(?P<content>.+?)(?P=ticks)"  # a role
    r"|(?P<code>(?P<code_ticks>`+).+?(?P=code_ticks))"  # inline code, left alone
    r"|\[(?P<text>[^\]\n]*)\]\((?P<link>[^)\s]+)\)",  # a link, perhaps to another chapter's .md
    re.DOTALL,
)


def resolve_roles(text: str, references: References) -> str:
    """Return ``text`` with every MyST role replaced by what the page shows, and every link to a
    chapter's source (``vgg16.md``) pointed at that chapter's notebook.

    Examples:
        >>> where = References(
        ...     "where",
        ...     glued={"params": {"data": {"text/plain": "138357544"}}},
        ...     documents={"vgg16": Target("vgg16.ipynb", "VGG-16 in full")},
        ...     labels={"fig-per-layer": Target("where.ipynb#fig-per-layer", "Parameters", "2", "Fig. %s")},
        ... )
        >>> resolve_roles("{numref}`fig-per-layer` shows {glue:text}`params:,` in `{glue}`.", where)
        '[Fig. 2](#fig-per-layer) shows 138,357,544 in `{glue}`.'
        >>> resolve_roles("See {doc}`vgg16` and [the table](vgg16.md#the-table).", where)
        'See [VGG-16 in full](vgg16.ipynb) and [the table](vgg16.ipynb#the-table).'
    """
    return _INLINE.sub(lambda match: _resolve(match, references), text)


def _resolve(match: re.Match[str], references: References) -> str:
    if match.group("code"):
        return match.group(0)
    if match.group("link") is not None:
        return _link(match.group("text"), match.group("link"), references)
    role, content = match.group("role"), match.group("content")
    if role.startswith("cite"):
        return _cite(content, references)
    if role not in ROLES:
        msg = f"{references.docname}: no plain Markdown for the role {{{role}}}`{content}`: add it to myst_roles.ROLES"
        raise ValueError(msg)
    return ROLES[role](content, references)


def _link(text: str, link: str, references: References) -> str:
    """Point a link to a chapter's source file at the chapter's notebook or page; leave any other."""
    text = resolve_roles(text, references)
    path, _, fragment = link.partition("#")
    if "://" in path or not re.search(r"\.(md|ipynb)$", path):
        return f"[{text}]({link})"
    target = references.document(path)
    href = references.href(Target(f"{target.href}#{fragment}" if fragment else target.href))
    return f"[{text}]({href})"
