"""The co-production rules, each stated once.

Forms, services, views and models' ``clean()`` ask these functions; none of them repeats a
rule. Each raises :class:`django.core.exceptions.ValidationError` with plain words, or
answers a yes/no question. See docs/adr/041-coproduction-rules.md.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.core.scoping import ROLE_PARTNER, Permission, access_for

# ---------------------------------------------------------------- involvement

MIN_HOURS = Decimal("0.25")
MAX_HOURS = Decimal("12")  # one day's involvement at most; longer work is logged per day

#: What a claim fixes on its involvement: these cannot change while a claim exists.
LOCKED_FIELDS = ("occurred_on", "hours", "rung", "stage")

LOCKED_MESSAGE = (
    "Someone has claimed payment for this involvement, so its date, hours, rung and stage "
    "cannot change. The claim must be withdrawn first."
)


def check_hours(hours) -> None:
    if hours is None:
        return
    if hours < MIN_HOURS:
        raise ValidationError("Enter at least 0.25 hours", code="hours_min")
    if hours > MAX_HOURS:
        raise ValidationError(
            "Enter 12 hours or fewer. Log each day of longer work on its own", code="hours_max"
        )


def check_not_future(day: date | None, today: date | None = None) -> None:
    """Nothing is logged or claimed before it happened."""
    if day is not None and day > (today or timezone.localdate()):
        raise ValidationError("The date cannot be in the future", code="future")


def likely_duplicates(provider, ward, occurred_on, title, exclude_pk=None):
    """Involvement already logged for the same place, date and title (ignoring case)."""
    from .models import Involvement

    found = Involvement.objects.filter(
        provider=provider, ward=ward, occurred_on=occurred_on, title__iexact=(title or "").strip()
    )
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found


def is_locked(involvement) -> bool:
    """A claim (one not withdrawn: withdrawing deletes it) locks its involvement."""
    return bool(involvement.pk) and involvement.claims.exists()


def check_locked_fields(involvement) -> None:
    """Refuse a change to a locked field of an involvement someone has claimed for."""
    if not is_locked(involvement):
        return
    stored = type(involvement).objects.filter(pk=involvement.pk).values(*LOCKED_FIELDS).first()
    if stored and any(stored[f] != getattr(involvement, f) for f in LOCKED_FIELDS):
        raise ValidationError(LOCKED_MESSAGE, code="locked")


def is_partner(user) -> bool:
    """A lived experience partner (a programme admin is not one by being an admin)."""
    return ROLE_PARTNER in access_for(user).roles


def is_staff_editor(user, provider_id, ward_id) -> bool:
    """Staff: people who may edit the work here and who are not lived experience partners."""
    return access_for(user).has(Permission.EDIT_WORK, provider_id, ward_id) and not is_partner(user)


def may_change_involvement(user, involvement) -> bool:
    """Staff change what they may edit; a partner only what they logged and nobody claimed."""
    access = access_for(user)
    if not access.has(Permission.EDIT_WORK, involvement.provider_id, involvement.ward_id):
        return False
    if is_partner(user):
        return involvement.logged_by_id == user.pk and not is_locked(involvement)
    return True


def may_add_attendee(user, involvement) -> bool:
    """Staff add people to any record they may edit; a partner joins only what they logged."""
    if is_staff_editor(user, involvement.provider_id, involvement.ward_id):
        return True
    return involvement.logged_by_id == user.pk


# ---------------------------------------------------------------- payments


def price(rate_amount: Decimal, units: Decimal) -> Decimal:
    return (rate_amount * units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate_offered(rate, hours: Decimal) -> bool:
    """Hourly rates always apply; a half-day or day rate only above the hours the rate states."""
    from .models import RateKind

    if rate.kind == RateKind.HOURLY:
        return True
    return rate.more_than_hours is not None and hours > rate.more_than_hours


def units_and_amount(rate, hours: Decimal) -> tuple[Decimal, Decimal]:
    """What a claim at this rate for these hours comes to: the amount follows from both."""
    from .models import RateKind

    check_hours(hours)
    if not rate_offered(rate, hours):
        raise ValidationError(
            f"The {rate.get_kind_display().lower()} rate is only for involvement longer than "
            f"{rate.more_than_hours or 0:g} hours",
            code="rate_not_offered",
        )
    units = hours if rate.kind == RateKind.HOURLY else Decimal("1")
    return units, price(rate.amount, units)


def check_claimable(involvement, partner, today: date | None = None) -> None:
    check_not_future(involvement.occurred_on, today)
    check_hours(involvement.hours)
    if involvement.claims.filter(partner=partner).exists():
        raise ValidationError("You have already claimed for this involvement", code="duplicate")


def check_rate_date(valid_from: date | None, today: date | None = None) -> None:
    """Rates apply from their date forward: a new rate is never back-dated."""
    if valid_from is not None and valid_from < (today or timezone.localdate()):
        raise ValidationError(
            "A rate cannot start before today. Claims already made keep the rate they were made at",
            code="back_dated",
        )


def check_rate_threshold(kind, more_than_hours) -> None:
    from .models import RateKind

    if kind and kind != RateKind.HOURLY and more_than_hours is None:
        raise ValidationError(
            "Enter how many hours involvement must last for this rate", code="threshold"
        )
    if more_than_hours is not None and not (0 <= more_than_hours <= MAX_HOURS):
        raise ValidationError("Enter a number of hours from 0 to 12", code="threshold_range")


def may_approve(user, claim) -> bool:
    """Approvers approve claims of their providers, never their own."""
    involvement = claim.involvement
    return (
        access_for(user).has(
            Permission.APPROVE_PAYMENTS, involvement.provider_id, involvement.ward_id
        )
        and claim.partner_id != user.pk
    )


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def check_claim_dates(claimed_at, approved_at, paid_on, today: date | None = None) -> None:
    """claimed <= approved <= paid <= today, in calendar days, local time."""
    today = today or timezone.localdate()
    claimed, approved = _local_date(claimed_at), _local_date(approved_at)
    if claimed and claimed > today:
        raise ValidationError("The claim date cannot be in the future", code="claimed_future")
    if approved and claimed and approved < claimed:
        raise ValidationError("A claim cannot be approved before it was made", code="approved")
    if paid_on is not None:
        if approved is None:
            raise ValidationError("Only an approved claim can be marked as paid", code="unpaid")
        if paid_on > today:
            raise ValidationError("The date paid cannot be in the future", code="paid_future")
        if paid_on < approved:
            raise ValidationError(
                f"The date paid cannot be before the claim was approved on {approved:%-d %B %Y}",
                code="paid_before_approved",
            )


def days_waiting(claim, today: date | None = None) -> int:
    """How long a claim not yet paid has waited, in calendar days, local time: since it was
    approved when it is approved, otherwise since it was claimed. The one way to count it."""
    from .models import ClaimStatus

    today = today or timezone.localdate()
    approved = claim.status == ClaimStatus.APPROVED and claim.approved_at
    since = claim.approved_at if approved else claim.claimed_at
    return max(0, (today - _local_date(since)).days)


def oldest_waiting(claims, today: date | None = None) -> int | None:
    return max((days_waiting(c, today) for c in claims), default=None)


# ---------------------------------------------------------------- self-assessment

COMMENT_WARNING = "Staff running the round will read what you write. Do not include names."

#: Easy-read wordings that are not asked of patients and carers, who are not paid to take part.
_NOT_FOR_PATIENTS = {"principles-3": "Our time is valued."}
_PATIENT_SIDE = {"lived_experience", "carer"}


def as_asked(statement, perspective: str):
    """The statement as this person is asked it: patients and carers are not asked about pay."""
    import dataclasses

    if perspective in _PATIENT_SIDE and statement.key in _NOT_FOR_PATIENTS:
        return dataclasses.replace(statement, easy=_NOT_FOR_PATIENTS[statement.key])
    return statement


def results_published(round_obj) -> bool:
    """Results and comments appear only once a round has closed: while it is open, each new
    answer would change the figures, and comparing them before and after would show what one
    person said."""
    return round_obj.status == "Closed"
