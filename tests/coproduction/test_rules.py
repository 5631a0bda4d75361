"""The co-production payment rules (coproduction/rules.py), through the forms and services."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.coproduction import rules, services
from coproduce.coproduction.forms import PaidForm, RateForm
from coproduce.coproduction.models import Involvement, PaymentClaim, PaymentRate

from .routes import make_claim, make_involvement


def claim_url(involvement):
    return reverse("coproduction:claim-create", args=[involvement.pk])


def test_a_day_rate_is_only_offered_above_the_hours_the_rate_states(client, world, rates):
    PaymentRate.objects.create(
        kind="full_day",
        amount=Decimal("170.00"),
        valid_from=date(2024, 4, 1),
        more_than_hours=Decimal("5"),
    )
    short = make_involvement(world)
    Involvement.objects.filter(pk=short.pk).update(hours=Decimal("0.25"))
    client.force_login(world.users["partner"])
    page = client.get(claim_url(short)).content.decode()
    assert "Full day" not in page and "Half day" not in page
    client.post(claim_url(short), {"rate_kind": "full_day", "acknowledge": "on"})
    assert not PaymentClaim.objects.exists()
    client.post(claim_url(short), {"rate_kind": "hourly", "acknowledge": "on"})
    assert PaymentClaim.objects.get().amount == Decimal("6.25")


def test_hours_are_bounded_and_nothing_is_logged_in_the_future():
    rules.check_hours(Decimal("12"))
    for bad in (Decimal("0.1"), Decimal("12.25"), Decimal("999.99")):
        with pytest.raises(ValidationError):
            rules.check_hours(bad)
    with pytest.raises(ValidationError):
        rules.check_not_future(timezone.localdate() + timedelta(days=1))


def test_no_claim_for_involvement_in_the_future(client, world, rates):
    involvement = make_involvement(world)
    Involvement.objects.filter(pk=involvement.pk).update(
        occurred_on=timezone.localdate() + timedelta(days=300)
    )
    client.force_login(world.users["partner"])
    page = client.post(claim_url(involvement), {"rate_kind": "hourly", "acknowledge": "on"})
    assert "The date cannot be in the future" in page.content.decode()
    assert not PaymentClaim.objects.exists()


def test_a_claim_locks_the_involvement_and_the_edit_page_says_so(client, world):
    claim = make_claim(world)
    involvement = claim.involvement
    client.force_login(world.users["lead"])
    url = reverse("coproduction:involvement-edit", args=[involvement.pk])
    assert "cannot change" in client.get(url).content.decode()
    involvement.hours = Decimal("10")
    with pytest.raises(ValidationError):
        involvement.full_clean()


def test_a_partner_changes_only_involvement_they_logged_and_nobody_claimed(client, world):
    claim = make_claim(world)  # logged by staff (nobody), claimed by the partner
    client.force_login(world.users["partner"])
    edit = reverse("coproduction:involvement-edit", args=[claim.involvement.pk])
    delete = reverse("coproduction:involvement-delete", args=[claim.involvement.pk])
    assert client.get(edit).status_code == 403
    assert client.post(delete).status_code == 403
    join = reverse("coproduction:involvement-join", args=[claim.involvement.pk])
    assert client.get(join).status_code == 403


def test_paid_date_is_not_before_approval_nor_in_the_future(world):
    claim = make_claim(world, status="approved")
    for bad in (
        date(2016, 1, 1),
        timezone.localdate() + timedelta(days=1),
        (timezone.localtime(claim.approved_at) - timedelta(days=1)).date(),
    ):
        form = PaidForm({"paid_on": bad.isoformat()}, claim=claim)
        assert not form.is_valid()
    assert PaidForm({"paid_on": timezone.localdate().isoformat()}, claim=claim).is_valid()


def test_nobody_approves_their_own_claim(world):
    claim = make_claim(world)
    claim.partner = world.users["admin"]
    assert not rules.may_approve(world.users["admin"], claim)
    with pytest.raises(ValidationError):
        services.approve(claim, world.users["admin"])


def test_a_new_rate_is_not_back_dated_and_never_reprices_a_claim(world):
    claim = make_claim(world)
    yesterday = timezone.localdate() - timedelta(days=1)
    form = RateForm({"kind": "hourly", "amount": "99.00", "valid_from": yesterday.isoformat()})
    assert not form.is_valid() and "valid_from" in form.errors
    PaymentRate.objects.create(kind="hourly", amount=Decimal("99"), valid_from=date(2024, 5, 1))
    claim.refresh_from_db()
    assert claim.amount == Decimal("75.00") and claim.rate.amount == Decimal("25.00")


def test_days_waiting_is_counted_one_way(world):
    claim = make_claim(world, status="approved")
    claim.claimed_at = timezone.now() - timedelta(days=10)
    claim.approved_at = timezone.now() - timedelta(days=2)
    today = timezone.localdate()
    assert rules.days_waiting(claim, today) == claim.days_waiting(today)
    expected = (today - timezone.localtime(claim.approved_at).date()).days
    assert rules.days_waiting(claim, today) == expected


@settings(max_examples=40, suppress_health_check=list(HealthCheck), deadline=None)
@given(
    hours=st.decimals(min_value=-5, max_value=2000, places=2, allow_nan=False),
    days=st.integers(min_value=-800, max_value=800),
)
def test_involvement_form_never_stores_invalid_hours_or_dates(client, world, hours, days):
    client.force_login(world.users["lead"])
    before = Involvement.objects.count()
    response = client.post(
        reverse("coproduction:involvement-create"),
        {
            "occurred_on": (timezone.localdate() + timedelta(days=days)).isoformat(),
            "title": f"Random {hours} {days}",
            "place": f"w{world.ward_a1.pk}",
            "stage": "design",
            "activity": "workshop",
            "rung": "4",
            "hours": str(hours),
            "outcome": "waiting",
        },
    )
    assert response.status_code in (200, 302)
    for item in Involvement.objects.all():
        assert rules.MIN_HOURS <= item.hours <= rules.MAX_HOURS
        assert item.occurred_on <= timezone.localdate()
    assert Involvement.objects.count() - before <= 1


@settings(max_examples=40, suppress_health_check=list(HealthCheck), deadline=None)
@given(days=st.integers(min_value=-4000, max_value=400))
def test_paid_form_never_accepts_a_date_out_of_order(world, days):
    claim = make_claim(world, status="approved")
    paid_on = timezone.localdate() + timedelta(days=days)
    form = PaidForm({"paid_on": paid_on.isoformat()}, claim=claim)
    approved = timezone.localtime(claim.approved_at).date()
    assert form.is_valid() == (approved <= paid_on <= timezone.localdate())


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the test database on SQLite is in memory, where two writers lock whole tables; "
    "real concurrent writers are tested on PostgreSQL",
)
def test_a_claim_withdrawn_while_it_is_approved_has_one_effect(transactional_db, world):
    w = world
    claim = make_claim(w)
    admin = w.users["admin"]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(action):
        barrier.wait()
        try:
            action()
            outcomes.append("done")
        except services.ClaimChanged:
            outcomes.append("refused")
        except OperationalError:  # SQLite refuses a second writer; PostgreSQL waits on the lock
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(lambda: services.approve(claim, admin),)),
        threading.Thread(target=run, args=(lambda: services.withdraw(claim),)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    remaining = list(PaymentClaim.objects.filter(pk=claim.pk).values_list("status", flat=True))
    assert sorted(outcomes) == ["done", "refused"]
    assert remaining in ([], ["approved"])
