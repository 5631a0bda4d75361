"""The dashboards' snapshots are a cache of readings: forgotten when the data changes,
refreshed from ``readings_for``, safe when two requests refresh one at once."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from coproduce.improvement.models import PhaseBreak, WardMeasure
from coproduce.improvement.readings import reading_for
from coproduce.improvement.services import parse_csv, save_rows
from coproduce.reports import snapshots
from coproduce.reports.models import MeasureSnapshot
from coproduce.reports.snapshots import snapshots_for

from ..conftest import build_world
from ..improvement import builders

SHIFT = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 30, 31, 29, 32, 30, 31, 33, 30]


def _snapshot(wm) -> MeasureSnapshot:
    return snapshots_for(WardMeasure.objects.filter(id=wm.id))[wm.id]


def _cached(wm) -> bool:
    return MeasureSnapshot.objects.filter(ward_measure=wm).exists()


def _agrees(wm) -> None:
    snap, reading = _snapshot(wm), reading_for(wm)
    assert snap.variation == (reading.variation or "")
    assert snap.assurance == (reading.assurance or "")
    assert snap.points == len(reading.values)
    assert snap.latest_period == reading.latest_period


def test_a_snapshot_says_what_the_reading_says(world):
    wm = builders.ward_measure(world.ward_a1, values=SHIFT, target=Decimal(20))
    snap = _snapshot(wm)
    assert snap.variation == "improvement_high"
    assert snap.latest_value == 30.0
    _agrees(wm)


def test_a_figure_changed_in_place_or_deleted_is_forgotten(world):
    wm = builders.ward_measure(world.ward_a1, values=SHIFT[:12])
    assert _snapshot(wm).variation == "common_cause"
    last = wm.points.order_by("period_start").last()
    last.value = Decimal(90)
    last.save()  # same count, same latest period: only the signal can tell
    assert not _cached(wm)
    assert _snapshot(wm).variation == "improvement_high"
    _agrees(wm)
    last.delete()
    assert not _cached(wm)
    assert _snapshot(wm).latest_value == float(SHIFT[10])
    _agrees(wm)


def test_adding_or_removing_a_phase_is_forgotten(world):
    wm = builders.ward_measure(world.ward_a1, values=SHIFT)
    assert _snapshot(wm).variation == "improvement_high"
    phase = PhaseBreak.objects.create(
        ward_measure=wm, starts_on=builders.MONDAY + timedelta(weeks=12), reason="New ward round"
    )
    assert not _cached(wm)
    assert _snapshot(wm).variation == "common_cause"
    _agrees(wm)
    phase.delete()
    assert not _cached(wm)
    assert _snapshot(wm).variation == "improvement_high"


def test_a_bulk_save_is_forgotten(world):
    wm = builders.ward_measure(world.ward_a1, values=SHIFT[:12])
    assert _snapshot(wm).latest_value == 12.0
    last = wm.points.order_by("period_start").last()
    parsed = parse_csv(
        f"measure,period,value\n{wm.measure.name},{last.period_start},95\n", world.ward_a1
    )
    assert not parsed.errors, parsed.errors
    save_rows(parsed.rows, replace=True, source="a fictional file")
    assert not _cached(wm)
    assert _snapshot(wm).latest_value == 95.0
    _agrees(wm)


def test_a_new_target_refreshes_the_snapshot(world):
    wm = builders.ward_measure(world.ward_a1, values=SHIFT)
    assert _snapshot(wm).assurance == ""
    wm.target = Decimal(5)
    wm.save()
    assert _snapshot(wm).assurance == "consistent_pass"
    _agrees(wm)


def test_snapshots_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            builders.ward_measure(
                world.ward_a1,
                builders.catalogue_measure(f"Measure {WardMeasure.objects.count()}-{i}"),
                values=SHIFT,
            )

    add(2)
    with django_assert_max_num_queries(8):  # cold: 4 to check, 4 to read the series, 1 write
        snapshots_for(WardMeasure.objects.all())
    with django_assert_max_num_queries(4):  # warm: ward measures, two counts, snapshots
        snapshots_for(WardMeasure.objects.all())
    add(30)
    with django_assert_max_num_queries(8):
        cold = snapshots_for(WardMeasure.objects.all())
    with django_assert_max_num_queries(4):
        warm = snapshots_for(WardMeasure.objects.all())
    assert len(cold) == len(warm) == 32
    assert {s.variation for s in warm.values()} == {"improvement_high"}


def test_stale_snapshots_are_refreshed_in_chunks(world, monkeypatch):
    monkeypatch.setattr(snapshots, "REFRESH_CHUNK", 5)
    wms = [
        builders.ward_measure(
            world.ward_a1,
            builders.catalogue_measure(f"Measure {i} (fictional)"),
            values=SHIFT if i % 2 else SHIFT[:12],
        )
        for i in range(12)
    ]
    found = snapshots_for(WardMeasure.objects.all())
    assert MeasureSnapshot.objects.count() == 12
    for i, wm in enumerate(wms):
        assert found[wm.id].variation == ("improvement_high" if i % 2 else "common_cause")
        _agrees(wm)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the test database on SQLite is in memory, where two writers lock whole tables; "
    "real concurrent writers are tested on PostgreSQL",
)
def test_two_requests_refreshing_one_snapshot_at_once_leave_one_row(transactional_db, monkeypatch):
    world = build_world()
    wm = builders.ward_measure(world.ward_a1, values=SHIFT)
    real = snapshots.readings_for
    both_read = threading.Barrier(2, timeout=20)

    def read_then_wait(wms):
        found = real(wms)
        both_read.wait()  # both have found the snapshot missing and read the series
        return found

    monkeypatch.setattr(snapshots, "readings_for", read_then_wait)
    errors, results = [], []

    def refresh():
        try:
            results.append(_snapshot(wm).variation)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert results == ["improvement_high", "improvement_high"]
    assert MeasureSnapshot.objects.filter(ward_measure=wm).count() == 1
