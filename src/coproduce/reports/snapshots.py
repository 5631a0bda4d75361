"""A cache of readings for the dashboards: ``MeasureSnapshot`` rows, kept fresh in bulk.

A snapshot holds what a ward measure's reading (``coproduce.improvement.readings``) last
said about its whole series: variation, assurance, latest figure. Nothing here reads
figures into a series or runs SPC itself; stale snapshots are refreshed from
``readings_for``, so a dashboard says what the chart page and the summaries say.

A snapshot is stale when it is missing or its fingerprint no longer matches. The
fingerprint is what an index can tell without reading the figures themselves (number of
figures, latest period, number and latest day of phase breaks) plus the target, the
direction of improvement and the chart type. A figure or phase break changed in place
leaves those alone, so the snapshot is deleted when that happens: model signals for
single saves and deletes, ``figures_changed`` for bulk saves (wired in ``apps.py``).

Two requests may refresh the same snapshot at once: the refresh is one insert that
updates the row already there, so neither fails and one row remains.
"""

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from coproduce.improvement.models import DataPoint, PhaseBreak, WardMeasure
from coproduce.improvement.readings import chart_for, readings_for

from .models import MeasureSnapshot

REFRESH_CHUNK = 1000  # ward measures read at once: bounds memory on a cold dashboard
REFRESHED_FIELDS = [
    "fingerprint",
    "points",
    "latest_period",
    "latest_value",
    "variation",
    "assurance",
    "computed_at",
]


def _fingerprints(wms: list[WardMeasure]) -> dict[int, str]:
    ids = [wm.id for wm in wms]
    data = {
        r["ward_measure_id"]: r
        for r in DataPoint.objects.filter(ward_measure_id__in=ids)
        .values("ward_measure_id")
        .annotate(n=Count("id"), last=Max("period_start"))
        .order_by()
    }
    breaks = {
        r["ward_measure_id"]: r
        for r in PhaseBreak.objects.filter(ward_measure_id__in=ids)
        .values("ward_measure_id")
        .annotate(n=Count("id"), last=Max("starts_on"))
        .order_by()
    }
    out = {}
    for wm in wms:
        d = data.get(wm.id, {})
        b = breaks.get(wm.id, {})
        out[wm.id] = "|".join(
            str(x)
            for x in (
                d.get("n", 0),
                d.get("last"),
                wm.target,
                wm.measure.improvement,
                chart_for(wm),
                b.get("n", 0),
                b.get("last"),
            )
        )[:200]
    return out


def _forget(ward_measure_ids) -> None:
    ids = list(ward_measure_ids)
    MeasureSnapshot.objects.filter(ward_measure_id__in=ids).delete()
    # A dashboard refreshing at the same moment may have read the figures before this
    # change was committed; forget again once it is.
    transaction.on_commit(lambda: MeasureSnapshot.objects.filter(ward_measure_id__in=ids).delete())


def forget_one(sender, instance, **kwargs) -> None:
    """A figure or phase break was saved or deleted: its measure's snapshot is out of date."""
    _forget([instance.ward_measure_id])


def forget_many(sender, ward_measure_ids=(), **kwargs) -> None:
    """Figures were saved in bulk (model signals were skipped)."""
    _forget(ward_measure_ids)


def snapshots_for(ward_measure_queryset) -> dict[int, MeasureSnapshot]:
    """Fresh snapshots for every ward measure in the queryset, keyed by ward measure id.

    When all are fresh, four queries however many measures: the ward measures, two
    grouped counts, the snapshots. Stale ones add their readings (a fixed number of
    queries) and one upsert for each ``REFRESH_CHUNK`` of them.
    """
    wms = list(ward_measure_queryset.select_related("measure"))
    if not wms:
        return {}
    prints = _fingerprints(wms)
    current = {
        s.ward_measure_id: s
        for s in MeasureSnapshot.objects.filter(ward_measure_id__in=prints.keys())
    }
    stale = [
        wm
        for wm in wms
        if current.get(wm.id) is None or current[wm.id].fingerprint != prints[wm.id]
    ]
    for i in range(0, len(stale), REFRESH_CHUNK):
        current.update(_refresh(stale[i : i + REFRESH_CHUNK], prints))
    return current


def _refresh(stale: list[WardMeasure], prints: dict[int, str]) -> dict[int, MeasureSnapshot]:
    now = timezone.now()
    fresh = [
        MeasureSnapshot(
            ward_measure_id=reading.ward_measure.id,
            fingerprint=prints[reading.ward_measure.id],
            points=len(reading.values),
            latest_period=reading.latest_period,
            latest_value=None if reading.latest_value is None else float(reading.latest_value),
            variation=reading.variation or "",
            assurance=reading.assurance or "",
            computed_at=now,
        )
        for reading in readings_for(stale)
    ]
    # One statement per batch that inserts or, where another request got there first,
    # updates: no IntegrityError when two requests refresh the same snapshot.
    MeasureSnapshot.objects.bulk_create(
        fresh,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["ward_measure"],
        update_fields=REFRESHED_FIELDS,
    )
    return {s.ward_measure_id: s for s in fresh}


def ward_measures_in(scope):
    return scope.records(WardMeasure)
