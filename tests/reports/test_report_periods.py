"""Every section of the board report and of both dashboards covers the chosen period."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coproduce.coproduction.models import (
    AssessmentRound,
    Involvement,
    InvolvementPartner,
    PaymentClaim,
    PaymentRate,
)
from coproduce.improvement.models import DataPoint
from coproduce.programme.models import Enrolment

from ..improvement import builders

FROM, TO = date(2025, 4, 1), date(2026, 3, 31)
PERIOD = {"from": FROM.isoformat(), "to": TO.isoformat()}
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def page_context(monkeypatch):
    """Lets a test read ``response.context`` from Jinja2 pages (the backend sends no signal)."""
    original = jinja2_backend.Template.render

    def render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=dict(context or {}))
        return original(self, context, request)

    monkeypatch.setattr(jinja2_backend.Template, "render", render)


def _involvement(world, ward, day, hours):
    involvement = Involvement.objects.create(
        provider=ward.provider,
        ward=ward,
        occurred_on=day,
        stage="design",
        activity="workshop",
        title=f"Workshop on {day} (fictional)",
        rung=7,
        hours=Decimal(hours),
    )
    InvolvementPartner.objects.create(involvement=involvement, user=world.users["partner"])
    return involvement


def _board(client, world, params=PERIOD, who="lead"):
    client.force_login(world.users[who])
    return client.get(reverse("reports:board-report", args=[world.provider_a.pk]), params)


def _dashboard(client, world, params=PERIOD, who="lead"):
    client.force_login(world.users[who])
    return client.get(reverse("reports:provider-dashboard", args=[world.provider_a.pk]), params)


def test_involvement_dated_after_the_period_is_not_counted(client, world):
    _involvement(world, world.ward_a1, date(2025, 6, 10), "3")
    _involvement(world, world.ward_a1, date(2026, 6, 10), "41")  # after the period's end
    _involvement(world, world.ward_a1, date(2025, 3, 31), "7")  # the day before it starts
    board = _board(client, world).context
    assert board["coproduction"]["profile"]["lived_experience_hours"] == Decimal("3.00")
    assert "Lived experience partners gave 3 hours in the period" in board["copro_headline"]
    dashboard = _dashboard(client, world).context
    assert dashboard["coproduction"]["profile"]["lived_experience_hours"] == Decimal("3.00")


def test_a_round_closed_after_the_period_is_not_shown(client, world):
    def closed(on, kind):
        return AssessmentRound.objects.create(
            provider=world.provider_a,
            ward=world.ward_a1,
            kind=kind,
            opens_on=on - timedelta(days=20),
            closes_on=on,
            closed_at=datetime(on.year, on.month, on.day, 17, tzinfo=LONDON),
        )

    inside = closed(date(2026, 2, 1), "baseline")
    closed(date(2026, 6, 1), "mid_point")  # after the period
    board = _board(client, world).context
    assert board["assessment"]["round"] == inside
    assert [r["round"] for r in _dashboard(client, world).context["rounds"]] == [inside]
    body = _board(client, world, {"from": "2024-04-01", "to": "2025-03-31"}).content.decode()
    assert "No self-assessment round closed in this period." in body


SHIFT = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 30, 31, 29, 32, 30, 31, 33, 30]


@pytest.mark.parametrize(
    ("ends_on", "variation", "improving"),
    [(date(2026, 2, 28), "common_cause", 0), (date(2026, 5, 31), "improvement_high", 1)],
)
def test_page_one_the_chart_and_the_dashboard_agree(client, world, ends_on, variation, improving):
    # Weekly from 5 January 2026: the shift starts on 30 March 2026.
    wm = builders.ward_measure(world.ward_a1, values=SHIFT, start=date(2026, 1, 5))
    params = {"from": (ends_on - timedelta(days=364)).isoformat(), "to": ends_on.isoformat()}
    board = _board(client, world, params).context
    (row,) = board["measure_rows"]
    (chart,) = board["charts"]
    assert row["variation"] == chart["reading"].variation == variation
    assert row["latest_period"] == chart["reading"].latest_period <= ends_on
    words = "measure shows" if improving == 1 else "measures show"
    assert f"{improving} {words} special cause improvement" in " ".join(board["summary_points"])
    dashboard = _dashboard(client, world, params).context
    assert dashboard["measures"]["snapshots"][wm.id].variation == variation
    assert dashboard["measures"]["groups"]["improvement"] == improving


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-04-01", "to": "2099-03-31"}, "must be today or in the past"),
        ({"from": "2026-03-31", "to": "2025-04-01"}, "must be before its end"),
    ],
)
def test_a_bad_period_is_refused_in_the_page_and_the_pdf(client, world, params, message):
    page = _board(client, world, params)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert "measure_rows" not in page.context
    pdf = client.get(reverse("reports:board-report-pdf", args=[world.provider_a.pk]), params)
    assert pdf.status_code == 400
    assert pdf["Content-Type"].startswith("text/html")
    assert message in pdf.content.decode()
    dashboard = _dashboard(client, world, params)
    assert dashboard.status_code == 400 and message in dashboard.content.decode()


def _claim(world, claimed, approved=None, paid=None, amount="75.00"):
    rate, _ = PaymentRate.objects.get_or_create(
        kind="hourly", valid_from=date(2024, 4, 1), defaults={"amount": Decimal("25.00")}
    )
    at = lambda d: d and datetime(d.year, d.month, d.day, 12, tzinfo=LONDON)  # noqa: E731
    return PaymentClaim.objects.create(
        involvement=_involvement(world, world.ward_a1, claimed - timedelta(days=3), "3"),
        partner=world.users["partner"],
        rate=rate,
        units=Decimal("3"),
        amount=Decimal(amount),
        status="paid" if paid else ("approved" if approved else "claimed"),
        claimed_at=at(claimed),
        approved_at=at(approved),
        paid_on=paid,
        notice_acknowledged_at=at(claimed),
        notice_wording="Fictional notice",
    )


def test_payments_are_as_they_stood_at_the_period_end(client, world):
    _claim(world, date(2026, 1, 10), approved=date(2026, 5, 1), paid=date(2026, 6, 1))
    _claim(world, date(2026, 3, 1), approved=date(2026, 3, 21))
    _claim(world, date(2026, 4, 2))  # claimed after the period
    copro = _board(client, world).context["coproduction"]
    assert copro["owed_count"] == 2
    assert copro["awaiting_approval"] == 1  # the first was only approved in May
    assert copro["oldest_wait_days"] == (TO - date(2026, 1, 10)).days  # not "as of today"
    assert copro["owed_total"] == Decimal("150.00")
    later = _board(client, world, {"from": "2025-07-01", "to": "2026-06-30"}).context
    assert later["coproduction"]["owed_count"] == 2  # the first paid, the third owed


def test_coproduction_follows_the_phase_filter(client, world):
    phase = world.phase
    phase.starts_on, phase.ends_on = date(2025, 4, 1), date(2026, 3, 31)
    phase.save()
    Enrolment.objects.create(ward=world.ward_a1, phase=phase)
    _involvement(world, world.ward_a1, date(2025, 6, 10), "3")
    _involvement(world, world.ward_b1, date(2025, 6, 10), "20")  # not in the phase
    _involvement(world, world.ward_a1, date(2026, 5, 10), "5")  # after the phase
    client.force_login(world.users["admin"])
    url = reverse("reports:programme-dashboard")
    data = client.get(url, {"phase": phase.pk}).context
    assert data["period"].starts_on == phase.starts_on
    assert data["coproduction"]["profile"]["lived_experience_hours"] == Decimal("3.00")


def _rates(ward_measure, per_week):
    DataPoint.objects.bulk_create(
        DataPoint(
            ward_measure=ward_measure,
            period_start=date(2025, 6, 2) + timedelta(weeks=i),
            numerator=Decimal(n),
            denominator=Decimal(d),
            value=Decimal(n) * 100 / Decimal(d),
        )
        for i, (n, d) in enumerate(per_week)
    )


def test_funnel_plot_shows_only_wards_in_reach_with_small_counts_left_off(client, world):
    measure = builders.catalogue_measure()
    _rates(builders.WardMeasure.objects.create(ward=world.ward_a1, measure=measure), [(6, 10)] * 8)
    _rates(builders.WardMeasure.objects.create(ward=world.ward_a2, measure=measure), [(1, 10)] * 3)
    _rates(builders.WardMeasure.objects.create(ward=world.ward_b1, measure=measure), [(5, 10)] * 8)
    page = _dashboard(client, world, {**PERIOD, "measure": measure.pk})
    funnel = page.context["funnel"]
    assert funnel.measure == measure
    assert funnel.hidden == ["Alpha Two"]  # 3 people in the period: under 5
    assert funnel.svg is None and "at least 2 wards" in funnel.message
    body = page.content.decode()
    assert "Beta One" not in body
    assert "Left off because their count is under 5: Alpha Two." in body

    client.force_login(world.users["admin"])
    programme = client.get(reverse("reports:programme-dashboard"), {**PERIOD, "phase": "all"})
    view = programme.context["funnel"]
    rows = {r["label"]: r for r in view.rows}
    assert set(rows) == {"Fictional Alpha NHS Trust", "Fictional Beta NHS Trust"}
    # 48 + 3 = 51 in 110 is published as 50 in 110; 40 in 80 as 40 in 80.
    assert rows["Fictional Alpha NHS Trust"]["numerator"] == 50
    assert rows["Fictional Alpha NHS Trust"]["denominator"] == "110"
    assert "<svg" in str(view.svg) and view.summary.startswith("2 providers compared")


def test_the_pdf_says_which_period_it_covers_and_what_the_board_is_asked(client, world):
    builders.ward_measure(world.ward_a1, values=SHIFT, start=date(2025, 10, 6))
    client.force_login(world.users["lead"])
    params = PERIOD | {"decisions": "Approve the restraint project (fictional)\nNote the gap"}
    response = client.get(reverse("reports:board-report-pdf", args=[world.provider_a.pk]), params)
    assert response.status_code == 200
    assert "2025-04-01-to-2026-03-31" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    first = reader.pages[0].extract_text()
    assert "1 April 2025 to 31 March 2026" in first
    assert "Approve the restraint project (fictional)" in first
    assert "What changed since the last report" in first
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Target None" not in text and "No target set" in text


def test_home_links_to_the_reports_each_person_may_read(client, world):
    client.force_login(world.users["lead"])
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("reports:provider-dashboard", args=[world.provider_a.pk]) in body
    assert reverse("reports:board-report", args=[world.provider_a.pk]) in body
    assert reverse("reports:board-report", args=[world.provider_b.pk]) not in body
    client.force_login(world.users["observer"])
    body = client.get(reverse("core:home")).content.decode()
    assert "You cannot change anything." in body
    assert reverse("reports:board-report", args=[world.provider_a.pk]) in body
    client.force_login(world.users["ward_member"])
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("reports:board-report", args=[world.provider_a.pk]) not in body


def test_today_is_the_latest_a_period_may_end(client, world):
    today = timezone.localdate()
    assert _board(client, world, {"to": today.isoformat()}).status_code == 200
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert _board(client, world, {"to": tomorrow}).status_code == 400


def test_equity_reads_the_months_of_the_period_not_the_latest_twelve(client, world):
    from ..equity_web.helpers import figure, ward_measure

    wm = ward_measure(world.ward_a1)
    for month in (date(2025, 5, 1), date(2025, 9, 1)):
        figure(wm, 20, 100, period=month, ethnicity="white")
        figure(wm, 15, 25, period=month, ethnicity="black")
    figure(wm, 400, 500, period=date(2026, 9, 1), ethnicity="white")  # after the period
    (section,) = _board(client, world).context["equity"]
    white = next(g for g in section["view"].groups if g.label == "White")
    assert white.count == 40  # May and September 2025; nothing from 2026


def test_a_measure_showing_concern_is_named_under_needs_attention(client, world):
    falling = [30, 31, 29, 32, 30, 31, 33, 30, 31, 30, 29, 31, 10, 11, 9, 10, 12, 10, 11, 9]
    wm = builders.ward_measure(world.ward_a1, values=falling, start=date(2025, 6, 2))
    page = _dashboard(client, world)
    assert page.context["measures"]["concerning"] == [wm]
    body = page.content.decode()
    attention = body[body.index('id="attention"') : body.index('id="measures"')]
    assert reverse("improvement:ward-measure-detail", args=[wm.pk]) in attention
