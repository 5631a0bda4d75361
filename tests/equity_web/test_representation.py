"""Who is involved against who is on the wards, from consented characteristics only."""

import re
from datetime import date

from django.urls import reverse
from django.utils import timezone

from coproduce.coproduction.models import PartnerCharacteristic, PartnerProfile
from coproduce.equity_web import rules
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
    # 12 White partners and 1 Black partner: the 1 is hidden; 12 and 13 are rounded.
    assert rows["Black or Black British"]["partners"] == "*"
    assert rows["White"]["partners"] == "10"
    assert section["partner_total"] == "15"
    assert rows["White"]["partner_share"] == "about 65%"  # 10 of 15, the published counts
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


def _partner_figures(html: str) -> list[str]:
    """The partners' columns of every table on the page: counts, shares and totals."""
    out = []
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        for row in re.findall(r"<tr.*?</tr>", table, flags=re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            if len(cells) >= 2:
                out += [c.strip() for c in cells[:2]]
    return out


def test_one_partner_is_not_broken_down_so_their_ethnicity_stays_theirs(client, world):
    _people(world.ward_a1)
    _partner(world.ward_a1, ethnicity="black", autism="yes")
    client.force_login(world.users["lead"])
    url = reverse("equity_web:representation", args=[world.provider_a.pk])
    # Every choice the lead can make: all the wards, and each ward on its own.
    for params in ({}, {"ward": world.ward_a1.pk}, {"ward": world.ward_a2.pk}):
        response = client.get(url, params)
        html = response.content.decode()
        for section in response.context["sections"]:
            if section["empty"]:
                continue
            assert not section["partners_shown"]
            assert section["partner_total"] == ""
            assert all(r["partners"] == "" and r["partner_share"] == "" for r in section["rows"])
            assert all(r["verdict"] == "Not enough data" for r in section["rows"])
            assert section["partners_note"] in html
        # What a reader sees: no partner count, star, zero or share anywhere.
        assert set(_partner_figures(html)) <= {"–", ""}
    html = client.get(url).content.decode()
    assert "Fewer than 10 partners have shared their ethnic group" in html


def test_the_threshold_is_the_rule_in_one_place(client, world, monkeypatch):
    _people(world.ward_a1)
    for _ in range(rules.MIN_PEOPLE_FOR_BREAKDOWN - 1):
        _partner(world.ward_a1, ethnicity="white")
    client.force_login(world.users["lead"])
    url = reverse("equity_web:representation", args=[world.provider_a.pk])

    def ethnicity(response):
        return next(s for s in response.context["sections"] if s["key"] == "ethnicity")

    assert not ethnicity(client.get(url))["partners_shown"]
    _partner(world.ward_a1, ethnicity="white")  # now exactly the threshold
    shown = ethnicity(client.get(url))
    assert shown["partners_shown"] and shown["partner_total"] == "10"
    # Raising the threshold in the rules module hides the breakdown again.
    monkeypatch.setattr(rules, "MIN_PEOPLE_FOR_BREAKDOWN", rules.MIN_PEOPLE_FOR_BREAKDOWN + 1)
    assert not ethnicity(client.get(url))["partners_shown"]


def test_few_people_on_the_wards_are_not_broken_down_either(client, world):
    wm = ward_measure(world.ward_a1)
    figure(wm, 0, 3, period=date(2025, 1, 1), ethnicity="white")
    figure(wm, 0, 2, period=date(2025, 1, 1), ethnicity="black")
    client.force_login(world.users["lead"])
    response = client.get(reverse("equity_web:representation", args=[world.provider_a.pk]))
    section = next(s for s in response.context["sections"] if s["key"] == "ethnicity")
    assert not section["people_shown"]
    assert "fewer than 10 people in the caseload figures" in response.content.decode()
