"""Cached readings, so dashboards over thousands of measures stay fast."""

from django.db import models


class MeasureSnapshot(models.Model):
    """What a ward measure's reading last said about its whole series, and a fingerprint.

    Refreshed in bulk from ``coproduce.improvement.readings`` (see ``snapshots.py``) when
    it is missing or its fingerprint (number of figures, latest period, target, direction,
    chart type, phase breaks) no longer matches; deleted when a figure or phase break
    changes. It is derived data: deleting every snapshot loses nothing.
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
