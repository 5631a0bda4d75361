"""Quality improvement journeys in a real browser, each page checked by axe."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from coproduce.improvement.models import DataPoint, Frequency, previous_period
from tests.improvement.builders import catalogue_measure, full, ward_measure

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser


def _seclusion(ward):
    return ward_measure(
        ward,
        catalogue_measure(
            "Seclusion episodes (fictional)",
            is_rate=False,
            unit="episodes",
            improvement="decrease",
            numerator_label="",
            denominator_label="",
            multiplier=None,
        ),
    )


def test_project_lead_and_partner_build_a_project_and_run_a_pdsa_cycle(
    page, live_server, world_live
):
    start = previous_period(Frequency.WEEKLY, date.today()) - timedelta(weeks=7)
    wm = ward_measure(world_live.ward_a1, values=[40, 42, 41, 43, 40, 41, 44, 42], start=start)
    sign_in(page, live_server, "ward_member@example.org")
    page.goto(live_server.url + "/improvement/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a project").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Care plans written together")
    page.get_by_label("The problem, in plain words").fill("Plans are written about people.")
    page.get_by_label("What will improve").fill("Care plans the person helped write")
    page.get_by_label("For whom").fill("autistic people on the ward")
    page.get_by_label("By how much").fill("from 40% to 80%")
    fill_date(page, "By when", date(2099, 6, 30))
    page.get_by_label("Autistic people").check()
    page.get_by_label("People with a learning disability").check()  # people are more than one
    page.get_by_label("Choice and autonomy").check()
    page.get_by_role("button", name="Save project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Care plans written together")
    expect(page.get_by_text("People with a learning disability, Autistic people")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a primary driver").click()
    assert_accessible(page)
    page.get_by_label("Driver", exact=True).fill("People lead their own plan")
    page.get_by_role("button", name="Save and add another").click()
    page.get_by_label("Secondary driver").check()
    page.get_by_label("Primary driver it belongs to").select_option(
        label="People lead their own plan"
    )
    page.get_by_label("Driver", exact=True).fill("Time set aside to write plans together")
    page.get_by_role("button", name="Save driver").click()
    tree = page.get_by_role("list", name="Driver diagram as a list")
    expect(tree).to_contain_text("Time set aside to write plans together")
    page.get_by_text("Show the diagram as a picture").click()
    expect(page.locator("svg.app-driver-diagram")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a change idea").click()
    page.get_by_label("Change idea").fill("Plan review over a cup of tea")
    page.get_by_label("Driver it works on").select_option(
        label="Time set aside to write plans together (secondary driver)"
    )
    page.get_by_label("A patient").check()
    page.get_by_label("Co-produced").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save change idea").click()
    expect(page.get_by_text("Co-produced", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Plan a PDSA cycle").click()
    page.get_by_label("Objective").fill("Try it with two people on one day shift")
    page.get_by_label("Question").fill("Do people add their own words?")
    page.get_by_label("Prediction").fill("Both will add something in their own words")
    fill_date(page, "Start date", date.today() - timedelta(days=14))
    page.locator("#id_tasks-0-text").fill("Book a quiet room")
    page.locator("#id_tasks-0-owner").fill("Sam")
    page.get_by_label(wm.measure.name).check()
    page.get_by_label("Others with lived experience who took part").fill("2")
    assert_accessible(page)
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PDSA cycle 1")
    assert_accessible(page)

    page.get_by_role("link", name="Record what happened").click()
    page.get_by_label("What happened").fill("One person took part; the other was asleep.")
    page.get_by_label("Book a quiet room (Sam)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record the study").click()
    page.get_by_label("Results against the prediction").fill("Half the prediction was met.")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Decide: adopt, adapt or abandon").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose adopt, adapt or abandon")
    assert_accessible(page)
    page.get_by_label("Adapt").check()
    page.get_by_label("What happens next").fill("Let people pick the time.")
    fill_date(page, "End date", date.today())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Decision recorded: Adapt.")).to_be_visible()
    expect(page.get_by_role("link", name="Plan the next cycle")).to_be_visible()

    page.goto(f"{live_server.url}/improvement/ward-measures/{wm.pk}/")
    expect(page.get_by_text("PDSA cycle 1, from")).to_be_visible()
    expect(page.locator(".app-chart svg")).to_contain_text("PDSA 1")
    assert_accessible(page)


def test_ward_member_enters_a_week_for_three_measures_and_reads_the_chart(
    phone, live_server, world_live
):
    today = date.today()
    last_week = previous_period(Frequency.WEEKLY, today)
    start = last_week - timedelta(weeks=12)
    care = ward_measure(
        world_live.ward_a1,
        values=[40, 42, 41, 43, 40, 41, 44, 42, 40, 41, 43, 42],
        start=start,
        target=80,
    )
    seclusion = _seclusion(world_live.ward_a1)
    carers = ward_measure(
        world_live.ward_a1,
        catalogue_measure(
            "Carers invited (fictional)",
            numerator_label="ward rounds with carers invited",
            denominator_label="ward rounds",
        ),
    )
    sign_in(phone, live_server, "ward_member@example.org")
    expect(phone.get_by_role("heading", name=re.compile("Alpha One: this week"))).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Enter figures for Alpha One").click()
    expect(phone.get_by_role("heading", name=re.compile("^Week starting"))).to_be_visible()
    assert_accessible(phone)
    rows = phone.locator("fieldset.app-figure-row")
    care_row = rows.filter(has_text=care.measure.name)
    care_row.get_by_label("People with a co-written plan").fill("5")
    care_row.get_by_label("People on the ward").fill("10")
    rows.filter(has_text=seclusion.measure.name).get_by_label("Value (episodes)").fill("two")
    carers_row = rows.filter(has_text=carers.measure.name)
    carers_row.get_by_label("Ward rounds with carers invited").fill("3")
    carers_row.get_by_label("Ward rounds", exact=True).fill("4")
    phone.get_by_role("button", name="Save figures").click()
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text("is not a number")
    assert_accessible(phone)
    phone.locator("fieldset.app-figure-row").filter(has_text=seclusion.measure.name).get_by_label(
        "Value (episodes)"
    ).fill("2")
    phone.get_by_role("button", name="Save figures").click()
    expect(phone.get_by_text("3 new figures saved")).to_be_visible()
    assert DataPoint.objects.filter(period_start=last_week).count() == 3
    expect(phone.get_by_role("heading", level=1)).to_have_text("Measures: Alpha One")
    assert_accessible(phone)
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => !e.closest('.app-table-wrap') && e.getBoundingClientRect().right > 376)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375, wide
    phone.get_by_role("link", name=care.measure.name).click()
    expect(phone.get_by_text("What the chart says:")).to_be_visible()
    expect(phone.locator(".app-chart svg")).to_be_visible()
    expect(phone.get_by_role("img", name=re.compile(re.escape(care.measure.name)))).to_be_visible()
    assert_accessible(phone)


def test_ward_member_uploads_a_csv_with_a_bad_row_fixes_it_and_confirms(
    page, live_server, world_live, tmp_path
):
    seclusion = _seclusion(world_live.ward_a1)
    DataPoint.objects.create(ward_measure=seclusion, period_start=date(2025, 1, 6), value=9)
    sign_in(page, live_server, "partner@example.org")
    page.goto(f"{live_server.url}/improvement/wards/{world_live.ward_a1.pk}/upload/")
    assert_accessible(page)
    bad = tmp_path / "figures.csv"
    bad.write_text(
        "measure,period,value\nSeclusion episodes (fictional),2025-01-06,2\n"
        "Seclusion episodes (fictional),2025-01-14,3\n"
    )
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Line 3: 2025-01-14 is not a Monday")
    expect(summary).to_contain_text("Nothing has been saved")
    assert_accessible(page)
    good = tmp_path / "fixed.csv"
    good.write_text(
        "measure,period,value\nSeclusion episodes (fictional),2025-01-06,2\n"
        "Seclusion episodes (fictional),2025-01-13,3\n"
    )
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the figures before saving")
    expect(page.get_by_text("1 period already has a value")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save these figures").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Tick the box to replace them")
    assert_accessible(page)
    assert DataPoint.objects.get(period_start=date(2025, 1, 6)).value == 9
    page.get_by_label("Replace the existing values for these periods").check()
    page.get_by_role("button", name="Save these figures").click()
    expect(page.get_by_text("1 figure added and 1 replaced from fixed.csv")).to_be_visible()
    assert DataPoint.objects.filter(ward_measure=seclusion).count() == 2


def test_observer_reads_the_chart_library_and_summaries(page, live_server, world_live):
    records = full(world_live)
    sign_in(page, live_server, "observer@example.org")
    for path in [
        f"/improvement/ward-measures/{records['wm'].pk}/",
        f"/improvement/projects/{records['project'].pk}/",
        f"/improvement/ideas/{records['idea'].pk}/",
        f"/improvement/cycles/{records['cycle'].pk}/",
        f"/improvement/wards/{world_live.ward_a1.pk}/measures/",
        f"/improvement/providers/{world_live.provider_a.pk}/measures/",
        "/improvement/measures/summary/",
        "/improvement/measures/",
        "/improvement/library/",
        f"/improvement/library/{records['idea'].pk}/",
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.goto(f"{live_server.url}/improvement/ward-measures/{records['wm'].pk}/")
    expect(page.get_by_role("listitem").filter(has_text="New phase from")).to_contain_text(
        "New plan format adopted"
    )
    expect(page.get_by_role("link", name="Mark a new phase")).to_have_count(0)
    page.goto(f"{live_server.url}/improvement/projects/{records['project'].pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")


def test_editor_pages_pass_axe(page, live_server, world_live):
    records = full(world_live)
    sign_in(page, live_server, "admin@example.org")
    p, wm = records["project"].pk, records["wm"].pk
    for path in [
        f"/improvement/projects/{p}/edit/",
        f"/improvement/projects/{p}/delete/",
        f"/improvement/projects/{p}/team/add/",
        f"/improvement/projects/{p}/progress/",
        f"/improvement/drivers/{records['driver'].pk}/edit/",
        f"/improvement/ideas/{records['idea'].pk}/edit/",
        f"/improvement/cycles/{records['cycle'].pk}/plan/",
        f"/improvement/cycles/{records['cycle'].pk}/act/",
        "/improvement/measures/new/",
        f"/improvement/wards/{world_live.ward_a1.pk}/measures/adopt/",
        f"/improvement/wards/{world_live.ward_a1.pk}/measures/new/",
        f"/improvement/ward-measures/{wm}/edit/",
        f"/improvement/ward-measures/{wm}/phases/new/",
        f"/improvement/phases/{records['phase'].pk}/delete/",
        f"/improvement/figures/{records['point'].pk}/delete/",
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
