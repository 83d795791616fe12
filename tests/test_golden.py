"""The VGG-16 report against the reference breakdown, character for character."""

from __future__ import annotations

from cnncount import get_model, summarize
from cnncount.published import breakdown_section as section
from cnncount.render import block_breakdown, fc_details, reference_table

VGG16 = summarize(get_model("vgg16"))


def test_reference_has_22_rows() -> None:
    rows = section("INPUT:", "FC:")
    assert len(rows) == 22
    assert rows[0].startswith("INPUT:") and rows[-1].startswith("FC:")


def test_table_reproduces_the_22_reference_rows() -> None:
    assert reference_table(VGG16).splitlines() == section("INPUT:", "FC:")


def test_block_breakdown_reproduces_the_reference() -> None:
    assert block_breakdown(VGG16).splitlines() == section("conv3-64  x 2", "TOTAL     ")


def test_fc_details_reproduce_the_reference() -> None:
    expected = section(" fc1 (x):", " fc3 ")
    assert fc_details(VGG16).splitlines()[:3] == expected


def test_reference_total_memory_line_disagrees_with_its_rows() -> None:
    """The reference's "24M" is not what its own rows sum to: we print the true sum."""
    (line,) = section("TOTAL memory:", "TOTAL memory:")
    assert "24M" in line
    assert VGG16.totals.activations == 15_237_608
    assert VGG16.totals.activations * 4 < 24_000_000 * 4
