"""The chart family (run, p, p', u, u', c, g, t) and the runs analysis.

Every expected number below was worked out by hand from the chart's formula; the
working is in the comments.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.spc import CHARTS, analyse, analyse_many
from coproduce.spc.engine import crossings_min

C = "common_cause"
IMP = "special_cause_improvement"
CON = "special_cause_concern"


# --------------------------------------------------------------------------- p and p'

# Five weeks: 3/20, 5/25, 4/20, 6/30, 2/25. pbar = 20/120 = 1/6.
P_NUM = [3, 5, 4, 6, 2]
P_DEN = [20, 25, 20, 30, 25]


def test_p_chart_centre_and_each_points_limits():
    r = analyse(P_NUM, chart="p", n=P_DEN)
    assert r.chart == "p"
    assert r.value == pytest.approx([0.15, 0.2, 0.2, 0.2, 0.08])
    assert r.mean == pytest.approx([1 / 6] * 5)
    # sigma = sqrt((1/6)(5/6)/n): 1/12 for n = 20, so the upper limit is 1/6 + 3/12 = 5/12.
    # n = 25: sqrt(1/180) = 0.0745356; n = 30: sqrt(1/216) = 0.0680414.
    assert r.upper == pytest.approx([5 / 12, 0.3902735, 5 / 12, 0.3707908, 0.3902735], abs=1e-7)
    # 1/6 - 3 sigma is below 0 for every point: the lower limits become 0.
    assert list(r.lower) == [0, 0, 0, 0, 0]
    assert r.point_type == [C] * 5
    assert r.denominators.tolist() == P_DEN


def test_p_chart_multiplier_gives_percentages():
    r = analyse(P_NUM, chart="p", n=P_DEN, multiplier=100)
    assert r.value == pytest.approx([15, 20, 20, 20, 8])
    assert r.mean[0] == pytest.approx(100 / 6)
    assert r.upper[0] == pytest.approx(500 / 12)
    assert r.multiplier == 100


def test_p_upper_limit_is_capped_at_one_before_the_multiplier():
    # pbar = 9/10, n = 2: 0.9 + 3 * sqrt(0.09 / 2) = 1.536, capped at 1.
    r = analyse([2, 2, 1, 2, 2], chart="p", n=[2, 2, 2, 2, 2], multiplier=100)
    assert r.upper.tolist() == [100.0] * 5


def test_laney_p_prime_widens_by_sigma_z():
    r = analyse(P_NUM, chart="pp", n=P_DEN)
    # z = (p - 1/6) / sigma: -0.2, 0.4472136, 0.4, 0.4898979, -1.1627553.
    # Moving ranges 0.6472136, 0.0472136, 0.0898979, 1.6526532: mean 0.6092446
    # (none is 3.267 times the mean), so sigma_z = 0.6092446 / 1.128 = 0.5401105.
    assert r.sigma_z == pytest.approx((0.5401105,), abs=1e-7)
    assert r.upper[0] == pytest.approx(1 / 6 + 3 / 12 * 0.5401105, abs=1e-7)
    assert r.upper[0] == pytest.approx(0.3016943, abs=1e-7)
    assert r.mean[0] == pytest.approx(1 / 6)


def test_p_point_outside_its_own_limit():
    # 11 points of 10/100 and one of 30/100. pbar = 140/1200 = 0.11667,
    # sigma = sqrt(0.1166667 * 0.8833333 / 100) = 0.0321023: upper limit 0.2129736.
    r = analyse([10] * 11 + [30], chart="p", n=[100] * 12, improvement="decrease")
    assert r.upper[-1] == pytest.approx(0.2129736, abs=1e-6)
    assert r.point_type[-1] == CON
    assert r.signal[-1] == "outside_limits"
    assert r.variation == "concern_high"


def test_two_of_three_uses_each_points_two_sigma_line():
    # 20 weeks of 200/1000 then 3 of 65/250. pbar = 4195/20750 = 0.2021687; at n = 250
    # sigma = sqrt(0.2021687 * 0.7978313 / 250) = 0.0254006: 2-sigma line 0.2529699,
    # limit 0.2783705, so 0.26 is near the limit.
    r = analyse([200] * 20 + [65] * 3, chart="p", n=[1000] * 20 + [250] * 3)
    assert r.mean[0] == pytest.approx(4195 / 20750)
    assert r.near_upper[-1] == pytest.approx(0.2529699, abs=1e-6)
    assert r.upper[-1] == pytest.approx(0.2783705, abs=1e-6)
    assert r.signal[-3:] == ["two_of_three"] * 3
    assert r.point_type[-3:] == [IMP] * 3
    # 260/1000 instead: pbar = 4780/23000 = 0.2078261, sigma = 0.0128309, limit
    # 0.2463188, so 0.26 is outside it.
    s = analyse([200] * 20 + [260] * 3, chart="p", n=[1000] * 23)
    assert s.upper[-1] == pytest.approx(0.2463188, abs=1e-6)
    assert s.signal[-3:] == ["outside_limits"] * 3


# --------------------------------------------------------------------------- u and u'


def test_u_chart_limits_per_point_and_multiplier():
    # 200 events over 800 bed days: ubar = 0.25. n = 100: sigma = 0.05, limits 0.10
    # and 0.40; n = 200: sigma = sqrt(0.25 / 200) = 0.0353553, limits 0.1439340 and
    # 0.3560660. Per 1,000 bed days: times 1,000.
    r = analyse([20, 40, 30, 50, 60], chart="u", n=[100, 200, 100, 200, 200], multiplier=1000)
    assert r.value == pytest.approx([200, 200, 300, 250, 300])
    assert r.mean == pytest.approx([250] * 5)
    assert r.lower == pytest.approx([100, 143.934, 100, 143.934, 143.934], abs=1e-3)
    assert r.upper == pytest.approx([400, 356.066, 400, 356.066, 356.066], abs=1e-3)


def test_u_prime():
    r = analyse([20, 40, 30, 50, 60], chart="up", n=[100, 200, 100, 200, 200])
    # z = (u - 0.25) / sigma: -1, -1.4142136, 1, 0, 1.4142136. Moving ranges 0.4142136,
    # 2.4142136, 1, 1.4142136: mean 1.3106602, so sigma_z = 1.1619328.
    assert r.sigma_z == pytest.approx((1.1619328,), abs=1e-7)
    assert r.upper[0] == pytest.approx(0.25 + 3 * 0.05 * 1.1619328, abs=1e-7)


# --------------------------------------------------------------------------- c, g and t


def test_c_chart():
    # cbar = 16, sigma = 4: limits 4 and 28, 2-sigma lines 8 and 24.
    r = analyse([14, 18, 16, 12, 20], chart="c")
    assert r.mean.tolist() == [16] * 5
    assert r.lower.tolist() == [4] * 5 and r.upper.tolist() == [28] * 5
    assert r.near_lower.tolist() == [8] * 5 and r.near_upper.tolist() == [24] * 5


def test_c_chart_lower_limit_below_zero_becomes_zero():
    r = analyse([2, 4, 3, 5, 6], chart="c")  # cbar 4, sigma 2: 4 - 6 < 0
    assert r.lower.tolist() == [0] * 5 and r.upper.tolist() == [10] * 5


def test_g_chart_limits_from_the_mean_centre_on_the_median():
    # gbar = 5, sigma = sqrt(5 * 6) = 5.4772256: upper 21.4316767; median 3.
    r = analyse([1, 2, 3, 10, 9], chart="g")
    assert r.mean.tolist() == [3] * 5
    assert r.upper == pytest.approx([21.4316767] * 5)
    assert r.lower.tolist() == [0] * 5


def test_t_chart_transforms_and_back_transforms():
    # Times 2^3.6 and 3^3.6 alternate: transformed they are 2, 3, 2, 3, 2, 3 with mean
    # 2.5 and moving ranges all 1, so sigma = 1 / 1.128. Centre 2.5^3.6 = 27.0759704;
    # upper (2.5 + 3 / 1.128)^3.6 = 367.6291889; the lower limit is undefined: 0.
    r = analyse([2**3.6, 3**3.6] * 3, chart="t")
    assert r.mean == pytest.approx([27.0759704] * 6)
    assert r.upper == pytest.approx([367.6291889] * 6)
    assert r.lower.tolist() == [0] * 6


# --------------------------------------------------------------------------- run charts and runs


def test_run_chart_median_no_limits_and_a_long_run():
    r = analyse(list(range(1, 17)), chart="run")
    assert r.mean.tolist() == [8.5] * 16
    assert all(math.isnan(v) for v in [*r.lower, *r.upper])
    (runs,) = r.runs
    # 16 useful points: longest run allowed round(log2(16)) + 3 = 7, fewest crossings 4.
    assert (runs.useful, runs.longest_run, runs.longest_run_max) == (16, 8, 7)
    assert (runs["crossings"], runs["crossings_min"], runs["signal"]) == (1, 4, True)
    assert runs.as_dict()["start"] == 0
    assert r.point_type == [CON] * 8 + [IMP] * 8
    assert set(r.signal) == {"long_run"}
    assert r.assurance is None
    assert r.variation == "improvement_high"


def test_run_chart_without_a_signal():
    values = [3, 5, 4, 6, 2, 7, 3, 5, 4, 6, 2, 7]
    r = analyse(values, chart="run", target=3)
    assert r.mean.tolist() == [4.5] * 12
    assert r.runs[0].crossings == 11 and r.runs[0].signal is False
    assert r.point_type == [C] * 12
    assert r.assurance is None


def test_points_on_the_centre_line_are_not_useful_and_do_not_break_runs():
    # Median 5: the three 5s are skipped; 1 1 1 then 9 9 9 9: one crossing.
    r = analyse([1, 5, 1, 5, 1, 5, 9, 9, 9, 9], chart="run")
    assert r.runs[0].useful == 7
    assert r.runs[0].crossings == 1
    assert r.runs[0].longest_run == 4


def test_runs_analysis_for_every_chart_and_phase():
    values = [10, 12] * 7 + [20, 22] * 7
    r = analyse(values, rebase_at=[14])
    assert [x.start for x in r.runs] == [0, 14]
    assert [x.crossings for x in r.runs] == [13, 13]
    assert not any(x.signal for x in r.runs)


@pytest.mark.parametrize(
    ("useful", "expected"),
    # Anhoej's published table of the fewest crossings expected.
    [(1, 0), (10, 2), (11, 2), (12, 3), (14, 4), (16, 4), (17, 5), (19, 6), (20, 6), (30, 10)],
)
def test_crossings_min_is_the_5_percent_binomial_quantile(useful, expected):
    assert crossings_min(useful) == expected


def test_too_few_crossings_is_a_signal():
    # 20 useful points, 6 crossings needed; these cross 3 times.
    values = [1] * 5 + [9] * 5 + [1] * 5 + [9] * 5
    runs = analyse(values).runs[0]
    assert (runs.crossings, runs.crossings_min, runs.longest_run_max) == (3, 6, 7)
    assert runs.signal is True


# --------------------------------------------------------------------------- XmR mean


def test_xmr_mean_is_computed_as_r_does():
    # A plain double sum of ten 0.1s is 0.9999999999999999; R's mean gives 0.1.
    assert analyse([0.1] * 10).mean[0] == 0.1


def test_old_positional_direction_still_works():
    assert analyse([1, 2, 3, 4], "decrease").improvement == "decrease"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": [1, 2], "chart": "x"}, "chart must be one of"),
        ({"values": [1, 2], "chart": "p"}, "needs denominators"),
        ({"values": [1, 2], "chart": "u", "n": [1]}, "2 values"),
        ({"values": [1, 2], "chart": "p", "n": [1, 0]}, "more than 0: index 1 is 0"),
        ({"values": [1, 2], "chart": "up", "n": [1, -3]}, "more than 0"),
        ({"values": [1, 3], "chart": "p", "n": [2, 2]}, "more than its denominator"),
        ({"values": [1, -1], "chart": "u", "n": [2, 2]}, "cannot be negative"),
        ({"values": [1, -1], "chart": "c"}, "counts cannot be negative"),
        ({"values": [1, -1], "chart": "g"}, "cannot be negative"),
        ({"values": [1, 0], "chart": "t"}, "more than 0"),
        ({"values": [1, 2], "multiplier": 0}, "multiplier"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analyse(**kwargs)


def test_analyse_many_names_the_series():
    with pytest.raises(ValueError, match="series 1: a numerator cannot be more"):
        analyse_many([[1, 2], [1, 3]], chart="p", n=[[2, 2], [2, 2]])
    with pytest.raises(ValueError, match="series 1: this chart needs denominators"):
        analyse_many([[1, 2], [1, 3]], chart=["c", "u"], n=[[2, 2], None])
    with pytest.raises(ValueError, match="series 0: chart must be"):
        analyse_many([[1, 2], [1, 3]], chart=["q", "u"])


# --------------------------------------------------------------------------- properties


@st.composite
def chart_series(draw):
    chart = draw(st.sampled_from(CHARTS))
    size = draw(st.integers(2, 30))
    den = draw(st.lists(st.integers(1, 60), min_size=size, max_size=size))
    if chart in ("p", "pp"):
        num = [draw(st.integers(0, d)) for d in den]
    elif chart == "t":
        num = draw(st.lists(st.integers(1, 40), min_size=size, max_size=size))
    else:
        num = draw(st.lists(st.integers(0, 40), min_size=size, max_size=size))
    rebase = draw(st.lists(st.integers(0, size - 1), max_size=2, unique=True))
    return {
        "values": [float(v) for v in num],
        "chart": chart,
        "n": [float(d) for d in den] if chart in ("p", "pp", "u", "up") else None,
        "multiplier": draw(st.sampled_from([1, 100, 1000])),
        "improvement": draw(st.sampled_from(["increase", "decrease", "neutral"])),
        "target": draw(st.none() | st.integers(0, 40).map(float)),
        "rebase_at": sorted(rebase),
        "fix_after_n_points": draw(st.none() | st.integers(12, 20)),
        "screen_outliers": draw(st.booleans()),
    }


def same(a, b):
    return np.array_equal(np.asarray(a, float), np.asarray(b, float), equal_nan=True)


@settings(max_examples=80, deadline=None)
@given(st.lists(chart_series(), min_size=1, max_size=6), st.booleans())
def test_analyse_many_equals_analyse_for_every_chart(series, one_chart):
    if one_chart:
        series = [s for s in series if s["chart"] == series[0]["chart"]]
    keys = [k for k in series[0] if k != "values"]
    batch = analyse_many([s["values"] for s in series], **{k: [s[k] for s in series] for k in keys})
    assert batch.chart == [s["chart"] for s in series]
    for i, s in enumerate(series):
        one, many = analyse(**s), batch[i]
        for name in ["values", "mean", "lower", "upper", "near_lower", "near_upper", "phase"]:
            assert same(getattr(one, name), getattr(many, name)), name
        for name in ["point_type", "signal", "variation", "assurance", "trial_limits", "chart"]:
            assert getattr(one, name) == getattr(many, name), name
        assert one.runs == many.runs
        assert one.sigma_z == many.sigma_z or (
            np.allclose(one.sigma_z, many.sigma_z, equal_nan=True)
        )
        assert same(batch.upper[i, : len(one)], one.upper)


proportions = st.integers(2, 25).flatmap(
    lambda size: st.tuples(
        st.lists(st.integers(1, 200), min_size=size, max_size=size),
        st.lists(st.floats(0, 1), min_size=size, max_size=size),
    )
)


@settings(max_examples=80, deadline=None)
@given(proportions, st.integers(2, 50), st.sampled_from(["p", "pp", "u", "up"]))
def test_more_of_the_same_keeps_the_centre_and_tightens_p_and_u_limits(data, k, chart):
    den, share = data
    num = [round(d * s) for d, s in zip(den, share, strict=True)]
    a = analyse(num, chart=chart, n=den, screen_outliers=False)
    b = analyse([v * k for v in num], chart=chart, n=[d * k for d in den], screen_outliers=False)
    assert np.allclose(a.mean, b.mean) and np.allclose(a.value, b.value)
    if chart in ("p", "u"):
        # sigma shrinks by sqrt(k): the limits close in on the same centre.
        assert np.all(b.upper <= a.upper + 1e-12) and np.all(b.lower >= a.lower - 1e-12)
        open_ = a.upper < 1 if chart == "p" else np.ones(len(den), dtype=bool)
        width_a, width_b = a.upper - a.mean, b.upper - b.mean
        assert np.allclose(width_b[open_], width_a[open_] / math.sqrt(k))
    else:
        # Laney's sigma_z grows by sqrt(k) as each point's sigma shrinks by it: the
        # limits stay where they were.
        assert np.allclose(a.upper, b.upper) and np.allclose(a.lower, b.lower)


@settings(max_examples=80, deadline=None)
@given(proportions, st.sampled_from(["p", "pp"]))
def test_p_limits_stay_within_zero_and_one(data, chart):
    den, share = data
    num = [round(d * s) for d, s in zip(den, share, strict=True)]
    r = analyse(num, chart=chart, n=den)
    finite = np.isfinite(r.upper)
    assert np.all(r.lower[finite] >= 0) and np.all(r.upper[finite] <= 1)
    assert np.all(r.lower[finite] <= r.mean[finite]) and np.all(r.mean[finite] <= r.upper[finite])
