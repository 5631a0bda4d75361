"""Charts, summaries, table rows and the command line, through the public API."""

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coproduce.spc import analyse, describe, render_svg, summary, table_rows
from coproduce.spc.cli import main

SNAPSHOTS = Path(__file__).parent / "snapshots"
MONTHS = [f"{2023 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]
STEADY = [12.0, 10.0] * 6
# Fictional ward figures: steady for a year, then a change after a PDSA cycle.
CHANGED = STEADY + [10.5, 11, 9, 13, 14, 15, 13.5, 14.5, 16, 15.5, 17, 15]


def check_snapshot(name, svg):
    path = SNAPSHOTS / name
    if os.environ.get("SPC_UPDATE_SNAPSHOTS") == "1":
        path.write_text(svg, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with SPC_UPDATE_SNAPSHOTS=1 to create it"
    assert svg == path.read_text(encoding="utf-8")


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


NS = "{http://www.w3.org/2000/svg}"


# --------------------------------------------------------------------------- charts


def test_snapshot_common_cause_chart():
    r = analyse(STEADY + [11])
    check_snapshot("common_cause.svg", render_svg(r, title="Fictional ward A: incidents"))


def test_snapshot_chart_with_phases_target_annotations_and_trial_limits():
    r = analyse(CHANGED, target=9, rebase_at=[12])
    svg = render_svg(
        r,
        labels=MONTHS,
        title="Fictional ward B: rights explained within 24 hours",
        annotations=[(12, "PDSA 1: new handover form")],
        id_prefix="ward-b",
    )
    check_snapshot("phases_target_annotations.svg", svg)
    assert "Trial limits" in svg
    assert "New phase from 2024-01" in svg
    assert "Target 9" in svg
    assert "PDSA 1: new handover form" in svg


def test_snapshot_special_cause_improvement():
    r = analyse(STEADY + [13] * 7, target=8, fix_after_n_points=12)
    check_snapshot("improvement_run.svg", render_svg(r, id_prefix="run"))


def test_chart_is_accessible_and_well_formed():
    r = analyse(STEADY + [13] * 7, target=20)
    svg = render_svg(r, id_prefix="chart-1")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-1-title chart-1-desc"
    assert root.find(f"{NS}title").get("id") == "chart-1-title"
    desc = root.find(f"{NS}desc")
    assert desc.get("id") == "chart-1-desc"
    assert "Special cause improvement since 13: 7 points in a row above the mean" in desc.text
    ids = re.findall(r' id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    assert all(i.startswith("chart-1-") for i in ids)


def test_two_charts_have_distinct_ids():
    r = analyse(STEADY)
    a = set(re.findall(r' id="([^"]+)"', render_svg(r, id_prefix="a")))
    b = set(re.findall(r' id="([^"]+)"', render_svg(r, id_prefix="b")))
    assert a and b and not a & b


def test_chart_escapes_all_text():
    r = analyse(STEADY)
    svg = render_svg(
        r,
        labels=[f"<b>{i}</b>" for i in range(12)],
        title='<script>alert("x")</script> & more',
        annotations=[(3, "A & B <i>")],
    )
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == '<script>alert("x")</script> & more'


def test_points_are_coloured_by_type():
    # Twelve points below the mean (a run: improvement), then one above the limit.
    r = analyse(STEADY + [30], improvement="decrease")
    data = render_svg(r).split('class="spc-data"', 1)[1].split('class="spc-legend"')[0]
    assert data.count('fill="#289de0"') == 12  # improvement
    assert data.count('fill="#fab428"') == 1  # concern
    steady = render_svg(analyse(STEADY)).split('class="spc-data"', 1)[1]
    assert steady.split('class="spc-legend"')[0].count('fill="#7b7d7d"') == 12  # common cause
    n = analyse(STEADY + [30], improvement="neutral")
    assert 'fill="#361475"' in render_svg(n)


def test_bad_chart_arguments():
    r = analyse(STEADY)
    with pytest.raises(ValueError, match="id_prefix"):
        render_svg(r, id_prefix='x" onload="y')
    with pytest.raises(ValueError, match="annotation"):
        render_svg(r, annotations=[(40, "late")])
    with pytest.raises(ValueError, match="labels"):
        render_svg(r, labels=["one"])


# --------------------------------------------------------------------------- words


def test_summary_without_a_signal():
    assert summary(analyse(STEADY + [11])) == "No signal yet — common cause variation."


def test_summary_of_an_improvement_run_names_when_it_started():
    r = analyse(STEADY + [13] * 7, fix_after_n_points=12)
    labels = MONTHS[:19]
    assert summary(r, labels) == (
        "Special cause improvement since 2024-01: 7 points in a row above the mean."
    )


def test_summary_of_a_concern_outside_the_limits_with_a_target():
    r = analyse(STEADY + [30], improvement="decrease", target=40)
    assert summary(r) == (
        "Special cause concern: the latest point is above the upper limit. "
        "The process will consistently meet the target of 40."
    )


def test_summary_says_when_limits_are_trial_limits():
    assert summary(analyse([1, 2, 3, 2, 1])).endswith(
        "These are trial limits: the latest phase has 5 points (13 or more are needed)."
    )


def test_describe_gives_the_numbers():
    # Moving ranges: eleven of 2 and one of 1, average 23/12; 2.66 * 23/12 = 5.098.
    text = describe(analyse(STEADY + [11]))
    assert "13 points" in text and "Mean 11" in text and "process limits 5.9 to 16.1" in text


def test_table_rows():
    r = analyse(STEADY + [30], improvement="decrease")
    rows = table_rows(r, labels=MONTHS[:13])
    assert len(rows) == 13
    label, value, mean, lower, upper, words, reason = rows[-1]
    assert (label, value) == ("2024-01", 30.0)
    assert mean == pytest.approx(162 / 13)
    assert lower < mean < upper
    assert words == "Special cause concern (above the upper limit)"
    assert reason == "outside the limits (above the upper limit)"
    assert rows[0].reason == "run of 7 below the mean"
    assert rows[0].point_type.startswith("Special cause improvement")


# --------------------------------------------------------------------------- command line


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "ward.csv"
    rows = ["month,restraints"] + [f"{m},{v:g}" for m, v in zip(MONTHS, CHANGED, strict=True)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_cli_prints_a_summary_and_writes_the_chart(csv_file, tmp_path, capsys):
    out_svg = tmp_path / "chart.svg"
    code = main(
        [
            str(csv_file),
            "--value",
            "restraints",
            "--date",
            "month",
            "--target",
            "9",
            "--rebase",
            "2024-01",
            "--svg",
            str(out_svg),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Points: 24 (2023-01 to 2024-12)" in out
    assert "Phases: 2 (new phases from 2024-01)" in out
    assert "Process limits: 9.68 to 17.66 (trial limits)" in out
    assert "Variation: Common cause variation" in out
    assert "Assurance: Consistently passes the target" in out
    assert parse(out_svg.read_text(encoding="utf-8")).get("role") == "img"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--value", "restraints"], "file not found"),
        (["{csv}", "--value", "nope"], "no column 'nope'"),
        (["{csv}", "--value", "restraints", "--date", "when"], "no column 'when'"),
        (["{csv}", "--value", "restraints", "--rebase", "2024-01"], "needs --date"),
        (["{csv}", "--value", "restraints", "--date", "month", "--rebase", "1999"], "no row"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code_2(csv_file, tmp_path, capsys, args, message):
    args = [a.replace("{csv}", str(csv_file)) for a in args]
    if args[0] == "missing.csv":
        args[0] = str(tmp_path / "missing.csv")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_names_the_line_with_a_bad_number(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("month,value\n2024-01,3\n2024-02,three\n", encoding="utf-8")
    assert main([str(path), "--value", "value"]) == 2
    assert "line 3" in capsys.readouterr().err


def test_cli_too_few_points(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text("value\n3\n", encoding="utf-8")
    assert main([str(path), "--value", "value"]) == 2
    assert "at least 2 points" in capsys.readouterr().err


def test_cli_bad_option_exits_2(csv_file, capsys):
    with pytest.raises(SystemExit) as exc:
        main([str(csv_file), "--value", "restraints", "--improvement", "up"])
    assert exc.value.code == 2


def test_a_flat_series_lost_in_rounding_still_draws():
    from coproduce.spc import analyse, render_svg

    svg = render_svg(analyse([1.4399999999999997] * 14))
    assert svg.startswith("<svg") and "</svg>" in svg
