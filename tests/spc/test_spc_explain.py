"""Charts that explain themselves, chart suggestions, and funnel plots."""

import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.spc import (
    CHART_CHOICES,
    CHARTS,
    analyse,
    describe,
    funnel,
    funnel_table_rows,
    render_funnel_svg,
    render_svg,
    suggest_chart,
    suggest_rebase,
    summary,
    table_rows,
)
from coproduce.spc.chart import _text_width
from coproduce.spc.funnel import _binomial_limit, _poisson_limit

NS = "{http://www.w3.org/2000/svg}"
STEADY = [12.0, 10.0] * 6


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


def point_titles(svg):
    data = parse(svg).find(f".//{NS}g[@class='spc-data']")
    return [g.find(f"{NS}title").text for g in data.findall(f"{NS}g")]


def label_texts(svg):
    group = parse(svg).find(f".//{NS}g[@class='spc-labels']")
    return [(t.text, float(t.get("x")), float(t.get("y")), t.get("text-anchor")) for t in group]


# --------------------------------------------------------------------------- reasons


@pytest.mark.parametrize(
    ("values", "index", "reason"),
    [
        (STEADY + [30], -1, "outside the limits (above the upper limit)"),
        (STEADY + [15, 15.5, 12], -3, "2 of 3 near the upper limit"),
        (STEADY + [13] * 7, -1, "run of 7 above the mean"),
        (STEADY + [5.9, 6, 7, 8, 9, 10, 11], -1, "trend of 7 rising"),
    ],
)
def test_every_coloured_point_says_which_rule(values, index, reason):
    r = analyse(values, fix_after_n_points=12)
    rows = table_rows(r)
    assert rows[index].reason == reason
    assert point_titles(render_svg(r))[index].endswith(f": {reason}.")
    assert rows[0].reason == ""
    assert point_titles(render_svg(r))[0] == "1: 12. Common cause."


def test_run_chart_reason_and_words():
    r = analyse(list(range(1, 17)), chart="run")
    assert table_rows(r)[-1].reason == "run longer than expected (run chart), above the median"
    assert table_rows(r)[0].reason == "run longer than expected (run chart), below the median"
    assert summary(r).startswith("Special cause improvement since 9: 8 points in a row above")
    assert table_rows(r)[0].lower is None and table_rows(r)[0].upper is None


def test_run_chart_summary_without_a_signal():
    r = analyse([3, 5, 4, 6, 2, 7, 3, 5, 4, 6, 2, 7], chart="run")
    assert summary(r) == "No signal yet: the runs and crossings are as expected."
    assert describe(r).startswith("Run chart of 12 points. Higher values are better. Median 4.5")
    assert "no process limits" in describe(r)


def test_run_chart_summary_with_too_few_crossings():
    # 20 points, 3 crossings (6 expected); the last 5 are not a long run.
    r = analyse([1] * 5 + [9] * 5 + [1] * 5 + [9] * 5, chart="run")
    assert summary(r) == (
        "A signal in the runs analysis: the line crosses the median 3 times "
        "(fewer than 6 is unusual)."
    )


def test_p_chart_words_in_percent():
    r = analyse([18, 19, 17, 18, 19] * 3, chart="p", n=[20] * 15, multiplier=100, target=50)
    text = summary(r)
    assert "the target of 50%" in text
    d = describe(r)
    assert d.startswith("P chart of 15 points.")
    assert "Mean 91%" in d and "at the latest point" in d
    assert "Target 50%" in render_svg(r)


def test_g_chart_runs_are_about_the_median():
    # Baseline median 3 and mean 4 (2-sigma line 12.94): seven 8s are a run above the median.
    r = analyse([1, 2, 3, 10, 9, 4, 2, 5, 1, 3, 6, 2] + [8] * 7, chart="g", fix_after_n_points=12)
    assert table_rows(r)[-1].reason == "run of 7 above the median"
    assert "Median" in describe(r)


# --------------------------------------------------------------------------- chart labels


def test_mean_and_limits_labelled_at_each_phase_end():
    values = [10, 12] * 7 + [20, 22] * 7
    texts = [t[0] for t in label_texts(render_svg(analyse(values, rebase_at=[14], target=0)))]
    for expected in ["Mean 11", "Upper 16.32", "Lower 5.68", "Mean 21", "Upper 26.32"]:
        assert expected in texts
    assert "Target 0" in texts


def test_run_chart_draws_the_median_and_no_limits():
    svg = render_svg(analyse([3, 5, 4, 6, 2, 7, 3, 5, 4, 6, 2, 7], chart="run"))
    texts = [t[0] for t in label_texts(svg)]
    assert texts == ["Median 4.5"]
    assert "Process limits" not in svg and "Upper" not in svg
    assert "Median" in parse(svg).find(f".//{NS}g[@class='spc-legend']")[-1].text


def test_labels_never_collide():
    # The target sits on the mean and the trial-limit note on the upper limit.
    r = analyse(STEADY, target=11)
    labels = label_texts(render_svg(r))
    boxes = []
    for text, x, y, anchor in labels:
        width = _text_width(text, 10)
        x0 = x - width if anchor == "end" else x
        boxes.append((x0, x0 + width, y))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = a[0] < b[1] and b[0] < a[1]
            assert not (overlap_x and abs(a[2] - b[2]) < 10), (a, b)


def font_sizes(element, inherited=None):
    size = element.get("font-size", inherited)
    if element.tag.endswith("text"):
        yield float(size)
    for child in element:
        yield from font_sizes(child, size)


def test_compact_chart_text_is_12_px_or_more_at_343_px():
    r = analyse(STEADY + [13] * 7, target=9, rebase_at=[12])
    svg = render_svg(
        r,
        compact=True,
        title="Fictional ward with a long name: patients told their rights within a day",
        annotations=[(12, "PDSA 1: a new handover form for every shift")],
    )
    root = parse(svg)
    assert root.get("viewBox") == "0 0 343 440"
    sizes = list(font_sizes(root))
    assert sizes and min(sizes) >= 12
    # The long title wraps onto two lines, the second shortened with an ellipsis.
    heads = [t.text for t in root.findall(f"{NS}text") if t.get("font-weight") == "bold"]
    assert len(heads) == 2 and heads[1].endswith("…")
    # Every text stays inside the chart.
    for t in root.iter(f"{NS}text"):
        if t.get("x") is not None:
            assert 0 <= float(t.get("x")) <= 343


def test_default_chart_still_draws_at_760():
    assert parse(render_svg(analyse(STEADY))).get("viewBox") == "0 0 760 420"


def test_p_chart_draws_each_points_limits_as_steps():
    r = analyse([3, 5, 4, 6, 2], chart="p", n=[20, 25, 20, 30, 25])
    limits = parse(render_svg(r)).find(f".//{NS}g[@class='spc-limits']")
    steps = [e for e in limits if e.tag == f"{NS}polyline"]
    assert len(steps) == 2  # upper and lower, each a step line over the five points
    assert len(steps[0].get("points").split()) == 10


# --------------------------------------------------------------------------- suggestions


def test_chart_choices_cover_every_chart():
    assert [c[0] for c in CHART_CHOICES] == list(CHARTS)
    assert all(name and len(why) < 100 for _code, name, why in CHART_CHOICES)


def test_suggest_chart():
    steady = [20, 22, 19, 21, 20, 23, 18, 21, 22, 20, 19, 21]
    assert suggest_chart("proportion", steady, n=[100] * 12)[0] == "p"
    # Proportions from 10% to 90% of 1,000: far more spread than binomial.
    wide = [100, 900, 150, 850, 200, 800, 120, 880, 160, 840, 110, 890]
    code, reason = suggest_chart("proportion", wide, n=[1000] * 12)
    assert code == "pp" and "too tight" in reason
    assert suggest_chart("rate", steady, n=[500] * 12)[0] == "u"
    assert suggest_chart("count", steady)[0] == "c"
    assert suggest_chart("days_between", steady)[0] == "t"
    assert suggest_chart("cases_between", steady)[0] == "g"
    assert suggest_chart("minutes", steady)[0] == "xmr"
    code, reason = suggest_chart("count", steady[:8])
    assert code == "run" and "8 points" in reason
    with pytest.raises(ValueError, match="denominators"):
        suggest_chart("rate", steady)


def test_suggest_rebase_after_a_sustained_shift():
    r = analyse(STEADY + [10.5, 13, 14, 13, 14, 13, 14, 13], fix_after_n_points=12)
    s = suggest_rebase(r, 12)
    assert s.suggest and s.start == 13 and s.length == 7 and s.side == "above"
    assert "from point 14" in s.reason
    assert r.phase_starts == (0,)  # nothing changed


def test_suggest_rebase_without_a_shift():
    r = analyse(STEADY + [13, 9, 13, 9, 13])
    s = suggest_rebase(r, 12)
    assert not s.suggest and s.start is None and s.length == 1
    with pytest.raises(ValueError, match="after_index"):
        suggest_rebase(r, 40)


# --------------------------------------------------------------------------- funnel limits


def test_exact_binomial_limits_by_hand():
    # Binomial(4, 1/2): P(X <= 3) = 15/16 and P(X <= 4) = 1. The 97.5% point is 4,
    # interpolated back by (1 - 0.975) / (1/16) = 0.4: (4 - 0.4) / 4 = 0.9.
    assert _binomial_limit(4, 0.5, 0.975) == pytest.approx(0.9)
    # P(X = 0) = 1/16: the 2.5% point is 0 less (1/16 - 0.025) / (1/16) = 0.6.
    assert _binomial_limit(4, 0.5, 0.025) == pytest.approx(-0.15)


def test_exact_poisson_limits_by_hand():
    # Poisson(1): P(X <= 2) = 0.9196986, P(X <= 3) = 0.9810118. The 97.5% point is 3,
    # less (0.9810118 - 0.975) / (0.9810118 - 0.9196986) = 0.0980511.
    assert _poisson_limit(1, 1.0, 0.975) == pytest.approx(2.9019489, abs=1e-6)


UNITS_N = [120, 80, 200, 150, 60, 300, 90, 110, 250, 175]
UNITS_Y = [24, 15, 41, 33, 12, 57, 20, 21, 48, 36]


def test_funnel_flags_a_unit_far_above():
    num = [*UNITS_Y[:-1], 120]  # 120 of 175 against a pooled rate near 20%
    r = funnel(num, UNITS_N, multiplier=100, labels=[f"Ward {i}" for i in range(10)])
    far = r.units[-1]
    assert far.outside_998 == "high" and far.outside_95 == "high"
    assert far.z > 3
    assert r.target == pytest.approx(100 * sum(num) / sum(UNITS_N))
    assert all(u.outside_95 is None for u in r.units[:-1])
    rows = funnel_table_rows(r)
    assert rows[-1].status == "Above the 99.8% limits"
    assert rows[0].status == "Within the limits"


def test_funnel_limits_widen_for_small_denominators():
    r = funnel(UNITS_Y, UNITS_N, overdispersion=False)
    assert r.adjustment == "none"
    # Exact limits step a little with the whole numbers, but narrow overall.
    quarter = len(r.curve_denominators) // 4
    assert r.curve_upper_95[:quarter].mean() > r.curve_upper_95[-quarter:].mean()
    assert r.curve_lower_95[:quarter].mean() < r.curve_lower_95[-quarter:].mean()
    assert np.all(r.curve_upper_998 >= r.curve_upper_95)
    assert np.all(r.curve_lower_998 <= r.curve_lower_95)
    small, large = (
        min(r.units, key=lambda u: u.denominator),
        max(r.units, key=lambda u: u.denominator),
    )
    assert small.upper_95 - small.lower_95 > large.upper_95 - large.lower_95


def test_overdispersion_widens_the_limits_both_ways():
    num = [10, 60, 15, 55, 12, 80, 30, 9, 70, 20]
    plain = funnel(num, UNITS_N, overdispersion=False)
    re_ = funnel(num, UNITS_N)
    mult = funnel(num, UNITS_N, method="multiplicative")
    assert re_.overdispersed and re_.adjustment == "random_effects" and re_.tau2 > 0
    assert mult.adjustment == "multiplicative" and mult.phi > 1
    target = re_.target
    se = math.sqrt(target * (1 - target) / UNITS_N[0])
    assert re_.units[0].upper_998 == pytest.approx(target + 3.0902323 * math.sqrt(se**2 + re_.tau2))
    assert mult.units[0].upper_95 == pytest.approx(target + 1.959964 * math.sqrt(mult.phi) * se)
    for adjusted in (re_, mult):
        assert adjusted.units[0].upper_95 > plain.units[0].upper_95
        assert sum(u.outside_998 is not None for u in adjusted.units) < sum(
            u.outside_998 is not None for u in plain.units
        )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 500), st.floats(0, 1)), min_size=2, max_size=25),
    st.sampled_from(["proportion", "rate"]),
)
def test_phi_is_at_least_one_and_tau2_not_negative(units, kind):
    den = [d for d, _ in units]
    num = [round(d * s) for d, s in units]
    r = funnel(num, den, kind=kind)
    assert r.phi >= 1 and r.tau2 >= 0
    assert all(u.lower_998 <= u.lower_95 <= u.upper_95 <= u.upper_998 for u in r.units)
    if kind == "proportion":
        assert all(u.lower_998 >= 0 and u.upper_998 <= 1 for u in r.units)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([1, 2], [10]), {}, "2 numerators but 1 denominators"),
        (([1, 2], [10, 0]), {}, "more than 0: unit 2 is 0"),
        (([1, 12], [10, 10]), {}, "more than its denominator: unit 2 is 12 out of 10"),
        (([1, -2], [10, 10]), {"kind": "rate"}, "cannot be negative"),
        (([1], [10]), {}, "at least 2 units"),
        (([1, 2], [10, 10]), {"kind": "odds"}, "kind must be"),
        (([1, 2], [10, 10]), {"method": "other"}, "method must be"),
        (([1, 2], [10, 10]), {"labels": ["a"]}, "labels has 1 entries"),
    ],
)
def test_funnel_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        funnel(*args, **kwargs)


def test_funnel_svg_is_accessible_and_names_each_unit():
    num = [*UNITS_Y[:-1], 120]
    r = funnel(num, UNITS_N, multiplier=100, labels=[f"Ward <{i}>" for i in range(10)])
    svg = render_funnel_svg(r, title="Fictional wards & rights", unit_label="ward")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Fictional wards & rights"
    desc = root.find(f"{NS}desc").text
    assert desc.startswith("Funnel plot of 10 wards against the pooled proportion of")
    assert "Above the 99.8% limits: Ward <9>." in desc
    titles = point_titles(svg)
    assert len(titles) == 10
    assert titles[-1] == "Ward <9>: 68.57% (120 of 175). Above the 99.8% limits."
    assert titles[0].endswith("Within the limits.")
    assert "<0>" not in svg
    compact = parse(render_funnel_svg(r, compact=True, id_prefix="f2"))
    assert min(font_sizes(compact)) >= 12
    ids = re.findall(r' id="([^"]+)"', svg)
    assert all(i.startswith("funnel-") for i in ids)


# --------------------------------------------------------------------------- snapshots


def check_snapshot(name, svg):
    path = Path(__file__).parent / "snapshots" / name
    if os.environ.get("SPC_UPDATE_SNAPSHOTS") == "1":
        path.write_text(svg, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with SPC_UPDATE_SNAPSHOTS=1 to create it"
    assert svg == path.read_text(encoding="utf-8")


def test_snapshot_compact_p_chart_in_percent():
    # Fictional ward: rights explained within 24 hours, out of each week's detentions.
    den = [12, 15, 9, 14, 11, 13, 10, 16, 12, 14, 11, 13, 15, 12, 14, 13]
    num = [9, 11, 7, 10, 8, 10, 8, 12, 11, 13, 10, 12, 14, 11, 13, 12]
    r = analyse(num, chart="p", n=den, multiplier=100, target=90)
    svg = render_svg(r, title="Fictional ward E: rights explained in 24 hours", compact=True)
    check_snapshot("p_chart_compact.svg", svg)


def test_snapshot_funnel():
    r = funnel(
        [*UNITS_Y[:-1], 120], UNITS_N, multiplier=100, labels=[f"Ward {c}" for c in "ABCDEFGHIJ"]
    )
    check_snapshot("funnel.svg", render_funnel_svg(r, title="Fictional wards", unit_label="ward"))
