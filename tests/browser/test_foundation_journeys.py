"""Journeys in a real browser: sign in, a role's home page, providers, errors — each
checked by axe.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_public_home_reads_well_on_a_phone(phone, live_server, transactional_db):
    phone.goto(live_server.url + "/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Improving the Mental Health Act, together"
    )
    expect(phone.get_by_text("made up for demonstration")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    assert_accessible(phone)


def test_sign_in_by_keyboard_lands_on_the_role_home_page(page, live_server, world_live):
    page.goto(live_server.url + "/sign-in/")
    assert_accessible(page)
    page.keyboard.press("Tab")  # skip link
    page.get_by_label("E-mail address").focus()
    page.keyboard.type("partner@example.org")
    page.keyboard.press("Tab")
    from tests.factories import PASSWORD

    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    expect(page.get_by_text("Lived experience partner")).to_be_visible()
    expect(page.get_by_role("link", name="Alpha One", exact=True)).to_be_visible()
    assert_accessible(page)


def test_wrong_password_shows_the_error_summary(page, live_server, world_live):
    sign_in(page, live_server, "lead@example.org", "not-the-password")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)


def test_provider_lead_reads_providers_list_and_provider_on_a_phone(phone, live_server, world_live):
    sign_in(phone, live_server, "lead@example.org")
    phone.goto(live_server.url + "/providers/")
    expect(phone.get_by_role("link", name="Fictional Alpha NHS Trust")).to_be_visible()
    expect(phone.get_by_text("Fictional Beta NHS Trust")).to_have_count(0)
    assert_accessible(phone)
    phone.get_by_role("link", name="Fictional Alpha NHS Trust").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Fictional Alpha NHS Trust")
    assert_accessible(phone)


def test_admin_adds_a_provider_fixing_a_bad_ods_code(page, live_server, world_live):
    sign_in(page, live_server, "admin@example.org")
    page.goto(live_server.url + "/providers/new/")
    assert_accessible(page)
    page.get_by_label("Name").fill("Fictional Gamma NHS Trust")
    page.get_by_label("NHS trust").check()
    page.get_by_label("ODS code").fill("XX")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "3 characters starting with R or T"
    )
    assert_accessible(page)
    page.get_by_label("ODS code").fill("tg7")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fictional Gamma NHS Trust")
    expect(page.get_by_text("TG7")).to_be_visible()


def test_admin_pages_pass_axe(page, live_server, world_live):
    sign_in(page, live_server, "admin@example.org")
    for path in [
        "/home/",
        "/programme/",
        "/people/",
        "/people/invite/",
        "/audit/",
        f"/wards/{world_live.ward_a1.pk}/",
        f"/wards/{world_live.ward_a1.pk}/edit/",
        "/programme/phases/new/",
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


def test_not_found_and_forbidden_pages_pass_axe(page, live_server, world_live):
    page.goto(live_server.url + "/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    sign_in(page, live_server, "ward_member@example.org")
    page.goto(live_server.url + "/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    assert_accessible(page)
