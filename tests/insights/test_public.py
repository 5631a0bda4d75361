"""Public pages: insights, topics, feeds, privacy and the cookie choice. No account, no cookies."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from coproduce.insights import analytics
from coproduce.insights.models import PageViewCount, PostStatus, Series

from .factories import PostFactory, QuoteFactory, ResourceFactory, TopicFactory, published_post

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(db):
    topic = TopicFactory(name="Restrictive practice", slug="restrictive-practice")
    series = Series.objects.create(title="Less restriction")
    one = published_post(
        title="Counting the moments",
        series=series,
        series_part=1,
        topics=[topic],
        body="Body of part one & more <script>x</script>",
    )
    two = published_post(title="Listening first", series=series, series_part=2, topics=[topic])
    draft = PostFactory(title="A secret draft", status=PostStatus.DRAFT)
    review = PostFactory(title="A post in review", status=PostStatus.REVIEW)
    return {"topic": topic, "one": one, "two": two, "draft": draft, "review": review}


def test_the_list_shows_only_published_posts_with_filters_and_search(client, site):
    html = client.get(reverse("insights:post-list")).content.decode()
    assert "Counting the moments" in html and "Listening first" in html
    assert "A secret draft" not in html and "A post in review" not in html
    other = published_post(title="About carers", topics=[TopicFactory(name="Carers")])
    filtered = client.get(reverse("insights:post-list") + "?topic=restrictive-practice")
    assert other.title not in filtered.content.decode()
    assert "Insights about restrictive practice" in filtered.content.decode()
    searched = client.get(reverse("insights:post-list") + "?q=carers").content.decode()
    assert other.title in searched and "Counting the moments" not in searched
    assert (
        "No insights match"
        in client.get(reverse("insights:post-list") + "?q=zzzz").content.decode()
    )


def test_a_post_page_has_title_description_series_and_quotes(client, site):
    QuoteFactory(post=site["one"], text="They listened.", position=1)
    QuoteFactory(post=site["one"], text="Never agreed to this", position=2, permission_given_by="")
    html = client.get(site["one"].get_absolute_url()).content.decode()
    assert "<title>Counting the moments – Coproduce</title>" in html
    assert f'<meta name="description" content="{site["one"].summary}">' in html
    assert "Part I" in html and "Part II: Listening first" in html
    assert "They listened." in html and "Never agreed to this" not in html
    assert "<script>x</script>" not in html
    assert 'type="application/rss+xml"' in html


def test_drafts_and_posts_in_review_are_not_public(client, site):
    assert client.get(site["draft"].get_absolute_url()).status_code == 404
    assert client.get(site["review"].get_absolute_url()).status_code == 404


def test_topic_pages_list_posts_and_resources(client, site):
    ResourceFactory(title="Restraint reduction guide").topics.add(site["topic"])
    html = client.get(site["topic"].get_absolute_url()).content.decode()
    assert "Counting the moments" in html and "Restraint reduction guide" in html
    listing = client.get(reverse("insights:topic-list")).content.decode()
    assert "2 insights, 1 resource" in listing


@pytest.mark.parametrize("name", ["insights:feed-rss", "insights:feed-atom"])
def test_feeds_are_valid_xml_with_only_published_posts(client, site, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output; raises if malformed
    if name.endswith("rss"):
        assert root.tag == "rss"
        titles = [e.text for e in root.iter("title")]
        links = [e.text for e in root.iter("link")]
    else:
        assert root.tag == f"{ATOM}feed"
        titles = [e.text for e in root.iter(f"{ATOM}title")]
        links = [e.get("href") for e in root.iter(f"{ATOM}link")]
    assert "Counting the moments (Part I)" in titles
    assert "A secret draft" not in titles and "A post in review" not in titles
    assert any(link and link.endswith(site["one"].get_absolute_url()) for link in links)


PUBLIC_PAGES = [
    "insights:post-list",
    "insights:topic-list",
    "insights:resource-list",
    "insights:newsletter",
    "insights:privacy",
    "insights:data-request",
    "insights:check-email",
    "insights:feed-rss",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_browsing_sets_no_cookies(client, site, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert not response.cookies, f"{name} set {list(response.cookies)}"


def test_a_post_page_sets_no_cookies_and_loads_no_analytics(client, site):
    response = client.get(site["one"].get_absolute_url())
    assert not response.cookies
    html = response.content.decode()
    assert "Accept analytics cookies" in html and "Reject analytics cookies" in html
    assert "analytics.js" not in html


def test_rejecting_is_as_easy_as_accepting_and_is_remembered(client, site):
    page = site["one"].get_absolute_url()
    response = client.post(reverse("insights:cookie-choice"), {"analytics": "reject", "next": page})
    assert response.status_code == 302 and response["Location"] == page + "?cookies=saved"
    cookie = response.cookies[analytics.COOKIE_NAME]
    assert cookie.value == "no" and cookie["samesite"] == "Lax" and cookie["httponly"]
    html = client.get(page + "?cookies=saved").content.decode()
    assert "You have rejected analytics cookies" in html
    assert "Accept analytics cookies" not in html  # the banner has gone
    assert "analytics.js" not in html
    # A count request is ignored without consent.
    client.post(reverse("insights:count"), {"path": page})
    assert not PageViewCount.objects.exists()


def test_accepting_loads_the_first_party_script_and_counts_in_aggregate(client, site):
    page = site["one"].get_absolute_url()
    client.post(reverse("insights:cookie-choice"), {"analytics": "accept", "next": page})
    html = client.get(page).content.decode()
    assert 'src="/static/insights/analytics.js"' in html
    for _ in range(3):
        assert client.post(reverse("insights:count"), {"path": page}).status_code == 204
    row = PageViewCount.objects.get()
    assert (row.path, row.count) == (page, 3)
    client.post(reverse("insights:count"), {"path": "https://evil.example/x"})
    client.post(reverse("insights:count"), {"path": "/no/such/page/"})
    assert PageViewCount.objects.count() == 1
    # The choice can be changed at any time on the cookies page.
    client.post(reverse("insights:cookie-choice"), {"analytics": "reject", "next": "/privacy/"})
    assert "You have rejected analytics cookies." in client.get("/privacy/").content.decode()


def test_the_cookie_choice_never_redirects_to_another_site(client, db):
    response = client.post(
        reverse("insights:cookie-choice"), {"analytics": "accept", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("insights:privacy") + "?cookies=saved"


def test_list_pages_do_not_run_a_query_per_row(client, site, django_assert_max_num_queries):
    topic = site["topic"]
    for n in range(12):
        published_post(title=f"Extra {n}", topics=[topic, TopicFactory()])
        ResourceFactory(title=f"Resource {n}").topics.add(topic)
    # Two of each count are the request's savepoint and its release.
    with django_assert_max_num_queries(7):
        client.get(reverse("insights:post-list"))
    with django_assert_max_num_queries(5):
        client.get(reverse("insights:resource-list"))
    with django_assert_max_num_queries(3):
        client.get(reverse("insights:topic-list"))
    with django_assert_max_num_queries(8):
        client.get(topic.get_absolute_url())
    with django_assert_max_num_queries(5):
        client.get(reverse("insights:feed-rss"))
