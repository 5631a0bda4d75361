"""The rules for figures by group: one place, used by the form, the CSV import and the model."""

import contextlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.equity_web import rules
from coproduce.equity_web.models import GroupFigure
from coproduce.equity_web.services import FileProblems, parse_group_csv, save_figures

from .helpers import ward_measure

TODAY = date.today()


def _valid(period, count, denominator, frequency="monthly") -> bool:
    """What the rules say, worked out independently of them."""
    first = period.day == 1 if frequency == "monthly" else period.weekday() == 0
    current = TODAY.replace(day=1) if frequency == "monthly" else TODAY
    return (
        first
        and date(2000, 1, 1) <= period <= current
        and 0 <= count <= denominator
        and denominator >= 1
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 12, "denominator": 8}, "is more than its denominator (8)"),
        ({"count": -1, "denominator": 8}, "cannot be less than 0"),
        ({"count": 1, "denominator": 0}, "must be 1 or more"),
        ({"period_start": date(1900, 1, 1)}, "cannot start before 1 January 2000"),
        ({"period_start": date(2099, 1, 1)}, "has not started yet"),
        ({"period_start": date(2025, 1, 15)}, "is not the first day of a month"),
    ],
)
def test_each_rule_says_what_is_wrong_and_what_to_do(kwargs, message):
    figure = {"frequency": "monthly", "period_start": date(2025, 1, 1), "count": 3}
    figure |= {"denominator": 10} | kwargs
    problems = rules.figure_problems(**figure)
    assert len(problems) == 1 and message in problems[0]
    assert not problems[0][0].islower()


def test_a_good_figure_has_no_problems():
    assert (
        rules.figure_problems(
            frequency="weekly", period_start=date(2025, 1, 6), count=10, denominator=10
        )
        == []
    )


def test_the_form_refuses_a_count_above_its_denominator_and_odd_dates(client, world):
    wm = ward_measure(world.ward_a1)
    client.force_login(world.users["ward_member"])
    url = reverse("equity_web:entry", args=[wm.pk]) + "?dimension=ethnicity"
    html = client.post(
        url,
        {
            "period_start": "2099-01-01",
            "denominator_kind": "caseload",
            "count_0": "12",
            "denominator_0": "8",
            "count_1": "-2",
            "denominator_1": "8",
        },
    ).content.decode()
    assert "The count for White (12) is more than its denominator (8)" in html
    assert "The count for Mixed cannot be less than 0" in html
    assert "has not started yet" in html
    assert not GroupFigure.objects.exists()


def test_the_csv_import_refuses_the_same_figures(client, world):
    wm = ward_measure(world.ward_a1)
    text = (
        "period_start,ethnicity,count,denominator,denominator_kind\n"
        "1900-01-01,white,1,10,caseload\n"
        "2025-01-01,black,12,8,caseload\n"
        "2099-01-01,asian,1,10,caseload\n"
    )
    with pytest.raises(FileProblems) as raised:
        parse_group_csv(text, "monthly")
    errors = raised.value.errors
    assert errors[0].startswith("Line 2: The period cannot start before 1 January 2000")
    assert errors[1].startswith("Line 3: The count (12) is more than its denominator (8)")
    assert "Line 4: The period starting 1 January 2099 has not started yet" in errors[2]
    assert wm.pk and not GroupFigure.objects.exists()


def test_the_model_refuses_them_too(world):
    wm = ward_measure(world.ward_a1)
    figure = GroupFigure(
        ward_measure=wm,
        period_start=date(2025, 1, 1),
        count=12,
        denominator=8,
        denominator_kind="caseload",
        ethnicity="white",
    )
    with pytest.raises(ValidationError, match="more than its denominator"):
        figure.clean()


periods = st.dates(min_value=date(1890, 1, 1), max_value=date(2110, 12, 31))
counts = st.integers(min_value=-5, max_value=60)
denominators = st.integers(min_value=-2, max_value=60)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(period=periods, count=counts, denominator=denominators)
def test_nothing_invalid_is_stored_through_the_csv_path(world, period, count, denominator):
    wm = ward_measure(world.ward_a1)
    GroupFigure.objects.all().delete()
    text = (
        "period_start,ethnicity,count,denominator,denominator_kind\n"
        f"{period:%Y-%m-%d},white,{count},{denominator},caseload\n"
    )
    with contextlib.suppress(FileProblems):
        save_figures(wm, parse_group_csv(text, wm.measure.frequency), world.users["admin"])
    stored = list(GroupFigure.objects.all())
    assert bool(stored) == _valid(period, count, denominator)
    for f in stored:
        assert 0 <= f.count <= f.denominator and f.period_start <= TODAY


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(period=periods, count=counts, denominator=denominators)
def test_nothing_invalid_is_stored_through_the_form(client, world, period, count, denominator):
    wm = ward_measure(world.ward_a1)
    GroupFigure.objects.all().delete()
    client.force_login(world.users["ward_member"])
    client.post(
        reverse("equity_web:entry", args=[wm.pk]) + "?dimension=ethnicity",
        {
            "period_start": f"{period:%Y-%m-%d}",
            "denominator_kind": "caseload",
            "count_0": str(count),
            "denominator_0": str(denominator),
        },
    )
    assert GroupFigure.objects.exists() == _valid(period, count, denominator)


@settings(max_examples=60, deadline=None)
@given(period=periods, count=counts, denominator=denominators)
def test_the_service_refuses_what_the_rules_refuse(period, count, denominator):
    problems = rules.figure_problems(
        frequency="weekly", period_start=period, count=count, denominator=denominator
    )
    assert (problems == []) == _valid(period, count, denominator, "weekly")


def test_the_current_period_may_be_entered_but_not_the_next():
    this_month = TODAY.replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    assert rules.period_problem("monthly", this_month) is None
    assert "has not started yet" in rules.period_problem("monthly", next_month)
