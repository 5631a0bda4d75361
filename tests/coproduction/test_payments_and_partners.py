"""Involvement payments, expenses with receipts, and partners' consented characteristics."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coproduce.coproduction import services
from coproduce.coproduction.forms import MAX_RECEIPT_BYTES
from coproduce.coproduction.models import (
    Expense,
    PartnerCharacteristic,
    PartnerProfile,
    PaymentClaim,
)
from coproduce.core.models import AuditEvent

from .routes import make_claim, make_involvement

PDF = b"%PDF-1.4 fictional receipt"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def claim_url(involvement):
    return reverse("coproduction:claim-create", args=[involvement.pk])


def test_claim_needs_the_tax_notice_acknowledged_and_uses_the_rate_of_the_day(
    client, world, involvement, rates
):
    client.force_login(world.users["partner"])
    page = client.get(claim_url(involvement)).content.decode()
    assert "taxable" in page and "may affect benefits" in page
    assert "Hourly: £75.00" in page  # 3 hours at the 2024 rate, not the 2026 one
    refused = client.post(claim_url(involvement), {"rate_kind": "hourly"})
    assert "Confirm you have read about tax and benefits" in refused.content.decode()
    assert not PaymentClaim.objects.exists()
    client.post(claim_url(involvement), {"rate_kind": "half_day", "acknowledge": "on"})
    claim = PaymentClaim.objects.get()
    assert claim.amount == Decimal("90.00") and claim.status == "claimed"
    assert claim.notice_acknowledged_at is not None and "taxable" in claim.notice_wording


def test_no_duplicate_claim_form_error_and_database_constraint(client, world, involvement, rates):
    client.force_login(world.users["partner"])
    client.post(claim_url(involvement), {"rate_kind": "hourly", "acknowledge": "on"})
    again = client.post(claim_url(involvement), {"rate_kind": "hourly", "acknowledge": "on"})
    assert "You have already claimed for this involvement" in again.content.decode()
    assert PaymentClaim.objects.count() == 1
    first = PaymentClaim.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentClaim.objects.create(
            involvement=involvement,
            partner=first.partner,
            rate=first.rate,
            units=1,
            amount=1,
            notice_acknowledged_at=timezone.now(),
            notice_wording="x",
        )


def test_only_people_who_took_part_can_claim(client, world, involvement, rates):
    client.force_login(world.users["ward_member"])
    assert client.get(claim_url(involvement)).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("receipt.exe", b"MZ" + b"0" * 20, "must be a PDF, JPEG or PNG file"),
        ("receipt.pdf", b"GIF89a" + b"0" * 20, "This file is a different kind"),
        ("receipt.png", b"\x89PNG\r\n\x1a\n" + b"0" * MAX_RECEIPT_BYTES, "5 MB or smaller"),
    ],
)
def test_receipts_are_checked(client, world, involvement, rates, name, content, message):
    client.force_login(world.users["partner"])
    reply = client.post(
        claim_url(involvement),
        {
            "rate_kind": "hourly",
            "acknowledge": "on",
            "expense_description": "Taxi",
            "expense_amount": "12.40",
            "expense_receipt": SimpleUploadedFile(name, content),
        },
    )
    assert message in reply.content.decode()
    assert not PaymentClaim.objects.exists()  # nothing half-saved


def test_claim_with_expense_then_approved_and_paid_with_dates(
    client, world, involvement, rates, media
):
    client.force_login(world.users["partner"])
    incomplete = client.post(
        claim_url(involvement),
        {
            "rate_kind": "hourly",
            "acknowledge": "on",
            "expense_amount": "4.50",
        },
    )
    assert "Say what the expense was for" in incomplete.content.decode()
    client.post(
        claim_url(involvement),
        {
            "rate_kind": "hourly",
            "acknowledge": "on",
            "expense_description": "Bus fare",
            "expense_amount": "4.50",
            "expense_receipt": SimpleUploadedFile("bus.pdf", PDF),
        },
    )
    claim = PaymentClaim.objects.get()
    expense = Expense.objects.get()
    assert claim.total() == Decimal("79.50")
    assert expense.receipt.name.startswith("receipts/") and "bus" not in expense.receipt.name
    client.post(
        reverse("coproduction:expense-create", args=[claim.pk]),
        {
            "description": "Lunch",
            "amount": "6.00",
            "receipt": SimpleUploadedFile("lunch.png", PNG),
        },
    )
    assert claim.expenses.count() == 2
    download = client.get(reverse("coproduction:receipt", args=[claim.pk, expense.pk]))
    assert b"".join(download.streaming_content) == PDF

    admin = client.__class__()
    admin.force_login(world.users["admin"])
    admin.post(reverse("coproduction:claim-approve", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.approved_by == world.users["admin"]
    # Once approved the partner can no longer add expenses or withdraw it.
    assert client.get(reverse("coproduction:expense-create", args=[claim.pk])).status_code == 403
    paid_url = reverse("coproduction:claim-paid", args=[claim.pk])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert "cannot be in the future" in admin.post(paid_url, {"paid_on": future}).content.decode()
    admin.post(paid_url, {"paid_on": timezone.localdate().isoformat()})
    claim.refresh_from_db()
    assert claim.status == "paid" and claim.paid_on == timezone.localdate()
    page = client.get(reverse("coproduction:claim-detail", args=[claim.pk])).content.decode()
    assert "Paid" in page and "£85.50" in page


def test_partners_see_only_their_own_claims(client, world, rates):
    claim = make_claim(world)
    from tests.factories import MembershipFactory, UserFactory

    other = UserFactory(email="other.partner@example.org")
    MembershipFactory(
        user=other, role="lived_experience_partner", provider=world.provider_a, ward=world.ward_a1
    )
    client.force_login(other)
    assert client.get(reverse("coproduction:claim-detail", args=[claim.pk])).status_code == 404
    assert (
        "Care plan workshop" not in client.get(reverse("coproduction:claim-list")).content.decode()
    )


def test_partner_withdraws_an_unapproved_claim_after_confirming(client, world, rates):
    claim = make_claim(world)
    client.force_login(world.users["partner"])
    url = reverse("coproduction:claim-withdraw", args=[claim.pk])
    assert "Withdraw this claim?" in client.get(url).content.decode()
    client.post(url)
    assert not PaymentClaim.objects.exists()


def _days_ago_at_noon(days):
    """Midday, ``days`` calendar days ago: day counts do not depend on the hour the test runs."""
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(12)))


def test_payments_owed_oldest_first_with_days_waiting(client, world, django_assert_max_num_queries):
    old = make_claim(world)
    PaymentClaim.objects.filter(pk=old.pk).update(claimed_at=_days_ago_at_noon(40))
    newer = PaymentClaim.objects.create(
        involvement=make_involvement(world),
        partner=world.users["partner"],
        rate=old.rate,
        units=Decimal("2"),
        amount=Decimal("50.00"),
        notice_acknowledged_at=timezone.now(),
        notice_wording="x",
        status="approved",
        claimed_at=_days_ago_at_noon(20),
        approved_at=_days_ago_at_noon(5),
    )
    for _ in range(8):
        PaymentClaim.objects.create(
            involvement=make_involvement(world),
            partner=world.users["partner"],
            rate=old.rate,
            units=1,
            amount=Decimal("25"),
            notice_acknowledged_at=timezone.now(),
            notice_wording="x",
        )
    client.force_login(world.users["lead"])
    with django_assert_max_num_queries(10):
        body = client.get(reverse("coproduction:payments-owed")).content.decode()
    assert body.index(f"/claims/{old.pk}/") < body.index(f"/claims/{newer.pk}/")
    assert "40 days since claimed" in body and "Over 30 days" in body
    assert "5 days since approved" in body
    client.force_login(world.users["other_lead"])
    assert "Nothing is owed" in client.get(reverse("coproduction:payments-owed")).content.decode()


def test_characteristics_need_consent_and_withdrawing_removes_them_from_totals(client, world):
    client.force_login(world.users["partner"])
    url = reverse("coproduction:characteristic-edit", args=["ethnicity"])
    refused = client.post(url, {"value": "black"})
    assert "Tick the box to agree" in refused.content.decode()
    client.post(url, {"value": "black", "consent": "on"})
    item = PartnerCharacteristic.objects.get()
    assert item.value == "black" and "withdraw" in item.consent_wording
    assert services.characteristic_counts() == [
        {"kind": "Ethnic group", "value": "Black or Black British", "count": "Fewer than 5"}
    ]
    withdraw = reverse("coproduction:characteristic-withdraw", args=["ethnicity"])
    assert "Withdraw your consent?" in client.get(withdraw).content.decode()
    client.post(withdraw)
    item.refresh_from_db()
    assert item.withdrawn_at is not None and item.value == ""
    assert services.characteristic_counts() == []
    # The audit log never holds the value itself.
    assert not AuditEvent.objects.filter(changes__icontains="black").exists()


def test_admin_viewing_special_category_data_is_recorded(client, world):
    profile = PartnerProfile.objects.create(user=world.users["partner"])
    services.give_characteristic(profile, "autism", "yes", "", "Fictional consent")
    client.force_login(world.users["admin"])
    page = client.get(reverse("coproduction:partner-detail", args=[profile.pk]))
    assert "Autism: Yes" in page.content.decode()
    event = AuditEvent.objects.get(action="view")
    assert (
        event.actor == world.users["admin"] and event.object_type == "coproduction.PartnerProfile"
    )


def test_admin_sets_dated_rates_and_duplicates_are_refused(client, world):
    client.force_login(world.users["admin"])
    url = reverse("coproduction:rate-create")
    soon = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(url, {"kind": "hourly", "amount": "26.00", "valid_from": soon})
    again = client.post(url, {"kind": "hourly", "amount": "27.00", "valid_from": soon})
    assert "There is already a rate of this type from this date" in again.content.decode()
    bad = client.post(url, {"kind": "hourly", "amount": "lots", "valid_from": soon})
    assert "Enter the amount as a number" in bad.content.decode()


def test_home_panels_for_a_partner_and_an_admin(client, world, rates):
    make_claim(world)
    client.force_login(world.users["partner"])
    body = client.get(reverse("core:home")).content.decode()
    assert "Your claims" in body and "You said, we did" in body
    client.force_login(world.users["admin"])
    body = client.get(reverse("core:home")).content.decode()
    assert "1 payment is owed" in body
