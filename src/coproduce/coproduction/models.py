"""Co-production: self-assessment rounds, the involvement log, partners and their payments."""

import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coproduce.core.scoping import Permission, ScopedQuerySet, access_for

from .instrument import Domain, Perspective, Rung


def new_token() -> str:
    return secrets.token_urlsafe(18)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class RoundKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    MID_POINT = "mid_point", "Mid-point"
    END = "end", "End"
    OTHER = "other", "Other date"


class RoundQuerySet(ScopedQuerySet):
    scope_provider_field = "provider_id"
    scope_ward_field = "ward_id"


class AssessmentRound(models.Model):
    """One round of the 'as is' / 'to be' self-assessment for a provider or one ward."""

    provider = models.ForeignKey(
        "programme.Provider", on_delete=models.PROTECT, related_name="assessment_rounds"
    )
    ward = models.ForeignKey(
        "programme.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_rounds",
        help_text="Leave empty to assess the whole provider.",
    )
    kind = models.CharField("type of round", max_length=20, choices=RoundKind.choices)
    opens_on = models.DateField("opening date", default=timezone.localdate)
    closes_on = models.DateField("closing date")
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opening"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} self-assessment, {self.place_label}"

    @property
    def place_label(self) -> str:
        if self.ward_id:
            return f"{self.ward.name}, {self.provider.name}"
        return self.provider.name

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.closed_at is None and self.opens_on <= today <= self.closes_on

    @property
    def status(self) -> str:
        if self.closed_at is not None or self.closes_on < timezone.localdate():
            return "Closed"
        if self.opens_on > timezone.localdate():
            return "Not open yet"
        return "Open"

    def previous_round(self):
        """The last round before this one for the same provider and ward."""
        return (
            AssessmentRound.objects.filter(provider_id=self.provider_id, ward_id=self.ward_id)
            .filter(Q(opens_on__lt=self.opens_on) | Q(opens_on=self.opens_on, id__lt=self.id))
            .exclude(pk=self.pk)
            .order_by("-opens_on", "-id")
            .first()
        )


class ResponseQuerySet(ScopedQuerySet):
    scope_provider_field = "round__provider_id"
    scope_ward_field = "round__ward_id"


class AssessmentResponse(models.Model):
    """One person's answers in a round.

    Nothing here identifies the person: no account, no name, no network address, no
    browser details, and only dates (not times). ``draft_key_hash`` is the SHA-256 of a
    random key kept in a cookie on the person's device (or, for people signed in, of a key
    derived from a secret, so one person answers once); it lets them carry on later.
    """

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="responses")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    easy_read = models.BooleanField(default=False)
    signed_in = models.BooleanField(default=False)
    draft_key_hash = models.CharField(max_length=64)
    started_on = models.DateField(default=timezone.localdate)
    submitted_on = models.DateField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "draft_key_hash"], name="one_response_per_key")
        ]

    def __str__(self):
        return f"Response {self.pk} to round {self.round_id}"

    @property
    def provider_id_for_scope(self):
        return self.round.provider_id


class Answer(models.Model):
    response = models.ForeignKey(
        AssessmentResponse, on_delete=models.CASCADE, related_name="answers"
    )
    statement = models.CharField(max_length=40)
    as_is = models.PositiveSmallIntegerField(
        choices=Rung.choices, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    to_be = models.PositiveSmallIntegerField(
        choices=Rung.choices, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="one_answer_per_statement"
            ),
            models.CheckConstraint(condition=Q(as_is__gte=1, as_is__lte=7), name="as_is_on_ladder"),
            models.CheckConstraint(condition=Q(to_be__gte=1, to_be__lte=7), name="to_be_on_ladder"),
        ]

    def __str__(self):
        return f"{self.statement}: {self.as_is} to {self.to_be}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


class ActionQuerySet(ScopedQuerySet):
    scope_provider_field = "round__provider_id"
    scope_ward_field = "round__ward_id"


class Action(models.Model):
    """The 'to be' action plan: one action to close a gap found in a round."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="actions")
    domain = models.CharField("the gap it closes", max_length=20, choices=Domain.choices)
    description = models.TextField("what will be done", max_length=2000)
    owner = models.CharField("who owns it", max_length=150)
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    review_note = models.TextField("what the review found", blank=True, max_length=2000)
    reviewed_in = models.ForeignKey(
        AssessmentRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_actions",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:80]

    @property
    def provider_id_for_scope(self):
        return self.round.provider_id


class Stage(models.TextChoices):
    DESIGN = "design", "Design"
    DEVELOPMENT = "development", "Development"
    DELIVERY = "delivery", "Delivery"
    EVALUATION = "evaluation", "Evaluation"


class Activity(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    STEERING_GROUP = "steering_group", "Steering group"
    TRAINING = "training", "Co-facilitated training"
    INTERVIEW_PANEL = "interview_panel", "Interview panel"
    DOCUMENT_REVIEW = "document_review", "Document review"
    MEETING = "meeting", "Project or ward meeting"
    OTHER = "other", "Something else"


class Adjustment(models.TextChoices):
    EASY_READ = "easy_read", "Easy read materials"
    INTERPRETER = "interpreter", "Interpreter"
    BREAKS = "breaks", "Breaks"
    TRAVEL = "travel", "Travel support"
    QUIET_SPACE = "quiet_space", "A quiet space"
    OTHER = "other", "Something else"


class Outcome(models.TextChoices):
    WAITING = "waiting", "Not known yet"
    CHANGED = "changed", "We changed it"
    PARTLY = "partly", "We changed part of it"
    NOT_CHANGED = "not_changed", "We could not change it"


class InvolvementQuerySet(ScopedQuerySet):
    scope_provider_field = "provider_id"
    scope_ward_field = "ward_id"


class Involvement(models.Model):
    """One piece of involvement of people with lived experience, and what came of it."""

    provider = models.ForeignKey(
        "programme.Provider", on_delete=models.PROTECT, related_name="involvements"
    )
    ward = models.ForeignKey(
        "programme.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    project = models.ForeignKey(
        "improvement.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="involvements",
        verbose_name="improvement project",
    )
    pdsa_cycle = models.ForeignKey(
        "improvement.PDSACycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="involvements",
        verbose_name="PDSA cycle",
    )
    occurred_on = models.DateField("date")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    activity = models.CharField(max_length=20, choices=Activity.choices)
    title = models.CharField("what it was about", max_length=200)
    rung = models.PositiveSmallIntegerField(
        "how far up the ladder it reached",
        choices=Rung.choices,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("12"))],
    )
    lived_experience_count = models.PositiveSmallIntegerField(
        "people with lived experience of detention", default=0
    )
    carer_count = models.PositiveSmallIntegerField("carers", default=0)
    practitioner_count = models.PositiveSmallIntegerField(
        "lived experience practitioners", default=0
    )
    staff_count = models.PositiveSmallIntegerField("ward staff", default=0)
    leader_count = models.PositiveSmallIntegerField("leaders", default=0)
    adjustments = models.JSONField("accessibility adjustments made", default=list, blank=True)
    you_said = models.TextField("you said", blank=True, max_length=3000)
    we_did = models.TextField("we did", blank=True, max_length=3000)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.WAITING)
    why_not = models.TextField("why it could not change", blank=True, max_length=3000)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rung__gte=1, rung__lte=7), name="involvement_rung_on_ladder"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="involvement_hours_positive"),
        ]

    def __str__(self):
        return f"{self.title} ({self.occurred_on})"

    @property
    def place_label(self) -> str:
        if self.ward_id:
            return f"{self.ward.name}, {self.provider.name}"
        return self.provider.name

    def clean(self):
        from . import rules

        errors = {}
        for name, check in (("hours", rules.check_hours), ("occurred_on", rules.check_not_future)):
            try:
                check(getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc
        if errors:
            raise ValidationError(errors)
        rules.check_locked_fields(self)

    def adjustment_labels(self) -> list[str]:
        labels = dict(Adjustment.choices)
        return [labels.get(a, a) for a in self.adjustments]


class InvolvementPartner(models.Model):
    """A partner with an account who took part. ``named`` says they agreed to be named."""

    involvement = models.ForeignKey(Involvement, on_delete=models.CASCADE, related_name="partners")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements"
    )
    perspective = models.CharField(
        max_length=20, choices=Perspective.choices, default=Perspective.PRACTITIONER
    )
    named = models.BooleanField("agreed to be named", default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["involvement", "user"], name="partner_once_per_involvement"
            )
        ]

    def __str__(self):
        return f"{self.user} in {self.involvement}"


class PartnerProfile(models.Model):
    """What a lived experience partner chooses to share about themselves."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_profile"
    )
    perspective = models.CharField(
        "your lived experience",
        max_length=20,
        choices=Perspective.choices,
        default=Perspective.PRACTITIONER,
    )
    about = models.TextField("about you", blank=True, max_length=2000)
    interests = models.TextField(
        "what you would like to be involved in", blank=True, max_length=2000
    )
    share_about = models.BooleanField(
        "show 'about you' to people in my wards and providers", default=False
    )
    named_by_default = models.BooleanField("name me in involvement records", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self):
        return f"Partner profile of {self.user}"


class Characteristic(models.TextChoices):
    ETHNICITY = "ethnicity", "Ethnic group"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    AUTISM = "autism", "Autism"
    CARER = "carer", "Carer"


class CharacteristicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class PartnerCharacteristic(models.Model):
    """One self-described characteristic with its own consent. Used only in aggregates.

    Withdrawing consent wipes the value and keeps only the consent history.
    """

    profile = models.ForeignKey(
        PartnerProfile, on_delete=models.CASCADE, related_name="characteristics"
    )
    kind = models.CharField(max_length=30, choices=Characteristic.choices)
    value = models.CharField(max_length=30, blank=True)
    self_description = models.CharField("in your own words", max_length=200, blank=True)
    consent_given_at = models.DateTimeField()
    consent_wording = models.TextField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = CharacteristicQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-consent_given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_characteristic_per_kind",
            )
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} (consent {'withdrawn' if self.withdrawn_at else 'given'})"
        )


class RateKind(models.TextChoices):
    HOURLY = "hourly", "Hourly"
    HALF_DAY = "half_day", "Half day"
    FULL_DAY = "full_day", "Full day"


class PaymentRate(models.Model):
    """An involvement payment rate. Rates are policy: admins set them, dated, never in code."""

    kind = models.CharField(max_length=20, choices=RateKind.choices)
    amount = models.DecimalField(
        "amount in pounds",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    valid_from = models.DateField("applies from")
    more_than_hours = models.DecimalField(
        "only for involvement longer than (hours)",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For half-day and day rates. Hourly rates apply to any length.",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "valid_from"], name="one_rate_per_kind_and_date"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="rate_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} £{self.amount} from {self.valid_from:%d %b %Y}"

    def clean(self):
        from . import rules

        rules.check_rate_threshold(self.kind, self.more_than_hours)

    @classmethod
    def current(cls, kind, on_date):
        return (
            cls.objects.filter(kind=kind, valid_from__lte=on_date).order_by("-valid_from").first()
        )


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"


class ClaimQuerySet(ScopedQuerySet):
    scope_provider_field = "involvement__provider_id"
    scope_ward_field = None

    def visible_to(self, user, also=None):
        """Partners see their own claims; whoever sees the payments owed for a provider
        (its leads, programme admins) sees that provider's claims."""
        if not access_for(user).authenticated:
            return self.none()
        shown = Q(partner=user) if also is None else Q(partner=user) | also
        return self.with_permission(user, Permission.VIEW_PAYMENTS_OWED) | self.filter(shown)


class PaymentClaim(models.Model):
    involvement = models.ForeignKey(Involvement, on_delete=models.PROTECT, related_name="claims")
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    rate = models.ForeignKey(PaymentRate, on_delete=models.PROTECT, related_name="claims")
    units = models.DecimalField(max_digits=6, decimal_places=2)
    amount = models.DecimalField("involvement payment", max_digits=9, decimal_places=2)
    status = models.CharField(
        max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED
    )
    notice_acknowledged_at = models.DateTimeField()
    notice_wording = models.TextField()
    claimed_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField(null=True, blank=True)
    paid_recorded_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["claimed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["involvement", "partner"], name="one_claim_per_involvement_and_partner"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="claim_amount_not_negative"),
        ]

    def __str__(self):
        return f"Claim {self.pk}: {self.involvement.title}"

    @property
    def provider_id_for_scope(self):
        return self.involvement.provider_id

    @staticmethod
    def price(rate: PaymentRate, units: Decimal) -> Decimal:
        from . import rules

        return rules.price(rate.amount, units)

    def clean(self):
        from . import rules

        rules.check_claim_dates(self.claimed_at, self.approved_at, self.paid_on)
        if self.approved_by_id and self.approved_by_id == self.partner_id:
            raise ValidationError("Nobody can approve their own claim")

    def expenses_total(self) -> Decimal:
        return sum((e.amount for e in self.expenses.all()), Decimal("0.00"))

    def total(self) -> Decimal:
        return self.amount + self.expenses_total()

    def days_waiting(self, today=None) -> int:
        from . import rules

        return rules.days_waiting(self, today)


def receipt_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"receipts/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Expense(models.Model):
    claim = models.ForeignKey(PaymentClaim, on_delete=models.CASCADE, related_name="expenses")
    description = models.CharField("what it was for", max_length=200)
    amount = models.DecimalField(
        "amount in pounds",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    receipt = models.FileField(upload_to=receipt_path, max_length=200)
    receipt_name = models.CharField(max_length=200, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")
        ]

    def __str__(self):
        return f"{self.description} £{self.amount}"

    @property
    def provider_id_for_scope(self):
        return self.claim.involvement.provider_id
