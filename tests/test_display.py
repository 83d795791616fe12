"""Every value a reader looks at in a notebook shows as a well-formed HTML table whose headings and
cells are the Markdown renderer's; its text is the command line's, and its repr one short line."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from cnncount import Batch, get_model, parse_network, summarize
from cnncount.memory import training_memory
from cnncount.receptive import receptive_fields
from cnncount.render import text_report, to_csv, to_json, to_markdown
from cnncount.render.cost import cost_sections, receptive_field_table, roofline_table
from cnncount.render.tabular import COLUMNS, MARKDOWN
from cnncount.roofline import DEVICES, roofline
from cnncount.table import Table
from cnncount.views import compute_views

VGG16 = summarize(get_model("vgg16"))
VIEWS = compute_views(
    VGG16,
    Batch(8),
    optimizer="adam",
    budget=16 * 2**30,
    convention="torchinfo",
    receptive=True,
    device="h100-sxm",
)
SHOWN = {
    "summary": VGG16,
    "totals": VGG16.totals,
    "row": VGG16.rows[1],
    "training memory": VIEWS.training,
    "batch fit": VIEWS.largest_batch,
    "convention": VIEWS.convention,
    "receptive fields": VIEWS.receptive_fields,
    "roofline": VIEWS.roofline,
}


class Tables(HTMLParser):
    """Collect each table's caption, headings and rows of cells, refusing unbalanced tags."""

    VOID = frozenset({"br", "hr", "img"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tables: list[dict[str, list[list[str]] | str]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        self.open.append(tag)
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "body": [], "foot": []})
        elif tag == "tr":
            self._section().append([])
        elif tag in ("td", "th", "caption"):
            self.text = ""

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()
        if tag in ("td", "th"):
            self._section()[-1].append(self.text)
        elif tag == "caption":
            self.tables[-1]["caption"] = self.text

    def handle_data(self, data: str) -> None:
        if {"caption", "td", "th"} & set(self.open):
            self.text += data

    def _section(self) -> list[list[str]]:
        section = next(
            (tag for tag in reversed(self.open) if tag in ("thead", "tbody", "tfoot")), "tbody"
        )
        rows = self.tables[-1][{"thead": "head", "tbody": "body", "tfoot": "foot"}[section]]
        assert isinstance(rows, list)
        return rows


def parse(html: str) -> list[dict[str, list[list[str]] | str]]:
    parser = Tables()
    parser.feed(html)
    parser.close()
    assert parser.open == []
    return parser.tables


@pytest.mark.parametrize("name", SHOWN)
def test_each_value_shows_as_one_well_formed_table(name: str) -> None:
    value = SHOWN[name]
    (table,) = parse(value._repr_html_())
    head, body = table["head"], table["body"]
    assert len(head) == 1 and body
    assert all(len(row) == len(head[0]) for row in [*body, *table["foot"]])
    markdown = value._repr_markdown_()
    assert "| " + " | ".join(head[0]) + " |" in markdown


def test_summary_html_has_the_markdown_columns_and_cells() -> None:
    (table,) = parse(VGG16._repr_html_())
    assert table["head"] == [[COLUMNS[key].heading for key in MARKDOWN]]
    assert table["caption"] == "vgg16, 3x224x224 input: 22 rows"
    markdown_rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in to_markdown(VGG16).splitlines()[2:]
    ]
    assert table["body"] == markdown_rows[:-1]
    assert table["foot"] == [[cell.strip("*") for cell in markdown_rows[-1]]]
    conv1 = table["body"][1]
    assert conv1 == [
        "conv1",
        "conv3-64",
        "64x224x224",
        "3,211,264",
        "1,728",
        "64",
        "1,792",
        "86,704,128",
    ]
    assert (
        int(conv1[-1].replace(",", "")) == 64 * 224 * 224 * 3 * 3 * 3
    )  # MACs: one per weight and position


def test_html_escapes_what_it_shows() -> None:
    table = Table(
        caption="<b>&", headings=("a<", "b"), numeric=(False, True), rows=(("x>y", 1000),), foot=()
    )
    html = table._repr_html_()
    assert "<b>" not in html and "&lt;b&gt;&amp;" in html and "x&gt;y" in html
    (parsed,) = parse(html)
    assert parsed["caption"] == "<b>&" and parsed["head"] == [["a<", "b"]]
    assert parsed["body"] == [["x>y", "1,000"]]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (VGG16, text_report(VGG16)),
        (VIEWS.receptive_fields, receptive_field_table(VIEWS.receptive_fields)),
        (VIEWS.roofline, roofline_table(VIEWS.roofline)),
        (VIEWS, "\n\n".join(cost_sections(VIEWS))),
    ],
)
def test_str_is_the_command_lines_text(value: object, text: str) -> None:
    assert str(value) == text


@pytest.mark.parametrize("name", [*SHOWN, "views"])
def test_repr_is_one_short_line(name: str) -> None:
    text = repr(SHOWN.get(name, VIEWS))
    assert "\n" not in text and len(text) <= 130


def test_summary_repr_reads_at_a_glance() -> None:
    assert repr(VGG16) == (
        "<Summary of vgg16 (3x224x224): 22 rows, 138,357,544 params, 15,470,264,320 MACs / image>"
    )


def test_records_are_plain_values_under_the_json_keys() -> None:
    records = VGG16.records()
    assert records == json.loads(to_json(VGG16))["rows"]
    assert [record["params"] for record in records] == [row.params for row in VGG16.rows]
    assert {type(value) for record in records for value in record.values()} <= {str, int, list}
    assert VIEWS.roofline.records() == json.loads(to_json(VGG16, VIEWS))["roofline"]["layers"]
    fields = VIEWS.receptive_fields.records()
    assert fields == json.loads(to_json(VGG16, VIEWS))["receptive_fields"]
    assert fields[3] == {"name": "maxpool1", "size": 2 + 2 + 2, "jump": 2, "start": 0.5}


def test_records_make_a_frame_where_pandas_is_installed() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(VGG16.records())
    assert list(frame.columns) == list(VGG16.records()[0])
    assert int(frame["params"].sum()) == 138_357_544
    assert set(to_csv(VGG16).splitlines()[0].split(",")) - set(frame.columns) == {
        "channels",
        "height",
        "width",
    }  # the CSV's shape is the frame's output_shape


def test_a_small_network_shows_its_counts_as_the_formulas_give_them() -> None:
    summary = summarize(parse_network("conv3-8 FC-10"))
    (table,) = parse(summary.totals._repr_html_())
    params = (3 * 3 * 3 * 8 + 8) + (8 * 224 * 224 * 10 + 10)
    assert dict(zip(table["head"][0], table["body"][0]))["params"] == f"{params:,}"


def test_training_memory_table_adds_up_to_its_total() -> None:
    memory = training_memory(VGG16, Batch(64), optimizer="adam")
    (table,) = parse(memory._repr_html_())
    parts = [int(row[1].replace(",", "")) for row in table["body"]]
    assert table["foot"][0][0] == "total" and int(table["foot"][0][1].replace(",", "")) == sum(
        parts
    )
    assert table["caption"] == "TRAINING memory, batch of 64, float32, adam optimizer"


def test_receptive_fields_stay_a_list() -> None:
    fields = receptive_fields(VGG16)
    assert isinstance(fields, list) and fields == list(fields) and len(fields) == len(VGG16.rows)


def test_roofline_table_closes_with_the_forward_bound() -> None:
    result = roofline(VGG16, DEVICES["h100-sxm"])
    (table,) = parse(result._repr_html_())
    forward = float(table["foot"][0][4].replace(",", ""))
    layers = sum(float(row[4].replace(",", "")) for row in table["body"])
    assert forward == pytest.approx(layers, abs=1e-3 * len(table["body"]))
