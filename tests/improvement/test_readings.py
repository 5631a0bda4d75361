"""One path from figures to SPC: every page reads the same reading of a measure."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from coproduce.improvement import readings
from coproduce.improvement.models import DataPoint, PhaseBreak, WardMeasure, period_start_for
from coproduce.improvement.readings import chart_for, reading_for, readings_for
from coproduce.spc import analyse, summary

from .builders import MONDAY, catalogue_measure, cycle, idea, project, ward_measure

# Twelve steady weeks, then eight far higher: the last points are special cause.
SHIFT = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 30, 31, 29, 32, 30, 31, 33, 30]
SRC = Path(__file__).resolve().parents[2] / "src" / "coproduce"


@pytest.fixture
def page_context(monkeypatch):
    """Lets a test read ``response.context`` from Jinja2 pages (the backend sends no signal)."""
    original = jinja2_backend.Template.render

    def render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return original(self, context, request)

    monkeypatch.setattr(jinja2_backend.Template, "render", render)


def _recent_start(n: int):
    """The Monday that makes ``n`` weekly figures end this week."""
    return period_start_for("weekly", timezone.localdate()) - timedelta(weeks=n - 1)


def test_no_page_builds_a_series_or_runs_spc_itself():
    calls = re.compile(r"\banalyse(_many)?\(")
    offenders = []
    for app in ("improvement", "reports"):
        for path in sorted((SRC / app).rglob("*.py")):
            if path.name == "readings.py" and path.parent.name == "improvement":
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if calls.search(line):
                    offenders.append(f"{path.relative_to(SRC)}:{n}")
    assert offenders == [], offenders


def test_a_reading_carries_its_series_and_what_spc_says(world):
    rate = catalogue_measure(name="Plans co-written (fictional)")
    wm = WardMeasure.objects.create(ward=world.ward_a1, measure=rate, target=Decimal("20.5"))
    DataPoint.objects.bulk_create(
        DataPoint(
            ward_measure=wm,
            period_start=MONDAY + timedelta(weeks=i),
            value=Decimal(v) / 4,
            numerator=Decimal(v),
            denominator=Decimal(4),
        )
        for i, v in enumerate(SHIFT)
    )
    PhaseBreak.objects.create(ward_measure=wm, starts_on=MONDAY + timedelta(weeks=6), reason="x")
    c = cycle(idea(project(world.ward_a1)), start=MONDAY + timedelta(weeks=3, days=2))
    c.measures.add(wm)

    reading = reading_for(wm)

    assert reading.periods == [MONDAY + timedelta(weeks=i) for i in range(len(SHIFT))]
    assert reading.labels[0] == MONDAY.isoformat()
    assert [float(v) for v in reading.values] == [v / 4 for v in SHIFT]
    assert reading.numerators == [Decimal(v) for v in SHIFT]
    assert reading.denominators == [Decimal(4)] * len(SHIFT)
    assert reading.phase_starts == (0, 6)
    assert reading.annotations == [(3, "PDSA 1")]
    assert reading.cycles[0].chart_label == "PDSA 1"
    assert reading.target == 20.5 and reading.unit == "%"
    assert reading.decimals == 2  # 9 / 4 = 2.25
    assert reading.chart == "xmr" == chart_for(wm)
    expected = analyse([v / 4 for v in SHIFT], improvement="increase", target=20.5, rebase_at=[6])
    assert reading.variation == expected.variation
    assert list(reading.result.point_type) == list(expected.point_type)
    assert reading.summary == summary(expected, labels=reading.periods)
    assert len(reading.table_rows) == len(SHIFT)
    assert [f.pk for f in reading.figures] == list(
        wm.points.order_by("period_start").values_list("pk", flat=True)
    )
    assert 'class="spc-' in reading.svg("test-chart")


def test_a_period_limits_the_series_and_drops_cycles_from_before_it(world):
    wm = ward_measure(world.ward_a1, values=SHIFT)
    c = cycle(idea(project(world.ward_a1)), start=MONDAY)
    c.measures.add(wm)
    start, end = MONDAY + timedelta(weeks=4), MONDAY + timedelta(weeks=15)
    reading = reading_for(wm, start=start, end=end)
    assert reading.periods[0] == start and reading.periods[-1] == end
    assert reading.annotations == []
    assert reading_for(wm).annotations == [(0, "PDSA 1")]
    alone = analyse([float(v) for v in SHIFT[4:16]], improvement="increase")
    assert reading.variation == alone.variation


def test_one_reading_is_the_same_as_the_same_measure_among_many(world):
    wms = [
        ward_measure(world.ward_a1, catalogue_measure(f"Measure {i} (fictional)"), values=values)
        for i, values in enumerate([SHIFT, SHIFT[:12], [5], list(reversed(SHIFT))])
    ]
    many = readings_for(WardMeasure.objects.filter(id__in=[w.id for w in wms]).order_by("id"))
    for wm, among in zip(wms, many, strict=True):
        one = reading_for(wm)
        assert among.ward_measure.id == wm.id
        assert one.variation == among.variation
        assert one.assurance == among.assurance
        assert one.summary == among.summary
        assert one.table_rows == among.table_rows
    assert many[2].result is None and many[2].variation_tag[1] == "Not enough data"


def test_readings_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            wm = ward_measure(
                world.ward_a1,
                catalogue_measure(f"Measure {WardMeasure.objects.count()}-{i} (fictional)"),
                values=SHIFT,
            )
            PhaseBreak.objects.create(
                ward_measure=wm, starts_on=MONDAY + timedelta(weeks=12), reason="x"
            )
            cycle(
                idea(project(world.ward_a1, title=f"Project {wm.id}")), start=MONDAY
            ).measures.add(wm)

    add(1)
    with django_assert_max_num_queries(4):  # ward measures, figures, phases, cycles
        assert len(readings_for(WardMeasure.objects.all())) == 1
    add(20)
    with django_assert_max_num_queries(4):
        found = readings_for(WardMeasure.objects.all())
    assert len(found) == 21
    assert all(r.phase_starts == (0, 12) and r.annotations == [(0, "PDSA 1")] for r in found)


def test_the_chart_page_summaries_dashboard_and_board_say_the_same(client, world, page_context):
    wm = ward_measure(world.ward_a1, values=SHIFT, start=_recent_start(len(SHIFT)))
    client.force_login(world.users["lead"])

    chart = client.get(reverse("improvement:ward-measure-detail", args=[wm.pk])).context
    variation = chart["result"].variation
    assert variation == "improvement_high"

    summaries = [
        client.get(reverse("improvement:ward-summary", args=[world.ward_a1.pk])),
        client.get(reverse("improvement:provider-summary", args=[world.provider_a.pk])),
        client.get(reverse("improvement:programme-summary")),
    ]
    for page in summaries:
        (reading,) = [r for r in page.context["readings"] if r.ward_measure.id == wm.id]
        assert reading.variation == variation
        assert reading.summary == chart["summary"]

    dashboard = client.get(reverse("reports:provider-dashboard", args=[world.provider_a.pk]))
    assert dashboard.context["measures"]["snapshots"][wm.id].variation == variation
    assert dashboard.context["measures"]["groups"]["improvement"] == 1

    board = client.get(reverse("reports:board-report", args=[world.provider_a.pk])).context
    (row,) = [r for r in board["measure_rows"] if r["ward_measure"].id == wm.id]
    (board_chart,) = [c for c in board["charts"] if c["ward_measure"].id == wm.id]
    assert row["variation"] == board_chart["reading"].variation == variation
    assert board_chart["summary"] == chart["summary"]
    assert board_chart["reading"].table_rows == [r for _, r in chart["rows"]]
    assert "1 measure shows special cause improvement" in " ".join(board["summary_points"])


def test_the_board_list_and_its_chart_read_the_chosen_period(client, world, page_context):
    steady = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 10, 11, 9, 10]
    values = steady + [30, 31, 29, 32, 30, 31, 33, 30]
    start = _recent_start(len(values))
    wm = ward_measure(world.ward_a1, values=values, start=start)
    before_the_shift = start + timedelta(weeks=len(steady) - 1, days=2)
    client.force_login(world.users["lead"])
    url = reverse("reports:board-report", args=[world.provider_a.pk])

    then = client.get(url, {"to": before_the_shift.isoformat()}).context
    now = client.get(url).context
    for context, expected in ((then, "common_cause"), (now, "improvement_high")):
        (row,) = context["measure_rows"]
        (board_chart,) = context["charts"]
        assert row["variation"] == board_chart["reading"].variation == expected
        assert row["latest_period"] == board_chart["reading"].latest_period
    assert then["measure_rows"][0]["latest_period"] == start + timedelta(weeks=len(steady) - 1)
    assert "0 measures show special cause improvement" in " ".join(then["summary_points"])
    # The dashboard reads the whole series, whatever period a board report chose.
    dashboard = client.get(reverse("reports:provider-dashboard", args=[world.provider_a.pk]))
    assert dashboard.context["measures"]["snapshots"][wm.id].variation == "improvement_high"


def test_chart_for_is_the_one_place_that_names_the_chart(world, monkeypatch):
    wm = ward_measure(world.ward_a1, values=SHIFT)
    monkeypatch.setattr(readings, "chart_for", lambda ward_measure: "run")
    assert reading_for(wm).chart == "run"
