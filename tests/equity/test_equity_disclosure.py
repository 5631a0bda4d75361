"""Rounding, primary suppression and complementary suppression."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.equity import disclose, suppress_table
from coproduce.equity.disclosure import _lines_1d, _lines_2d


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0"),
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
    assert disclose([0, 3, 12, 13]) == ["0", "*", "10", "15"]
    assert disclose(np.array([[5, 8], [1, 0]])) == [["5", "10"], ["*", "0"]]


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


def test_one_hidden_cell_forces_the_next_smallest():
    # 3 is hidden; with the total 33 shown it could be worked out as 33 - 10 - 20, so the
    # next smallest non-zero cell (10) is hidden too. The zero stays shown.
    table = suppress_table([3, 0, 10, 20])
    assert table.cells == ["*", "0", "*", "20"]
    assert table.reasons == ["primary", "", "secondary", ""]
    assert table.shown.tolist() == [False, True, False, True]
    assert table.total == "35"


def test_nothing_to_hide():
    table = suppress_table([10, 20, 30])
    assert table.cells == ["10", "20", "30"]
    assert table.total == "60"


def test_two_small_cells_protect_each_other():
    table = suppress_table([2, 3, 50])
    assert table.cells == ["*", "*", "50"]
    assert table.reasons == ["primary", "primary", ""]


def test_small_total_is_hidden_too():
    table = suppress_table([3, 0, 0])
    assert table.cells == ["*", "0", "0"]
    assert table.total == "*"


def test_equal_candidates_take_the_first():
    table = suppress_table([10, 3, 10])
    assert table.cells == ["*", "*", "10"]


def test_without_totals_only_primary():
    table = suppress_table([3, 10, 20], totals=False)
    assert table.cells == ["*", "10", "20"]
    assert table.total is None


def test_mask_hides_rates_where_counts_are_hidden():
    table = suppress_table([3, 0, 10, 20])
    assert table.mask([30.0, 0.0, 100.0, 200.0]) == [None, 0.0, None, 200.0]
    assert table.mask(np.array([1.5, 2.5, 3.5, 4.5])) == [None, 2.5, None, 4.5]
    with pytest.raises(ValueError, match="length"):
        table.mask([1, 2])


# ---------------------------------------------------------------------------------------
# 2-D tables


def test_two_way_table():
    # Row 0 [3, 10, 20]: 3 hidden, so 10 (next smallest) is hidden.
    # Column 0 [3, 8, 30]: 3 alone hidden, so 8 is hidden.
    # Column 1 [10, 12, 40]: 10 alone hidden, so 12 is hidden.
    # Row 1 [8, 12, 9] now has two hidden cells; every line has 0 or 2 hidden.
    table = suppress_table([[3, 10, 20], [8, 12, 9], [30, 40, 50]])
    assert table.cells == [["*", "*", "20"], ["*", "*", "10"], ["30", "40", "50"]]
    assert table.reasons[0] == ["primary", "secondary", ""]
    assert table.row_totals == ["35", "30", "120"]
    assert table.column_totals == ["40", "60", "80"]
    assert table.total == "180"
    assert table.mask([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == [
        [None, None, 3],
        [None, None, 6],
        [7, 8, 9],
    ]


def test_small_row_total_is_protected_through_the_grand_total():
    # Row 0 sums to 4 and is hidden; the row totals with the grand total form a line, so
    # another row total is hidden as well.
    table = suppress_table([[4, 0], [20, 30], [40, 60]])
    assert table.row_totals[0] == "*"
    assert table.row_totals.count("*") == 2


@pytest.mark.parametrize("bad", [[], [[1, 2], [3]], 5, [[-1, 2]]])
def test_suppress_table_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        suppress_table(bad)


def _hidden_grid(table, arr):
    """Hidden flags for cells and totals laid out as the full grid, for checking."""
    if arr.ndim == 1:
        return [not s for s in table.shown] + [table.total == "*"]
    rows, cols = arr.shape
    out = []
    for i in range(rows):
        out += [not s for s in table.shown[i]] + [table.row_totals[i] == "*"]
    out += [c == "*" for c in table.column_totals] + [table.total == "*"]
    return out


def _check_no_line_has_a_single_hidden_value(arr):
    table = suppress_table(arr)
    hidden = _hidden_grid(table, arr)
    lines = _lines_1d(arr.shape[0]) if arr.ndim == 1 else _lines_2d(*arr.shape)
    for cells, total in lines:
        assert sum(hidden[p] for p in [*cells, total]) != 1
    flat = arr.ravel()
    shown = table.shown.ravel()
    texts = np.array(table.cells, dtype=object).ravel()
    for value, ok, text in zip(flat, shown, texts, strict=True):
        if 1 <= value <= 4:
            assert not ok and text == "*"
        if value == 0:
            assert ok and text == "0"
        if ok:
            assert text == disclose(int(value))


small = st.integers(min_value=0, max_value=40)


@settings(deadline=None, max_examples=200)
@given(st.lists(small, min_size=1, max_size=10))
def test_property_1d(values):
    _check_no_line_has_a_single_hidden_value(np.array(values))


@settings(deadline=None, max_examples=200)
@given(
    st.integers(1, 5).flatmap(
        lambda r: st.integers(1, 5).flatmap(
            lambda c: st.lists(st.lists(small, min_size=c, max_size=c), min_size=r, max_size=r)
        )
    )
)
def test_property_2d(values):
    _check_no_line_has_a_single_hidden_value(np.array(values))
