"""Cached SPC readings, so dashboards over thousands of measures stay fast."""

from django.db import models


class MeasureSnapshot(models.Model):
    """What SPC last said about one ward measure, and a fingerprint of the data it read.

    A snapshot is recomputed (in a batch, with ``analyse_many``) when it is missing or the
    fingerprint of its data — number of figures, latest period, target, phase breaks — no
    longer matches. It is derived data: deleting every snapshot loses nothing.
    """

    ward_measure = models.OneToOneField(
        "improvement.WardMeasure", on_delete=models.CASCADE, related_name="snapshot"
    )
    fingerprint = models.CharField(max_length=200)
    points = models.PositiveIntegerField(default=0)
    latest_period = models.DateField(null=True, blank=True)
    latest_value = models.FloatField(null=True, blank=True)
    variation = models.CharField(max_length=20, blank=True)
    assurance = models.CharField(max_length=20, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Snapshot of {self.ward_measure_id}"
