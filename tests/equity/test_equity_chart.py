"""Rows, plain-words summaries and the accessible dot-and-interval chart."""

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coproduce.equity import (
    describe_row,
    dot_interval_svg,
    equity_rows,
    summarise,
    table_rows,
)

SNAPSHOT = Path(__file__).parent / "snapshots" / "dot_interval.svg"


def _parse(svg):
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


LABELS = [
    "White",
    "Mixed",
    "Asian or Asian British",
    "Black or Black British",
    "Other ethnic groups",
    "Not stated / not known",
]
# Fictional figures: 2,620 of 4,000,000 (65.5 per 100,000) and 524 of 200,000 (262).
COUNTS = [2620, 3, 300, 524, 0, 140]
POPULATIONS = [4_000_000, 50_000, 500_000, 200_000, 60_000, None]


@pytest.fixture
def rows():
    return equity_rows(LABELS, COUNTS, POPULATIONS, reference="White")


def test_rows_hide_rates_where_counts_are_hidden(rows):
    by = {r.label: r for r in rows}
    assert by["Mixed"].status == "suppressed" and by["Mixed"].rate is None
    # Every other count is rounded on its own, and its rate is worked out from the
    # rounded count: 524 is published as 525, and the rate is 525 per 200,000.
    assert by["Not stated / not known"].count_text == "140"
    assert by["Black or Black British"].count_text == "525"
    assert by["Black or Black British"].rate.value == pytest.approx(262.5)
    # A zero is under 5 too: hidden like 1 to 4, with no rate.
    assert by["Other ethnic groups"].status == "suppressed"
    assert by["Other ethnic groups"].rate is None
    assert by["White"].is_reference and by["White"].ratio is None
    assert by["Black or Black British"].ratio.value == pytest.approx(262.5 / 65.5)


def test_describe_row_in_words(rows):
    ref = rows[0]
    text = describe_row(rows[3], ref)
    assert re.fullmatch(
        r"Black or Black British: 262 per 100,000 \(95% interval \d+ to \d+\),"
        r" 4\.0 times the White rate",
        text,
    )
    assert describe_row(rows[1], ref) == "Mixed: not shown, to protect small numbers"
    assert describe_row(rows[4], ref) == "Other ethnic groups: not shown, to protect small numbers"


def test_summary_says_not_enough_data(rows):
    text = summarise(rows)
    assert "The Black or Black British rate was higher than the White rate (4.0 times" in text
    assert "The Asian or Asian British rate could not be told apart" in text
    assert "not enough data to give a comparison for: Mixed, Other ethnic groups" in text


def test_summary_when_the_reference_is_hidden():
    rows = equity_rows(["White", "Black or Black British"], [2, 40], [1000, 1000],
                       reference="White")  # fmt: skip
    text = summarise(rows)
    assert "not enough data for the White group" in text
    assert not re.search(r"\d", text)


def test_summary_when_the_reference_count_is_zero():
    # Unrounded (national) figures keep a zero; published local ones hide it.
    rows = equity_rows(["White", "Mixed"], [0, 40], [1000, 1000], reference="White", suppress=False)
    assert "not enough data" in summarise(rows)
    assert rows[1].ratio is not None and not rows[1].ratio.estimable
    hidden = equity_rows(["White", "Mixed"], [0, 40], [1000, 1000], reference="White")
    assert hidden[0].status == "suppressed" and hidden[1].ratio is None


def test_table_rows(rows):
    table = table_rows(rows)
    assert table[0]["ratio"] == "Comparison group"
    assert table[1] == {
        "group": "Mixed",
        "count": "*",
        "rate": "",
        "interval": "",
        "ratio": "",
        "note": "Hidden to protect small numbers",
    }
    assert table[3]["rate"] == "262" and table[3]["ratio"].startswith("4.0 (")
    assert table[4]["count"] == "*" and table[4]["note"] == "Hidden to protect small numbers"


def test_national_figures_are_not_rounded():
    rows = equity_rows(["White", "Mixed"], [21_583, 3], [45e6, 1.7e6], suppress=False)
    assert [r.count_text for r in rows] == ["21,583", "3"]
    assert rows[1].rate is not None


def test_mismatched_lengths_and_unknown_reference():
    with pytest.raises(ValueError, match="different lengths"):
        equity_rows(["A", "B"], [1], [10, 10])
    with pytest.raises(ValueError, match="reference"):
        equity_rows(["A"], [10], [100], reference="B")


def test_svg_is_accessible_and_well_formed(rows):
    svg = dot_interval_svg(rows, id_prefix="eastmoor-2023", title="Detentions by ethnicity")
    root = _parse(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "eastmoor-2023-title eastmoor-2023-desc"
    assert root.find(f"{ns}title").text == "Detentions by ethnicity"
    desc = root.find(f"{ns}desc").text
    assert "Black or Black British: 262 per 100,000" in desc
    assert "4.0 times the White rate" in desc
    # One dot for each group with a rate: White, Asian and Black.
    assert len(root.findall(f"{ns}circle")) == 3


def test_text_is_escaped():
    rows = equity_rows(['<script>"x"</script> & co'], [40], [1000])
    svg = dot_interval_svg(rows, title="A < B")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "A &lt; B" in svg
    _parse(svg)


def test_id_prefixes_keep_charts_apart(rows):
    one = dot_interval_svg(rows, id_prefix="first")
    two = dot_interval_svg(rows, id_prefix="second")
    ids = set(re.findall(r'id="([^"]+)"', one)) & set(re.findall(r'id="([^"]+)"', two))
    assert not ids
    with pytest.raises(ValueError, match="id_prefix"):
        dot_interval_svg(rows, id_prefix='x" onload="y')


def test_chart_with_nothing_to_plot():
    rows = equity_rows(["White", "Mixed"], [2, 3], [1000, 1000])
    svg = dot_interval_svg(rows)
    _parse(svg)
    assert "<circle" not in svg


def test_snapshot(rows):
    svg = dot_interval_svg(rows, id_prefix="snapshot", title="Fictional detentions by ethnicity")
    if os.environ.get("EQUITY_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(svg, encoding="utf-8")
    assert svg == SNAPSHOT.read_text(encoding="utf-8")
