"""Who is involved against who is on the wards, from consented characteristics only."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from coproduce.coproduction.models import PartnerCharacteristic, PartnerProfile
from coproduce.programme.models import Role
from tests.factories import MembershipFactory, UserFactory

from .helpers import figure, ward_measure


def _partner(ward, ethnicity=None, autism=None, withdrawn=False):
    user = UserFactory()
    MembershipFactory(
        user=user, role=Role.LIVED_EXPERIENCE_PARTNER, ward=ward, provider=ward.provider
    )
    profile = PartnerProfile.objects.create(user=user)
    for kind, value in (("ethnicity", ethnicity), ("autism", autism)):
        if value:
            PartnerCharacteristic.objects.create(
                profile=profile,
                kind=kind,
                value="" if withdrawn else value,
                consent_given_at=timezone.now(),
                consent_wording="Fictional consent.",
                withdrawn_at=timezone.now() if withdrawn else None,
            )
    return user


def _people(ward):
    wm = ward_measure(ward)
    for group, people in (("white", 60), ("black", 30), ("asian", 10)):
        figure(wm, 1, people, period=date(2025, 1, 1), ethnicity=group)
        figure(wm, 1, people + 5, period=date(2024, 12, 1), ethnicity=group)  # older: not used


def test_partners_are_compared_with_the_people_on_the_wards(client, world):
    _people(world.ward_a1)
    for _ in range(12):
        _partner(world.ward_a1, ethnicity="white")
    _partner(world.ward_a1, ethnicity="black")
    _partner(world.ward_a1, ethnicity="black", withdrawn=True)  # withdrawn: not counted
    client.force_login(world.users["lead"])
    response = client.get(reverse("equity_web:representation", args=[world.provider_a.pk]))
    assert response.status_code == 200
    section = next(s for s in response.context["sections"] if s["key"] == "ethnicity")
    rows = {r["group"]: r for r in section["rows"]}
    assert rows["White"]["people"] == "60" and rows["Black or Black British"]["people"] == "30"
    # 12 White partners and 1 Black partner: the 1 is hidden, and so is the 12 beside it.
    assert rows["Black or Black British"]["partners"] == "*"
    assert rows["White"]["partners"] == "*"
    assert section["partner_total"] == "15"
    assert rows["Black or Black British"]["partner_share"] == ""
    assert rows["White"]["people_share"] == "about 60%"
    assert rows["Black or Black British"]["verdict"] == "Not enough data"


def test_a_clear_gap_is_called_under_represented(client, world):
    _people(world.ward_a1)
    for _ in range(20):
        _partner(world.ward_a1, ethnicity="white")
    _partner(world.ward_a1, ethnicity="asian")
    for _ in range(5):
        _partner(world.ward_a1, ethnicity="asian")
    client.force_login(world.users["lead"])
    response = client.get(reverse("equity_web:representation", args=[world.provider_a.pk]))
    section = next(s for s in response.context["sections"] if s["key"] == "ethnicity")
    rows = {r["group"]: r for r in section["rows"]}
    # No Black partner among 26, against 30% of the people on the wards.
    assert rows["Black or Black British"]["partners"] == "0"
    assert rows["Black or Black British"]["verdict"] == "Under-represented among partners"
    assert rows["Asian or Asian British"]["verdict"] in {
        "Over-represented among partners",
        "Could not be told apart",
    }
    html = response.content.decode()
    assert "Under-represented among partners" in html


def test_with_no_data_each_characteristic_says_not_enough_data(client, world):
    client.force_login(world.users["partner"])
    html = client.get(
        reverse("equity_web:representation", args=[world.provider_a.pk])
    ).content.decode()
    assert html.count("Not enough data: no partner has shared this") == 3
