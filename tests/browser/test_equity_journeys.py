"""Journey 6 in a real browser: a provider lead reads the equity view before the board.

Black patients' restraint rate against White, with intervals, and nothing shown that could
identify someone. Every page is checked by axe."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coproduce.equity_web.demo import sample_path
from tests.equity_web.helpers import figure, months, ward_measure

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser


def _figures(world):
    wm = ward_measure(world.ward_a1)
    for i, period in enumerate(months(14)):
        figure(wm, 20 + i % 3, 100, period=period, ethnicity="white")
        figure(wm, 12 + i % 4, 25, period=period, ethnicity="black")
        figure(wm, 2, 8, period=period, ethnicity="asian")
        figure(wm, 1, 4, period=period, ethnicity="other")  # two hidden: no more need hiding
        if i == 13:
            figure(wm, 1, 6, period=period, ethnicity="mixed")
        figure(wm, 6 + i % 2, 20, period=period, autism="yes")
        figure(wm, 25, 120, period=period, autism="no")
    return wm


def test_provider_lead_reads_the_equity_view_before_the_board(page, live_server, world_live):
    wm = _figures(world_live)
    call_command("import_mha_stats", str(sample_path()))
    sign_in(page, live_server, "lead@example.org")
    page.get_by_role("link", name="Equity at Fictional Alpha NHS Trust").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fictional Alpha NHS Trust")
    expect(page.get_by_text("National, regional and provider figures")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=wm.measure.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("gaps between groups")
    expect(
        page.get_by_text("The Black or Black British rate was higher than the White rate")
    ).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Rates per 100 people cared for"))
    expect(table.get_by_role("row", name=re.compile("^Mixed"))).to_contain_text("*")
    expect(table.get_by_role("row", name=re.compile("^Mixed"))).to_contain_text("Hidden")
    expect(page.locator("svg#equity-rates")).to_be_visible()
    expect(page.locator("svg", has=page.locator("#equity-ratio-title"))).to_be_visible()
    assert_accessible(page)
    # Pick another comparison group, by keyboard.
    page.get_by_label("Compare with (the comparison group)").select_option(
        label="Black or Black British"
    )
    page.get_by_role("button", name="Show").click()
    expect(table.get_by_role("row", name=re.compile("^Black"))).to_contain_text("Comparison group")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table as a CSV file").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Mixed,*,,,," in text
    page.get_by_role("link", name=re.compile("Equity at Fictional Alpha")).click()
    page.get_by_role(
        "link", name="Compare the lived experience partners involved with the people on the wards"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who is involved, and who is on the wards"
    )
    assert_accessible(page)


def test_the_equity_view_fits_a_phone(phone, live_server, world_live):
    wm = _figures(world_live)
    sign_in(phone, live_server, "ward_member@example.org")
    phone.goto(f"{live_server.url}/equity/ward-measures/{wm.pk}/?breakdown=autism")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("gaps between groups")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/equity/wards/{world_live.ward_a1.pk}/")
    assert_accessible(phone)


def test_ward_member_enters_and_imports_figures_fixing_mistakes(page, live_server, world_live):
    wm = ward_measure(world_live.ward_a1)
    sign_in(page, live_server, "ward_member@example.org")
    page.goto(f"{live_server.url}/equity/ward-measures/{wm.pk}/")
    expect(page.get_by_text("There are no figures by group for this measure yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Enter figures by group").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ethnic group", exact=True).click()
    fill_date(page, "Period starting", date(2025, 1, 15))
    page.get_by_role("button", name="Save the figures").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("is not the first day of a month")
    expect(summary).to_contain_text("Choose what the denominator counts")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)
    fill_date(page, "Period starting", date(2025, 1, 1))
    page.get_by_label("Caseload").check()
    page.get_by_role("group", name="White").get_by_label("Count").fill("12")
    page.get_by_role("group", name="White").get_by_label("Denominator").fill("60")
    page.get_by_role("button", name="Save the figures").click()
    expect(page.get_by_text("1 figure added.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Import a CSV file").click()
    bad = (
        "period_start,ethnicity,count,denominator,denominator_kind\n"
        "2025-02-01,purple,3,9,caseload\n"
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_text("Line 2: ethnicity 'purple' is not a value we know.")).to_be_visible()
    assert_accessible(page)
    good = bad.replace("purple", "black")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_text("1 figure added.")).to_be_visible()
    page.get_by_role("link", name=re.compile("Delete Black or Black British")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this figure?")
    assert_accessible(page)
    page.get_by_role("button", name="Delete the figure").click()
    expect(page.get_by_text("The figure has been deleted.")).to_be_visible()


def test_admin_imports_the_national_file(page, live_server, world_live):
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server.url}/equity/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("National Mental Health Act statistics held")).click()
    expect(page.get_by_text("No years imported yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Import a file").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "wrong.csv", "mimeType": "text/csv", "buffer": b"Year,Rate\n2024-25,1\n"}]
    )
    page.get_by_role("button", name="Import the file").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("missing columns: Measure")
    assert_accessible(page)
    page.get_by_label("CSV file").set_input_files(str(sample_path()))
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_text("Imported 2023-24 (78 rows), 2024-25 (78 rows).")).to_be_visible()
    expect(page.get_by_role("cell", name="2024-25")).to_be_visible()
    assert_accessible(page)
