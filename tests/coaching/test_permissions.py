"""Who may log and change coaching. Each test fails if the check it names is removed."""

from django.urls import reverse

from coproduce.coaching import services
from coproduce.coaching.models import CoachingSession
from coproduce.programme.models import Role

from ..factories import MembershipFactory, UserFactory
from .factories import CoachingActionFactory, CoachingSessionFactory
from .test_coaching import _post


def test_a_coach_logs_for_the_wards_they_coach_and_their_provider(world):
    places = {value for value, _ in services.places_for(world.users["coach"])}
    assert places == {f"p:{world.provider_a.pk}", f"w:{world.ward_a1.pk}"}
    assert services.places_for(world.users["lead"]) == []
    admin_places = {value for value, _ in services.places_for(world.users["admin"])}
    assert f"w:{world.ward_b1.pk}" in admin_places and f"p:{world.provider_b.pk}" in admin_places


def test_a_provider_coach_logs_for_all_its_wards(world):
    coach = UserFactory(email="provider-coach@example.org")
    MembershipFactory(user=coach, role=Role.COACH, provider=world.provider_b)
    places = {value for value, _ in services.places_for(coach)}
    assert places == {f"p:{world.provider_b.pk}", f"w:{world.ward_b1.pk}"}


def test_people_who_do_not_coach_cannot_log_a_session(client, world):
    url = reverse("coaching:session-create")
    for who in ["observer", "lead", "ward_member", "partner"]:
        client.force_login(world.users[who])
        assert client.get(url).status_code == 403, who
        assert _post(client, place=f"w:{world.ward_a1.pk}").status_code == 403, who
        list_page = client.get(reverse("coaching:session-list")).content.decode()
        assert "Log a session" not in list_page, who
    assert not CoachingSession.objects.exists()


def test_another_coach_of_the_ward_cannot_change_or_delete_a_session(client, world):
    session = CoachingSessionFactory(
        ward=world.ward_a1, coach=world.users["coach"], topics="Handover"
    )
    other = UserFactory(email="second-coach@example.org")
    MembershipFactory(user=other, role=Role.COACH, ward=world.ward_a1)
    client.force_login(other)
    detail = client.get(reverse("coaching:session-detail", args=[session.pk]))
    assert "Change this session" not in detail.content.decode()
    edit = reverse("coaching:session-edit", args=[session.pk])
    data = {"place": f"w:{world.ward_a1.pk}", "topics": "Changed", "actions-TOTAL_FORMS": "0"}
    assert client.post(edit, data).status_code == 403
    assert client.post(reverse("coaching:session-delete", args=[session.pk])).status_code == 403
    session.refresh_from_db()
    assert session.topics == "Handover"
    client.force_login(world.users["admin"])
    assert client.get(edit).status_code == 200


def test_the_coach_changes_their_session_and_the_form_keeps_its_actions(client, world):
    session = CoachingSessionFactory(ward=world.ward_a1, coach=world.users["coach"])
    action = CoachingActionFactory(session=session)
    client.force_login(world.users["coach"])
    edit = reverse("coaching:session-edit", args=[session.pk])
    data = {
        "place": f"w:{world.ward_a1.pk}",
        "kind": "ward_coaching",
        "held_on": "2026-11-21",
        "duration_minutes": "90",
        "staff_attending": "2",
        "partners_attending": "1",
        "others_attending": "0",
        "topics": "Changed topics",
        "notes": "",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "1",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "10",
        "actions-0-id": str(action.pk),
        "actions-0-description": "A changed action",
        "actions-0-owner": "Ward manager",
        "actions-0-due_on": "",
    }
    response = client.post(edit, data)
    assert response.status_code == 302
    session.refresh_from_db()
    action.refresh_from_db()
    assert session.topics == "Changed topics" and session.duration_minutes == 90
    assert action.description == "A changed action"


def test_another_provider_cannot_tick_an_action(client, world):
    action = CoachingActionFactory(session__ward=world.ward_a1)
    client.force_login(world.users["other_lead"])
    assert client.post(reverse("coaching:action-done", args=[action.pk])).status_code == 404
    action.refresh_from_db()
    assert action.done_on is None


def test_only_people_who_may_change_the_work_see_the_tick_buttons(client, world):
    session = CoachingSessionFactory(ward=world.ward_a1, coach=world.users["coach"])
    CoachingActionFactory(session=session)
    url = reverse("coaching:session-detail", args=[session.pk])
    client.force_login(world.users["observer"])
    assert "Mark as done" not in client.get(url).content.decode()
    client.force_login(world.users["ward_member"])
    assert "Mark as done" in client.get(url).content.decode()
