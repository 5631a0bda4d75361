import io
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coproduce.improvement.models import DataPoint
from coproduce.programme.models import Enrolment
from coproduce.reports.models import MeasureSnapshot
from coproduce.reports.rules import Period
from coproduce.reports.scope import programme_scope, provider_scope
from coproduce.reports.services import dashboard, stalled_wards
from coproduce.reports.snapshots import snapshots_for

from ..coaching.factories import CoachingSessionFactory
from ..improvement import builders

SHIFT = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 30, 31, 29, 32, 30, 31, 33, 30]


def test_coaching_hours_are_counted_against_the_phase_plan(world):
    phase = world.phase
    phase.starts_on, phase.ends_on = date(2024, 7, 1), date(2024, 9, 29)  # 13 weeks
    phase.planned_ward_hours_per_week = Decimal("1.5")
    phase.save()
    Enrolment.objects.create(ward=world.ward_a1, phase=phase)
    for day in (date(2024, 7, 8), date(2024, 7, 15)):
        CoachingSessionFactory(ward=world.ward_a1, held_on=day, duration_minutes=90)
    CoachingSessionFactory(ward=world.ward_a1, held_on=date(2025, 1, 6))  # outside the phase
    scope = programme_scope(world.users["admin"], phase)
    period = Period(phase.starts_on, phase.ends_on)
    data = dashboard(scope, world.users["admin"], period, date(2025, 6, 1))
    assert data["ward_count"] == 1
    assert data["coaching"]["ward_hours"] == Decimal("3.0")
    # 13 weeks x 1.5 hours x 1 ward, the whole phase having passed.
    assert data["coaching"]["planned_ward_hours"] == Decimal("19.5")


def test_wards_not_started_and_stalled_are_told_apart(world):
    today = timezone.localdate()
    # Alpha One: figures three weeks ago, so under way.
    builders.ward_measure(world.ward_a1, values=[1, 2, 3], start=today - timedelta(weeks=5))
    # Alpha Two: a project, coached six weeks ago and nothing since: stalled.
    builders.project(world.ward_a2)
    CoachingSessionFactory(ward=world.ward_a2, held_on=today - timedelta(weeks=6))
    scope = provider_scope(world.users["lead"], world.provider_a)
    result = stalled_wards(scope, today, weeks=4)
    assert [r["ward"].name for r in result["stalled"]] == ["Alpha Two"]
    assert result["stalled"][0]["quiet_days"] == 42
    assert result["not_started"] == []
    assert stalled_wards(scope, today, weeks=8)["stalled"] == []


def test_snapshots_follow_the_data(world):
    wm = builders.ward_measure(world.ward_a1, values=SHIFT[:12])
    scope = provider_scope(world.users["lead"], world.provider_a)
    first = snapshots_for(builders.WardMeasure.objects.filter(ward_id__in=scope.ward_ids))[wm.id]
    assert first.variation == "common_cause"
    last = wm.points.order_by("period_start").last().period_start
    DataPoint.objects.bulk_create(
        DataPoint(ward_measure=wm, period_start=last + timedelta(weeks=i + 1), value=Decimal(v))
        for i, v in enumerate(SHIFT[12:])
    )
    again = snapshots_for(builders.WardMeasure.objects.filter(id=wm.id))[wm.id]
    assert again.variation == "improvement_high"
    assert again.points == len(SHIFT)
    assert MeasureSnapshot.objects.count() == 1


def test_dashboard_query_count_does_not_grow_with_measures(client, world):
    client.force_login(world.users["admin"])
    url = reverse("reports:provider-dashboard", args=[world.provider_a.pk])
    builders.ward_measure(world.ward_a1, values=SHIFT)
    client.get(url)  # snapshots computed once
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(12):
        ward = world.ward_a1 if i % 2 else world.ward_a2
        builders.ward_measure(
            ward, builders.catalogue_measure(name=f"Measure {i} (fictional)"), values=SHIFT
        )
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), "the dashboard runs more queries as measures grow"


def test_board_report_pdf_opens_and_says_what_the_page_says(client, world):
    builders.ward_measure(
        world.ward_a1, values=SHIFT, start=timezone.localdate() - timedelta(weeks=25)
    )
    client.force_login(world.users["lead"])
    page = client.get(reverse("reports:board-report", args=[world.provider_a.pk]))
    assert page.status_code == 200
    assert "Special cause improvement" in page.content.decode()
    response = client.get(reverse("reports:board-report-pdf", args=[world.provider_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(p.extract_text() for p in reader.pages)
    for expected in (
        "Fictional Alpha NHS Trust",
        "Summary",
        "Care plans co-written (fictional)",
        "Special cause improvement",
        "You said, we did",
    ):
        assert expected in text, expected
    assert reader.metadata.title.startswith("Board report: Fictional Alpha NHS Trust")
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "the PDF is not tagged"


def test_board_report_period_errors_are_plain(client, world):
    client.force_login(world.users["lead"])
    url = reverse("reports:board-report", args=[world.provider_a.pk])
    body = client.get(url, {"from": "2025-13-01", "to": "2024-01-01"}).content.decode()
    assert "Enter the start of the period as a real date" in body


def test_programme_dashboard_for_a_coach_covers_only_their_wards(client, world):
    CoachingSessionFactory(ward=world.ward_b1, held_on=timezone.localdate())
    client.force_login(world.users["coach"])
    body = client.get(reverse("reports:programme-dashboard"), {"phase": "all"}).content.decode()
    assert "Alpha One" in body  # not started: no project, no figures
    assert "Beta One" not in body


def test_a_figure_changed_in_place_refreshes_its_snapshot(world):
    from coproduce.improvement.services import parse_csv, save_rows

    wm = builders.ward_measure(world.ward_a1, values=SHIFT[:12])
    assert snapshots_for(builders.WardMeasure.objects.filter(id=wm.id))[wm.id].latest_value == 12
    last = wm.points.order_by("period_start").last()
    parsed = parse_csv(
        f"measure,period,value\n{wm.measure.name},{last.period_start},99\n", world.ward_a1
    )
    assert not parsed.errors, parsed.errors
    save_rows(parsed.rows, replace=True, source="a test")
    assert not MeasureSnapshot.objects.filter(ward_measure=wm).exists()
    assert snapshots_for(builders.WardMeasure.objects.filter(id=wm.id))[wm.id].latest_value == 99
    last.refresh_from_db()
    last.value = Decimal(55)
    last.save()
    assert snapshots_for(builders.WardMeasure.objects.filter(id=wm.id))[wm.id].latest_value == 55
