"""Measures and their figures."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from coproduce.improvement.models import (
    DataPoint,
    Direction,
    Frequency,
    MeasureType,
    WardMeasure,
)

from .filters import ExportFilter
from .tables import Column, Table, _label, _table, _yes_no


def measures(user, flt: ExportFilter) -> Table:
    """One row per measure a ward collects, with the figures held for the phase.

    A measure is listed if the ward adopted it by the end of the phase or holds figures
    for periods within it (figures entered for earlier periods can come after adoption).
    """
    wms = flt.of_provider(WardMeasure.objects.visible_to(user), "ward__provider_id")
    points = flt.dated(DataPoint.objects.filter(ward_measure=OuterRef("pk")), "period_start")
    if flt.ends_on:
        wms = wms.filter(Q(adopted_on__lte=flt.ends_on) | Exists(points))
    latest = points.order_by("-period_start")
    counted = points.order_by().values("ward_measure").annotate(n=Count("id")).values("n")
    wms = wms.annotate(
        figures=Subquery(counted[:1]),
        first_period=Subquery(points.order_by("period_start").values("period_start")[:1]),
        latest_period=Subquery(latest.values("period_start")[:1]),
        latest_value=Subquery(latest.values("value")[:1]),
    ).order_by("ward__provider__name", "ward__name", "measure__name", "pk")
    return _table(
        "Measures",
        wms,
        [
            Column("Provider", "ward__provider__name"),
            Column("ODS code", "ward__provider__ods_code"),
            Column("Ward", "ward__name"),
            Column("Measure", "measure__name", width=40),
            Column("Type of measure", "measure__measure_type", _label(MeasureType)),
            Column("Unit", "measure__unit"),
            Column("Which way is better", "measure__improvement", _label(Direction)),
            Column("How often", "measure__frequency", _label(Frequency)),
            Column("Proportion or rate", "measure__is_rate", _yes_no),
            Column("Numerator", "measure__numerator_label"),
            Column("Denominator", "measure__denominator_label"),
            Column("Multiplier", "measure__multiplier"),
            Column("Target", "target"),
            Column("Adopted on", "adopted_on"),
            Column("Still collected", "active", _yes_no),
            Column("Figures in the period", "figures", lambda n: n or 0),
            Column("First period", "first_period"),
            Column("Latest period", "latest_period"),
            Column("Latest value", "latest_value"),
            Column("Definition", "measure__definition", width=60),
        ],
    )


def measure_data(user, flt: ExportFilter) -> Table:
    """One row per figure entered, for periods starting within the phase."""
    points = flt.of_provider(DataPoint.objects.visible_to(user), "ward_measure__ward__provider_id")
    points = flt.dated(points, "period_start").order_by(
        "ward_measure__ward__provider__name",
        "ward_measure__ward__name",
        "ward_measure__measure__name",
        "ward_measure_id",
        "period_start",
    )
    return _table(
        "Measure data",
        points,
        [
            Column("Provider", "ward_measure__ward__provider__name"),
            Column("ODS code", "ward_measure__ward__provider__ods_code"),
            Column("Ward", "ward_measure__ward__name"),
            Column("Measure", "ward_measure__measure__name", width=40),
            Column("Unit", "ward_measure__measure__unit"),
            Column("How often", "ward_measure__measure__frequency", _label(Frequency)),
            Column("Period starts", "period_start"),
            Column("Value", "value"),
            Column("Numerator", "numerator"),
            Column("Denominator", "denominator"),
            Column("Target", "ward_measure__target"),
        ],
    )
