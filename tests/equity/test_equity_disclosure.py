"""Rounding every published count on its own, and the bounds check behind it (ADR 120)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.equity import disclose, suppress_table
from coproduce.equity.disclosure import _lines_1d, _lines_2d, narrow


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "*"),
        (1, "*"),
        (2, "*"),
        (3, "*"),
        (4, "*"),
        (5, "5"),
        (6, "5"),
        (7, "5"),
        (8, "10"),
        (12, "10"),
        (13, "15"),
        (1232, "1230"),
        (1233, "1235"),
        (np.int64(18), "20"),
        (20.0, "20"),
    ],
)
def test_disclose(count, text):
    assert disclose(count) == text


def test_disclose_grouping():
    assert disclose(12_343, grouping=True) == "12,345"
    assert disclose(12_343) == "12345"


def test_disclose_arrays():
    assert disclose([0, 3, 12, 13]) == ["*", "*", "10", "15"]
    assert disclose(np.array([[5, 8], [1, 0]])) == [["5", "10"], ["*", "*"]]
    assert disclose([0, 3], show_zero=True) == ["0", "*"]


@pytest.mark.parametrize("bad", [-1, 2.5, float("nan"), "5", True, [1, -2]])
def test_disclose_rejects_bad_counts(bad):
    with pytest.raises(ValueError):
        disclose(bad)


@given(st.integers(min_value=5, max_value=10**9))
def test_rounding_is_within_two_and_a_multiple_of_five(n):
    shown = int(disclose(n))
    assert shown % 5 == 0 and abs(shown - n) <= 2


# ---------------------------------------------------------------------------------------
# 1-D tables


def test_every_count_and_its_total_are_rounded_on_their_own():
    # 3 and 0 are hidden; the others and the total (33) are each rounded from their exact
    # value, so the total less the shown cells (35 - 10 - 20 = 5) is not a hidden count.
    table = suppress_table([3, 0, 10, 20])
    assert table.cells == ["*", "*", "10", "20"]
    assert table.values == [None, None, 10, 20]
    assert table.reasons == ["primary", "primary", "", ""]
    assert table.shown.tolist() == [False, False, True, True]
    assert table.total == "35"
    assert suppress_table([3, 0, 10, 20], show_zero=True).cells == ["*", "0", "10", "20"]


def test_nothing_to_hide():
    table = suppress_table([10, 20, 30])
    assert table.cells == ["10", "20", "30"]
    assert table.total == "60"


def test_rounded_counts_are_not_added_up_into_the_total():
    # 12 + 12 + 12 = 36: the total is 35, not 10 + 10 + 10.
    table = suppress_table([12, 12, 12])
    assert table.cells == ["10", "10", "10"] and table.total == "35"


def test_a_total_that_would_pin_down_two_stars_is_hidden():
    # Two stars (1 to 4 each) and a total of "10" (8 to 12) leave only 4 and 4.
    table = suppress_table([4, 4])
    assert table.cells == ["*", "*"]
    assert table.total == "*"
    # With 3 and 4 (total 7, shown as "5": 5 to 7) nothing is pinned down.
    assert suppress_table([3, 4]).total == "5"


def test_small_total_is_hidden_too():
    table = suppress_table([3, 0, 0])
    assert table.cells == ["*", "*", "*"]
    assert table.total == "*"


def test_without_totals_only_the_cells():
    table = suppress_table([3, 10, 20], totals=False)
    assert table.cells == ["*", "10", "20"]
    assert table.total is None


def test_mask_hides_rates_where_counts_are_hidden():
    table = suppress_table([3, 0, 10, 20])
    assert table.mask([30.0, 0.0, 100.0, 200.0]) == [None, None, 100.0, 200.0]
    assert table.mask(np.array([1.5, 2.5, 3.5, 4.5])) == [None, None, 3.5, 4.5]
    with pytest.raises(ValueError, match="length"):
        table.mask([1, 2])


def test_parts_published_elsewhere_are_checked_with_the_table():
    # A provider with 8 (shown "10") whose two wards have 4 each (two stars): together
    # they pin the wards' counts down, so the provider's count is hidden.
    table = suppress_table([8, 40], parts=[[[4, 20], [4, 20]]])
    assert table.cells == ["*", "40"]
    assert table.reasons[0] == "secondary"
    # Without the wards the same table hides nothing.
    assert suppress_table([8, 40]).cells == ["10", "40"]


def test_parts_must_add_up_and_have_the_same_shape():
    with pytest.raises(ValueError, match="add up"):
        suppress_table([8, 40], parts=[[[4, 20], [3, 20]]])
    with pytest.raises(ValueError, match="shape"):
        suppress_table([8, 40], parts=[[[8], [40]]])


def test_narrow_gives_what_a_reader_can_work_out():
    # "*" (0 to 4), "5" (5 to 7) and a total of "5" (5 to 7): the star is at most 2.
    lo, hi = narrow([None, 5, 5], ["primary", "", ""], [([0, 1], 2)])
    assert (lo[0], hi[0]) == (0, 2)
    # Where zeros are shown a star is at least 1.
    lo, hi = narrow([None, 5, 5], ["primary", "", ""], [([0, 1], 2)], show_zero=True)
    assert (lo[0], hi[0]) == (1, 2)


def test_shown_zeros_and_stars_would_pin_down_small_counts_across_levels():
    # The case in the module's notes: wards 0, 0, 1 and 1, 1, 1 under a provider with
    # 1, 1, 2. With zeros hidden too, nothing can be pinned down.
    wards = [[0, 0, 1], [1, 1, 1]]
    table = suppress_table([1, 1, 2], parts=[wards])
    assert table.cells == ["*", "*", "*"]
    values = [None] * 12
    reasons = ["primary"] * 12
    lines = [([0, 1, 2], 3), ([4, 5, 6], 7), ([8, 9, 10], 11)]
    lines += [([4 + i, 8 + i], i) for i in range(4)]
    lo, hi = narrow(values, reasons, lines)
    assert all(lo[p] < hi[p] for p in range(12))
    shown = [None, None, None, None, 0, 0, None, None, None, None, None, None]
    lo, hi = narrow(shown, reasons, lines, show_zero=True)
    assert lo[2] == hi[2] == 2  # what showing the zeros would give away


# ---------------------------------------------------------------------------------------
# 2-D tables


def test_two_way_table():
    table = suppress_table([[3, 10, 20], [8, 12, 9], [30, 40, 50]])
    assert table.cells == [["*", "10", "20"], ["10", "10", "10"], ["30", "40", "50"]]
    assert table.reasons[0] == ["primary", "", ""]
    # 33, 29, 120; 41, 62, 79; 182: each rounded from its exact value.
    assert table.row_totals == ["35", "30", "120"]
    assert table.column_totals == ["40", "60", "80"]
    assert table.total == "180"
    assert table.mask([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == [
        [None, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
    ]


def test_a_row_that_pins_down_its_stars_has_its_total_hidden():
    table = suppress_table([[4, 4], [20, 30]])
    assert table.cells[0] == ["*", "*"]
    assert table.row_totals[0] == "*"


@pytest.mark.parametrize("bad", [[], [[1, 2], [3]], 5, [[-1, 2]]])
def test_suppress_table_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        suppress_table(bad)


def _published_grid(table, arr):
    """Published values and reasons of cells and totals, laid out as the full grid."""

    def value(text):
        return None if text == "*" else int(text)

    if arr.ndim == 1:
        values = [*table.values, value(table.total)]
        reasons = [*table.reasons, "secondary" if table.total == "*" and arr.sum() > 4 else ""]
        return values, reasons
    rows, cols = arr.shape
    values, reasons = [], []
    for i in range(rows):
        values += [*table.values[i], value(table.row_totals[i])]
        reasons += [*table.reasons[i], ""]
    values += [value(t) for t in table.column_totals] + [value(table.total)]
    reasons += [""] * (cols + 1)
    full = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    full[:rows, :cols] = arr
    full[:rows, cols] = arr.sum(axis=1)
    full[rows, :cols] = arr.sum(axis=0)
    full[rows, cols] = arr.sum()
    for p, n in enumerate(full.ravel()):
        if values[p] is None and not 1 <= n <= 4:
            reasons[p] = "secondary"
    return values, reasons


def _check(arr):
    table = suppress_table(arr)
    flat = arr.ravel()
    texts = np.array(table.cells, dtype=object).ravel()
    # Every cell is disclosed on its own: 0, * for 1 to 4, else the nearest 5.
    for value, text in zip(flat, texts, strict=True):
        assert text == disclose(int(value))
    values, reasons = _published_grid(table, arr)
    lines = _lines_1d(arr.shape[0]) if arr.ndim == 1 else _lines_2d(*arr.shape)
    full = (
        np.append(arr, arr.sum())
        if arr.ndim == 1
        else np.block([[arr, arr.sum(axis=1)[:, None]], [arr.sum(axis=0), arr.sum()]]).ravel()
    )
    # A shown total is its own exact total rounded, never a sum of rounded parts.
    for p, v in enumerate(values):
        if v is not None:
            assert str(v) == disclose(int(full[p]))
    # A reader who adds and subtracts cannot pin down any count that was not shown exactly,
    # and the true counts always lie inside what the reader can work out.
    lo, hi = narrow(values, reasons, lines)
    for p, n in enumerate(full):
        assert lo[p] <= n <= hi[p]
        if lo[p] == hi[p]:
            assert values[p] == 0 and n == 0


small = st.integers(min_value=0, max_value=40)


@settings(deadline=None, max_examples=200)
@given(st.lists(small, min_size=1, max_size=10))
def test_property_1d(values):
    _check(np.array(values))


@settings(deadline=None, max_examples=200)
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.lists(st.lists(small, min_size=c, max_size=c), min_size=r, max_size=r)
        )
    )
)
def test_property_2d(values):
    _check(np.array(values))


@settings(deadline=None, max_examples=200)
@given(st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=2, max_size=4))
def test_property_parts_cannot_be_pinned_down(wards):
    """A provider's table beside its wards' tables: no ward count and no provider count
    can be pinned down by setting one against the other."""
    wards_arr = np.array(wards)
    provider = wards_arr.sum(axis=0)
    table = suppress_table(provider, parts=[wards])
    n = len(provider)
    values = [*table.values, None if table.total == "*" else int(table.total)]
    reasons = [*table.reasons, ""]
    if values[n] is None and provider.sum() > 4:
        reasons[n] = "secondary"
    lines = _lines_1d(n)
    truth = [*provider, provider.sum()]
    for ward in wards_arr:
        base = len(values)
        # As the ward's own page shows it.
        ward_values, ward_reasons = _published_grid(suppress_table(ward), ward)
        values += ward_values
        reasons += ward_reasons
        total = int(ward.sum())
        lines.append(([base + i for i in range(n)], base + n))
        truth += [*ward, total]
    bases = [n + 1 + k * (n + 1) for k in range(len(wards))]
    for i in range(n + 1):
        lines.append(([b + i for b in bases], i))
    lo, hi = narrow(values, reasons, lines)
    for p, t in enumerate(truth):
        assert lo[p] <= t <= hi[p]
        if lo[p] == hi[p]:
            assert values[p] == 0 and t == 0
