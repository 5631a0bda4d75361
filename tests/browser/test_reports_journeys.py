"""Journeys 6 and 7: the provider lead before the board; the programme dashboard flags
a quiet ward.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.improvement import builders

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

SHIFT = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 30, 31, 29, 32, 30, 31, 33, 30]


def _rates(ward, measure, per_week, weeks=10):
    wm = builders.WardMeasure.objects.create(ward=ward, measure=measure)
    first = timezone.localdate() - timedelta(weeks=weeks + 2)
    builders.DataPoint.objects.bulk_create(
        builders.DataPoint(
            ward_measure=wm,
            period_start=first + timedelta(weeks=i),
            numerator=Decimal(n),
            denominator=Decimal(d),
            value=Decimal(n) * 100 / Decimal(d),
        )
        for i, (n, d) in enumerate([per_week] * weeks)
    )


def _at_both_widths(page, chart=False):
    for width, height, shown in ((375, 800, "narrow"), (1280, 900, "wide")):
        page.set_viewport_size({"width": width, "height": height})
        if chart:  # the funnel plot is laid out for the screen it is read on
            expect(page.locator(f"#funnel ~ .app-chart--{shown} svg")).to_be_visible()
        assert_accessible(page)


def test_provider_lead_chooses_a_period_and_the_dashboard_and_board_report_agree(
    page, live_server, world_live
):
    today = timezone.localdate()
    start = today - timedelta(weeks=len(SHIFT) + 1)
    builders.ward_measure(world_live.ward_a1, values=SHIFT, start=start)
    told = builders.catalogue_measure(name="Told their rights (fictional)")
    _rates(world_live.ward_a1, told, (6, 10))
    _rates(world_live.ward_a2, told, (9, 10))
    ends_on = today - timedelta(days=7)
    starts_on = ends_on - timedelta(days=180)

    sign_in(page, live_server, "lead@example.org")
    expect(page.get_by_role("link", name="board report")).to_be_visible()  # from home
    page.goto(f"{live_server.url}/providers/{world_live.provider_a.pk}/")
    page.get_by_role("link", name="Provider dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fictional Alpha NHS Trust")
    page.get_by_label("From", exact=True).fill(starts_on.isoformat())
    page.get_by_label("To", exact=True).fill(ends_on.isoformat())
    page.get_by_role("button", name="Show this period").click()
    expect(page.get_by_text(re.compile(r"^Every figure on this page covers"))).to_contain_text(
        f"to {ends_on.day} {ends_on:%B %Y}"
    )
    expect(page.locator("main h2").first).to_have_text("On this page")
    expect(page.locator("main h2").nth(1)).to_have_text("Needs attention")
    page.get_by_label("Measure (a proportion or a rate)").select_option(label=told.name)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#funnel ~ .app-chart svg").first).to_be_visible()
    expect(page.get_by_role("cell", name="Alpha Two")).to_be_visible()
    improving = page.locator(".nhsuk-summary-list__row", has_text="Special cause improvement")
    dashboard_count = improving.locator("dd").inner_text().strip()
    _at_both_widths(page, chart=True)

    page.get_by_role("link", name="Board report for this period").click()
    expect(page.get_by_label("To", exact=True)).to_have_value(ends_on.isoformat())
    summary = page.locator("#summary + p + ul")
    expect(summary).to_contain_text(f"{dashboard_count} measure")
    expect(summary).to_contain_text("special cause improvement")
    expect(page.get_by_role("heading", name="Decisions asked of the board")).to_be_visible()
    expect(page.get_by_role("heading", name="Charts of the key measures")).to_be_visible()
    _at_both_widths(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(
        f"{starts_on.isoformat()}-to-{ends_on.isoformat()}.pdf"
    )

    page.get_by_label("To", exact=True).fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Show the report for this period").click()
    expect(page.get_by_role("alert")).to_contain_text("must be today or in the past")
    assert_accessible(page)


def test_programme_dashboard_leads_with_wards_that_need_attention(page, live_server, world_live):
    told = builders.catalogue_measure(name="Told their rights (fictional)")
    _rates(world_live.ward_a1, told, (6, 10))
    _rates(world_live.ward_b1, told, (3, 10))
    sign_in(page, live_server, "admin@example.org")
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme dashboard")
    page.get_by_label("Phase").select_option("all")
    page.get_by_role("button", name="Show this phase").click()
    expect(page.locator("main h2").nth(1)).to_have_text("Needs attention")
    page.get_by_text(re.compile(r"^Wards not started")).click()
    expect(page.get_by_role("link", name="Alpha Two")).to_be_visible()
    expect(page.get_by_role("cell", name="Fictional Beta NHS Trust")).to_be_visible()
    _at_both_widths(page, chart=True)
