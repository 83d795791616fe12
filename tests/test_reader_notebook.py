"""The reader's notebook, unit by unit: roles and directives as the page shows them, glue formatted as
MyST-NB formats it, build-only cells that run without myst_nb. The built book's notebooks are
tests/test_notebook_downloads.py's."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from myst_nb.core.variables import format_plain_text

from tests.book import BOOK

sys.path.insert(0, str(BOOK / "_ext"))  # the book's local extensions, as the build imports them
from myst_directives import PlainMarkdown
from myst_roles import References, Target, format_glued
from reader_notebook import reader_notebook

BOOK_REFERENCES = References(
    "where",
    glued={
        "params": {"data": {"text/plain": "138357544"}},
        "share": {"data": {"text/plain": "'74'"}},
        "table": {
            "data": {
                "text/plain": "<IPython.core.display.Markdown object>",
                "text/markdown": "| a |\n|--|\n| 1 |",
            }
        },
    },
    documents={
        "vgg16": Target("vgg16.ipynb", "VGG-16 in full"),
        "api": Target("../api.html", "The cnncount API"),
    },
    labels={
        "fig-per-layer": Target(
            "where.ipynb#fig-per-layer", "Parameters per layer", "2", "Fig. %s"
        ),
        "fig-table": Target("vgg16.ipynb#fig-table", "The table", "4", "Fig. %s"),
        "the-table": Target("vgg16.ipynb#the-table", "The famous table"),
        "ex-fc1": Target("where.ipynb#ex-fc1", "", "3", "Exercise %s"),
    },
    citations={"simonyan2014": "SZ14"},
    exercises=["Exercise 3", "Exercise 4"],
)


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("138357544", ","),
        ("138357544", "s"),
        ("138357544", ""),
        ("'74'", "s"),
        ("'0.027'", ""),
        ("0.0342", ".2%"),
        ("3.14159", ".2f"),
        ("42", "d"),
        ("'42'", "d"),
        ("'1.5'", ".1f"),
        ("'text'", ">8s"),
        ("not python", "s"),
        ("255", "x"),
    ],
)
def test_glued_values_are_formatted_as_myst_nb_formats_them(text: str, spec: str) -> None:
    assert format_glued(text, spec) == format_plain_text(text, spec)


@pytest.mark.parametrize(
    ("myst", "markdown"),
    [
        ("{glue:text}`params:,` parameters, {glue:text}`share`%", "138,357,544 parameters, 74%"),
        ("{glue}`share` and {glue:md}`table`", "'74' and | a |\n|--|\n| 1 |"),
        (
            "{numref}`fig-per-layer` and {numref}`Figure %s <fig-table>`",
            "[Fig. 2](#fig-per-layer) and [Figure 4](vgg16.ipynb#fig-table)",
        ),
        (
            "{ref}`the-table`, {ref}`this one <the-table>`",
            "[The famous table](vgg16.ipynb#the-table), [this one](vgg16.ipynb#the-table)",
        ),
        (
            "{doc}`vgg16`, {doc}`the API </api>`, [notebook](vgg16.md#the-table)",
            "[VGG-16 in full](vgg16.ipynb), [the API](../api.html), [notebook](vgg16.ipynb#the-table)",
        ),
        ("{cite}`simonyan2014,unknown` and {cite:t}`simonyan2014`", "[SZ14; unknown] and [SZ14]"),
        ("$x$, {math}`k^2` and H{sub}`2`O", "$x$, $k^2$ and H<sub>2</sub>O"),
        (
            "`{glue:text}` stays code, so does\n```python\n{doc}`x`\n```",
            "`{glue:text}` stays code, so does\n```python\n{doc}`x`\n```",
        ),
        ("(the-table)=\n% a comment\n## The table", '<a id="the-table"></a>\n## The table'),
    ],
)
def test_roles_and_targets_read_as_the_page(myst: str, markdown: str) -> None:
    assert PlainMarkdown(BOOK_REFERENCES)(myst) == markdown


@pytest.mark.parametrize(
    ("myst", "markdown"),
    [
        ("```{warning}\nBig.\n```", "> **Warning**\n>\n> Big."),
        ("```{tip} Short.\n```", "> **Tip**\n>\n> Short."),
        (
            ":::{admonition} About {glue:text}`share`%\n:class: dropdown\nBody.\n:::",
            "<details>\n<summary>About 74%</summary>\n\nBody.\n\n</details>",
        ),
        (
            "````{note}\n```{seealso}\n{doc}`vgg16`\n```\n````",
            "> **Note**\n>\n> > **See also**\n> >\n> > [VGG-16 in full](vgg16.ipynb)",
        ),
        ("```{exercise}\n:label: ex-fc1\nCount fc1.\n```", "> **Exercise 3**\n>\n> Count fc1."),
        ("```{exercise} Bonus\n:nonumber:\nMore.\n```", "> **Exercise** (Bonus)\n>\n> More."),
        (
            "```{solution} ex-fc1\n---\nclass: dropdown\n---\n{glue:text}`params:,`\n```",
            "<details>\n<summary>Solution to Exercise 3</summary>\n\n138,357,544\n\n</details>",
        ),
        (":::{solution-start} ex-fc1\n:::", "**Solution to Exercise 3**"),
        (":::{solution-end}\n:::", ""),
        ("```{glue:md} table\n```", "| a |\n|--|\n| 1 |"),
        ("```{glue} params\n```", "```\n138357544\n```"),
        ("```{code-block} python\nx = 1\n```", "```python\nx = 1\n```"),
        ("```{math}\nk^2 C\n```", "$$\nk^2 C\n$$"),
        (
            "Before\n```{note}\nA.\n```\nAfter, not in the quotation",
            "Before\n\n> **Note**\n>\n> A.\n\nAfter, not in the quotation",
        ),
        ("~~~\n{doc}`x` and ```{note}\n~~~", "~~~\n{doc}`x` and ```{note}\n~~~"),
    ],
)
def test_directives_read_as_the_page(myst: str, markdown: str) -> None:
    assert PlainMarkdown(BOOK_REFERENCES)(myst) == markdown


def test_exercises_are_numbered_in_order_across_cells() -> None:
    plain = PlainMarkdown(BOOK_REFERENCES)
    assert [plain(f"```{{exercise}}\nQuestion {n}.\n```").split("\n")[0] for n in (1, 2, 3)] == [
        "> **Exercise 3**",
        "> **Exercise 4**",
        "> **Exercise**",
    ]


@pytest.mark.parametrize(
    ("myst", "error"),
    [
        ("{eq}`eq-1`", r"no plain Markdown for the role \{eq\}"),
        ("```{tab-set}\n```", r"no plain Markdown for the directive \{tab-set\}"),
        ("{glue:text}`missing`", "nothing was glued as 'missing'"),
        ("{glue:text}`costs::params`", "glues from another chapter"),
        ("{numref}`the-table`", "'the-table' has no number"),
        ("{ref}`nowhere`", "no label 'nowhere'"),
        ("[x](elsewhere.md)", "no page 'elsewhere.md'"),
    ],
)
def test_what_cannot_be_shown_is_one_clear_error(myst: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        PlainMarkdown(BOOK_REFERENCES)(myst)


def code_cell(source: str, **metadata: Any) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "id": "c",
        "metadata": metadata,
        "source": source,
        "outputs": [],
        "execution_count": 1,
    }


def notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"source_map": [1]},
        "cells": list(cells),
    }


def test_glue_runs_without_myst_nb_and_shows_what_it_would_display() -> None:
    source = "if True:\n    from myst_nb import glue as paste\n    paste('n', 3)\n    paste('m', 4, display=False)"
    (cell,) = reader_notebook(notebook(code_cell(source)), BOOK_REFERENCES)["cells"]
    shown: list[object] = []
    namespace: dict[str, Any] = {}
    stand_in = cell["source"].replace("IPython.display.display(value)", "shown.append(value)")
    exec(stand_in, {"shown": shown}, namespace)  # noqa: S102 (running the generated cell is the test)
    assert shown == [3]


def test_other_uses_of_myst_nb_are_refused() -> None:
    with pytest.raises(ValueError, match="where: cell 0 uses myst_nb"):
        reader_notebook(
            notebook(code_cell("import myst_nb\nmyst_nb.glue('n', 3)")), BOOK_REFERENCES
        )


@pytest.mark.parametrize(
    ("tag", "hidden"),
    [
        ("remove-cell", {"source_hidden": True, "outputs_hidden": True}),
        ("hide-input", {"source_hidden": True}),
        ("remove-output", {"outputs_hidden": True}),
        ("other", None),
    ],
)
def test_what_the_page_hides_is_collapsed(tag: str, hidden: dict[str, bool] | None) -> None:
    (cell,) = reader_notebook(notebook(code_cell("1", tags=[tag])), BOOK_REFERENCES)["cells"]
    assert cell["metadata"].get("jupyter") == hidden
    assert cell["source"] == "1"


def test_a_figure_is_followed_by_its_caption_and_its_images_by_their_alt_text() -> None:
    figure = code_cell(
        "plot()",
        mystnb={
            "figure": {"caption": "Per layer, {glue:text}`share`%.", "name": "fig-per-layer"},
            "image": {"alt": "Two bar charts."},
        },
    )
    figure["outputs"] = [
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"image/png": "iVBOR", "text/plain": "<Figure>"},
        }
    ]
    executed = notebook(figure)
    drawn, caption = reader_notebook(executed, BOOK_REFERENCES)["cells"]
    assert drawn["outputs"][0]["metadata"] == {"image/png": {"alt": "Two bar charts."}}
    assert caption == {
        "cell_type": "markdown",
        "id": "cell-1-caption",
        "metadata": {},
        "source": '<a id="fig-per-layer"></a>**Fig. 2** Per layer, 74%.',
    }
    assert (
        executed["cells"] == [figure] and figure["outputs"][0]["metadata"] == {}
    )  # the executed notebook is left as it was


def test_cells_are_numbered_and_a_figure_cell_names_matplotlib() -> None:
    figure = code_cell("from cnncount.render.figures import per_layer\nper_layer(summary)")
    cells = reader_notebook(notebook(code_cell("1"), figure), BOOK_REFERENCES)["cells"]
    assert [cell["id"] for cell in cells] == ["cell-1", "cell-2"]  # MyST-NB's are random
    assert cells[0]["source"] == "1"
    assert cells[1]["source"].splitlines()[0].startswith("import matplotlib  #")
