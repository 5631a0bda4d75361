"""Results pages, the action plan, the involvement log and the co-production profile."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from coproduce.coproduction import services
from coproduce.coproduction.instrument import STATEMENTS
from coproduce.coproduction.models import (
    Action,
    Answer,
    AssessmentResponse,
    Involvement,
    InvolvementPartner,
    hash_key,
)

from .routes import make_involvement, make_round


def close_for_results(round_obj):
    """Results appear only once a round has closed."""
    type(round_obj).objects.filter(pk=round_obj.pk).update(closed_at=timezone.now())


def add_people(round_obj, perspective, n, as_is, to_be, comment=""):
    for i in range(n):
        response = AssessmentResponse.objects.create(
            round=round_obj,
            perspective=perspective,
            draft_key_hash=hash_key(f"{perspective}{i}{round_obj.pk}"),
            submitted_on=timezone.localdate(),
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    response=response, statement=s.key, as_is=as_is, to_be=to_be, comment=comment
                )
                for s in STATEMENTS
            ]
        )


def test_results_show_groups_of_five_hide_smaller_ones_and_compare_rounds(
    client, world, django_assert_max_num_queries
):
    today = timezone.localdate()
    baseline = make_round(
        world,
        kind="baseline",
        opens_on=today - timedelta(days=100),
        closes_on=today - timedelta(days=90),
    )
    add_people(baseline, "ward_staff", 5, 3, 6)
    add_people(baseline, "lived_experience", 5, 2, 6)
    current = make_round(world)
    add_people(current, "ward_staff", 6, 5, 7)
    add_people(current, "lived_experience", 5, 3, 7, comment="Fictional: more notice of meetings")
    add_people(current, "carer", 3, 1, 7)
    client.force_login(world.users["observer"])
    with django_assert_max_num_queries(20):
        close_for_results(current)
        page = client.get(reverse("coproduction:round-results", args=[current.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body
    assert "Not shown: fewer than 5 people" in body  # the 3 carers
    assert "Carer: fewer than 5 people answered" in body
    assert "fewer than 5" in body
    assert "Staff and leaders 2 higher" in body  # staff 5 vs lived experience (incl. carers) 3
    assert "Since the previous round" in body
    assert "+0.5 rungs" in body  # everyone's median 'as is' moved from 2.5 to 3
    assert "Fictional: more notice of meetings" in body


def test_results_before_five_answers_say_so(client, world, open_round):
    add_people(open_round, "leader", 2, 5, 6)
    client.force_login(world.users["lead"])
    close_for_results(open_round)
    body = client.get(reverse("coproduction:round-results", args=[open_round.pk])).content.decode()
    assert "2 people have answered so far" in body
    assert "Results are shown once at least 5 people have answered" in body
    assert "Not shown" in body and "fewer than 5" in body


def test_action_plan_and_review_at_the_next_round(client, world):
    today = timezone.localdate()
    earlier = make_round(
        world,
        kind="baseline",
        opens_on=today - timedelta(days=100),
        closes_on=today - timedelta(days=90),
    )
    client.force_login(world.users["partner"])
    url = reverse("coproduction:action-create", args=[earlier.pk])
    bad = client.post(
        url,
        {
            "domain": "",
            "description": "",
            "owner": "",
            "due_on": "31/02/2026",
            "status": "not_started",
        },
    )
    assert "Choose the gap this action closes" in bad.content.decode()
    assert "Enter a real date" in bad.content.decode()
    client.post(
        url,
        {
            "domain": "process",
            "description": "Feed back at every meeting",
            "owner": "Ward manager",
            "due_on": "2026-01-31",
            "status": "in_progress",
        },
    )
    action = Action.objects.get()
    later = make_round(world)
    close_for_results(later)
    body = client.get(reverse("coproduction:round-results", args=[later.pk])).content.decode()
    assert "Feed back at every meeting" in body and "Not reviewed yet" in body
    review = reverse("coproduction:action-review", args=[later.pk, action.pk])
    stopped = client.post(review, {"status": "stopped", "review_note": ""})
    assert "Say why the action was stopped" in stopped.content.decode()
    client.post(review, {"status": "done", "review_note": "Now a standing item"})
    action.refresh_from_db()
    assert action.reviewed_in == later and action.status == "done"
    # An action of another round cannot be reviewed here.
    assert (
        client.get(reverse("coproduction:action-review", args=[earlier.pk, action.pk])).status_code
        == 404
    )


def involvement_post(world, **extra):
    data = {
        "occurred_on": "2025-02-03",
        "title": "Workshop on the welcome pack",
        "place": f"w{world.ward_a1.pk}",
        "project": "",
        "pdsa_cycle": "",
        "stage": "design",
        "activity": "workshop",
        "rung": "7",
        "hours": "3",
        "lived_experience_count": "2",
        "carer_count": "",
        "practitioner_count": "0",
        "staff_count": "3",
        "leader_count": "1",
        "adjustments": ["easy_read", "breaks"],
        "you_said": "Explain rights on day one",
        "outcome": "changed",
        "we_did": "A welcome pack",
        "why_not": "",
        "i_took_part": "on",
        "name_me": "",
    }
    return data | extra


def test_partner_logs_involvement_and_is_counted_but_not_named(client, world):
    client.force_login(world.users["partner"])
    url = reverse("coproduction:involvement-create")
    bad = client.post(
        url,
        involvement_post(
            world,
            outcome="not_changed",
            we_did="",
            why_not="",
            hours="0",
            place=f"w{world.ward_b1.pk}",
        ),
    )
    body = bad.content.decode()
    assert "Say why it could not change" in body
    assert "Enter at least 0.25 hours" in body
    assert "Choose a ward or provider you work with" in body
    assert not Involvement.objects.exists()
    reply = client.post(url, involvement_post(world))
    involvement = Involvement.objects.get()
    assert reply.status_code == 302
    assert involvement.ward == world.ward_a1 and involvement.provider == world.provider_a
    assert involvement.adjustments == ["easy_read", "breaks"]
    assert involvement.carer_count == 0
    partner = InvolvementPartner.objects.get()
    assert partner.user == world.users["partner"] and not partner.named
    page = client.get(reverse("coproduction:involvement-detail", args=[involvement.pk]))
    body = page.content.decode()
    assert world.users["partner"].full_name not in body.split("Who took part")[1].split("</dd>")[0]
    assert "Lived experience practitioners: 1" in body
    assert "Easy read materials, Breaks" in body
    # Naming is the partner's own choice.
    client.post(
        reverse("coproduction:involvement-join", args=[involvement.pk]),
        {"perspective": "le_practitioner", "named": "on"},
    )
    body = client.get(
        reverse("coproduction:involvement-detail", args=[involvement.pk])
    ).content.decode()
    assert f"Named: {world.users['partner'].full_name}" in body


def test_could_not_change_needs_a_reason(client, world):
    client.force_login(world.users["ward_member"])
    client.post(
        reverse("coproduction:involvement-create"),
        involvement_post(
            world,
            outcome="not_changed",
            we_did="",
            why_not="The budget is set nationally",
            i_took_part="",
        ),
    )
    involvement = Involvement.objects.get()
    assert involvement.get_outcome_display() == "We could not change it"
    assert not involvement.partners.exists()


def test_involvement_list_runs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(12):
        make_involvement(world)
    client.force_login(world.users["lead"])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("coproduction:involvement-list"))
    assert page.content.decode().count("Care plan workshop (fictional)") == 12


def test_delete_asks_first_and_is_refused_once_claimed(client, world, involvement):
    client.force_login(world.users["ward_member"])
    url = reverse("coproduction:involvement-delete", args=[involvement.pk])
    assert "Delete this involvement?" in client.get(url).content.decode()
    client.post(url)
    assert not Involvement.objects.exists()


def test_co_production_profile_for_a_ward(world):
    from coproduce.improvement.models import ChangeIdea, PDSACycle, Project

    make_involvement(world)  # design, co-production, 3 hours, 1 named partner
    Involvement.objects.create(
        provider=world.provider_a,
        ward=world.ward_a1,
        occurred_on=date(2025, 3, 1),
        stage="delivery",
        activity="meeting",
        title="Ward round feedback (fictional)",
        rung=4,
        hours=Decimal("1.5"),
        lived_experience_count=2,
    )
    project = Project.objects.create(
        provider=world.provider_a,
        ward=world.ward_a1,
        title="Fictional project",
        problem="x",
        aim_what="x",
        aim_for_whom="x",
        aim_how_much="x",
        aim_by_when=date(2026, 1, 1),
    )
    idea = ChangeIdea.objects.create(project=project, title="Idea", source="patient")
    PDSACycle.objects.create(
        change_idea=idea,
        number=1,
        objective="o",
        question="q",
        prediction="p",
        start_date=date(2025, 1, 1),
        other_lived_experience_count=1,
    )
    PDSACycle.objects.create(
        change_idea=idea,
        number=2,
        objective="o",
        question="q",
        prediction="p",
        start_date=date(2025, 2, 1),
    )
    profile = services.profile_for_ward(world.ward_a1)
    assert profile["lived_experience_hours"] == Decimal("6.00")  # 3 h x 1 partner + 1.5 h x 2
    assert profile["co_design_stages"] == 1 and profile["co_design_share"] == 25
    assert profile["stages_with_none"] == ["Development", "Evaluation"]
    assert profile["pdsa"] == {"total": 2, "with_partner": 1}
    assert services.profile_for_project(project)["involvement_count"] == 0
    assert services.profile_for_ward(world.ward_a2)["involvement_count"] == 0
