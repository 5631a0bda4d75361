"""The period rule and the stalled-ward rule of reports and dashboards."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.reports.rules import (
    EARLIEST,
    NOT_STARTED,
    STALLED,
    Period,
    PeriodError,
    WardActivity,
    check_period,
    period_from,
    stalled_rank,
    stalled_weeks,
    ward_status,
    year_to,
)

TODAY = date(2026, 12, 3)
any_day = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(start=any_day, end=any_day, today=st.dates(EARLIEST, date(2100, 1, 1)))
def test_a_period_is_accepted_exactly_when_it_has_ended_and_runs_forwards(start, end, today):
    valid = EARLIEST <= start <= end <= today
    try:
        period = check_period(start, end, today)
    except PeriodError as exc:
        assert not valid
        assert exc.messages and all(m.endswith(".") for m in exc.messages.values())
    else:
        assert valid
        assert (period.starts_on, period.ends_on) == (start, end)
        assert start in period and end in period
        assert start - timedelta(days=1) not in period and end + timedelta(days=1) not in period


@given(start=st.dates(date(2001, 1, 1), TODAY), length=st.integers(0, 3000))
def test_the_last_report_is_the_period_of_the_same_length_just_before(start, length):
    period = Period(start, start + timedelta(days=length))
    before = period.previous()
    assert before.days == period.days
    assert before.ends_on == period.starts_on - timedelta(days=1)


@given(end=st.dates(date(2001, 1, 1), TODAY))
def test_the_default_period_is_the_twelve_months_to_its_end(end):
    period = year_to(end)
    assert period.ends_on == end
    assert period.days in (365, 366)


def test_a_period_ending_in_the_future_is_refused_not_replaced():
    with pytest.raises(PeriodError) as exc:
        period_from({"from": "2026-04-01", "to": "2027-03-31"}, TODAY)
    assert exc.value.messages == {"to": "The end of the period must be today or in the past."}


def test_a_reversed_period_is_refused():
    with pytest.raises(PeriodError) as exc:
        period_from({"from": "2026-03-31", "to": "2025-04-01"}, TODAY)
    assert exc.value.messages == {"from": "The start of the period must be before its end."}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-13-01", "to": "2026-01-01"}, "from"),
        ({"from": "2025-01-01", "to": "yesterday"}, "to"),
        ({"from": "0001-01-01", "to": "2026-01-01"}, "from"),
        ({"from": "2025-01-01\x00", "to": "2026-01-01"}, "from"),
    ],
)
def test_dates_that_are_not_dates_get_a_plain_message_on_their_field(params, field):
    with pytest.raises(PeriodError) as exc:
        period_from(params, TODAY)
    assert field in exc.value.messages
    assert "Enter" in exc.value.messages[field] or "1 January 2000" in exc.value.messages[field]


def test_no_dates_means_the_default_and_one_date_means_a_year_to_it():
    assert period_from({}, TODAY) == year_to(TODAY)
    default = Period(date(2026, 1, 1), date(2026, 6, 30))
    assert period_from({"from": "", "to": ""}, TODAY, default) == default
    assert period_from({"to": "2026-03-31"}, TODAY) == Period(date(2025, 4, 1), date(2026, 3, 31))


AS_AT = date(2026, 11, 30)


def _activity(project=True, figure_weeks=None, coached_weeks=None, missing=0):
    ago = lambda w: None if w is None else AS_AT - timedelta(weeks=w)  # noqa: E731
    return WardActivity(project, ago(figure_weeks), ago(coached_weeks), 3, missing)


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (_activity(project=False), NOT_STARTED),
        (_activity(project=True), STALLED),  # started, then nothing
        (_activity(project=False, figure_weeks=10), STALLED),  # figures once, not since
        (_activity(figure_weeks=5, coached_weeks=6), STALLED),
        (_activity(figure_weeks=5, coached_weeks=2), None),  # coached recently
        (_activity(figure_weeks=1), None),  # figures recently
        (_activity(figure_weeks=4), None),  # exactly four weeks ago still counts
    ],
)
def test_a_ward_is_not_started_stalled_or_under_way(activity, expected):
    assert ward_status(activity, AS_AT, 4) == expected


def test_stalled_wards_rank_by_how_long_then_how_much_is_missing():
    wards = {
        "quiet 5 weeks": _activity(figure_weeks=5, missing=3),
        "quiet 9 weeks": _activity(figure_weeks=9, missing=1),
        "quiet 9 weeks, more missing": _activity(figure_weeks=9, coached_weeks=12, missing=3),
        "never active": _activity(),
    }
    ranked = sorted(wards, key=lambda k: stalled_rank(wards[k], AS_AT))
    assert ranked == [
        "never active",
        "quiet 9 weeks, more missing",
        "quiet 9 weeks",
        "quiet 5 weeks",
    ]


def test_the_threshold_is_a_setting(settings):
    assert stalled_weeks() == 4
    settings.COPRODUCE_STALLED_WEEKS = 6
    assert stalled_weeks() == 6
    assert ward_status(_activity(figure_weeks=5), AS_AT, stalled_weeks()) is None
