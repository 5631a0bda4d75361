from datetime import date

from django.urls import reverse

from coproduce.coaching.models import CoachingAction, CoachingSession

from .factories import CoachingActionFactory, CoachingSessionFactory


def _post(client, **overrides):
    data = {
        "place": "",
        "kind": "ward_coaching",
        "held_on": "2026-11-20",
        "duration_minutes": "60",
        "staff_attending": "4",
        "partners_attending": "1",
        "others_attending": "0",
        "topics": "",
        "notes": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "10",
        "actions-0-description": "",
        "actions-0-owner": "",
        "actions-0-due_on": "",
        "actions-1-description": "",
        "actions-1-owner": "",
        "actions-1-due_on": "",
    }
    data.update(overrides)
    return client.post(reverse("coaching:session-create"), data)


def test_coach_logs_a_session_with_two_actions(client, world):
    client.force_login(world.users["coach"])
    response = _post(
        client,
        place=f"w:{world.ward_a1.pk}",
        **{
            "actions-0-description": "Share the easy-read leaflet",
            "actions-0-owner": "Sam",
            "actions-1-description": "Book the improvement day",
            "actions-1-owner": "Priya",
            "actions-1-due_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get()
    assert session.coach == world.users["coach"]
    assert session.ward == world.ward_a1 and session.provider == world.provider_a
    assert sorted(session.actions.values_list("owner", flat=True)) == ["Priya", "Sam"]


def test_the_next_session_offers_open_actions_and_can_close_them(client, world):
    earlier = CoachingActionFactory(
        session__ward=world.ward_a1, session__coach=world.users["coach"]
    )
    client.force_login(world.users["coach"])
    form = client.get(reverse("coaching:session-create"), {"place": f"w:{world.ward_a1.pk}"})
    assert earlier.description in form.content.decode()
    _post(client, place=f"w:{world.ward_a1.pk}", done_actions=[str(earlier.pk)])
    earlier.refresh_from_db()
    assert earlier.done_on == date(2026, 11, 20)


def test_a_coach_cannot_log_for_a_ward_they_do_not_coach(client, world):
    client.force_login(world.users["coach"])
    response = _post(client, place=f"w:{world.ward_b1.pk}")
    assert response.status_code == 200
    assert "Choose the ward or provider you coached" in response.content.decode()
    assert not CoachingSession.objects.exists()


def test_half_filled_action_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world.users["coach"])
    response = _post(
        client, place=f"w:{world.ward_a1.pk}", **{"actions-0-description": "Something to do"}
    )
    assert "Say who will do this action" in response.content.decode()
    assert not CoachingSession.objects.exists()
    assert not CoachingAction.objects.exists()


def test_bad_numbers_get_clear_messages(client, world):
    client.force_login(world.users["coach"])
    response = _post(
        client, place=f"w:{world.ward_a1.pk}", staff_attending="lots", held_on="2026-02-31"
    )
    body = response.content.decode()
    assert "Enter a whole number, like 4" in body
    assert "Enter a real date" in body


def test_ward_team_can_tick_an_action_done_but_an_observer_cannot(client, world):
    action = CoachingActionFactory(session__ward=world.ward_a1)
    url = reverse("coaching:action-done", args=[action.pk])
    client.force_login(world.users["observer"])
    assert client.post(url).status_code == 403
    client.force_login(world.users["ward_member"])
    assert client.post(url).status_code == 302
    action.refresh_from_db()
    assert action.done_on is not None


def test_deleting_asks_first(client, world):
    session = CoachingSessionFactory(ward=world.ward_a1, coach=world.users["coach"])
    client.force_login(world.users["coach"])
    url = reverse("coaching:session-delete", args=[session.pk])
    assert "Delete this session?" in client.get(url).content.decode()
    assert CoachingSession.objects.filter(pk=session.pk).exists()
    client.post(url)
    assert not CoachingSession.objects.filter(pk=session.pk).exists()


def test_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(15):
        CoachingActionFactory(session__ward=world.ward_a1, session__coach=world.users["coach"])
    client.force_login(world.users["lead"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("coaching:session-list"))
    assert response.status_code == 200
    assert response.content.decode().count("Try the new handover sheet") >= 15
