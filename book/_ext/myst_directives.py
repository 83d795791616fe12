"""Rewrite a chapter's MyST Markdown, directives included, as the plain Markdown Jupyter renders.

A directive (```` ```{note} ````, ``:::{exercise}``) reaches a Jupyter reader as a code block
holding its source. `PlainMarkdown` turns each into Markdown that shows what the page shows:
an admonition into a quotation under its bold title, an exercise into a quotation headed by its
number, a solution into a ``<details>`` block a reader opens, a glued value into its text,
a ``{literalinclude}`` into a code block of the file it names (beside the chapters). It
also drops MyST comments (``% ...``) and turns targets (``(label)=``) into anchors; the roles in
the prose are myst_roles' business. A directive it does not know is an error that names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from myst_roles import References, glued_markdown, resolve_roles

__all__ = ["PlainMarkdown"]

BOOK = Path(__file__).resolve().parent.parent
"""The chapters' folder, against which a ``{literalinclude}`` names its file."""

ADMONITIONS = {
    "admonition": "",
    "attention": "Attention",
    "caution": "Caution",
    "danger": "Danger",
    "error": "Error",
    "hint": "Hint",
    "important": "Important",
    "note": "Note",
    "seealso": "See also",
    "tip": "Tip",
    "warning": "Warning",
}
"""The admonitions of docutils and Sphinx, and the title each shows (``admonition`` takes its own)."""

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<argument>.*)$")
_TARGET = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")

Handler = Callable[["PlainMarkdown", str, str, dict[str, Any], str], str]


class PlainMarkdown:
    """Rewrite the Markdown cells of one chapter, in order, as plain Markdown.

    The cells must be given in order: exercises are numbered as they come.

    Examples:
        >>> from myst_roles import Target
        >>> plain = PlainMarkdown(References("costs", labels={"ex-batch": Target("costs.ipynb#ex-batch", "", "1", "Exercise %s")},
        ...                                  exercises=["Exercise 1"]))
        >>> print(plain("```{note}\\nCounts are per image.\\n```\\n% a comment\\n(costs-label)="))
        > **Note**
        >
        > Counts are per image.
        <BLANKLINE>
        <a id="costs-label"></a>
        >>> print(plain(":::{exercise} Batch\\n:label: ex-batch\\nHow large?\\n:::\\n\\n````{solution} ex-batch\\n```python\\n64\\n```\\n````"))
        > **Exercise 1** (Batch)
        >
        > How large?
        <BLANKLINE>
        <details>
        <summary>Solution to Exercise 1</summary>
        <BLANKLINE>
        ```python
        64
        ```
        <BLANKLINE>
        </details>
    """

    def __init__(self, references: References) -> None:
        self.references = references
        self._exercises = iter(references.exercises)

    def __call__(self, text: str) -> str:
        """Return ``text`` (a Markdown cell's source) as plain Markdown."""
        return "\n".join(self._blocks(text.split("\n")))

    def _blocks(self, lines: list[str]) -> Iterator[str]:
        prose: list[str] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            fence = _FENCE.match(line)
            if fence is None:
                target = _TARGET.match(line)
                if target:
                    prose.append(f'<a id="{self._anchor(target.group("label"))}"></a>')
                elif not line.startswith("%"):
                    prose.append(line)
                index += 1
                continue
            end = _closing(lines, index + 1, fence.group("fence"))
            directive = _DIRECTIVE.match(fence.group("info").strip())
            if directive and prose and prose[-1].strip():
                prose.append("")  # a directive's Markdown is a block of its own, blank lines around
            if prose:
                yield resolve_roles("\n".join(prose), self.references)
            if directive is None:  # a code block: shown as written
                yield "\n".join(lines[index : end + 1])
            else:
                options, content = _options(lines[index + 1 : end])
                yield self.directive(
                    directive.group("name"), directive.group("argument"), options, content
                )
            prose = [""] if directive and end + 1 < len(lines) and lines[end + 1].strip() else []
            index = end + 1
        if prose:
            yield resolve_roles("\n".join(prose), self.references)

    def directive(self, name: str, argument: str, options: dict[str, Any], content: str) -> str:
        """Return the plain Markdown of one directive, its content rewritten too."""
        if name in ADMONITIONS:
            return self._admonition(name, argument, options, content)
        if name not in DIRECTIVES:
            msg = f"{self.references.docname}: no plain Markdown for the directive {{{name}}}: add it to myst_directives.DIRECTIVES"
            raise ValueError(msg)
        return DIRECTIVES[name](self, name, argument, options, content)

    def _anchor(self, label: str) -> str:
        target = self.references.labels.get(label.lower())
        return target.href.partition("#")[2] if target and "#" in target.href else label

    def _admonition(self, name: str, argument: str, options: dict[str, Any], content: str) -> str:
        title = (
            resolve_roles(argument, self.references) if name == "admonition" else ADMONITIONS[name]
        )
        if name != "admonition" and argument:  # only `admonition` has a title: the rest is content
            content = f"{argument}\n{content}"
        if "dropdown" in str(options.get("class", "")).split():
            return _details(title, self(content))
        return _quote(f"**{title}**\n\n{self(content)}")

    def _exercise(self, name: str, argument: str, options: dict[str, Any], content: str) -> str:
        number = "Exercise" if "nonumber" in options else next(self._exercises, "Exercise")
        title = f" ({resolve_roles(argument, self.references)})" if argument else ""
        heading = f"**{number}**{title}"
        if name == "exercise-start":  # gated: the exercise goes on in the next cells
            return f"{heading}\n\n{self(content)}".rstrip()
        return _quote(f"{heading}\n\n{self(content)}")

    def _solution(self, name: str, argument: str, options: dict[str, Any], content: str) -> str:
        exercise = self.references.label(argument.strip())
        heading = f"Solution to {exercise.numbered or exercise.title}"
        if name == "solution-start":  # gated: the solution goes on in the next cells
            return f"**{heading}**\n\n{self(content)}".rstrip()
        return _details(heading, self(content))

    def _glue(self, name: str, argument: str, options: dict[str, Any], content: str) -> str:
        output = self.references.glue(argument.strip())
        if name == "glue:math":
            return glued_markdown(
                {"data": {"text/latex": output["data"]["text/latex"]}}, block=True
            )
        pasted = glued_markdown(output, block=True)
        if name == "glue:figure" and content.strip():
            return f"{pasted}\n\n*{self(content)}*"
        return pasted

    def _code(self, name: str, argument: str, options: dict[str, Any], content: str) -> str:
        return f"```{argument}\n{content}\n```"

    def _include(self, name: str, argument: str, options: dict[str, Any], content: str) -> str:
        source = (BOOK / argument).read_text(encoding="utf-8").rstrip("\n")
        return f"```{options.get('language', 'python')}\n{source}\n```"

    def _math(self, name: str, argument: str, options: dict[str, Any], content: str) -> str:
        return "\n".join(["$$", *(part for part in (argument, content) if part), "$$"])


DIRECTIVES: dict[str, Handler] = {
    "exercise": PlainMarkdown._exercise,
    "exercise-start": PlainMarkdown._exercise,
    "exercise-end": lambda self, name, argument, options, content: "",
    "solution": PlainMarkdown._solution,
    "solution-start": PlainMarkdown._solution,
    "solution-end": lambda self, name, argument, options, content: "",
    "glue": PlainMarkdown._glue,
    "glue:": PlainMarkdown._glue,
    "glue:any": PlainMarkdown._glue,
    "glue:md": PlainMarkdown._glue,
    "glue:math": PlainMarkdown._glue,
    "glue:figure": PlainMarkdown._glue,
    "code-block": PlainMarkdown._code,
    "code": PlainMarkdown._code,
    "sourcecode": PlainMarkdown._code,
    "literalinclude": PlainMarkdown._include,
    "math": PlainMarkdown._math,
}
"""Each directive a chapter may use besides the admonitions, and how it is shown."""


def _closing(lines: list[str], start: int, fence: str) -> int:
    """Return the index of the line that closes ``fence``, or the last line if none does."""
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    return next(
        (index for index in range(start, len(lines)) if closing.match(lines[index])), len(lines)
    )


def _options(lines: list[str]) -> tuple[dict[str, Any], str]:
    """Split a directive's lines into its options (a YAML block or ``:key: value`` lines) and content."""
    if lines and lines[0].strip() == "---":
        end = next(index for index in range(1, len(lines)) if lines[index].strip() == "---")
        return dict(yaml.safe_load("\n".join(lines[1:end])) or {}), "\n".join(
            lines[end + 1 :]
        ).strip("\n")
    options: dict[str, Any] = {}
    index = 0
    while index < len(lines) and (option := _OPTION.match(lines[index])):
        options[option.group("key")] = option.group("value")
        index += 1
    return options, "\n".join(lines[index:]).strip("\n")


def _quote(markdown: str) -> str:
    """Return ``markdown`` as a quotation block."""
    return "\n".join(f"> {line}".rstrip() for line in markdown.strip("\n").split("\n"))


def _details(summary: str, markdown: str) -> str:
    """Return ``markdown`` folded under ``summary``, as a reader opens it (a blank line keeps it Markdown)."""
    return f"<details>\n<summary>{summary}</summary>\n\n{markdown}\n\n</details>"
