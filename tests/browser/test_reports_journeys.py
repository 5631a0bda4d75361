"""Journeys 6 and 7: the provider lead before the board; the programme dashboard flags
a quiet ward.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.improvement import builders

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

SHIFT = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 10, 12, 30, 31, 29, 32, 30, 31, 33, 30]


def test_provider_lead_reads_the_dashboard_and_downloads_the_board_report(
    page, live_server, world_live
):
    start = timezone.localdate() - timedelta(weeks=len(SHIFT) + 1)
    builders.ward_measure(world_live.ward_a1, values=SHIFT, start=start)
    sign_in(page, live_server, "lead@example.org")
    page.goto(f"{live_server.url}/providers/{world_live.provider_a.pk}/")
    page.get_by_role("link", name="Provider dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fictional Alpha NHS Trust")
    assert_accessible(page)
    page.get_by_role("link", name="Board report").click()
    expect(page.get_by_role("heading", name="Charts of the key measures")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_programme_dashboard_flags_a_ward_with_nothing_for_four_weeks(
    page, live_server, world_live
):
    sign_in(page, live_server, "admin@example.org")
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme dashboard")
    page.get_by_label("Phase").select_option("all")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="Beta One")).to_be_visible()
    expect(
        page.get_by_text(re.compile("No figures, no PDSA cycle started, no coaching")).first
    ).to_be_visible()
    assert_accessible(page)
