from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.words import counted, hours, number, or_none, plural


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [
        (1, "week", "1 week"),
        (2, "week", "2 weeks"),
        (0, "week", "0 weeks"),
        (1, "lived experience partner", "1 lived experience partner"),
        (3, "lived experience partner", "3 lived experience partners"),
        (2, "person", "2 people"),
        (2, "activity", "2 activities"),
        (2, "day", "2 days"),
        (2, "coaching session", "2 coaching sessions"),
        (Decimal("1.5"), "hour", "1.5 hours"),
        (Decimal("1.0"), "hour", "1 hour"),
        (1250, "figure", "1,250 figures"),
        (None, "claim", "0 claims"),
    ],
)
def test_counted(n, word, expected):
    assert counted(n, word) == expected


def test_hours_and_number():
    assert hours(1) == "1 hour"
    assert hours(Decimal("2.25")) == "2.25 hours"
    assert number(2.5) == "2.5"
    assert number(3.0) == "3"


def test_plural_of_phrase_changes_only_last_word():
    assert plural("open PDSA cycle", 2) == "open PDSA cycles"
    assert plural("ward", 1) == "ward"


def test_or_none():
    assert or_none(None, "No target set") == "No target set"
    assert or_none("", "Not given") == "Not given"
    assert or_none(0, "Not given") == 0


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_only_one_is_singular(n):
    text = counted(n, "week")
    assert text.endswith("week") == (abs(n) == 1)
