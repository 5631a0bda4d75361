"""The programme's structure: phases, providers, wards, and who holds which role where."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from coproduce.core.scoping import ScopedQuerySet


class Programme(models.Model):
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What the programme is for, in plain words.")
    is_fictional = models.BooleanField(
        default=False, help_text="Demo data: shown with a 'fictional' label everywhere."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Phase(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=120, help_text="For example, pilot or wider implementation.")
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")
    planned_executive_hours_per_month = models.DecimalField(
        "planned executive coaching, hours a month for each provider",
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
    )
    planned_ward_hours_per_week = models.DecimalField(
        "planned ward coaching, hours a week for each ward",
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
    )

    class Meta:
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from .rules import phase_dates_problems

        problems = phase_dates_problems(self.starts_on, self.ends_on)
        if problems:
            raise ValidationError(problems)


class ProviderKind(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    INDEPENDENT = "independent", "Independent provider"


NHS_TRUST_ODS = re.compile(r"^[RT][A-Z0-9]{2}$")
INDEPENDENT_ODS = re.compile(r"^[A-Z0-9]{3,5}$")


def normalise_ods_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_ods_code(code: str, kind: str) -> None:
    """NHS trust codes are three characters starting R or T; other providers 3 to 5."""
    code = normalise_ods_code(code)
    if kind == ProviderKind.NHS_TRUST and not NHS_TRUST_ODS.match(code):
        raise ValidationError(
            {"ods_code": "An NHS trust's ODS code is 3 characters starting with R or T, like RX4."}
        )
    if kind == ProviderKind.INDEPENDENT and not INDEPENDENT_ODS.match(code):
        raise ValidationError(
            {"ods_code": "An ODS code is 3 to 5 letters and numbers, like NQ1 or AXG12."}
        )


class ProviderQuerySet(ScopedQuerySet):
    scope_provider_field = "id"
    scope_ward_field = None

    def visible_to(self, user):
        from coproduce.core.scoping import access_for

        access = access_for(user)
        if access.sees_everything:
            return self.all()
        return self.filter(id__in=access.visible_provider_ids)


class Provider(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="providers")
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField("type of provider", max_length=20, choices=ProviderKind.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=5,
        unique=True,
        help_text="The organisation's code in the NHS Organisation Data Service, like RX4.",
    )
    region = models.CharField(max_length=80, blank=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.ods_code = normalise_ods_code(self.ods_code)
        if self.ods_code and self.kind:
            validate_ods_code(self.ods_code, self.kind)

    @property
    def provider_id_for_scope(self):
        return self.id


class ServiceType(models.TextChoices):
    ADULT_ACUTE = "adult_acute", "Adult acute"
    PICU = "picu", "Psychiatric intensive care (PICU)"
    OLDER_ADULT = "older_adult", "Older adult (including dementia)"
    CYP_GAU = "cyp_gau", "Children and young people: general adolescent unit"
    CYP_PICU = "cyp_picu", "Children and young people: PICU"
    LDA = "lda", "Specialist learning disability and autism"
    SECURE_LOW = "secure_low", "Adult secure: low"
    SECURE_MEDIUM = "secure_medium", "Adult secure: medium"
    SECURE_HIGH = "secure_high", "Adult secure: high"


class WardQuerySet(ScopedQuerySet):
    scope_provider_field = "provider_id"
    scope_ward_field = "id"


class Ward(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField("ward or service name", max_length=200)
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    beds = models.PositiveSmallIntegerField("number of beds", null=True, blank=True)
    phases = models.ManyToManyField(Phase, through="Enrolment", related_name="wards", blank=True)

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="ward_name_unique_in_provider"
            )
        ]

    def __str__(self):
        return self.name


class Enrolment(models.Model):
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="enrolments")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["phase__starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "phase"], name="one_enrolment_per_phase")
        ]

    def __str__(self):
        return f"{self.ward} in {self.phase}"


class Role(models.TextChoices):
    PROGRAMME_ADMIN = "programme_admin", "Programme admin"
    COACH = "coach", "Coach"
    PROVIDER_LEAD = "provider_lead", "Provider lead"
    WARD_TEAM_MEMBER = "ward_team_member", "Ward team member"
    LIVED_EXPERIENCE_PARTNER = "lived_experience_partner", "Lived experience partner"
    OBSERVER = "observer", "Observer"


ROLE_DESCRIPTIONS = {
    Role.PROGRAMME_ADMIN: "Sets up phases, providers, wards and people; sees everything.",
    Role.COACH: "Coaches wards, logs coaching and sees the wards they coach.",
    Role.PROVIDER_LEAD: "The executive sponsor: sees and manages their provider's wards.",
    Role.WARD_TEAM_MEMBER: "Runs improvement projects on their ward.",
    Role.LIVED_EXPERIENCE_PARTNER: (
        "Co-leads the work with a ward or provider, from lived experience."
    ),
    Role.OBSERVER: "Can read, but not change, what their membership covers.",
}

# Which scope each role needs: "none" (programme-wide), "provider", "ward", or a mix.
ROLE_SCOPES = {
    Role.PROGRAMME_ADMIN: {"programme"},
    Role.COACH: {"provider", "ward"},
    Role.PROVIDER_LEAD: {"provider"},
    Role.WARD_TEAM_MEMBER: {"ward"},
    Role.LIVED_EXPERIENCE_PARTNER: {"provider", "ward"},
    Role.OBSERVER: {"programme", "provider", "ward"},
}


def validate_role_scope(role, provider, ward):
    """Return a dict of field errors if the scope does not fit the role."""
    allowed = ROLE_SCOPES.get(role, set())
    scope = "ward" if ward else ("provider" if provider else "programme")
    if ward and provider and ward.provider_id != provider.id:
        return {"ward": "Choose a ward of the chosen provider."}
    if scope in allowed:
        return {}
    label = Role(role).label if role in Role.values else "this role"
    if allowed == {"programme"}:
        return {
            "provider": f"A {label.lower()} works across the whole programme: "
            "leave provider and ward empty."
        }
    if allowed == {"provider"}:
        return {"provider": f"Choose the provider this {label.lower()} leads, and no ward."}
    if allowed == {"ward"}:
        return {"ward": f"Choose the ward for this {label.lower()}."}
    return {"provider": f"Choose a provider or a ward for this {label.lower()}."}


class MembershipQuerySet(ScopedQuerySet):
    scope_provider_field = "provider_id"
    scope_ward_field = "ward_id"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "provider__name", "ward__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "provider", "ward"],
                name="membership_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.scope_label}"

    def save(self, *args, **kwargs):
        if self.ward_id and not self.provider_id:
            self.provider_id = self.ward.provider_id
        super().save(*args, **kwargs)

    @property
    def scope_label(self):
        if self.ward_id:
            return f"{self.ward.name}, {self.ward.provider.name}"
        if self.provider_id:
            return self.provider.name
        return "whole programme"


class InvitationQuerySet(ScopedQuerySet):
    scope_provider_field = "provider_id"
    scope_ward_field = "ward_id"


class Invitation(models.Model):
    email = models.EmailField("e-mail address")
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, null=True, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def scope_label(self):
        if self.ward_id:
            return f"{self.ward.name}, {self.ward.provider.name}"
        if self.provider_id:
            return self.provider.name
        return "whole programme"
