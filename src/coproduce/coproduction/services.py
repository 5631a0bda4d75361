"""Reads and writes for co-production that are more than one save.

Other apps may call :func:`profile_for_ward`, :func:`profile_for_project` and
:func:`profile_for_provider` to show a co-production profile wherever the work is.
"""

import hashlib
import hmac
import secrets
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.utils import timezone

from . import rules, scoring
from .instrument import CO_DESIGN_OR_ABOVE, LIVED_SIDE, Rung
from .models import (
    Action,
    Answer,
    AssessmentResponse,
    ClaimStatus,
    Expense,
    Involvement,
    InvolvementPartner,
    PartnerCharacteristic,
    PaymentClaim,
    PaymentRate,
    RateKind,
    Stage,
    hash_key,
)

PAYMENT_NOTICE = (
    "Involvement payments are paid through payroll and are taxable. They may affect benefits "
    "you receive. If you get benefits, check with your benefits adviser or Jobcentre before you "
    "claim. Expenses (like travel) are paid back at cost and are not a payment for your time."
)

# ---------------------------------------------------------------- self-assessment responses


def new_draft_key() -> str:
    return secrets.token_urlsafe(24)


def signed_in_key(round_obj, user) -> str:
    """A key for a signed-in person's response that cannot be turned back into who they are
    without the service's secret: one response per person per round, from any device."""
    message = f"coproduction-response:{round_obj.pk}:{user.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def find_response(round_obj, key: str | None):
    if not key:
        return None
    return (
        AssessmentResponse.objects.filter(round=round_obj, draft_key_hash=hash_key(key))
        .prefetch_related("answers")
        .first()
    )


def start_response(round_obj, key: str, perspective: str, easy_read: bool, signed_in: bool):
    response, _ = AssessmentResponse.objects.update_or_create(
        round=round_obj,
        draft_key_hash=hash_key(key),
        defaults={"perspective": perspective, "easy_read": easy_read, "signed_in": signed_in},
    )
    return response


@transaction.atomic
def save_answers(response, answers: dict) -> None:
    """``answers``: statement key -> (as is, to be, comment). Saves all or none.

    A saved comment is not shown again (the device may be shared), so an empty comment
    keeps the one saved before."""
    for key, (as_is, to_be, comment) in answers.items():
        defaults = {"as_is": as_is, "to_be": to_be}
        if comment:
            defaults["comment"] = comment
        Answer.objects.update_or_create(response=response, statement=key, defaults=defaults)


def _data(responses) -> list[scoring.ResponseData]:
    return [
        scoring.ResponseData(
            r.perspective, [(a.statement, a.as_is, a.to_be) for a in r.answers.all()]
        )
        for r in responses
    ]


def submitted(round_obj):
    return AssessmentResponse.objects.filter(
        round=round_obj, submitted_on__isnull=False
    ).prefetch_related(
        Prefetch(
            "answers", queryset=Answer.objects.only("response_id", "statement", "as_is", "to_be")
        )
    )


def round_results(round_obj) -> tuple[scoring.Results, object]:
    previous = round_obj.previous_round()
    results = scoring.score(
        _data(submitted(round_obj)), _data(submitted(previous)) if previous else None
    )
    return results, previous


def comments_for(round_obj, results) -> dict[str, list[str]]:
    """Comments, by domain, only when at least five people answered (never with a perspective)."""
    if results.respondents[scoring.EVERYONE] < scoring.MIN_RESPONDENTS:
        return {}
    from .instrument import STATEMENTS_BY_KEY

    by_domain = defaultdict(list)
    rows = (
        Answer.objects.filter(response__round=round_obj, response__submitted_on__isnull=False)
        .exclude(comment="")
        .order_by("?")
        .values_list("statement", "comment")
    )
    for key, comment in rows:
        statement = STATEMENTS_BY_KEY.get(key)
        if statement:
            by_domain[statement.domain].append(comment)
    return dict(by_domain)


def actions_to_review(round_obj):
    """Actions from the previous round of the same place, to review in this one."""
    previous = round_obj.previous_round()
    if previous is None:
        return []
    return list(Action.objects.filter(round=previous).order_by("due_on", "id"))


# ---------------------------------------------------------------- involvement and profiles


def lived_experience_people(involvement) -> int:
    partners = getattr(involvement, "partner_count", None)
    if partners is None:
        partners = involvement.partners.count()
    return (
        involvement.lived_experience_count
        + involvement.carer_count
        + involvement.practitioner_count
        + partners
    )


def taking_part(involvement) -> dict:
    """Who took part: named partners, and counts by perspective for everyone else."""
    named = [p.user for p in involvement.partners.all() if p.named]
    extra = defaultdict(int)
    for p in involvement.partners.all():
        if not p.named:
            extra[p.perspective] += 1
    counts = [
        (
            "People with lived experience of detention",
            involvement.lived_experience_count + extra["lived_experience"],
        ),
        ("Carers", involvement.carer_count + extra["carer"]),
        (
            "Lived experience practitioners",
            involvement.practitioner_count + extra["le_practitioner"],
        ),
        ("Ward staff", involvement.staff_count),
        ("Leaders", involvement.leader_count),
    ]
    return {"named": named, "counts": [(label, n) for label, n in counts if n]}


def _profile(involvements, cycles=None) -> dict:
    rows = list(involvements.annotate(partner_count=Count("partners")))
    hours = sum((r.hours * lived_experience_people(r) for r in rows), Decimal("0"))
    stages = []
    for value, label in Stage.choices:
        here = [r for r in rows if r.stage == value]
        top = max((r.rung for r in here), default=None)
        stages.append(
            {
                "key": value,
                "label": label,
                "count": len(here),
                "hours": sum((r.hours * lived_experience_people(r) for r in here), Decimal("0")),
                "top_rung": top,
                "top_rung_label": Rung(top).label if top else "None",
                "co_design": top is not None and top >= CO_DESIGN_OR_ABOVE,
            }
        )
    pdsa = None
    if cycles is not None:
        cycles = list(
            cycles.annotate(people=Count("lived_experience_people")).values_list(
                "people", "other_lived_experience_count"
            )
        )
        pdsa = {
            "total": len(cycles),
            "with_partner": sum(1 for people, others in cycles if people or others),
        }
    co_design = sum(1 for s in stages if s["co_design"])
    return {
        "involvement_count": len(rows),
        "lived_experience_hours": hours.quantize(Decimal("0.01")),
        "stages": stages,
        "co_design_stages": co_design,
        "co_design_share": round(100 * co_design / len(stages)),
        "stages_with_none": [s["label"] for s in stages if not s["count"]],
        "pdsa": pdsa,
    }


def profile_of(involvements, cycles=None) -> dict:
    """The co-production profile of any set of involvements (and PDSA cycles), e.g. a phase."""
    return _profile(involvements, cycles)


def _cycles():
    from coproduce.improvement.models import PDSACycle

    return PDSACycle.objects.all()


def profile_for_ward(ward) -> dict:
    """The co-production profile of one ward: its own involvement and PDSA cycles."""
    return _profile(
        Involvement.objects.filter(ward=ward),
        _cycles().filter(change_idea__project__ward=ward),
    )


def profile_for_provider(provider) -> dict:
    return _profile(
        Involvement.objects.filter(provider=provider),
        _cycles().filter(change_idea__project__provider=provider),
    )


def profile_for_project(project) -> dict:
    return _profile(
        Involvement.objects.filter(project=project),
        _cycles().filter(change_idea__project=project),
    )


def add_partner(involvement, user, named: bool, perspective: str):
    partner, _ = InvolvementPartner.objects.update_or_create(
        involvement=involvement,
        user=user,
        defaults={
            "named": named,
            "perspective": perspective if perspective in LIVED_SIDE else "le_practitioner",
        },
    )
    return partner


def you_said_we_did_for(user, limit=3):
    """The partner's last contributions and what came of them."""
    return list(
        Involvement.objects.filter(partners__user=user)
        .select_related("provider", "ward")
        .order_by("-occurred_on", "-id")[:limit]
    )


# ---------------------------------------------------------------- payments


def rate_options(on_date, hours: Decimal) -> list[dict]:
    """The rates that apply on a date for these hours, with what the claim would come to."""
    options = []
    for kind, label in RateKind.choices:
        rate = PaymentRate.current(kind, on_date)
        if rate is None or not rules.rate_offered(rate, hours):
            continue
        try:
            units, amount = rules.units_and_amount(rate, hours)
        except ValidationError:
            continue
        options.append(
            {"kind": kind, "label": label, "rate": rate, "units": units, "amount": amount}
        )
    return options


class DuplicateClaim(Exception):
    pass


class ClaimChanged(Exception):
    """The claim was withdrawn, approved or paid by someone else first."""


def create_claim(involvement, partner, option: dict, expense: dict | None) -> PaymentClaim:
    """Save the claim and its first expense together, or neither.

    The rate and the amount are fixed here, at submission, from the rate table and the
    involvement's hours; a later rate never changes them."""
    rules.check_claimable(involvement, partner)
    rate = PaymentRate.current(option["kind"], involvement.occurred_on)
    if rate is None:
        raise ValidationError("There is no rate for this date")
    units, amount = rules.units_and_amount(rate, involvement.hours)
    try:
        with transaction.atomic():
            claim = PaymentClaim.objects.create(
                involvement=involvement,
                partner=partner,
                rate=rate,
                units=units,
                amount=amount,
                notice_acknowledged_at=timezone.now(),
                notice_wording=PAYMENT_NOTICE,
            )
            if expense:
                add_expense(claim, **expense)
    except IntegrityError as exc:
        raise DuplicateClaim from exc
    return claim


def add_expense(claim, description, amount, receipt) -> Expense:
    return Expense.objects.create(
        claim=claim,
        description=description,
        amount=amount,
        receipt=receipt,
        receipt_name=(receipt.name or "")[-200:],
    )


def _locked(pk, status):
    """The claim, locked for this transaction, if it is still in ``status``."""
    claim = PaymentClaim.objects.select_for_update().filter(pk=pk, status=status).first()
    if claim is None:
        raise ClaimChanged
    return claim


def approve(claim, user) -> PaymentClaim:
    if not rules.may_approve(user, claim):
        raise ValidationError("Nobody can approve their own claim")
    with transaction.atomic():
        locked = _locked(claim.pk, ClaimStatus.CLAIMED)
        locked.status = ClaimStatus.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = user
        rules.check_claim_dates(locked.claimed_at, locked.approved_at, None)
        locked.save(update_fields=["status", "approved_at", "approved_by"])
    return locked


def withdraw(claim) -> None:
    """The partner withdraws a claim not yet approved: it and its receipts are removed."""
    with transaction.atomic():
        locked = _locked(claim.pk, ClaimStatus.CLAIMED)
        receipts = [e.receipt for e in locked.expenses.all()]
        locked.delete()
    for receipt in receipts:
        receipt.delete(save=False)


def mark_paid(claim, user, paid_on) -> PaymentClaim:
    if not rules.may_approve(user, claim):
        raise ValidationError("Nobody can mark their own claim as paid")
    with transaction.atomic():
        locked = _locked(claim.pk, ClaimStatus.APPROVED)
        rules.check_claim_dates(locked.claimed_at, locked.approved_at, paid_on)
        locked.status = ClaimStatus.PAID
        locked.paid_on = paid_on
        locked.paid_recorded_at = timezone.now()
        locked.paid_by = user
        locked.save(update_fields=["status", "paid_on", "paid_recorded_at", "paid_by"])
    return locked


def owed(user):
    """Claims not yet paid that this person may see, oldest first."""
    return (
        PaymentClaim.objects.visible_to(user)
        .exclude(status=ClaimStatus.PAID)
        .select_related("involvement", "involvement__provider", "involvement__ward", "partner")
        .prefetch_related("expenses")
        .order_by("claimed_at", "id")
    )


# ---------------------------------------------------------------- partners' characteristics


def characteristic_counts() -> list[dict]:
    """How many partners describe themselves each way, with consent not withdrawn.

    Counts under 5 are shown as 'fewer than 5'.
    """
    from .models import Characteristic

    rows = (
        PartnerCharacteristic.objects.active()
        .values("kind", "value")
        .annotate(n=Count("id"))
        .order_by("kind", "value")
    )
    labels = value_labels()
    out = []
    for row in rows:
        n = row["n"]
        out.append(
            {
                "kind": Characteristic(row["kind"]).label,
                "value": labels.get(row["kind"], {}).get(
                    row["value"], row["value"] or "Described in own words"
                ),
                "count": str(n) if n >= scoring.MIN_RESPONDENTS else "Fewer than 5",
            }
        )
    return out


def value_labels() -> dict:
    from coproduce.equity.categories import ETHNICITY_BROAD

    yes_no = {"yes": "Yes", "no": "No", "own_words": "Described in own words"}
    return {
        "ethnicity": dict(ETHNICITY_BROAD) | {"own_words": "Described in own words"},
        "learning_disability": yes_no,
        "autism": yes_no,
        "carer": yes_no,
    }


def consent_wording(kind_label: str) -> str:
    return (
        f"I agree that Coproduce may keep what I have said about my {kind_label.lower()} and use "
        "it only in totals about partners as a group, never to identify me. I can withdraw this "
        "at any time, and it will then be removed."
    )


@transaction.atomic
def give_characteristic(profile, kind, value, self_description, wording):
    for old in PartnerCharacteristic.objects.filter(profile=profile, kind=kind).active():
        withdraw_characteristic(old)
    return PartnerCharacteristic.objects.create(
        profile=profile,
        kind=kind,
        value=value,
        self_description=self_description,
        consent_given_at=timezone.now(),
        consent_wording=wording,
    )


def withdraw_characteristic(item) -> None:
    item.withdrawn_at = timezone.now()
    item.value = ""
    item.self_description = ""
    item.save()
