"""Co-production journeys in a real browser, each page checked by axe."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.browser


def _round(world, **extra):
    from tests.coproduction.routes import make_round

    return make_round(world, **extra)


def _answer_people(round_obj, perspective, n, as_is, to_be):
    from coproduce.coproduction.instrument import STATEMENTS
    from coproduce.coproduction.models import Answer, AssessmentResponse, hash_key

    for i in range(n):
        response = AssessmentResponse.objects.create(
            round=round_obj,
            perspective=perspective,
            draft_key_hash=hash_key(f"{round_obj.pk}-{perspective}-{i}"),
            submitted_on=timezone.localdate(),
        )
        Answer.objects.bulk_create(
            [
                Answer(response=response, statement=s.key, as_is=as_is, to_be=to_be)
                for s in STATEMENTS
            ]
        )


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def _answer_easy_question(phone, now, should):
    phone.get_by_role("group", name="How is it now?").get_by_label(now, exact=True).check()
    phone.get_by_role("group", name="How should it be?").get_by_label(should, exact=True).check()
    phone.get_by_role("button", name=re.compile("^(Next|Check my answers)$")).click()


def test_patient_answers_the_easy_read_version_anonymously_on_a_phone_pausing_and_resuming(
    phone, live_server, world_live
):
    from coproduce.coproduction.models import AssessmentResponse

    round_obj = _round(world_live)
    phone.goto(f"{live_server.url}/take-part/{round_obj.token}/")
    assert_accessible(phone)
    phone.get_by_role("link", name="Use the easy read version").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tell us what you think")
    expect(phone.get_by_text("You do not need to give your name.")).to_be_visible()
    assert phone.get_by_label("Name").count() == 0
    assert_accessible(phone)
    phone.get_by_role("button", name="Start").click()
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text("Choose who you are")
    assert_accessible(phone)
    phone.get_by_label("I am or was a patient on a ward").check()
    phone.get_by_role("button", name="Start").click()

    expect(phone.get_by_text("Question 1 of 15")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)
    phone.get_by_role("button", name="Next").click()  # nothing chosen
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text("Choose how it is now")
    assert_accessible(phone)
    _answer_easy_question(phone, "Told", "Do it together")
    expect(phone.get_by_text("Question 2 of 15")).to_be_visible()
    _answer_easy_question(phone, "Asked", "Plan together")

    # Pause, leave, and come back on the same phone.
    phone.get_by_role("link", name="Stop for now. Come back later.").click()
    phone.goto("about:blank")
    phone.goto(f"{live_server.url}/take-part/{round_obj.token}/?easy=1")
    expect(phone.get_by_text("Welcome back. Your answers are saved.")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Carry on").click()
    expect(phone.get_by_text("Question 3 of 15")).to_be_visible()
    for _ in range(13):
        _answer_easy_question(phone, "Listened to", "Do it together")

    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_accessible(phone)
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_text("Your answers have been sent")).to_be_visible()
    assert_accessible(phone)
    response = AssessmentResponse.objects.get()
    assert response.submitted_on is not None and response.easy_read
    assert response.answers.count() == 15


def test_partner_logs_involvement_and_claims_then_admin_approves_and_pays(
    page, live_server, world_live
):
    from coproduce.coproduction.models import PaymentRate

    PaymentRate.objects.create(kind="hourly", amount=Decimal("25.00"), valid_from=date(2024, 4, 1))
    PaymentRate.objects.create(
        kind="full_day", amount=Decimal("170.00"), valid_from=date(2024, 4, 1)
    )
    sign_in(page, live_server, "partner@example.org")
    page.goto(live_server.url + "/co-production/")
    assert_accessible(page)
    page.get_by_role("link", name="Log involvement").first.click()
    assert_accessible(page)
    fill_date(page, "Date", timezone.localdate() - timedelta(days=7))
    page.get_by_label("What it was about").fill("Co-facilitated welcome workshop")
    page.get_by_label("Where").select_option(label="Alpha One, Fictional Alpha NHS Trust")
    page.get_by_label("Design", exact=True).check()
    page.get_by_label("Workshop").check()
    page.get_by_label("Co-production", exact=True).check()
    page.get_by_label("Hours").fill("3")
    page.get_by_label("I took part as a lived experience partner").check()
    page.get_by_label("Easy read materials").check()
    page.get_by_label("You said: what people").fill("Explain people's rights on the first day")
    page.get_by_label("We could not change it").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why it could not change")
    assert_accessible(page)
    page.get_by_label("We changed it", exact=True).check()
    page.get_by_label("We did: what changed").fill("A welcome pack in easy read")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-facilitated welcome workshop")
    expect(page.get_by_text("Lived experience practitioners: 1")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Claim your payment").click()
    expect(page.get_by_text("may affect benefits")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hourly: £75.00").check()
    page.get_by_role("button", name="Send my claim").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Confirm you have read")
    page.get_by_label("I have read this").check()
    page.get_by_role("button", name="Send my claim").click()
    expect(page.locator("#approved-on")).to_have_text("Not yet")
    assert_accessible(page)
    claim_url = page.url
    _sign_out(page)

    sign_in(page, live_server, "admin@example.org")
    page.goto(live_server.url + "/co-production/payments/")
    expect(page.get_by_text("0 days since claimed")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Partner Fictional").click()
    page.get_by_role("button", name="Approve the claim").click()
    expect(page.get_by_text("has been approved")).to_be_visible()
    page.get_by_role("link", name="Mark as paid").click()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as paid").click()
    expect(page.locator("#paid-on")).to_contain_text(str(timezone.localdate().year))
    _sign_out(page)

    sign_in(page, live_server, "partner@example.org")
    page.goto(claim_url)
    today = timezone.localdate().strftime("%-d %B %Y")
    expect(page.locator("#claimed-on")).to_have_text(today)
    expect(page.locator("#approved-on")).to_contain_text(today)
    expect(page.locator("#paid-on")).to_contain_text(today)
    page.goto(live_server.url + "/co-production/claims/")
    expect(page.get_by_role("link", name="Co-facilitated welcome workshop")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/home/")
    expect(page.get_by_text("You said, we did")).to_be_visible()
    assert_accessible(page)


def test_provider_lead_reads_the_results_with_a_suppressed_perspective(
    page, live_server, world_live
):
    today = timezone.localdate()
    baseline = _round(
        world_live,
        kind="baseline",
        opens_on=today - timedelta(days=90),
        closes_on=today - timedelta(days=60),
    )
    _answer_people(baseline, "ward_staff", 5, 4, 6)
    _answer_people(baseline, "lived_experience", 5, 2, 6)
    current = _round(world_live)
    _answer_people(current, "ward_staff", 6, 5, 7)
    _answer_people(current, "leader", 5, 5, 6)
    _answer_people(current, "lived_experience", 5, 3, 7)
    _answer_people(current, "carer", 2, 2, 7)
    # Results appear once a round has closed (coproduction.rules.results_published).
    current.closed_at = timezone.now()
    current.save(update_fields=["closed_at"])
    sign_in(page, live_server, "lead@example.org")
    page.goto(f"{live_server.url}/co-production/rounds/{current.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_role("img", name=re.compile("Ladder of co-production"))).to_be_visible()
    expect(page.get_by_text("Carer: fewer than 5 people answered")).to_be_visible()
    expect(page.locator("#by-perspective")).to_contain_text("Not shown: fewer than 5 people")
    expect(page.locator("#summary")).to_contain_text(
        "Staff and leaders place the organisation higher"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("Presence").check()
    page.get_by_label("What will be done").fill("Invite carers to the steering group")
    page.get_by_label("Who owns it").fill("Lived experience lead")
    fill_date(page, "Due date", today + timedelta(days=30))
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("Invite carers to the steering group")).to_be_visible()


def test_every_other_co_production_page_passes_axe(page, phone, live_server, world_live):
    from coproduce.coproduction.models import Action, AssessmentRound
    from tests.coproduction.routes import _consented, make_claim

    today = timezone.localdate()
    earlier = _round(
        world_live,
        kind="baseline",
        opens_on=today - timedelta(days=90),
        closes_on=today - timedelta(days=60),
    )
    action = Action.objects.create(
        round=earlier,
        domain="impact",
        description="Fictional action",
        owner="Ward manager",
        due_on=today,
    )
    current = _round(world_live)
    claim = make_claim(world_live)
    _consented(world_live)
    closed = AssessmentRound.objects.create(
        provider=world_live.provider_a,
        kind="end",
        opens_on=today - timedelta(days=30),
        closes_on=today - timedelta(days=1),
    )
    phone.goto(f"{live_server.url}/take-part/{closed.token}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("This has closed")
    assert_accessible(phone)

    sign_in(page, live_server, "partner@example.org")
    for path in [
        "/co-production/involvement/",
        f"/co-production/involvement/{claim.involvement_id}/",
        f"/co-production/involvement/{claim.involvement_id}/join/",
        f"/co-production/involvement/{claim.involvement_id}/edit/",
        f"/co-production/involvement/{claim.involvement_id}/delete/",
        f"/co-production/wards/{world_live.ward_a1.pk}/profile/",
        f"/co-production/claims/{claim.pk}/expenses/new/",
        f"/co-production/claims/{claim.pk}/withdraw/",
        "/co-production/your-profile/",
        "/co-production/your-profile/ethnicity/",
        "/co-production/your-profile/carer/withdraw/",
        f"/co-production/rounds/{current.pk}/review/{action.pk}/",
        f"/co-production/actions/{action.pk}/edit/",
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    _sign_out(page)
    sign_in(page, live_server, "admin@example.org")
    for path in [
        "/co-production/rounds/new/",
        f"/co-production/rounds/{current.pk}/close/",
        f"/co-production/rounds/{earlier.pk}/results/",
        "/co-production/payments/rates/",
        "/co-production/payments/rates/new/",
        "/co-production/partners/",
        f"/co-production/partners/{claim.partner.partner_profile.pk}/",
        "/home/",
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
