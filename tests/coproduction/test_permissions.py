"""Who may do what in co-production. Each test fails if the check it names is removed."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.coproduction.models import (
    Action,
    AssessmentRound,
    ClaimStatus,
    Involvement,
    InvolvementPartner,
    PaymentClaim,
    PaymentRate,
)
from coproduce.programme.models import Role

from ..factories import MembershipFactory
from .routes import make_claim, make_involvement
from .test_results_and_involvement import involvement_post


def _round_post(provider, ward=None):
    today = timezone.localdate()
    return {
        "provider": provider.pk,
        "ward": ward.pk if ward else "",
        "kind": "mid_point",
        "opens_on": today.isoformat(),
        "closes_on": today.replace(year=today.year + 1).isoformat(),
    }


# Rounds: RUN_ROUNDS -----------------------------------------------------------------------


def test_a_lead_of_another_provider_cannot_close_a_round(client, world, open_round):
    client.force_login(world.users["other_lead"])
    response = client.post(reverse("coproduction:round-close", args=[open_round.pk]))
    assert response.status_code == 404
    open_round.refresh_from_db()
    assert open_round.closed_at is None


def test_only_the_providers_lead_closes_its_round(client, world, open_round):
    url = reverse("coproduction:round-close", args=[open_round.pk])
    detail = reverse("coproduction:round-detail", args=[open_round.pk])
    client.force_login(world.users["ward_member"])  # sees the round, may not run rounds
    assert "Close the round" not in client.get(detail).content.decode()
    assert client.post(url).status_code == 403
    open_round.refresh_from_db()
    assert open_round.closed_at is None
    client.force_login(world.users["lead"])
    assert "Close the round" in client.get(detail).content.decode()
    assert client.post(url).status_code == 302
    open_round.refresh_from_db()
    assert open_round.closed_by == world.users["lead"]


def test_a_lead_opens_rounds_for_their_own_provider_only(client, world):
    url = reverse("coproduction:round-create")
    client.force_login(world.users["ward_member"])
    assert client.get(url).status_code == 403
    assert client.post(url, _round_post(world.provider_a)).status_code == 403
    client.force_login(world.users["lead"])
    refused = client.post(url, _round_post(world.provider_b))
    assert refused.status_code == 200
    assert not AssessmentRound.objects.exists()
    assert client.post(url, _round_post(world.provider_a, world.ward_a2)).status_code == 302
    assert AssessmentRound.objects.get().created_by == world.users["lead"]


def test_an_observer_cannot_add_or_change_an_action(client, world, open_round):
    action = Action.objects.create(
        round=open_round,
        domain="purpose",
        description="Ask first",
        owner="Ward manager",
        due_on=date(2026, 12, 31),
    )
    client.force_login(world.users["observer"])
    create = reverse("coproduction:action-create", args=[open_round.pk])
    edit = reverse("coproduction:action-edit", args=[action.pk])
    data = {
        "domain": "purpose",
        "description": "Changed",
        "owner": "Ward manager",
        "due_on": "2026-12-31",
        "status": "not_started",
    }
    assert client.post(create, data).status_code == 403
    assert client.post(edit, data).status_code == 403
    assert list(Action.objects.values_list("description", flat=True)) == ["Ask first"]
    client.force_login(world.users["other_lead"])
    assert client.post(edit, data).status_code == 404
    client.force_login(world.users["ward_member"])
    assert client.post(edit, data).status_code == 302
    action.refresh_from_db()
    assert action.description == "Changed"


# Involvement: EDIT_WORK, ACT_AS_PARTNER ----------------------------------------------------


def test_an_observer_cannot_log_involvement(client, world):
    client.force_login(world.users["observer"])
    url = reverse("coproduction:involvement-create")
    assert client.get(url).status_code == 403
    assert client.post(url, involvement_post(world)).status_code == 403
    assert not Involvement.objects.exists()
    assert "Log involvement" not in client.get(reverse("coproduction:hub")).content.decode()


def test_an_observer_cannot_change_or_delete_involvement(client, world, involvement):
    client.force_login(world.users["observer"])
    edit = reverse("coproduction:involvement-edit", args=[involvement.pk])
    delete = reverse("coproduction:involvement-delete", args=[involvement.pk])
    detail = client.get(reverse("coproduction:involvement-detail", args=[involvement.pk]))
    assert "Change this involvement" not in detail.content.decode()
    assert client.post(edit, involvement_post(world, title="Changed")).status_code == 403
    assert client.post(delete).status_code == 403
    client.force_login(world.users["other_lead"])
    assert client.post(delete).status_code == 404
    involvement.refresh_from_db()
    assert involvement.title == "Care plan workshop (fictional)"


def test_the_involvement_form_offers_only_places_the_person_may_edit(client, world):
    client.force_login(world.users["ward_member"])
    body = client.get(reverse("coproduction:involvement-create")).content.decode()
    assert f'value="w{world.ward_a1.pk}"' in body
    assert f'value="w{world.ward_a2.pk}"' not in body
    assert f'value="p{world.provider_a.pk}"' not in body  # a ward member logs for their ward
    client.force_login(world.users["lead"])
    body = client.get(reverse("coproduction:involvement-create")).content.decode()
    assert f'value="p{world.provider_a.pk}"' in body and f'value="w{world.ward_a2.pk}"' in body
    assert f'value="w{world.ward_b1.pk}"' not in body


def test_only_partners_add_themselves_to_involvement(client, world, involvement):
    url = reverse("coproduction:involvement-join", args=[involvement.pk])
    client.force_login(world.users["ward_member"])
    assert client.post(url, {"perspective": "carer", "named": ""}).status_code == 403
    assert not InvolvementPartner.objects.filter(user=world.users["ward_member"]).exists()


# Payments: APPROVE_PAYMENTS, VIEW_PAYMENTS_OWED, MANAGE_PROGRAMME ---------------------------


@pytest.mark.parametrize("who", ["partner", "lead"])
def test_only_admins_approve_a_claim(client, world, who):
    claim = make_claim(world)
    client.force_login(world.users[who])
    detail = client.get(reverse("coproduction:claim-detail", args=[claim.pk]))
    assert "Approve the claim" not in detail.content.decode()
    assert client.post(reverse("coproduction:claim-approve", args=[claim.pk])).status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CLAIMED and claim.approved_by is None
    client.force_login(world.users["admin"])
    assert "Approve the claim" in client.get(detail.request["PATH_INFO"]).content.decode()


def test_a_partner_cannot_mark_their_claim_paid(client, world):
    claim = make_claim(world, status="approved")
    client.force_login(world.users["partner"])
    url = reverse("coproduction:claim-paid", args=[claim.pk])
    assert client.post(url, {"paid_on": timezone.localdate().isoformat()}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.paid_on is None


def test_payments_owed_are_for_leads_and_admins(client, world):
    url = reverse("coproduction:payments-owed")
    for who in ["ward_member", "partner", "coach", "observer"]:
        client.force_login(world.users[who])
        assert client.get(url).status_code == 403, who
    client.force_login(world.users["lead"])
    assert client.get(url).status_code == 200


def test_claims_are_seen_by_their_partner_the_providers_lead_and_admins(world):
    claim = make_claim(world)
    seen = {
        who for who, user in world.users.items() if claim in PaymentClaim.objects.visible_to(user)
    }
    assert seen == {"partner", "lead", "admin"}


def test_the_leads_home_panel_counts_the_providers_claims_not_their_own(client, world):
    lead = world.users["lead"]
    MembershipFactory(user=lead, role=Role.LIVED_EXPERIENCE_PARTNER, ward=world.ward_b1)
    make_claim(world)  # the partner's claim on ward A1: the lead's provider
    own = Involvement.objects.create(
        provider=world.provider_b,
        ward=world.ward_b1,
        occurred_on=date(2025, 2, 1),
        stage="design",
        activity="workshop",
        title="Beta workshop (fictional)",
        rung=6,
        hours=Decimal("2"),
    )
    PaymentClaim.objects.create(
        involvement=own,
        partner=lead,
        rate=PaymentRate.objects.get(),
        units=Decimal("2"),
        amount=Decimal("50.00"),
        notice_acknowledged_at=timezone.now(),
        notice_wording="Fictional notice",
    )
    client.force_login(lead)
    body = client.get(reverse("core:home")).content.decode()
    assert "1 payment is owed" in body


def test_rates_are_set_by_admins_only(client, world):
    client.force_login(world.users["lead"])
    url = reverse("coproduction:rate-create")
    data = {"kind": "hourly", "amount": "99.00", "valid_from": "2026-04-01"}
    assert client.post(url, data).status_code == 403
    assert not PaymentRate.objects.exists()
    body = client.get(reverse("coproduction:payments-owed")).content.decode()
    assert "Involvement payment rates" not in body


def test_the_hub_shows_each_person_only_what_they_may_do(client, world):
    hub = reverse("coproduction:hub")
    client.force_login(world.users["lead"])
    body = client.get(hub).content.decode()
    assert "Open a self-assessment round" in body and "Payments owed" in body
    assert "Your claims" not in body and "Lived experience partners" not in body
    client.force_login(world.users["partner"])
    body = client.get(hub).content.decode()
    assert "Your claims" in body and "Open a self-assessment round" not in body
    client.force_login(world.users["admin"])
    body = client.get(hub).content.decode()
    assert "Lived experience partners" in body and "Your claims" not in body


def test_an_involvement_keeps_its_page_for_a_partner_to_claim(client, world):
    involvement = make_involvement(world)
    client.force_login(world.users["partner"])
    body = client.get(reverse("coproduction:involvement-detail", args=[involvement.pk]))
    assert "Claim your payment" in body.content.decode()
    client.force_login(world.users["lead"])
    body = client.get(reverse("coproduction:involvement-detail", args=[involvement.pk]))
    assert "Claim your payment" not in body.content.decode()
    assert "I took part in this" not in body.content.decode()
