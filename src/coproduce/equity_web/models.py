"""Figures by group on a ward's measure, and the national MHA statistics benchmark.

A :class:`GroupFigure` is one count with its denominator for one group of people on one
ward measure in one period. Each dimension (ethnicity, learning disability, autism,
gender, age band, deprivation decile) is a nullable column: empty means "everyone",
so a row with only ``ethnicity`` set is a one-way breakdown and a row with
``ethnicity``, ``autism`` and ``gender`` set is a crossing of the three.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from coproduce.core.scoping import ScopedQuerySet
from coproduce.equity.categories import (
    AGE_BANDS,
    AUTISM,
    DEPRIVATION_DECILES,
    ETHNICITY_BROAD,
    ETHNICITY_DETAILED,
    GENDER,
    LEARNING_DISABILITY,
)


class DenominatorKind(models.TextChoices):
    POPULATION = "population", "Population (people living in the area)"
    CASELOAD = "caseload", "Caseload (people cared for on the ward in the period)"
    BED_DAYS = "bed_days", "Occupied bed days"


#: How rates are expressed for each kind of denominator: (multiplier, words after "per N").
RATE_BASIS = {
    DenominatorKind.POPULATION: (100_000, "people in the population"),
    DenominatorKind.CASELOAD: (100, "people cared for"),
    DenominatorKind.BED_DAYS: (1_000, "occupied bed days"),
}

ETHNICITY_CHOICES = list(ETHNICITY_BROAD.items())
ETHNICITY_DETAILED_CHOICES = [(k, f"{k}: {v}") for k, v in ETHNICITY_DETAILED.items()]
LEARNING_DISABILITY_CHOICES = list(LEARNING_DISABILITY.items())
AUTISM_CHOICES = list(AUTISM.items())
GENDER_CHOICES = list(GENDER.items())
AGE_BAND_CHOICES = [(label, label) for label, _lo, _hi in AGE_BANDS]
DEPRIVATION_CHOICES = list(DEPRIVATION_DECILES.items())

#: Dimension field names, in the order groups are described.
DIMENSIONS = (
    "ethnicity",
    "ethnicity_detailed",
    "learning_disability",
    "autism",
    "gender",
    "age_band",
    "deprivation_decile",
)


class GroupFigureQuerySet(ScopedQuerySet):
    scope_provider_field = "ward_measure__ward__provider_id"
    scope_ward_field = "ward_measure__ward_id"


class GroupFigure(models.Model):
    ward_measure = models.ForeignKey(
        "improvement.WardMeasure", on_delete=models.CASCADE, related_name="group_figures"
    )
    period_start = models.DateField("period starting")
    ethnicity = models.CharField(
        "ethnic group", max_length=20, choices=ETHNICITY_CHOICES, null=True, blank=True
    )
    ethnicity_detailed = models.CharField(
        "ethnic category (detailed)",
        max_length=1,
        choices=ETHNICITY_DETAILED_CHOICES,
        null=True,
        blank=True,
    )
    learning_disability = models.CharField(
        max_length=10, choices=LEARNING_DISABILITY_CHOICES, null=True, blank=True
    )
    autism = models.CharField(
        "autistic", max_length=10, choices=AUTISM_CHOICES, null=True, blank=True
    )
    gender = models.CharField(max_length=1, choices=GENDER_CHOICES, null=True, blank=True)
    age_band = models.CharField(max_length=20, choices=AGE_BAND_CHOICES, null=True, blank=True)
    deprivation_decile = models.PositiveSmallIntegerField(
        "deprivation decile",
        choices=DEPRIVATION_CHOICES,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    count = models.PositiveIntegerField(help_text="How many times it happened for this group.")
    denominator = models.PositiveIntegerField(
        help_text="How many people (or bed days) the count comes from."
    )
    denominator_kind = models.CharField(
        "what the denominator counts", max_length=20, choices=DenominatorKind.choices
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    objects = GroupFigureQuerySet.as_manager()

    class Meta:
        ordering = ["ward_measure", "-period_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward_measure", "period_start", *DIMENSIONS],
                name="group_figure_once_per_group_and_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(denominator__gt=0), name="group_denominator_positive"
            ),
            models.CheckConstraint(
                condition=Q(deprivation_decile__isnull=True)
                | Q(deprivation_decile__gte=1, deprivation_decile__lte=10),
                name="group_deprivation_decile_1_to_10",
            ),
        ]
        indexes = [models.Index(fields=["ward_measure", "period_start"])]

    def __str__(self):
        return f"{self.group_label} from {self.period_start:%-d %B %Y}"

    @property
    def provider_id_for_scope(self):
        return self.ward_measure.ward.provider_id

    def clean(self):
        """The rules of :mod:`coproduce.equity_web.rules`, so the admin refuses what the
        form and the CSV import refuse."""
        from django.core.exceptions import ValidationError

        from . import rules

        if self.ward_measure_id is None:
            return
        problems = rules.figure_problems(
            frequency=self.ward_measure.measure.frequency,
            period_start=self.period_start,
            count=self.count,
            denominator=self.denominator,
        )
        if problems:
            raise ValidationError(problems)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The names of the dimensions this row is broken down by."""
        return tuple(d for d in DIMENSIONS if getattr(self, d) is not None)

    @property
    def group_label(self) -> str:
        from .groups import group_label

        return group_label({d: getattr(self, d) for d in DIMENSIONS})


# --------------------------------------------------------------------------- national benchmark


class NationalYear(models.Model):
    """One year of the national "Mental Health Act Statistics, Annual Figures" file."""

    year = models.CharField(max_length=20, unique=True, help_text="As in the file, like 2023-24.")
    file_name = models.CharField(max_length=255, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"MHA statistics {self.year}"


class NationalFigure(models.Model):
    """One row of the national file. Counts and rates are empty when suppressed or missing."""

    year = models.ForeignKey(NationalYear, on_delete=models.CASCADE, related_name="figures")
    line = models.PositiveIntegerField()
    measure = models.CharField(max_length=200)
    measure_subcategory = models.CharField(max_length=200, blank=True)
    demographic = models.CharField(max_length=200, blank=True)
    demographic_breakdown = models.CharField(max_length=200, blank=True)
    organisation_breakdown = models.CharField(max_length=100, blank=True)
    datasource = models.CharField(max_length=100, blank=True)
    org_id = models.CharField(max_length=20, blank=True, db_index=True)
    org_name = models.CharField(max_length=300, blank=True)
    mhsds_count = models.PositiveIntegerField(null=True, blank=True)
    acute_count = models.PositiveIntegerField(null=True, blank=True)
    total_count = models.PositiveIntegerField(null=True, blank=True)
    crude_rate = models.FloatField(null=True, blank=True)
    std_rate = models.FloatField(null=True, blank=True)
    confidence_interval = models.CharField(max_length=100, blank=True)
    ci_lower = models.FloatField(null=True, blank=True)
    ci_upper = models.FloatField(null=True, blank=True)
    suppressed = models.JSONField(default=list, blank=True)
    missing = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["year", "line"]
        indexes = [models.Index(fields=["year", "measure", "demographic"])]

    def __str__(self):
        return f"{self.year.year} {self.measure}, {self.demographic_breakdown}, {self.org_name}"
