"""Public site journeys in a real browser: reading on a phone, the cookie choice, subscribing,
confirming, changing topics, unsubscribing, asking for one's data, and the editorial pages.
Every page is checked by axe."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def content(transactional_db):
    from coproduce.insights.models import PostStatus, Series
    from tests.insights.factories import (
        AuthorFactory,
        IssueFactory,
        PostFactory,
        QuoteFactory,
        ResourceFactory,
        TopicFactory,
    )

    coproduction = TopicFactory(
        name="Co-production",
        slug="co-production",
        description="Sharing power from design to delivery.",
    )
    carers = TopicFactory(name="Carers", slug="carers")
    series = Series.objects.create(title="Less restriction, more listening")
    jo = AuthorFactory(
        credit_name="Jo (fictional)",
        description="Lived experience partner",
        has_lived_experience=True,
    )
    post = PostFactory(
        title="What co-production meant on one ward",
        slug="what-co-production-meant",
        summary="Six months on a fictional ward, told by the people who did it.",
        body=(
            "When the team first met, the plan was to get feedback on a leaflet.\n\n"
            "## Starting from the first hour\n\n[quote 1]\n\n"
            "A very-long-word-that-should-wrap-on-a-phone-without-scrolling-sideways-at-all."
        ),
        status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
        series=series,
        series_part=1,
        topics=[coproduction, carers],
    )
    post.authors.add(jo)
    QuoteFactory(
        post=post,
        text="Nobody said my name for two days.",
        attribution="Jo, lived experience partner (fictional)",
    )
    PostFactory(
        title="What changed when the ward listened",
        slug="part-two",
        status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
        series=series,
        series_part=2,
        topics=[coproduction],
        speaks_about_lived_experience=False,
    )
    ResourceFactory(title="Planning a co-produced workshop", slug="workshop").topics.add(
        coproduction
    )
    review = PostFactory(title="Carers in the room", status=PostStatus.REVIEW, topics=[carers])
    QuoteFactory(post=review, permission_wording="")
    IssueFactory(subject="Co-production in practice (fictional)", topics=[coproduction])
    return {"post": post, "review": review}


def cookie_names(page):
    return sorted(c["name"] for c in page.context.cookies())


def test_reading_a_post_on_a_phone(phone, live_server, content):
    phone.goto(live_server.url + "/insights/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Insights")
    assert_accessible(phone)
    phone.get_by_role("link", name="What co-production meant on one ward").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "What co-production meant on one ward"
    )
    expect(phone).to_have_title(re.compile(r"^What co-production meant on one ward – "))
    expect(phone.get_by_text("Nobody said my name for two days.")).to_be_visible()
    expect(
        phone.get_by_role("link", name="Part II: What changed when the ward listened")
    ).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)
    phone.get_by_role("link", name="Carers", exact=True).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Carers")
    assert_accessible(phone)
    for path in ["/topics/", "/resources/", "/resources/workshop/", "/privacy/"]:
        phone.goto(live_server.url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert_accessible(phone)
    assert cookie_names(phone) == [], "reading the site set cookies"


def test_rejecting_analytics_is_as_easy_as_accepting_and_nothing_is_counted(
    page, live_server, content
):
    counts = []
    page.on("request", lambda r: counts.append(r.url) if "/privacy/count/" in r.url else None)
    page.goto(live_server.url + "/insights/what-co-production-meant/")
    banner = page.get_by_role("region", name=re.compile("Cookies on"))
    accept = banner.get_by_role("button", name="Accept analytics cookies")
    reject = banner.get_by_role("button", name="Reject analytics cookies")
    expect(accept).to_be_visible()
    expect(reject).to_be_visible()
    assert accept.get_attribute("class") == reject.get_attribute("class")  # equally prominent
    assert abs(accept.bounding_box()["height"] - reject.bounding_box()["height"]) < 1
    assert_accessible(page)
    # By keyboard: the banner comes first on the page.
    page.keyboard.press("Tab")
    reject.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have rejected analytics cookies")).to_be_visible()
    assert_accessible(page)
    assert cookie_names(page) == ["coproduce_analytics"]
    page.goto(live_server.url + "/insights/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("button", name="Accept analytics cookies")).to_have_count(0)
    assert counts == [], "a page view was counted after rejecting"

    # Change of mind on the cookies page: now, and only now, pages are counted.
    page.goto(live_server.url + "/privacy/")
    page.get_by_role("button", name="Accept analytics cookies").click()
    expect(page.get_by_text("Your cookie settings have been saved")).to_be_visible()
    assert_accessible(page)
    with page.expect_request(re.compile(r"/privacy/count/$")):
        page.goto(live_server.url + "/insights/what-co-production-meant/")
    from coproduce.insights.models import PageViewCount

    page.wait_for_load_state("networkidle")
    assert PageViewCount.objects.filter(path="/insights/what-co-production-meant/").exists()


def _link(prefix):
    message = mail.outbox[-1]
    return next(u for u in re.findall(r"https?://\S+", message.body) if prefix in u)


def test_subscribe_confirm_change_topics_unsubscribe_and_delete(phone, live_server, content):
    mail.outbox.clear()
    phone.goto(live_server.url + "/newsletter/")
    assert_accessible(phone)
    phone.get_by_role("button", name="Subscribe").click()
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text("Enter your e-mail address")
    expect(phone).to_have_title(re.compile(r"^Error:"))
    assert_accessible(phone)
    phone.get_by_label("E-mail address").fill("reader@example.org")
    phone.get_by_label("Co-production").check()
    phone.get_by_label("Carers").check()
    phone.get_by_label("I agree").check()
    phone.get_by_role("button", name="Subscribe").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible(phone)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["reader@example.org"]

    phone.goto(_link("/newsletter/confirm/"))
    assert_accessible(phone)
    phone.get_by_role("button", name="Confirm my subscription").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    assert_accessible(phone)

    phone.goto(_link("/newsletter/interests/"))
    expect(phone.get_by_label("Carers")).to_be_checked()
    phone.get_by_label("Carers").uncheck()
    phone.get_by_role("button", name="Save my topics").click()
    expect(phone.get_by_text("Your topics have been saved")).to_be_visible()
    assert_accessible(phone)

    phone.goto(_link("/newsletter/unsubscribe/"))
    assert_accessible(phone)
    phone.get_by_role("button", name="Unsubscribe").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert_accessible(phone)

    from coproduce.insights.models import Subscriber

    Subscriber.objects.update(last_emailed_at=None)  # past the 10-minute throttle
    phone.goto(live_server.url + "/newsletter/your-data/")
    assert_accessible(phone)
    phone.get_by_label("E-mail address").fill("reader@example.org")
    phone.get_by_role("button", name="Send me the link").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible(phone)
    phone.goto(_link("/newsletter/your-data/"))
    expect(phone.get_by_text("reader@example.org")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Delete my data").click()
    assert_accessible(phone)
    phone.get_by_role("button", name="Delete my data").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your data has been deleted")
    assert_accessible(phone)
    assert not Subscriber.objects.exists()


def test_editorial_pages_pass_axe(page, live_server, world_live, content):
    from coproduce.insights.models import NewsletterIssue, Resource

    post, review = content["post"], content["review"]
    issue = NewsletterIssue.objects.get()
    resource = Resource.objects.get()
    sign_in(page, live_server, "admin@example.org")
    paths = [
        "/editorial/",
        "/editorial/posts/new/",
        f"/editorial/posts/{post.pk}/",
        f"/editorial/posts/{review.pk}/",
        f"/editorial/posts/{review.pk}/publish/",
        f"/editorial/posts/{review.pk}/review/",
        f"/editorial/posts/{review.pk}/edit/",
        f"/editorial/posts/{review.pk}/quotes/new/",
        f"/editorial/quotes/{review.quotes.get().pk}/edit/",
        f"/editorial/quotes/{review.quotes.get().pk}/delete/",
        f"/editorial/posts/{review.pk}/delete/",
        "/editorial/topics/",
        "/editorial/authors/",
        "/editorial/series/",
        "/editorial/resources/",
        "/editorial/resources/new/",
        f"/editorial/resources/{resource.pk}/edit/",
        f"/editorial/resources/{resource.pk}/delete/",
        "/editorial/newsletter/",
        "/editorial/newsletter/new/",
        f"/editorial/newsletter/{issue.pk}/",
        f"/editorial/newsletter/{issue.pk}/edit/",
        f"/editorial/newsletter/{issue.pk}/send/",
        "/home/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.goto(f"{live_server.url}/editorial/topics/")
    page.get_by_role("button", name="Add the topic").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the topic's name")
    assert_accessible(page)
    page.goto(f"{live_server.url}/editorial/topics/{post.topics.first().pk}/edit/")
    assert_accessible(page)


def test_a_partner_approves_a_post_by_keyboard(page, live_server, world_live, content):
    review = content["review"]
    review.quotes.update(permission_wording="I agree to be quoted.")
    sign_in(page, live_server, "partner@example.org")
    page.goto(live_server.url + "/editorial/")
    assert_accessible(page)
    page.get_by_role("link", name="Carers in the room").click()
    page.get_by_role("link", name="Review this post").click()
    page.get_by_label("Approved").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Record my review").click()
    expect(page.get_by_text("your review has been recorded")).to_be_visible()
    expect(page.get_by_text(re.compile("Approved by Partner Fictional on"))).to_be_visible()
    assert_accessible(page)
