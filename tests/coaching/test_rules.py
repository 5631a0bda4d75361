"""The coaching rules: dates, numbers of people, same-day sessions, due dates, open actions."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from coproduce.coaching import rules
from coproduce.coaching.models import CoachingSession

from .factories import CoachingActionFactory, CoachingSessionFactory
from .test_coaching import _post


def _as_coach(client, world):
    client.force_login(world.users["coach"])
    return {"place": f"w:{world.ward_a1.pk}"}


def test_a_session_in_the_future_is_refused(client, world):
    place = _as_coach(client, world)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _post(client, held_on="2099-01-05", **place)
    assert "must be today or in the past" in response.content.decode()
    response = _post(client, held_on=future, **place)
    assert response.status_code == 200
    assert not CoachingSession.objects.exists()


def test_a_session_before_the_programme_is_refused(client, world):
    response = _post(client, held_on="1900-01-01", **_as_coach(client, world))
    assert "must be after 1 January 2023" in response.content.decode()
    assert not CoachingSession.objects.exists()


def test_no_one_taking_part_and_absurd_numbers_are_refused(client, world):
    place = _as_coach(client, world)
    response = _post(client, staff_attending="0", partners_attending="0", **place)
    assert "at least 1" in response.content.decode()
    response = _post(client, staff_attending="99999999999", **place)
    page = response.content.decode()
    assert "The number of staff must be between 0 and 200" in page
    assert "Ensure this value" not in page
    assert not CoachingSession.objects.exists()


def test_a_second_session_on_the_same_day_asks_first(client, world):
    place = _as_coach(client, world)
    assert _post(client, **place).status_code == 302
    response = _post(client, **place)
    assert "already logged for this place on this day" in response.content.decode()
    assert CoachingSession.objects.count() == 1
    assert _post(client, confirm_same_day="on", **place).status_code == 302
    assert CoachingSession.objects.count() == 2


def test_an_action_due_before_its_session_is_refused(client, world):
    place = _as_coach(client, world)
    response = _post(
        client,
        **place,
        **{
            "actions-0-description": "Share the new sheet",
            "actions-0-owner": "Ward manager",
            "actions-0-due_on": "2026-01-01",
        },
    )
    assert "on or after the date of the session" in response.content.decode()
    assert not CoachingSession.objects.exists()


def test_choosing_a_ward_shows_its_open_actions_without_a_query_string(client, world):
    earlier = CoachingSessionFactory(ward=world.ward_a1, held_on=date(2026, 11, 2))
    CoachingActionFactory(session=earlier, description="Fictional: try the handover sheet")
    client.force_login(world.users["admin"])
    page = client.get(reverse("coaching:session-create")).content.decode()
    assert "Fictional: try the handover sheet" in page
    assert f'data-place="w:{world.ward_a1.pk}"' in page


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=-5, max_value=500),
    st.integers(min_value=-5, max_value=500),
)
def test_attendance_rule_accepts_exactly_the_plausible_counts(staff, partners, others):
    problems = rules.attendance_problems(staff, partners, others)
    plausible = all(0 <= n <= rules.MAX_PEOPLE for n in (staff, partners, others))
    assert (not problems) == (plausible and staff + partners + others > 0)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
def test_session_date_rule(day):
    today = date(2026, 12, 1)
    ok = rules.EARLIEST_SESSION <= day <= today
    assert (rules.session_date_problem(day, today) is None) == ok
