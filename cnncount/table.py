"""A table to show, as plain data, and the mixin of the values that show as one in a notebook.

A :class:`Table` holds its cells; the renderers of :mod:`cnncount.render.tabular` lay it out as
text, Markdown or HTML, and its methods only call them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Shown", "Table"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A table to show: a caption, one heading per column, which columns hold numbers, its rows,
    and the rows that close it (totals, shown in bold).

    ``str()`` gives it as text; in a notebook it shows as HTML, or as Markdown where HTML is not
    rendered. Integers are written with thousands separators.

    Examples:
        >>> table = Table(caption="Two layers", headings=("layer", "params"), numeric=(False, True),
        ...               rows=(("conv1", 1792), ("fc1", 4014090)), foot=(("total", 4015882),))
        >>> table
        <Table 'Two layers': 2 rows of layer, params>
        >>> print(table)
        Two layers
        layer     params
        conv1      1,792
        fc1    4,014,090
        total  4,015,882
        >>> print(table._repr_markdown_())
        Two layers
        <BLANKLINE>
        | layer | params |
        |:--|--:|
        | conv1 | 1,792 |
        | fc1 | 4,014,090 |
        | **total** | **4,015,882** |
    """

    caption: str
    headings: Sequence[str]
    numeric: Sequence[bool]
    rows: Sequence[Sequence[object]]
    foot: Sequence[Sequence[object]]

    def __str__(self) -> str:
        from cnncount.render.tabular import text_table

        return text_table(self.headings, self.rows, self.numeric, self.caption, self.foot)

    def __repr__(self) -> str:
        caption = f" {self.caption!r}" if self.caption else ""
        return f"<Table{caption}: {len(self.rows)} rows of {', '.join(self.headings)}>"

    def _repr_markdown_(self) -> str:
        from cnncount.render.tabular import markdown_table

        table = markdown_table(self.headings, self.rows, self.numeric, self.foot)
        return f"{self.caption}\n\n{table}" if self.caption else table

    def _repr_html_(self) -> str:
        from cnncount.render.tabular import html_table

        return html_table(self.headings, self.rows, self.numeric, self.caption, self.foot)


class Shown:
    """Mixin of the values that show as a table in a notebook: as HTML, or as Markdown where HTML
    is not rendered (a PDF). A subclass says which :class:`Table` in ``_table``; its ``str()``
    and ``repr()`` stay its own.

    Examples:
        >>> from dataclasses import dataclass
        >>> @dataclass(frozen=True, slots=True)
        ... class Pair(Shown):
        ...     left: int
        ...     right: int
        ...     def _table(self):
        ...         return Table(caption="", headings=("left", "right"), numeric=(True, True),
        ...                      rows=((self.left, self.right),), foot=())
        >>> print(Pair(left=1, right=2000)._repr_markdown_())
        | left | right |
        |--:|--:|
        | 1 | 2,000 |
        >>> Pair(left=1, right=2000)._repr_html_().startswith("<table>")
        True
    """

    __slots__ = ()

    def _table(self) -> Table:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self._table()._repr_html_()

    def _repr_markdown_(self) -> str:
        return self._table()._repr_markdown_()
