"""Phase plans: bounded hours and dates, with plain messages."""

from decimal import Decimal

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from coproduce.programme import rules
from coproduce.programme.models import Phase


def _phase_post(client, **overrides):
    data = {
        "name": "Fictional phase",
        "starts_on": "2026-04-01",
        "ends_on": "2027-03-31",
        "planned_executive_hours_per_month": "1",
        "planned_ward_hours_per_week": "1.5",
        **overrides,
    }
    return client.post(reverse("programme:phase-create"), data)


def test_negative_or_huge_planned_hours_are_refused(client, world):
    client.force_login(world.users["admin"])
    before = Phase.objects.count()
    page = _phase_post(client, planned_ward_hours_per_week="-5").content.decode()
    assert "planned ward coaching must be between 0 and 40 hours" in page
    page = _phase_post(client, planned_executive_hours_per_month="999").content.decode()
    assert "planned executive coaching must be between 0 and 40 hours" in page
    assert "Ensure" not in page
    assert Phase.objects.count() == before
    assert _phase_post(client).status_code == 302
    assert Phase.objects.count() == before + 1


def test_phase_dates_outside_the_programme_years_are_refused(client, world):
    client.force_login(world.users["admin"])
    page = _phase_post(client, starts_on="1900-01-01").content.decode()
    assert "The start date must be between 2020 and 2040" in page
    page = _phase_post(client, ends_on="2026-01-01").content.decode()
    assert "The end date must be on or after the start date" in page
    assert page.count("The end date must be on or after the start date") <= 2  # summary + field


@given(st.decimals(min_value=-1000, max_value=1000, places=2))
def test_hours_rule(value):
    limit = rules.MAX_WARD_HOURS_PER_WEEK
    assert (rules.hours_problem(value, limit, "x") is None) == (Decimal(0) <= value <= limit)
