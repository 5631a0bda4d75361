"""The NHS.UK frontend as served, under the site's own Content-Security-Policy: its
components start, the error summary takes focus, the header folds into "More" on a phone,
wide tables say they scroll and the cookie banner leaves the page readable.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, assert_frontend_started, sign_in

pytestmark = pytest.mark.browser


def test_error_summary_takes_focus_after_a_failed_submit(page, live_server, world_live):
    page.goto(live_server.url + "/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_board_report_period_error_takes_focus(page, live_server, world_live):
    sign_in(page, live_server, "lead@example.org")
    page.goto(
        f"{live_server.url}/reports/providers/{world_live.provider_a.pk}/board/"
        "?from=2025-06-01&to=2025-01-01"
    )
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The start of the period must be before its end.")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_admin_navigation_folds_into_more_on_a_phone(phone, live_server, world_live):
    sign_in(phone, live_server, "admin@example.org")
    expect(phone).to_have_url(re.compile(r"/home/$"))
    assert_frontend_started(phone)
    more = phone.locator(".nhsuk-header__menu-toggle")
    expect(more).to_be_visible()
    expect(more).to_contain_text("More")
    header = phone.locator(".nhsuk-header").bounding_box()
    assert header["height"] < 220, f"the header takes {header['height']} px of a 740 px phone"
    audit_link = phone.locator(".nhsuk-header").get_by_role("link", name="Audit log")
    expect(audit_link).to_be_hidden()
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(audit_link).to_be_visible()
    assert_accessible(phone)


def test_wide_tables_say_they_scroll_on_a_phone(phone, live_server, world_live):
    sign_in(phone, live_server, "admin@example.org")
    phone.goto(live_server.url + "/audit/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Audit log")
    wrap = phone.locator(".app-table-wrap").first
    expect(wrap).to_be_visible()
    hint = phone.locator(".app-table-wrap__hint").first
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Scroll the table sideways to see all of it")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page itself scrolls sideways: only the table should"
    assert_accessible(phone)


def test_no_scroll_hint_for_a_table_that_fits(phone, live_server, world_live):
    sign_in(phone, live_server, "admin@example.org")
    phone.goto(live_server.url + "/providers/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert_frontend_started(phone)
    wrap = phone.locator(".app-table-wrap")
    expect(wrap).to_have_count(1)
    fits = wrap.evaluate("(el) => el.scrollWidth <= el.clientWidth + 8")
    assert fits, "the providers table was expected to fit a phone"
    hint = phone.locator(".app-table-wrap__hint")
    expect(hint).to_have_count(1)
    expect(hint).to_be_hidden()


def test_cookie_banner_leaves_the_page_readable_on_a_phone(phone, live_server, world_live):
    phone.goto(live_server.url + "/")
    banner = phone.get_by_role("region", name=re.compile("Cookies on"))
    expect(banner).to_be_visible()
    box = banner.bounding_box()
    assert box["height"] < 740 * 0.45, f"the cookie banner takes {box['height']} px of 740 px"
    heading = phone.get_by_role("heading", level=1)
    expect(heading).to_be_in_viewport()
    # The banner sits in the page, so it covers neither the content nor the footer.
    assert phone.evaluate(
        "getComputedStyle(document.querySelector('.app-cookie-banner')).position"
    ) in ("static", "relative")
    phone.locator(".nhsuk-footer").scroll_into_view_if_needed()
    footer_link = phone.get_by_role("link", name="Accessibility statement")
    expect(footer_link).to_be_in_viewport()
    assert_accessible(phone)
