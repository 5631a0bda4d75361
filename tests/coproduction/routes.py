"""Authorisation matrix entries for this app's routes (see tests/authz.py)."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from coproduce.coproduction.models import (
    Action,
    AssessmentRound,
    Expense,
    Involvement,
    InvolvementPartner,
    PartnerCharacteristic,
    PartnerProfile,
    PaymentClaim,
    PaymentRate,
)

from ..authz import A1_EDIT, A_MANAGE, A_READ, ADMIN_ONLY, PUBLIC, SIGNED_IN, expect

PARTNER_ONLY = expect(403, anonymous="login", partner=200)
# Claims: the partner who made it, admins and the provider's lead; nobody else knows it exists.
CLAIM_READ = expect(404, anonymous="login", admin=200, lead=200, partner=200)
CLAIM_OWNER = expect(404, anonymous="login", admin=403, lead=403, partner=200)
PARTNER_ON_A1 = expect(403, anonymous="login", partner=200, other_lead=404)
STAFF_LOGGED = expect(200, anonymous="login", observer=403, partner=403, other_lead=404)


def make_round(w, **extra):
    today = timezone.localdate()
    fields = {
        "provider": w.provider_a,
        "ward": w.ward_a1,
        "kind": "mid_point",
        "opens_on": today - timedelta(days=3),
        "closes_on": today + timedelta(days=30),
    }
    return AssessmentRound.objects.create(**(fields | extra))


def make_involvement(w, logged_by=None):
    involvement = Involvement.objects.create(
        logged_by=logged_by,
        provider=w.provider_a,
        ward=w.ward_a1,
        occurred_on=date(2025, 1, 15),
        stage="design",
        activity="workshop",
        title="Care plan workshop (fictional)",
        rung=7,
        hours=Decimal("3"),
    )
    InvolvementPartner.objects.create(involvement=involvement, user=w.users["partner"], named=True)
    return involvement


def make_claim(w, status="claimed"):
    rate, _ = PaymentRate.objects.get_or_create(
        kind="hourly", valid_from=date(2024, 4, 1), defaults={"amount": Decimal("25.00")}
    )
    extra = {"approved_at": timezone.now()} if status != "claimed" else {}
    return PaymentClaim.objects.create(
        involvement=make_involvement(w),
        partner=w.users["partner"],
        rate=rate,
        units=Decimal("3"),
        amount=Decimal("75.00"),
        status=status,
        notice_acknowledged_at=timezone.now(),
        notice_wording="Fictional notice",
        **extra,
    )


def _review(w):
    today = timezone.localdate()
    earlier = make_round(
        w,
        kind="baseline",
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=170),
    )
    action = Action.objects.create(
        round=earlier,
        domain="process",
        description="Fictional action",
        owner="Ward manager",
        due_on=today,
    )
    return {"round_pk": make_round(w).pk, "pk": action.pk}


def _receipt(w):
    claim = make_claim(w)
    name = "receipts/authorisation-matrix.pdf"
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"%PDF-1.4 fictional receipt"))
    expense = Expense.objects.create(
        claim=claim, description="Bus fare", amount=Decimal("4.50"), receipt=name
    )
    return {"pk": claim.pk, "expense_pk": expense.pk}


def _consented(w):
    profile = PartnerProfile.objects.create(user=w.users["partner"])
    PartnerCharacteristic.objects.create(
        profile=profile,
        kind="carer",
        value="yes",
        consent_given_at=timezone.now(),
        consent_wording="Fictional consent",
    )
    return {"kind": "carer"}


ROUTES = {
    "coproduction:hub": (None, SIGNED_IN),
    "coproduction:round-create": (
        None,
        expect(403, anonymous="login", admin=200, lead=200, other_lead=200),
    ),
    "coproduction:round-detail": (lambda w: {"pk": make_round(w).pk}, A_READ),
    "coproduction:round-qr": (lambda w: {"pk": make_round(w).pk}, A_READ),
    "coproduction:round-close": (lambda w: {"pk": make_round(w).pk}, A_MANAGE),
    "coproduction:round-results": (lambda w: {"pk": make_round(w).pk}, A_READ),
    "coproduction:action-create": (lambda w: {"pk": make_round(w).pk}, A1_EDIT),
    "coproduction:action-review": (_review, A1_EDIT),
    "coproduction:action-edit": (
        lambda w: {
            "pk": Action.objects.create(
                round=make_round(w),
                domain="impact",
                description="Fictional",
                owner="Lead",
                due_on=date(2026, 1, 1),
            ).pk
        },
        A1_EDIT,
    ),
    "coproduction:take-part": (lambda w: {"token": make_round(w).token}, PUBLIC),
    "coproduction:take-part-step": (
        lambda w: {"token": make_round(w).token, "step": 1},
        expect(302),
    ),
    "coproduction:take-part-check": (lambda w: {"token": make_round(w).token}, expect(302)),
    "coproduction:take-part-done": (lambda w: {"token": make_round(w).token}, PUBLIC),
    "coproduction:involvement-list": (None, SIGNED_IN),
    "coproduction:involvement-create": (None, expect(200, anonymous="login", observer=403)),
    "coproduction:involvement-detail": (lambda w: {"pk": make_involvement(w).pk}, A_READ),
    # Staff-logged records: a partner may read them but not change them (coproduction.rules).
    "coproduction:involvement-edit": (lambda w: {"pk": make_involvement(w).pk}, STAFF_LOGGED),
    "coproduction:involvement-delete": (lambda w: {"pk": make_involvement(w).pk}, STAFF_LOGGED),
    # A partner joins a record they logged themselves.
    "coproduction:involvement-join": (
        lambda w: {"pk": make_involvement(w, logged_by=w.users["partner"]).pk},
        PARTNER_ON_A1,
    ),
    "coproduction:claim-create": (lambda w: {"pk": make_involvement(w).pk}, PARTNER_ON_A1),
    "coproduction:ward-profile": (lambda w: {"pk": w.ward_a1.pk}, A_READ),
    "coproduction:claim-list": (None, SIGNED_IN),
    "coproduction:claim-detail": (lambda w: {"pk": make_claim(w).pk}, CLAIM_READ),
    "coproduction:expense-create": (lambda w: {"pk": make_claim(w).pk}, CLAIM_OWNER),
    "coproduction:claim-withdraw": (lambda w: {"pk": make_claim(w).pk}, CLAIM_OWNER),
    "coproduction:claim-approve": (
        lambda w: {"pk": make_claim(w).pk},
        expect(405, anonymous="login"),
    ),
    "coproduction:claim-paid": (
        lambda w: {"pk": make_claim(w, "approved").pk},
        expect(404, anonymous="login", admin=200, lead=403, partner=403),
    ),
    "coproduction:receipt": (_receipt, CLAIM_READ),
    "coproduction:payments-owed": (
        None,
        expect(403, anonymous="login", admin=200, lead=200, other_lead=200),
    ),
    "coproduction:rate-list": (None, ADMIN_ONLY),
    "coproduction:rate-create": (None, ADMIN_ONLY),
    "coproduction:profile": (None, PARTNER_ONLY),
    "coproduction:characteristic-edit": (lambda w: {"kind": "ethnicity"}, PARTNER_ONLY),
    "coproduction:characteristic-withdraw": (_consented, PARTNER_ONLY),
    "coproduction:partner-list": (None, ADMIN_ONLY),
    "coproduction:partner-detail": (
        lambda w: {"pk": PartnerProfile.objects.create(user=w.users["partner"]).pk},
        ADMIN_ONLY,
    ),
}
