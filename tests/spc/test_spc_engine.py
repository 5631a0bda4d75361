"""The SPC engine through its public API: hand-worked cases, then properties.

Most rule cases sit on a fixed baseline of 12 points alternating 12, 10 (ending
below the mean): its mean is 11 and every moving range is 2, so the limits are
11 +/- 2.66 * 2 (5.68 and 16.32) and the near-limit lines 11 +/- (2/3) * 5.32
(about 7.4533 and 14.5467).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.spc import analyse, analyse_many

BASE = [12.0, 10.0] * 6
C = "common_cause"
IMP = "special_cause_improvement"
CON = "special_cause_concern"


def fixed(tail, **kwargs):
    kwargs.setdefault("fix_after_n_points", 12)
    return analyse(BASE + list(tail), **kwargs)


def tail_types(result, n):
    return result.point_type[-n:]


# --------------------------------------------------------------------------- limits


def test_baseline_mean_limits_and_no_signal():
    r = analyse(BASE)
    assert r.mean == pytest.approx([11.0] * 12)
    assert r.upper == pytest.approx([16.32] * 12)
    assert r.lower == pytest.approx([5.68] * 12)
    assert r.point_type == [C] * 12
    assert r.variation == "common_cause"
    assert r.assurance is None
    assert r.trial_limits is True
    assert isinstance(r.mean, np.ndarray)


def test_thirteen_points_are_no_longer_trial_limits():
    assert analyse([*BASE, 10.0]).trial_limits is False
    assert analyse(BASE).trial_limits is True


def test_screening_drops_a_large_moving_range_once():
    # Moving ranges: twelve of 1 and one of 29; their mean is 41/13, and 29 is more
    # than 3.267 times that, so it is dropped and the average becomes 1.
    values = [1, 2] * 6 + [1, 30]
    r = analyse(values)
    assert r.mean[0] == pytest.approx(49 / 14)
    assert r.upper[0] == pytest.approx(49 / 14 + 2.66 * 1)
    assert r.lower[0] == pytest.approx(49 / 14 - 2.66 * 1)
    off = analyse(values, screen_outliers=False)
    assert off.upper[0] == pytest.approx(49 / 14 + 2.66 * 41 / 13)
    assert off.lower[0] == pytest.approx(49 / 14 - 2.66 * 41 / 13)


def test_screening_is_done_once_only():
    # Moving ranges 1 x 12, 8, 40: mean 5.38, cut-off 17.6 drops only 40. A second
    # pass would drop 8 as well (new mean 1.54, cut-off 5.0), which must not happen.
    values = [0, 1] * 6 + [0, 8, 48]
    r = analyse(values)
    assert r.upper[0] - r.mean[0] == pytest.approx(2.66 * (12 + 8) / 13)


def test_constant_series_has_limits_on_the_mean():
    r = analyse([5, 5, 5, 5])
    assert list(r.mean) == [5, 5, 5, 5]
    assert list(r.upper) == [5, 5, 5, 5]
    assert list(r.lower) == [5, 5, 5, 5]
    assert r.point_type == [C] * 4


def test_fixed_baseline_uses_only_the_first_n_points():
    r = analyse([*BASE, 100, 100, 100])
    assert r.mean[0] != pytest.approx(11.0)
    f = fixed([100, 100, 100])
    assert f.mean == pytest.approx([11.0] * 15)
    assert f.upper == pytest.approx([16.32] * 15)
    assert tail_types(f, 3) == [IMP] * 3


def test_fixed_baseline_longer_than_the_series_uses_all_points():
    a = analyse([*BASE, 13], fix_after_n_points=20)
    b = analyse([*BASE, 13])
    assert np.array_equal(a.upper, b.upper)


# --------------------------------------------------------------------------- outside limits


def test_point_above_upper_limit():
    r = fixed([17])
    assert r.point_type[-1] == IMP
    assert r.signal[-1] == "outside_limits"
    assert r.variation == "improvement_high"
    d = fixed([17], improvement="decrease")
    assert d.point_type[-1] == CON
    assert d.variation == "concern_high"


def test_point_below_lower_limit():
    r = fixed([5])
    assert r.point_type[-1] == CON
    assert r.variation == "concern_low"
    d = fixed([5], improvement="decrease")
    assert d.point_type[-1] == IMP
    assert d.variation == "improvement_low"


def test_point_exactly_on_the_limit_is_not_outside():
    upper = fixed([]).upper[0]
    r = fixed([upper])
    assert r.signal[-1] is None
    assert r.point_type[-1] == C


def test_neutral_direction_labels_by_side():
    high = fixed([17], improvement="neutral", target=3)
    assert high.point_type[-1] == "special_cause_neutral_high"
    assert high.variation == "neutral_high"
    assert high.assurance is None
    low = fixed([5], improvement="neutral")
    assert low.point_type[-1] == "special_cause_neutral_low"
    assert low.variation == "neutral_low"


# --------------------------------------------------------------------------- runs


def test_seven_points_above_the_mean_are_a_run():
    r = fixed([11.5] * 7)
    assert tail_types(r, 8) == [C] + [IMP] * 7
    assert r.signal[-7:] == ["run"] * 7
    assert r.variation == "improvement_high"


def test_six_points_are_not_a_run():
    assert fixed([11.5] * 6).point_type == [C] * 18


def test_a_point_on_the_mean_breaks_a_run():
    r = fixed([11.5] * 3 + [11] + [11.5] * 3)
    assert r.point_type == [C] * 19


def test_run_below_the_mean_on_a_decrease_measure_is_improvement():
    r = fixed([12] + [10.5] * 7, improvement="decrease")
    assert tail_types(r, 8) == [C] + [IMP] * 7
    assert r.variation == "improvement_low"


def test_run_below_on_an_increase_measure_is_concern():
    r = fixed([12] + [10.5] * 7)
    assert tail_types(r, 8) == [C] + [CON] * 7
    assert r.variation == "concern_low"


# --------------------------------------------------------------------------- trends


INCREASING = [9.5, 10, 10.5, 11.5, 12, 12.5, 13]  # crosses the mean: no run


def test_seven_increasing_points_are_a_trend():
    r = fixed(INCREASING)
    assert tail_types(r, 8) == [C] + [IMP] * 7
    assert r.signal[-7:] == ["trend"] * 7


def test_a_tie_breaks_a_trend():
    r = fixed([9.5, 10, 10.5, 10.5, 12, 12.5, 13])
    assert r.point_type == [C] * 19


def test_six_increasing_points_are_not_a_trend():
    r = fixed(INCREASING[1:])
    assert r.point_type == [C] * 18


def test_decreasing_trend_on_a_decrease_measure_is_improvement():
    r = fixed(INCREASING[::-1], improvement="decrease")
    assert r.signal[-7:] == ["trend"] * 7
    assert tail_types(r, 7) == [IMP] * 7
    assert r.variation == "improvement_low"
    n = fixed(INCREASING[::-1], improvement="neutral")
    assert tail_types(n, 7) == ["special_cause_neutral_low"] * 7


def test_trend_takes_precedence_over_run_and_is_labelled_by_its_direction():
    # Seven increasing points all below the mean: a run below (concern) and a rising
    # trend (improvement). The trend wins.
    r = fixed([7.5, 8, 8.5, 9, 9.5, 10, 10.5])
    assert r.signal[-7:] == ["trend"] * 7
    assert tail_types(r, 7) == [IMP] * 7


def test_outside_takes_precedence_over_trend():
    r = fixed([9.5, 10, 10.5, 11.5, 12, 12.5, 17])
    assert r.signal[-7:] == ["trend"] * 6 + ["outside_limits"]
    assert tail_types(r, 7) == [IMP] * 7


def test_trend_does_not_cross_a_phase_break():
    # 10 then 10.2 ... 11.4 then 12 rise nine times in a row, across index 15.
    values = BASE + [10.2, 10.4, 10.6, 10.8, 11.0, 11.2, 11.4] + BASE
    assert analyse(values).signal[11:20] == ["trend"] * 9
    assert analyse(values, rebase_at=[15]).signal == [None] * len(values)


# --------------------------------------------------------------------------- two of three


def test_two_of_three_near_the_upper_limit_flags_only_the_near_points():
    r = fixed([15, 12, 15])
    assert tail_types(r, 3) == [IMP, C, IMP]
    assert r.signal[-3:] == ["two_of_three", None, "two_of_three"]


def test_two_of_three_needs_all_three_on_the_same_side():
    assert tail_types(fixed([15, 10, 15]), 3) == [C, C, C]


def test_two_near_points_need_a_third_point_on_the_same_side():
    # The window is three points of the phase: two near points at the end, after a
    # point below the mean, are not (yet) a signal.
    assert tail_types(fixed([15, 15]), 2) == [C, C]
    assert tail_types(fixed([12, 15, 15]), 3) == [C, IMP, IMP]


def test_one_near_point_is_not_a_signal():
    assert tail_types(fixed([12, 15, 12]), 3) == [C, C, C]


def test_two_of_three_near_the_lower_limit():
    r = fixed([7, 10, 7])
    assert tail_types(r, 3) == [CON, C, CON]
    assert r.variation == "concern_low"


def test_a_point_beyond_the_limit_does_not_count_as_near():
    # As in the reference implementation, "near" means between the near line and
    # the limit: the point outside is a signal on its own; the near one is not.
    r = fixed([15, 17, 12])
    assert tail_types(r, 3) == [C, IMP, C]


def test_two_of_three_takes_precedence_over_run():
    r = fixed([11.5] * 5 + [15, 15])
    assert r.signal[-7:] == ["run"] * 5 + ["two_of_three"] * 2


# --------------------------------------------------------------------------- assurance


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", 5, "consistent_pass"),
        ("increase", 17, "consistent_fail"),
        ("increase", 11, "inconsistent"),
        ("decrease", 17, "consistent_pass"),
        ("decrease", 5, "consistent_fail"),
        ("decrease", 11, "inconsistent"),
        ("neutral", 5, None),
        ("increase", None, None),
    ],
)
def test_assurance(improvement, target, expected):
    assert fixed([], improvement=improvement, target=target).assurance == expected


def test_target_on_the_limit_is_inconsistent():
    lower = fixed([]).lower[0]
    assert fixed([], target=lower).assurance == "inconsistent"


def test_assurance_uses_the_latest_phase():
    values = [10, 12] * 7 + [30, 32] * 7
    assert analyse(values, target=20).assurance == "inconsistent"
    assert analyse(values, target=20, rebase_at=[14]).assurance == "consistent_pass"


# --------------------------------------------------------------------------- phases


def test_each_phase_has_its_own_limits():
    values = [10, 12] * 7 + [20, 22] * 7
    r = analyse(values, rebase_at=[14])
    assert r.mean == pytest.approx([11] * 14 + [21] * 14)
    assert r.upper == pytest.approx([16.32] * 14 + [26.32] * 14)
    assert r.point_type == [C] * 28
    assert r.trial_limits is False
    assert r.phase_starts == (0, 14)
    assert analyse(values, rebase_at=[16]).trial_limits is True


def test_rebase_at_zero_changes_nothing():
    a, b = analyse(BASE, rebase_at=[0]), analyse(BASE)
    assert np.array_equal(a.upper, b.upper) and a.phase_starts == (0,)


def test_fixed_baseline_applies_in_every_phase():
    values = BASE + [50, 50] + [20, 22] * 6 + [0]
    r = analyse(values, rebase_at=[14], fix_after_n_points=12)
    assert r.mean[:14] == pytest.approx([11] * 14)
    assert r.mean[14:] == pytest.approx([21] * 13)
    assert r.point_type[12:14] == [IMP, IMP]
    assert r.point_type[-1] == CON


def test_a_phase_of_one_point_has_no_limits():
    r = analyse([1, 2, 3], rebase_at=[2])
    assert r.mean[2] == 3 and math.isnan(r.upper[2])
    assert r.point_type == [C] * 3
    assert r.trial_limits is True


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": [1]}, "at least 2 points"),
        ({"values": []}, "at least 2 points"),
        ({"values": [1, float("nan"), 3]}, "finite"),
        ({"values": [1, float("inf"), 3]}, "finite"),
        ({"values": [1, "x"]}, "numbers"),
        ({"values": [1, 2], "improvement": "up"}, "improvement"),
        ({"values": [1, 2, 3], "rebase_at": [3]}, "out of range"),
        ({"values": [1, 2, 3], "rebase_at": [-1]}, "out of range"),
        ({"values": [1, 2, 3], "rebase_at": [1.5]}, "whole-number"),
        ({"values": [1, 2, 3], "fix_after_n_points": 5}, "12 or more"),
        ({"values": [1, 2, 3], "target": float("nan")}, "finite"),
    ],
)
def test_bad_input_raises_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        analyse(**kwargs)


def test_analyse_many_names_the_bad_series():
    with pytest.raises(ValueError, match="series 1"):
        analyse_many([[1, 2, 3], [1]])
    with pytest.raises(ValueError, match="series 1"):
        analyse_many(np.array([[1, 2, 3], [1, np.nan, 3]]))
    with pytest.raises(ValueError, match="series 0"):
        analyse_many([[1, 2, 3], [1, 2]], rebase_at=[[5], []])
    with pytest.raises(ValueError, match="improvement"):
        analyse_many([[1, 2, 3], [1, 2]], improvement=["increase", "sideways"])


# --------------------------------------------------------------------------- analyse_many


def test_analyse_many_with_padding_and_per_series_settings():
    rows = [BASE + [30], [1, 2, 3, 4, 5, 6, 7], [5, 5]]
    batch = analyse_many(
        rows, improvement=["increase", "decrease", "neutral"], target=[10, None, 1]
    )
    assert len(batch) == 3
    assert batch.values.shape == (3, 13)
    assert batch.variation == ["improvement_high", "concern_high", "common_cause"]
    assert batch.assurance == ["inconsistent", None, None]
    # 1 and 7 are outside the limits (4 +/- 2.66); the rest are a rising trend.
    assert batch[1].point_type == [IMP] + [CON] * 6
    assert batch[1].signal == ["outside_limits"] + ["trend"] * 5 + ["outside_limits"]
    assert math.isnan(batch.mean[1, 8])
    assert batch.point_code[2, 2] == -1


def test_analyse_many_accepts_a_padded_matrix_and_a_rebase_mask():
    m = np.full((2, 28), np.nan)
    m[0] = [10, 12] * 7 + [20, 22] * 7
    m[1, :5] = [1, 2, 3, 4, 5]
    mask = np.zeros(m.shape, dtype=bool)
    mask[0, 14] = True
    batch = analyse_many(m, rebase_at=mask)
    assert batch[0].phase_starts == (0, 14)
    assert batch[1].values.tolist() == [1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- reference


def reference(values, improvement, target, rebase_at, fix, screen):
    """A plain, point-by-point reading of the rules, to check the engine against."""
    n = len(values)
    starts = sorted({0, *rebase_at})
    ends = [*starts[1:], n]
    sign = {"increase": 1, "decrease": -1, "neutral": 0}[improvement]
    mean_line, lower_line, upper_line, types = [], [], [], []
    last_limits = None
    for start, end in zip(starts, ends, strict=True):
        y = list(values[start:end])
        base = y[:fix] if fix else y
        mean = sum(base) / len(base)
        ranges = [abs(base[i] - base[i - 1]) for i in range(1, len(base))]
        amr = sum(ranges) / len(ranges) if ranges else math.nan
        if screen and ranges:
            kept = [m for m in ranges if m < 3.267 * amr]
            amr = sum(kept) / len(kept) if kept else (0.0 if amr == 0 else math.nan)
        upper, lower = mean + 2.66 * amr, mean - 2.66 * amr
        near_up = mean + 2 * (2.66 / 3) * amr
        near_low = mean - 2 * (2.66 / 3) * amr
        last_limits = (lower, upper)
        k = len(y)
        side = [(v > mean) - (v < mean) for v in y]
        outside = [v > upper or v < lower for v in y]
        near = [not o and (v > near_up or v < near_low) for v, o in zip(y, outside, strict=True)]
        run, trend, two = [False] * k, [False] * k, [False] * k
        for i in range(6, k):
            window = side[i - 6 : i + 1]
            if window[0] != 0 and all(s == window[0] for s in window):
                run[i - 6 : i + 1] = [True] * 7
            steps = [y[j] - y[j - 1] for j in range(i - 5, i + 1)]
            if all(s > 0 for s in steps) or all(s < 0 for s in steps):
                trend[i - 6 : i + 1] = [True] * 7
        for i in range(k - 2):
            trio = side[i : i + 3]
            if trio[0] != 0 and all(s == trio[0] for s in trio) and sum(near[i : i + 3]) >= 2:
                for j in range(i, i + 3):
                    two[j] = two[j] or near[j]
        for i in range(k):
            if outside[i]:
                high = side[i] > 0
            elif trend[i]:
                # The step to the next point if it is in a trend, else the step in.
                step = (i, i + 1) if i + 1 < k and trend[i + 1] else (i - 1, i)
                high = step[0] >= 0 and y[step[1]] > y[step[0]]
            elif two[i] or run[i]:
                high = side[i] > 0
            else:
                types.append(C)
                continue
            if sign == 0:
                types.append("special_cause_neutral_" + ("high" if high else "low"))
            else:
                types.append(IMP if (1 if high else -1) == sign else CON)
        mean_line += [mean] * k
        lower_line += [lower] * k
        upper_line += [upper] * k
    last = types[-1]
    if last == C:
        variation = "common_cause"
    elif last.startswith("special_cause_neutral"):
        variation = last.removeprefix("special_cause_")
    else:
        kind = "improvement" if last == IMP else "concern"
        high = (last == IMP) == (sign == 1)
        variation = f"{kind}_{'high' if high else 'low'}"
    assurance = None
    if target is not None and sign != 0:
        lower, upper = last_limits
        if (lower > target) if sign == 1 else (upper < target):
            assurance = "consistent_pass"
        elif (upper < target) if sign == 1 else (lower > target):
            assurance = "consistent_fail"
        else:
            assurance = "inconsistent"
    return {
        "mean": mean_line,
        "lower": lower_line,
        "upper": upper_line,
        "point_type": types,
        "variation": variation,
        "assurance": assurance,
        "trial_limits": ends[-1] - starts[-1] < 13,
    }


# Quarter steps keep the sums exact, so the engine and the reference can be compared
# exactly; a small range makes ties, points on the mean and runs common.
quarters = st.integers(min_value=-40, max_value=40).map(lambda v: v / 4)


@st.composite
def series_settings(draw, max_len=45):
    values = draw(st.lists(quarters, min_size=2, max_size=max_len))
    n = len(values)
    rebase = draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))
    return {
        "values": values,
        "improvement": draw(st.sampled_from(["increase", "decrease", "neutral"])),
        "target": draw(st.none() | quarters),
        "rebase_at": sorted(rebase),
        "fix_after_n_points": draw(st.none() | st.integers(12, 20)),
        "screen_outliers": draw(st.booleans()),
    }


def same_array(a, b):
    return np.array_equal(np.asarray(a, float), np.asarray(b, float), equal_nan=True)


@settings(max_examples=300, deadline=None)
@given(series_settings())
def test_engine_matches_the_point_by_point_reference(kw):
    r = analyse(**kw)
    ref = reference(
        kw["values"],
        kw["improvement"],
        kw["target"],
        kw["rebase_at"],
        kw["fix_after_n_points"],
        kw["screen_outliers"],
    )
    assert r.point_type == ref["point_type"]
    assert same_array(r.mean, ref["mean"])
    assert same_array(r.lower, ref["lower"])
    assert same_array(r.upper, ref["upper"])
    assert r.variation == ref["variation"]
    assert r.assurance == ref["assurance"]
    assert r.trial_limits == ref["trial_limits"]


@settings(max_examples=60, deadline=None)
@given(st.lists(series_settings(max_len=30), min_size=1, max_size=8), st.booleans())
def test_analyse_many_equals_analyse(settings_list, as_matrix):
    keys = ["improvement", "target", "rebase_at", "fix_after_n_points", "screen_outliers"]
    values = [s["values"] for s in settings_list]
    if as_matrix:
        width = max(len(v) for v in values)
        values = np.array([v + [np.nan] * (width - len(v)) for v in values])
    batch = analyse_many(values, **{k: [s[k] for s in settings_list] for k in keys})
    assert len(batch) == len(settings_list)
    for i, s in enumerate(settings_list):
        one, many = analyse(**s), batch[i]
        for name in ["values", "mean", "lower", "upper", "near_lower", "near_upper", "phase"]:
            assert same_array(getattr(one, name), getattr(many, name)), name
        for name in ["point_type", "signal", "variation", "assurance", "trial_limits"]:
            assert getattr(one, name) == getattr(many, name), name
        assert same_array(batch.mean[i, : len(one)], one.mean)


finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(st.lists(finite, min_size=2, max_size=40), finite)
def test_shifting_values_shifts_the_limits(values, shift):
    a = analyse(values)
    b = analyse([v + shift for v in values])
    for name in ["mean", "lower", "upper"]:
        assert np.allclose(getattr(b, name), getattr(a, name) + shift, atol=1e-6), name


@settings(max_examples=100, deadline=None)
@given(
    st.lists(finite, min_size=2, max_size=40),
    st.floats(min_value=1e-3, max_value=1e3),
)
def test_scaling_values_scales_the_limits(values, scale):
    a = analyse(values)
    b = analyse([v * scale for v in values])
    for name in ["mean", "lower", "upper"]:
        assert np.allclose(getattr(b, name), getattr(a, name) * scale, atol=1e-6), name
