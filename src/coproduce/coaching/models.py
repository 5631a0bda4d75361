"""The coaching log: sessions by type, who attended, topics and agreed actions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from coproduce.core.scoping import ScopedQuerySet


class SessionKind(models.TextChoices):
    WARD = "ward_coaching", "Ward coaching"
    EXECUTIVE = "executive_coaching", "Executive coaching"
    IMPROVEMENT_DAY = "improvement_day", "Improvement day"
    LEARNING_EVENT = "learning_event", "Learning event"
    COMMUNITY = "community_of_practice", "Community of practice"


class CoachingSessionQuerySet(ScopedQuerySet):
    scope_provider_field = "provider_id"
    scope_ward_field = "ward_id"


class CoachingSession(models.Model):
    kind = models.CharField(
        "type of session", max_length=30, choices=SessionKind.choices, default=SessionKind.WARD
    )
    held_on = models.DateField("date", default=timezone.localdate)
    duration_minutes = models.PositiveSmallIntegerField(
        "how long", validators=[MinValueValidator(5), MaxValueValidator(60 * 10)]
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_sessions"
    )
    provider = models.ForeignKey(
        "programme.Provider", on_delete=models.PROTECT, related_name="coaching_sessions"
    )
    ward = models.ForeignKey(
        "programme.Ward",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_sessions",
    )
    staff_attending = models.PositiveSmallIntegerField("staff", default=0)
    partners_attending = models.PositiveSmallIntegerField("lived experience partners", default=0)
    others_attending = models.PositiveSmallIntegerField("others", default=0)
    topics = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoachingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["provider", "held_on"]),
            models.Index(fields=["ward", "held_on"]),
        ]

    def __str__(self):
        where = self.ward.name if self.ward_id else self.provider.name
        return f"{self.get_kind_display()}, {where}, {self.held_on:%d %b %Y}"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.duration_minutes) / Decimal(60)).quantize(Decimal("0.01"))

    @property
    def attendees(self) -> int:
        return self.staff_attending + self.partners_attending + self.others_attending


class ActionQuerySet(ScopedQuerySet):
    scope_provider_field = "session__provider_id"
    scope_ward_field = "session__ward_id"

    def open(self):
        return self.filter(done_on__isnull=True)


class CoachingAction(models.Model):
    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField("action", max_length=300)
    owner = models.CharField("who will do it", max_length=120)
    due_on = models.DateField("due by", null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description

    @property
    def provider_id_for_scope(self):
        return self.session.provider_id

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_on is None and self.due_on is not None and self.due_on < timezone.localdate()
        )
