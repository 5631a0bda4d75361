"""Keep ``MeasureSnapshot`` rows fresh: a fixed number of queries, however many measures.

A snapshot is out of date when its fingerprint (number of figures, latest period, target,
direction, phase breaks) no longer matches, which an index alone can tell, or when a
figure changed in place: then the snapshot is deleted as the figure is saved (model
signals, and ``figures_changed`` for bulk saves).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Max

from coproduce.improvement.models import DataPoint, PhaseBreak, WardMeasure
from coproduce.improvement.services import rebase_indices
from coproduce.spc import analyse_many

from .models import MeasureSnapshot


def _fingerprints(ward_measures: list[dict]) -> dict[int, str]:
    ids = [wm["id"] for wm in ward_measures]
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
    for wm in ward_measures:
        d = data.get(wm["id"], {})
        b = breaks.get(wm["id"], {})
        out[wm["id"]] = "|".join(
            str(x)
            for x in (
                d.get("n", 0),
                d.get("last"),
                d.get("changed"),
                wm["target"],
                wm["measure__improvement"],
                b.get("n", 0),
                b.get("last"),
            )
        )[:200]
    return out


def forget_one(sender, instance, **kwargs) -> None:
    """A figure or phase break changed: its measure's snapshot is out of date."""
    MeasureSnapshot.objects.filter(ward_measure_id=instance.ward_measure_id).delete()


def forget_many(sender, ward_measure_ids=(), **kwargs) -> None:
    """Figures were saved in bulk (model signals were skipped)."""
    MeasureSnapshot.objects.filter(ward_measure_id__in=list(ward_measure_ids)).delete()


def snapshots_for(ward_measure_queryset) -> dict[int, MeasureSnapshot]:
    """Fresh snapshots for every ward measure in the queryset, keyed by ward measure id."""
    wms = list(ward_measure_queryset.values("id", "target", "measure__improvement"))
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
        if current.get(wm["id"]) is None or current[wm["id"]].fingerprint != prints[wm["id"]]
    ]
    if stale:
        current.update(_recompute(stale, prints, current))
    return current


def _recompute(stale: list[dict], prints: dict, current: dict) -> dict[int, MeasureSnapshot]:
    ids = [wm["id"] for wm in stale]
    periods, values = defaultdict(list), defaultdict(list)
    for wm_id, period, value in (
        DataPoint.objects.filter(ward_measure_id__in=ids)
        .order_by("ward_measure_id", "period_start")
        .values_list("ward_measure_id", "period_start", "value")
    ):
        periods[wm_id].append(period)
        values[wm_id].append(float(value))
    breaks = defaultdict(list)
    for wm_id, day in PhaseBreak.objects.filter(ward_measure_id__in=ids).values_list(
        "ward_measure_id", "starts_on"
    ):
        breaks[wm_id].append(day)
    ready = [wm for wm in stale if len(values[wm["id"]]) >= 2]
    results = {}
    if ready:
        batch = analyse_many(
            [values[wm["id"]] for wm in ready],
            improvement=[wm["measure__improvement"] for wm in ready],
            target=[float(wm["target"]) if wm["target"] is not None else None for wm in ready],
            rebase_at=[rebase_indices(periods[wm["id"]], breaks[wm["id"]]) for wm in ready],
        )
        variations, assurances = batch.variation, batch.assurance
        results = {wm["id"]: (variations[i], assurances[i] or "") for i, wm in enumerate(ready)}
    fresh = {}
    to_create, to_update = [], []
    for wm in stale:
        wm_id = wm["id"]
        variation, assurance = results.get(wm_id, ("", ""))
        snap = current.get(wm_id) or MeasureSnapshot(ward_measure_id=wm_id)
        snap.fingerprint = prints[wm_id]
        snap.points = len(values[wm_id])
        snap.latest_period = periods[wm_id][-1] if periods[wm_id] else None
        snap.latest_value = values[wm_id][-1] if values[wm_id] else None
        snap.variation, snap.assurance = variation or "", assurance or ""
        (to_update if snap.pk else to_create).append(snap)
        fresh[wm_id] = snap
    with transaction.atomic():
        MeasureSnapshot.objects.bulk_create(to_create, batch_size=2000)
        MeasureSnapshot.objects.bulk_update(
            to_update,
            ["fingerprint", "points", "latest_period", "latest_value", "variation", "assurance"],
            batch_size=2000,
        )
    return fresh


def ward_measures_in(scope):
    return scope.records(WardMeasure)
