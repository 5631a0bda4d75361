from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.coproduction.models import AssessmentRound, PaymentClaim


def close_for_results(round_obj):
    """Results appear only once a round has closed."""
    type(round_obj).objects.filter(pk=round_obj.pk).update(closed_at=timezone.now())


def test_demo_has_rounds_with_suppression_and_claims_in_every_state(client, db):
    call_command("demo", stdout=StringIO())
    baseline, mid = AssessmentRound.objects.order_by("opens_on")
    assert baseline.status == "Closed" and mid.is_open
    assert set(PaymentClaim.objects.values_list("status", flat=True)) == {
        "claimed",
        "approved",
        "paid",
    }
    client.force_login(User.objects.get(email="lead@example.org"))
    close_for_results(mid)
    body = client.get(reverse("coproduction:round-results", args=[mid.pk])).content.decode()
    assert "Carer: fewer than 5 people answered" in body
    assert "Since the previous round" in body
    owed = client.get(reverse("coproduction:payments-owed")).content.decode()
    assert "Over 30 days" in owed
    client.force_login(User.objects.get(email="partner@example.org"))
    home = client.get(reverse("core:home")).content.decode()
    assert "You said, we did" in home and "(fictional)" in home
