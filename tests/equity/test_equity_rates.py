"""Crude rates, rate ratios and directly standardised rates."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.equity import Estimate, byar_limits, crude_rate, rate_ratio, standardised_rate
from coproduce.equity.rates import NO_EVENTS, Z95, ZERO_BOTH, ZERO_COUNT, ZERO_REFERENCE

# ---------------------------------------------------------------------------------------
# Crude rate: hand-computed cases


def test_crude_rate_fifty_events():
    # O = 50, population 100,000, per 100,000 -> rate 50.
    # lower = 50 * (1 - 1/450 - 1.959964/(3*sqrt(50)))^3
    #       = 50 * (1 - 0.0022222 - 0.0923936)^3 = 50 * 0.9053842^3 = 50 * 0.742162 = 37.108
    # upper = 51 * (1 - 1/459 + 1.959964/(3*sqrt(51)))^3
    #       = 51 * (1 - 0.0021786 + 0.0914833)^3 = 51 * 1.0893046^3 = 51 * 1.292552 = 65.920
    est = crude_rate(50, 100_000)
    assert est.value == 50.0
    assert est.lower == pytest.approx(37.108, abs=0.001)
    assert est.upper == pytest.approx(65.920, abs=0.001)
    assert est.estimable is True
    assert est.reason is None


def test_crude_rate_zero_count():
    # O = 0: lower is 0 by definition.
    # upper = 1 * (1 - 1/9 + 1.959964/3)^3 = (0.8888889 + 0.6533213)^3 = 1.5422102^3 = 3.66801
    # per 100,000 over a population of 1,000: 3.66801 * 100 = 366.801
    est = crude_rate(0, 1_000)
    assert (est.value, est.lower) == (0.0, 0.0)
    assert est.upper == pytest.approx(366.801, abs=0.001)


def test_crude_rate_single_event():
    # O = 1: lower = (1 - 1/9 - 0.6533213)^3 = 0.2355676^3 = 0.0130721
    # upper = 2 * (1 - 1/18 + 1.959964/(3*sqrt(2)))^3 = 2 * (0.9444444 + 0.4619679)^3
    #       = 2 * 1.4064124^3 = 2 * 2.781878 = 5.563756
    # per 1,000 over 10,000 people: divide by 10.
    est = crude_rate(1, 10_000, per=1_000)
    assert est.value == pytest.approx(0.1)
    assert est.lower == pytest.approx(0.0130721 / 10, rel=1e-5)
    assert est.upper == pytest.approx(0.5563756, rel=1e-5)


@pytest.mark.parametrize(
    ("count", "exact_lower", "exact_upper"),
    # Exact Poisson 95% limits from standard tables; Byar is within 1% from 10 upwards.
    [(10, 4.7954, 18.3904), (30, 20.2409, 42.8269), (100, 81.3639, 121.6280)],
)
def test_byar_close_to_exact_poisson(count, exact_lower, exact_upper):
    lower, upper = byar_limits(count)
    assert lower == pytest.approx(exact_lower, rel=0.01)
    assert upper == pytest.approx(exact_upper, rel=0.01)


def test_scalars_give_floats_and_arrays_give_arrays():
    est = crude_rate(5, 1000)
    assert all(type(v) is float for v in est)
    arr = crude_rate(np.array([5, 6]), np.array([1000, 2000]))
    assert all(isinstance(v, np.ndarray) and v.shape == (2,) for v in arr)
    assert list(arr.estimable) == [True, True]


def test_estimate_unpacks_like_a_tuple():
    value, lower, upper = crude_rate(10, 1000)
    assert lower < value < upper


def test_scalar_population_broadcasts_over_array_counts():
    est = crude_rate([1, 2, 3], 1000)
    assert est.value.tolist() == pytest.approx([100.0, 200.0, 300.0])


# ---------------------------------------------------------------------------------------
# Rate ratio


def test_rate_ratio_hand_computed():
    # a = 20 of 1,000 against b = 10 of 1,000: RR = 2.
    # se(ln RR) = sqrt(1/20 + 1/10) = sqrt(0.15) = 0.3872983; z * se = 0.7590908
    # lower = 2 * exp(-0.7590908) = 2 * 0.4680918 = 0.9361837
    # upper = 2 * exp(+0.7590908) = 2 * 2.1363330 = 4.2726659
    est = rate_ratio(20, 1000, 10, 1000)
    assert est.value == pytest.approx(2.0)
    assert est.lower == pytest.approx(0.9361837, rel=1e-6)
    assert est.upper == pytest.approx(4.2726659, rel=1e-6)


def test_rate_ratio_different_populations():
    # 262 per 100,000 (524 of 200,000) against 65.5 per 100,000 (2,620 of 4,000,000) = 4.0
    est = rate_ratio(524, 200_000, 2620, 4_000_000)
    assert est.value == pytest.approx(4.0)
    half = Z95 * math.sqrt(1 / 524 + 1 / 2620)
    assert est.lower == pytest.approx(4.0 * math.exp(-half))
    assert est.upper == pytest.approx(4.0 * math.exp(half))


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [(0, 10, ZERO_COUNT), (10, 0, ZERO_REFERENCE), (0, 0, ZERO_BOTH)],
)
def test_rate_ratio_zero_count_cannot_be_estimated(a, b, reason):
    est = rate_ratio(a, 1000, b, 1000)
    assert math.isnan(est.value) and math.isnan(est.lower) and math.isnan(est.upper)
    assert est.estimable is False
    assert est.reason == reason


def test_rate_ratio_arrays_mark_only_the_zero_element():
    est = rate_ratio([10, 0, 5], [1000, 1000, 1000], [5, 5, 5], [1000, 1000, 1000])
    assert est.estimable.tolist() == [True, False, True]
    assert np.isnan(est.value[1]) and not np.isinf(est.upper).any()
    assert est.reason.tolist() == [None, ZERO_COUNT, None]
    assert est.value[0] == pytest.approx(2.0)


# ---------------------------------------------------------------------------------------
# Directly standardised rate (Dobson)


def test_dobson_worked_example():
    # Two strata, equal standard weights (normalised to 0.5 each).
    # Stratum rates: 10/1000 = 0.01 and 20/4000 = 0.005.
    # DSR = 0.5*0.01 + 0.5*0.005 = 0.0075 -> 750 per 100,000.
    # var(DSR) = 0.25*10/1000^2 + 0.25*20/4000^2 = 2.5e-6 + 3.125e-7 = 2.8125e-6
    # O = 30, var(O) = 30, sqrt(var(DSR)/var(O)) = sqrt(9.375e-8) = 3.061862e-4
    # Byar for O = 30:
    #   O_L = 30 * (1 - 1/270 - 1.959964/(3*sqrt(30)))^3 = 30 * 0.8770167^3 = 20.23694
    #   O_U = 31 * (1 - 1/279 + 1.959964/(3*sqrt(31)))^3 = 31 * 1.1137557^3 = 42.82837
    # lower = 0.0075 + 3.061862e-4 * (20.23694 - 30) = 0.0045107 -> 451.07 per 100,000
    # upper = 0.0075 + 3.061862e-4 * (42.82837 - 30) = 0.0114279 -> 1142.79 per 100,000
    est = standardised_rate([10, 20], [1000, 4000], [1, 1])
    assert est.value == pytest.approx(750.0)
    assert est.lower == pytest.approx(451.07, abs=0.01)
    assert est.upper == pytest.approx(1142.79, abs=0.01)


def test_weights_are_normalised():
    a = standardised_rate([10, 20], [1000, 4000], [1, 1])
    b = standardised_rate([10, 20], [1000, 4000], [50_000, 50_000])
    assert tuple(a) == pytest.approx(tuple(b))


def test_single_stratum_equals_crude_rate():
    # With one stratum sqrt(var(DSR)/O) = 1/n, so the limits are O_L/n and O_U/n.
    assert tuple(standardised_rate([7], [3000], [1])) == pytest.approx(tuple(crude_rate(7, 3000)))


def test_no_events_cannot_be_estimated():
    est = standardised_rate([0, 0], [100, 100], [1, 1])
    assert est.estimable is False and est.reason == NO_EVENTS
    assert math.isnan(est.value)


def test_dsr_groups_by_strata():
    counts = [[10, 20], [0, 0], [3, 1]]
    pops = [[1000, 4000], [100, 100], [500, 800]]
    est = standardised_rate(counts, pops, [2, 3])
    assert est.value.shape == (3,)
    for i in range(3):
        one = standardised_rate(counts[i], pops[i], [2, 3])
        np.testing.assert_allclose(
            [est.value[i], est.lower[i], est.upper[i]], list(one), equal_nan=True
        )
    assert est.reason.tolist() == [None, NO_EVENTS, None]


def test_dobson_lower_limit_never_negative():
    # One rare, heavily weighted stratum and one common, lightly weighted one.
    est = standardised_rate([1, 500], [10, 1_000_000], [0.9, 0.1])
    assert est.lower >= 0.0


# ---------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: crude_rate(-1, 100), "must not be negative"),
        (lambda: crude_rate(2.5, 100), "whole numbers"),
        (lambda: crude_rate(float("nan"), 100), "NaN"),
        (lambda: crude_rate(3, 0), "greater than zero"),
        (lambda: crude_rate(3, -10), "greater than zero"),
        (lambda: crude_rate(3, float("nan")), "NaN"),
        (lambda: crude_rate(3, float("inf")), "finite"),
        (lambda: crude_rate("3", 100), "numbers"),
        (lambda: crude_rate(True, 100), "numbers"),
        (lambda: crude_rate(3, 100, per=0), "per"),
        (lambda: crude_rate([1, 2, 3], [10, 20]), "different lengths"),
        (lambda: rate_ratio([1, 2], [10, 20], [1, 2, 3], [10, 20, 30]), "different lengths"),
        (lambda: rate_ratio(1, 10, -1, 10), "ref_count must not be negative"),
        (lambda: rate_ratio(1, 10, 1, 0), "ref_population"),
        (lambda: standardised_rate(5, 100, [1]), "one value per stratum"),
        (lambda: standardised_rate([1, 2], [10, 20, 30], [1, 1]), "different shapes"),
        (lambda: standardised_rate([1, 2], [10, 20], [1, 1, 1]), "one value per stratum"),
        (lambda: standardised_rate([1, 2], [10, 20], [1, -1]), "must not be negative"),
        (lambda: standardised_rate([1, 2], [10, 20], [0, 0]), "all be zero"),
        (lambda: standardised_rate([1, 2], [10, 0], [1, 1]), "greater than zero"),
        (lambda: standardised_rate([1, 2.2], [10, 10], [1, 1]), "whole numbers"),
    ],
)
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_whole_valued_floats_are_accepted():
    assert crude_rate(3.0, 100).value == pytest.approx(3000.0)


# ---------------------------------------------------------------------------------------
# Properties

counts = st.integers(min_value=0, max_value=1_000_000)
positive_counts = st.integers(min_value=1, max_value=1_000_000)
populations = st.floats(min_value=1.0, max_value=1e8, allow_nan=False, allow_infinity=False)


@settings(deadline=None, max_examples=200)
@given(counts, populations)
def test_crude_interval_contains_estimate(count, population):
    est = crude_rate(count, population)
    assert 0.0 <= est.lower <= est.value <= est.upper


@settings(deadline=None, max_examples=200)
@given(positive_counts, populations)
def test_ratio_of_identical_groups_is_one(count, population):
    est = rate_ratio(count, population, count, population)
    assert est.value == pytest.approx(1.0)
    assert est.lower < 1.0 < est.upper


@settings(deadline=None, max_examples=200)
@given(positive_counts, populations, positive_counts, populations)
def test_ratio_interval_contains_estimate(a, pa, b, pb):
    est = rate_ratio(a, pa, b, pb)
    assert est.lower <= est.value <= est.upper


@settings(deadline=None, max_examples=100)
@given(st.lists(st.tuples(counts, populations, counts, populations), min_size=1, max_size=8))
def test_arrays_match_scalars_one_by_one(rows):
    a, pa, b, pb = (np.array(col) for col in zip(*rows, strict=True))
    crude = crude_rate(a, pa)
    ratio = rate_ratio(a, pa, b, pb)
    for i in range(len(rows)):
        one = crude_rate(int(a[i]), float(pa[i]))
        assert [crude.value[i], crude.lower[i], crude.upper[i]] == pytest.approx(list(one))
        r = rate_ratio(int(a[i]), float(pa[i]), int(b[i]), float(pb[i]))
        np.testing.assert_allclose(
            [ratio.value[i], ratio.lower[i], ratio.upper[i]], list(r), equal_nan=True
        )
        assert ratio.reason[i] == r.reason


strata = st.integers(min_value=1, max_value=6)


@settings(deadline=None, max_examples=150)
@given(strata.flatmap(lambda k: st.tuples(
    st.lists(st.integers(0, 5000), min_size=k, max_size=k),
    st.lists(st.floats(100, 1e6), min_size=k, max_size=k),
    st.lists(st.floats(0.01, 10), min_size=k, max_size=k),
)))  # fmt: skip
def test_dsr_interval_contains_estimate(case):
    c, n, w = case
    est = standardised_rate(c, n, w)
    if sum(c) == 0:
        assert not est.estimable
    else:
        assert est.lower <= est.value * (1 + 1e-12) and est.value <= est.upper


@settings(deadline=None, max_examples=100)
@given(
    st.floats(1e-5, 1e-2),
    st.lists(st.floats(1000, 1e6), min_size=2, max_size=5),
    st.lists(st.floats(0.1, 10), min_size=5, max_size=5),
)
def test_equal_stratum_rates_give_that_rate(rate, pops, weights):
    # Build counts whose rate is the same in every stratum: populations = count / rate.
    c = [max(1, round(rate * p)) for p in pops]
    n = [ci / rate for ci in c]
    est = standardised_rate(c, n, weights[: len(c)])
    assert est.value == pytest.approx(rate * 100_000)


def test_estimate_type_is_public():
    assert isinstance(crude_rate(1, 1), Estimate)
