"""Quality improvement: projects, driver diagrams, change ideas, PDSA cycles and measures."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from coproduce.core.scoping import ScopedQuerySet
from coproduce.programme.models import Provider, Ward


class FocusGroup(models.TextChoices):
    ETHNICALLY_DIVERSE = "ethnically_diverse", "People from ethnically diverse backgrounds"
    LEARNING_DISABILITY = "learning_disability", "People with a learning disability"
    AUTISTIC = "autistic", "Autistic people"


class MHAPrinciple(models.TextChoices):
    CHOICE = "choice_autonomy", "Choice and autonomy"
    LEAST_RESTRICTION = "least_restriction", "Least restriction"
    THERAPEUTIC = "therapeutic_benefit", "Therapeutic benefit"
    INDIVIDUAL = "person_individual", "The person as an individual"


def choice_labels(choices, values) -> list[str]:
    lookup = dict(choices.choices)
    return [lookup[v] for v in values or [] if v in lookup]


# --------------------------------------------------------------------------- projects


class ProjectQuerySet(ScopedQuerySet):
    scope_provider_field = "provider_id"
    scope_ward_field = "ward_id"


class Project(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="qi_projects")
    ward = models.ForeignKey(
        Ward,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qi_projects",
        help_text="Leave empty for a project across the whole provider.",
    )
    title = models.CharField(max_length=200)
    problem = models.TextField(
        "the problem, in plain words",
        help_text="What is not working now, and for whom. Avoid jargon.",
    )
    aim_what = models.CharField(
        "what will improve",
        max_length=300,
        help_text="For example, care plans written with the person.",
    )
    aim_for_whom = models.CharField(
        "for whom", max_length=300, help_text="For example, autistic people on the ward."
    )
    aim_how_much = models.CharField(
        "by how much", max_length=200, help_text="For example, from 40% to 80%."
    )
    aim_by_when = models.DateField("by when")
    focus_groups = models.JSONField(default=list, blank=True)
    mha_principles = models.JSONField("Mental Health Act principles", default=list, blank=True)
    shared_to_library = models.BooleanField(
        "share a summary in the programme's change idea library",
        default=True,
        help_text="Other wards in the programme see the change ideas and what happened, "
        "never anything about individual patients.",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProjectMember", related_name="qi_projects", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "title"]

    def __str__(self):
        return self.title

    @property
    def aim_sentence(self) -> str:
        return (
            f"{self.aim_what}, for {self.aim_for_whom}, {self.aim_how_much}, "
            f"by {self.aim_by_when:%-d %B %Y}."
        )

    @property
    def focus_group_labels(self):
        return choice_labels(FocusGroup, self.focus_groups)

    @property
    def principle_labels(self):
        return choice_labels(MHAPrinciple, self.mha_principles)

    @property
    def place(self) -> str:
        return f"{self.ward.name}, {self.provider.name}" if self.ward_id else self.provider.name

    def clean(self):
        if self.ward_id and self.provider_id and self.ward.provider_id != self.provider_id:
            raise ValidationError({"ward": "Choose a ward of the project's provider."})


class ProjectMemberQuerySet(ScopedQuerySet):
    scope_provider_field = "project__provider_id"
    scope_ward_field = "project__ward_id"


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qi_memberships"
    )
    role_note = models.CharField(
        "their part in the project",
        max_length=200,
        blank=True,
        help_text="For example, project lead, or co-lead from lived experience.",
    )
    lived_experience = models.BooleanField("brings lived experience", default=False)

    objects = ProjectMemberQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="project_member_once")
        ]

    def __str__(self):
        return f"{self.user} on {self.project}"

    @property
    def provider_id_for_scope(self):
        return self.project.provider_id


SCORE_CHOICES = [(Decimal(n) / 2, f"{Decimal(n) / 2:.1f}") for n in range(1, 11)]
SCORE_MEANINGS = {
    Decimal("0.5"): "Intent to participate",
    Decimal("1.0"): "Forming the team",
    Decimal("1.5"): "Planning for the project has begun",
    Decimal("2.0"): "Activity, but no changes",
    Decimal("2.5"): "Changes tested, but no improvement",
    Decimal("3.0"): "Modest improvement",
    Decimal("3.5"): "Improvement",
    Decimal("4.0"): "Significant improvement",
    Decimal("4.5"): "Sustainable improvement",
    Decimal("5.0"): "Outstanding sustainable results",
}


def validate_score(value):
    if value is None:
        return
    if value < Decimal("0.5") or value > Decimal("5.0") or (value * 2) % 1 != 0:
        raise ValidationError("Choose a score from 0.5 to 5.0, in steps of 0.5.")


class ProgressScoreQuerySet(ScopedQuerySet):
    scope_provider_field = "project__provider_id"
    scope_ward_field = "project__ward_id"


class ProgressScore(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField(max_digits=2, decimal_places=1, validators=[validate_score])
    recorded_on = models.DateField("date")
    note = models.TextField("why this score", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProgressScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=Decimal("0.5")) & Q(score__lte=Decimal("5.0")),
                name="progress_score_in_range",
            )
        ]

    def __str__(self):
        return f"{self.score} on {self.recorded_on}"

    @property
    def meaning(self):
        return SCORE_MEANINGS.get(Decimal(self.score).quantize(Decimal("0.1")), "")

    @property
    def provider_id_for_scope(self):
        return self.project.provider_id


# --------------------------------------------------------------------------- driver diagrams


class DriverKind(models.TextChoices):
    PRIMARY = "primary", "Primary driver"
    SECONDARY = "secondary", "Secondary driver"


class DriverQuerySet(ScopedQuerySet):
    scope_provider_field = "project__provider_id"
    scope_ward_field = "project__ward_id"


class Driver(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="drivers")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="primary driver it belongs to",
    )
    kind = models.CharField("type of driver", max_length=10, choices=DriverKind.choices)
    text = models.CharField("driver", max_length=300)
    order = models.PositiveSmallIntegerField(
        "position", default=1, help_text="Drivers are shown in this order, lowest first."
    )

    objects = DriverQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text

    @property
    def provider_id_for_scope(self):
        return self.project.provider_id

    def clean(self):
        if self.kind == DriverKind.SECONDARY and not self.parent_id:
            raise ValidationError({"parent": "Choose the primary driver this one belongs to."})
        if self.kind == DriverKind.PRIMARY and self.parent_id:
            raise ValidationError({"parent": "A primary driver does not belong to another driver."})
        if self.parent_id and (
            self.parent.project_id != self.project_id or self.parent.kind != DriverKind.PRIMARY
        ):
            raise ValidationError({"parent": "Choose a primary driver of this project."})


# --------------------------------------------------------------------------- change ideas


class IdeaSource(models.TextChoices):
    PATIENT = "patient", "A patient"
    CARER = "carer", "A carer or family member"
    PARTNER = "partner", "A lived experience partner"
    STAFF = "staff", "Ward staff"
    OTHER_WARD = "other_ward", "Another ward"
    OTHER = "other", "Somewhere else"


class IdeaStatus(models.TextChoices):
    NOT_TESTED = "not_tested", "Not tested yet"
    TESTING = "testing", "Being tested"
    ADOPTED = "adopted", "Adopted"
    ABANDONED = "abandoned", "Abandoned"


class ChangeIdeaQuerySet(ScopedQuerySet):
    scope_provider_field = "project__provider_id"
    scope_ward_field = "project__ward_id"

    def in_library_for(self, user):
        """What the library shows: ideas in scope, plus summaries of shared projects."""
        return self.visible_to(user, also=Q(project__shared_to_library=True))


class ChangeIdea(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_ideas")
    driver = models.ForeignKey(
        Driver,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_ideas",
        verbose_name="driver it works on",
    )
    title = models.CharField("change idea", max_length=200)
    description = models.TextField(blank=True, help_text="What will be different, in plain words.")
    source = models.CharField("where the idea came from", max_length=20, choices=IdeaSource.choices)
    co_produced = models.BooleanField(
        "co-produced",
        default=False,
        help_text="People with lived experience shaped it as equals, not only gave views.",
    )
    status = models.CharField(
        max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NOT_TESTED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChangeIdeaQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def provider_id_for_scope(self):
        return self.project.provider_id

    def clean(self):
        if self.driver_id and self.driver.project_id != self.project_id:
            raise ValidationError({"driver": "Choose a driver of this project."})


# --------------------------------------------------------------------------- measures


class MeasureType(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    PROCESS = "process", "Process"
    BALANCING = "balancing", "Balancing"


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither: watch for change"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


def period_start_for(frequency: str, day: date) -> date:
    """The first day of the period holding ``day``: its Monday, or the 1st of its month."""
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def previous_period(frequency: str, today: date) -> date:
    """The last complete period before ``today``."""
    current = period_start_for(frequency, today)
    if frequency == Frequency.MONTHLY:
        return period_start_for(frequency, current - timedelta(days=1))
    return current - timedelta(days=7)


def period_label(frequency: str, start: date) -> str:
    if frequency == Frequency.MONTHLY:
        return f"{start:%B %Y}"
    return f"week starting {start:%-d %B %Y}"


class MeasureQuerySet(ScopedQuerySet):
    scope_provider_field = "provider_id"
    scope_ward_field = "ward_id"

    def visible_to(self, user, also=None):
        """The programme catalogue (no provider) is visible to everyone signed in."""
        catalogue = Q(provider__isnull=True)
        return super().visible_to(user, also=catalogue | also if also is not None else catalogue)


class Measure(models.Model):
    name = models.CharField(max_length=200)
    definition = models.TextField(
        "operational definition",
        help_text="Exactly what is counted, from where, and what is left out.",
    )
    measure_type = models.CharField("type of measure", max_length=10, choices=MeasureType.choices)
    unit = models.CharField(max_length=60, help_text="For example: %, per 1,000 bed days, days.")
    improvement = models.CharField("which way is better", max_length=10, choices=Direction.choices)
    frequency = models.CharField("how often", max_length=10, choices=Frequency.choices)
    is_rate = models.BooleanField(
        "it is a proportion or a rate",
        default=False,
        help_text="Figures are then entered as a numerator and a denominator.",
    )
    numerator_label = models.CharField(max_length=150, blank=True)
    denominator_label = models.CharField(max_length=150, blank=True)
    multiplier = models.DecimalField(
        max_digits=10,
        decimal_places=0,
        null=True,
        blank=True,
        help_text="100 for a percentage, 1000 for a rate per 1,000.",
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="qi_measures"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, null=True, blank=True, related_name="own_measures"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_catalogue(self) -> bool:
        return self.provider_id is None

    def clean(self):
        errors = {}
        if self.is_rate:
            if not self.numerator_label:
                errors["numerator_label"] = "Say what the numerator counts"
            if not self.denominator_label:
                errors["denominator_label"] = "Say what the denominator counts"
            if not self.multiplier:
                errors["multiplier"] = "Enter the multiplier, like 100 for a percentage"
        if self.multiplier is not None and self.multiplier <= 0:
            errors["multiplier"] = "The multiplier must be more than 0"
        if self.ward_id and self.provider_id and self.ward.provider_id != self.provider_id:
            errors["ward"] = "Choose a ward of the measure's provider."
        if errors:
            raise ValidationError(errors)

    def value_from(self, numerator: Decimal, denominator: Decimal) -> Decimal:
        return (numerator / denominator * (self.multiplier or 1)).quantize(Decimal("0.0001"))


class WardMeasureQuerySet(ScopedQuerySet):
    scope_provider_field = "ward__provider_id"
    scope_ward_field = "ward_id"


class WardMeasure(models.Model):
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="ward_measures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="ward_measures")
    target = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Optional. In the measure's unit. Leave empty if there is no agreed target.",
    )
    adopted_on = models.DateField(default=date.today)
    active = models.BooleanField(
        "still collected", default=True, help_text="Untick to stop asking for new figures."
    )

    objects = WardMeasureQuerySet.as_manager()

    class Meta:
        ordering = ["measure__name"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "measure"], name="ward_adopts_measure_once")
        ]

    def __str__(self):
        return f"{self.measure.name} – {self.ward.name}"

    @property
    def provider_id_for_scope(self):
        return self.ward.provider_id


class DataPointQuerySet(ScopedQuerySet):
    scope_provider_field = "ward_measure__ward__provider_id"
    scope_ward_field = "ward_measure__ward_id"


class DataPoint(models.Model):
    ward_measure = models.ForeignKey(WardMeasure, on_delete=models.CASCADE, related_name="points")
    period_start = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    entered_at = models.DateTimeField(auto_now=True)

    objects = DataPointQuerySet.as_manager()

    class Meta:
        ordering = ["ward_measure", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward_measure", "period_start"], name="one_value_per_period"
            )
        ]

    def __str__(self):
        return f"{self.value} for {self.period_start}"

    @property
    def provider_id_for_scope(self):
        return self.ward_measure.ward.provider_id


class PhaseBreakQuerySet(ScopedQuerySet):
    scope_provider_field = "ward_measure__ward__provider_id"
    scope_ward_field = "ward_measure__ward_id"


class PhaseBreak(models.Model):
    ward_measure = models.ForeignKey(
        WardMeasure, on_delete=models.CASCADE, related_name="phase_breaks"
    )
    starts_on = models.DateField("new phase starts on")
    reason = models.CharField(
        "what changed",
        max_length=300,
        help_text="Limits are only recalculated where something real changed, "
        "for example a new way of working adopted after testing.",
    )

    objects = PhaseBreakQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["ward_measure", "starts_on"], name="one_break_per_day")
        ]

    def __str__(self):
        return f"New phase from {self.starts_on}"

    @property
    def provider_id_for_scope(self):
        return self.ward_measure.ward.provider_id


# --------------------------------------------------------------------------- PDSA cycles


class ActDecision(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    ABANDON = "abandon", "Abandon"


ACT_HINTS = {
    ActDecision.ADOPT: "It worked: make it part of how the ward works.",
    ActDecision.ADAPT: "Change it and test again in a new cycle.",
    ActDecision.ABANDON: "Stop: it did not help, or did harm. Record why so others learn.",
}


class PDSACycleQuerySet(ScopedQuerySet):
    scope_provider_field = "change_idea__project__provider_id"
    scope_ward_field = "change_idea__project__ward_id"


class PDSACycle(models.Model):
    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_cycles",
        verbose_name="follows on from",
    )
    # Plan
    objective = models.TextField("objective", help_text="What this cycle is for.")
    question = models.TextField("question", help_text="What do you want to find out?")
    prediction = models.TextField(
        "prediction", help_text="What do you think will happen, and why? Be specific."
    )
    plan_who = models.CharField("who", max_length=300, blank=True)
    plan_where = models.CharField("where", max_length=300, blank=True)
    plan_when = models.CharField("when", max_length=300, blank=True)
    start_date = models.DateField("start date")
    end_date = models.DateField("end date", null=True, blank=True)
    # Do
    what_happened = models.TextField(
        "what happened", blank=True, help_text="Including anything unexpected."
    )
    # Study
    study_results = models.TextField(
        "results against the prediction",
        blank=True,
        help_text="What the data and people's experience showed, compared with what you predicted.",
    )
    measures = models.ManyToManyField(
        WardMeasure, blank=True, related_name="cycles", verbose_name="measures to watch"
    )
    # Act
    act = models.CharField("decision", max_length=10, choices=ActDecision.choices, blank=True)
    act_notes = models.TextField("what happens next", blank=True)
    # Lived experience
    lived_experience_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="pdsa_cycles",
        verbose_name="people with lived experience who took part (with an account)",
    )
    other_lived_experience_count = models.PositiveSmallIntegerField(
        "others with lived experience who took part",
        default=0,
        help_text="Patients, carers or partners without an account. A number only, no names.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PDSACycleQuerySet.as_manager()

    class Meta:
        ordering = ["change_idea", "number"]
        constraints = [
            models.UniqueConstraint(fields=["change_idea", "number"], name="cycle_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="cycle_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"PDSA cycle {self.number}: {self.change_idea.title}"

    @property
    def provider_id_for_scope(self):
        return self.change_idea.project.provider_id

    @property
    def stage(self) -> str:
        if self.act:
            return "Decided"
        if self.study_results:
            return "Studied"
        if self.what_happened:
            return "Done"
        return "Planned"

    @property
    def is_open(self) -> bool:
        return not self.act

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})


class PDSATaskQuerySet(ScopedQuerySet):
    scope_provider_field = "cycle__change_idea__project__provider_id"
    scope_ward_field = "cycle__change_idea__project__ward_id"


class PDSATask(models.Model):
    cycle = models.ForeignKey(PDSACycle, on_delete=models.CASCADE, related_name="tasks")
    text = models.CharField("task", max_length=300)
    owner = models.CharField("who will do it", max_length=150, blank=True)
    done = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    objects = PDSATaskQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text

    @property
    def provider_id_for_scope(self):
        return self.cycle.change_idea.project.provider_id
