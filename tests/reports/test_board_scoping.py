"""The board report shows each role what the scoping layer lets them see, and nothing more.

Every ward and provider gets records with its own fictional word (Amber for ward A1, Azure
for ward A2, Apex for provider A as a whole, Bronze for provider B), and each test reads
the report's HTML for the words that must and must not be there.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.coproduction.models import Action, AssessmentRound, Involvement

from ..improvement import builders

WORDS = {"a1": "Amber", "a2": "Azure", "a": "Apex", "b": "Bronze"}
# A ward's measure, change idea and "you said, we did" entry; every place's closed round
# carries an action.
WARD_TEXTS = ("measure", "idea", "we did")


def _text(word, what):
    return f"{word} {what} (fictional)"


def _round(provider, ward, word, closed_days_ago):
    today = timezone.localdate()
    closes_on = today - timedelta(days=closed_days_ago)
    round_obj = AssessmentRound.objects.create(
        provider=provider,
        ward=ward,
        kind="mid_point",
        opens_on=closes_on - timedelta(days=20),
        closes_on=closes_on,
        closed_at=timezone.now() - timedelta(days=closed_days_ago),
    )
    Action.objects.create(
        round=round_obj,
        domain="process",
        description=_text(word, "action"),
        owner="Ward manager",
        due_on=today + timedelta(days=30),
    )
    return round_obj


def _involvement(provider, ward, word):
    return Involvement.objects.create(
        provider=provider,
        ward=ward,
        occurred_on=timezone.localdate() - timedelta(days=30),
        stage="design",
        activity="workshop",
        title=f"{word} workshop",
        rung=6,
        hours=2,
        you_said=_text(word, "you said"),
        we_did=_text(word, "we did"),
    )


def _ward_work(ward, word):
    start = timezone.localdate() - timedelta(weeks=12)
    start -= timedelta(days=start.weekday())
    measure = builders.catalogue_measure(name=_text(word, "measure"))
    builders.ward_measure(ward, measure, values=[40, 42, 38, 41, 45, 44], start=start)
    project = builders.project(ward, title=f"{word} project")
    idea = builders.idea(project, title=_text(word, "idea"))
    builders.cycle(idea, start=start, act="adopt")
    _involvement(ward.provider, ward, word)


@pytest.fixture
def places(world):
    """Records on every ward and provider; the provider-level round of A closed last."""
    _ward_work(world.ward_a1, WORDS["a1"])
    _ward_work(world.ward_a2, WORDS["a2"])
    _ward_work(world.ward_b1, WORDS["b"])
    _involvement(world.provider_a, None, WORDS["a"])
    _round(world.provider_a, world.ward_a1, WORDS["a1"], closed_days_ago=60)
    _round(world.provider_a, world.ward_a2, WORDS["a2"], closed_days_ago=20)
    _round(world.provider_a, None, WORDS["a"], closed_days_ago=10)
    _round(world.provider_b, world.ward_b1, WORDS["b"], closed_days_ago=10)
    return world


def _report(client, world, role, provider):
    client.force_login(world.users[role])
    return client.get(reverse("reports:board-report", args=[provider.pk]))


def _words_in(html: str) -> set:
    return {word for word in WORDS.values() if word in html}


def _assert_shows_wards(html, words):
    for word in words:
        for what in WARD_TEXTS:
            assert _text(word, what) in html, _text(word, what)


def _assert_provider_wide(html):
    """Everything of provider A: both wards' work, the provider-level entry, the latest round."""
    _assert_shows_wards(html, [WORDS["a1"], WORDS["a2"]])
    assert _text(WORDS["a"], "we did") in html
    assert _text(WORDS["a"], "action") in html  # the provider-level round closed last
    assert WORDS["b"] not in html


@pytest.mark.parametrize("role", ["admin", "lead", "observer"])
def test_provider_wide_roles_see_the_whole_provider_and_nothing_of_another(client, places, role):
    response = _report(client, places, role, places.provider_a)
    assert response.status_code == 200
    _assert_provider_wide(response.content.decode())


def test_a_ward_coach_sees_only_their_ward_in_the_board_report(client, places):
    """A coach of ward A1 reads A's report: nothing of ward A2, nothing provider-level.

    This failed when the report read rounds and "you said, we did" by provider alone: the
    coach saw ward A2's closed round and provider A's own entry."""
    response = _report(client, places, "coach", places.provider_a)
    assert response.status_code == 200
    html = response.content.decode()
    _assert_shows_wards(html, [WORDS["a1"]])
    assert _text(WORDS["a1"], "action") in html  # their own ward's round
    assert _words_in(html) == {WORDS["a1"]}, _words_in(html)


@pytest.mark.parametrize("role", ["ward_member", "partner"])
def test_ward_level_members_may_not_open_the_board_report(client, places, role):
    response = _report(client, places, role, places.provider_a)
    assert response.status_code == 403
    assert not _words_in(response.content.decode())


def test_another_providers_lead_sees_only_their_own_provider(client, places):
    response = _report(client, places, "other_lead", places.provider_a)
    assert response.status_code == 404
    assert not _words_in(response.content.decode())
    own = _report(client, places, "other_lead", places.provider_b)
    assert own.status_code == 200
    html = own.content.decode()
    _assert_shows_wards(html, [WORDS["b"]])
    assert _text(WORDS["b"], "action") in html
    assert _words_in(html) == {WORDS["b"]}, _words_in(html)


def test_the_provider_dashboard_counts_only_what_a_ward_coach_may_see(places):
    """The scope's sections start from visible_to: the coach's involvement count is their ward's."""
    from coproduce.reports.scope import provider_scope

    coach = provider_scope(places.users["coach"], places.provider_a)
    lead = provider_scope(places.users["lead"], places.provider_a)
    assert set(coach.records(Involvement).values_list("title", flat=True)) == {"Amber workshop"}
    assert set(lead.records(Involvement).values_list("title", flat=True)) == {
        "Amber workshop",
        "Azure workshop",
        "Apex workshop",
    }
