"""Journey 7: a coach logs a session on a phone, with two actions, and follows them up."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_coach_logs_a_session_on_a_phone_and_follows_up_next_time(phone, live_server, world_live):
    sign_in(phone, live_server, "coach@example.org")
    phone.get_by_role("link", name="Log a coaching session").click()
    assert_accessible(phone)
    # One coached ward: it is already chosen; today's date, ward coaching and 1 hour are defaults.
    expect(phone.get_by_label("Where")).to_have_value(f"w:{world_live.ward_a1.pk}")
    phone.get_by_label("Staff who took part").fill("5")
    phone.get_by_label("Lived experience partners who took part").fill("1")
    actions = phone.get_by_role("group", name=re.compile(r"^Action \d"))
    actions.nth(0).get_by_label("Action", exact=True).fill("Print easy-read rights leaflets")
    actions.nth(0).get_by_label("Who will do it").fill("Ward manager")
    actions.nth(1).get_by_label("Action", exact=True).fill("Invite a partner to the huddle")
    actions.nth(1).get_by_label("Who will do it").fill("Charge nurse")
    phone.get_by_role("button", name="Save the session").click()
    expect(phone.get_by_text("The session has been logged.")).to_be_visible()
    expect(phone.get_by_text("Print easy-read rights leaflets", exact=True)).to_be_visible()
    assert_accessible(phone)

    phone.goto(f"{live_server.url}/coaching/new/")
    leaflet = phone.get_by_label(re.compile("Print easy-read rights leaflets"))
    expect(leaflet).to_be_visible()
    leaflet.check()
    phone.get_by_label("Staff who took part").fill("3")
    phone.get_by_role("button", name="Save the session").click()
    # A second session for the same ward on the same day asks first, keeping what was typed.
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text("already logged")
    assert_accessible(phone)
    phone.get_by_label("Yes, this was another session on the same day").check()
    phone.get_by_role("button", name="Save the session").click()
    expect(phone.get_by_role("heading", name="Still open from earlier sessions")).to_be_visible()
    expect(phone.get_by_text("Invite a partner to the huddle", exact=True)).to_be_visible()
    expect(phone.get_by_text("Print easy-read rights leaflets", exact=True)).to_have_count(0)
    phone.goto(f"{live_server.url}/coaching/")
    assert_accessible(phone)
