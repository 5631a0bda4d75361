"""Exports in a real browser: choose a provider, download a file; each page checked by axe."""

import csv
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def export_data(world_live):
    from tests.reports.test_exports import build_data

    return build_data(world_live)


def test_programme_admin_downloads_the_phase_outputs_at_the_end_of_a_phase(
    page, live_server, export_data
):
    sign_in(page, live_server, "admin@example.org")
    page.goto(live_server.url + "/reports/exports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exports")
    assert_accessible(page)

    page.get_by_label("Provider").select_option(label="Fictional Alpha NHS Trust")
    page.get_by_role("button", name="Show the files").click()
    expect(
        page.get_by_role("heading", name="Files for Pilot, Fictional Alpha NHS Trust")
    ).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV file of the phase outputs for the commissioner").click()
    download = info.value
    assert download.suggested_filename == (
        "coproduce-phase-outputs-ta1-2024-07-01-to-2025-03-31.csv"
    )
    with open(download.path(), encoding="utf-8-sig") as file:
        text = file.read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Provider", "ODS code", "Wards enrolled"]
    assert [r[0] for r in rows[1:3]] == ["Fictional Alpha NHS Trust", "Total"]

    with page.expect_download() as info:
        page.get_by_role("link", name="Download every export in one Excel workbook").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    with open(info.value.path(), "rb") as file:
        book = openpyxl.load_workbook(io.BytesIO(file.read()))
    assert "Coaching log" in book.sheetnames


def test_a_provider_lead_reads_the_exports_page_on_a_phone(phone, live_server, export_data):
    sign_in(phone, live_server, "lead@example.org")
    phone.goto(live_server.url + "/reports/exports/")
    expect(phone.get_by_role("link", name="Excel workbook of the coaching log")).to_be_visible()
    expect(phone.get_by_role("option", name="Fictional Beta NHS Trust")).to_have_count(0)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    assert_accessible(phone)


def test_a_choice_from_another_provider_shows_the_error_summary(page, live_server, export_data):
    sign_in(page, live_server, "lead@example.org")
    other = export_data.world.provider_b.pk
    page.goto(f"{live_server.url}/reports/exports/?provider={other}")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Choose a provider from the list")
    assert_accessible(page)
