"""Authorisation matrix entries for the public site and its editorial pages (see tests/authz.py).

Public pages answer everyone. Editorial pages are for editors (programme admins) and, for
writing and reviewing, lived experience partners.
"""

from coproduce.insights import tokens
from coproduce.insights.models import PostStatus, SubscriberStatus

from ..authz import ADMIN_ONLY, PUBLIC, expect
from .factories import (
    AuthorFactory,
    IssueFactory,
    PostFactory,
    QuoteFactory,
    ResourceFactory,
    SubscriberFactory,
    TopicFactory,
    published_post,
)

EDITORIAL = expect(403, anonymous="login", admin=200, partner=200)
POST_ONLY = expect(405, anonymous="login")
NOT_FOUND = expect(404)


def _published(w):
    return {"slug": published_post(topics=[TopicFactory()]).slug}


def _topic(w):
    return {"slug": TopicFactory().slug}


def _resource(w):
    return {"slug": ResourceFactory().slug}


def _partner_draft(w):
    """A draft the world's partner co-authors."""
    post = PostFactory(status=PostStatus.DRAFT)
    post.authors.add(AuthorFactory(user=w.users["partner"], has_lived_experience=True))
    return post


def _draft_pk(w):
    return {"pk": _partner_draft(w).pk}


def _review_pk(w):
    return {"pk": PostFactory(status=PostStatus.REVIEW).pk}


def _quote_pk(w):
    return {"pk": QuoteFactory(post=_partner_draft(w)).pk}


def _token(purpose, status=SubscriberStatus.CONFIRMED):
    def build(w):
        return {"token": tokens.make(SubscriberFactory(status=status), purpose)}

    return build


ROUTES = {
    "insights:post-list": (None, PUBLIC),
    "insights:feed-rss": (None, PUBLIC),
    "insights:feed-atom": (None, PUBLIC),
    "insights:post-detail": (_published, PUBLIC),
    "insights:topic-list": (None, PUBLIC),
    "insights:topic-detail": (_topic, PUBLIC),
    "insights:resource-list": (None, PUBLIC),
    "insights:resource-detail": (_resource, PUBLIC),
    # A link resource has no file to download; downloads are tested in test_resources.py.
    "insights:resource-download": (_resource, NOT_FOUND),
    "insights:newsletter": (None, PUBLIC),
    "insights:check-email": (None, PUBLIC),
    "insights:confirm": (_token("confirm", SubscriberStatus.PENDING), PUBLIC),
    "insights:unsubscribe": (_token("unsubscribe"), PUBLIC),
    "insights:interests": (_token("interests"), PUBLIC),
    "insights:data-request": (None, PUBLIC),
    "insights:your-data": (_token("data"), PUBLIC),
    "insights:your-data-download": (_token("data"), PUBLIC),
    "insights:your-data-delete": (_token("data"), PUBLIC),
    "insights:privacy": (None, PUBLIC),
    "insights:cookie-choice": (None, expect(405)),
    "insights:count": (None, expect(405)),
    "insights:editorial": (None, EDITORIAL),
    "insights:editorial-post-create": (None, EDITORIAL),
    "insights:editorial-post": (_draft_pk, EDITORIAL),
    "insights:editorial-post-edit": (_draft_pk, EDITORIAL),
    "insights:editorial-post-submit": (_draft_pk, POST_ONLY),
    "insights:editorial-post-review": (_review_pk, EDITORIAL),
    "insights:editorial-post-publish": (_review_pk, ADMIN_ONLY),
    "insights:editorial-post-unpublish": (_review_pk, POST_ONLY),
    "insights:editorial-post-delete": (_draft_pk, ADMIN_ONLY),
    "insights:editorial-quote-create": (_draft_pk, EDITORIAL),
    "insights:editorial-quote-edit": (_quote_pk, EDITORIAL),
    "insights:editorial-quote-delete": (_quote_pk, EDITORIAL),
    "insights:editorial-topics": (None, ADMIN_ONLY),
    "insights:editorial-topic-edit": (lambda w: {"pk": TopicFactory().pk}, ADMIN_ONLY),
    "insights:editorial-authors": (None, ADMIN_ONLY),
    "insights:editorial-author-edit": (lambda w: {"pk": AuthorFactory().pk}, ADMIN_ONLY),
    "insights:editorial-series": (None, ADMIN_ONLY),
    "insights:editorial-resources": (None, ADMIN_ONLY),
    "insights:editorial-resource-create": (None, ADMIN_ONLY),
    "insights:editorial-resource-edit": (lambda w: {"pk": ResourceFactory().pk}, ADMIN_ONLY),
    "insights:editorial-resource-delete": (lambda w: {"pk": ResourceFactory().pk}, ADMIN_ONLY),
    "insights:editorial-issues": (None, ADMIN_ONLY),
    "insights:editorial-issue-create": (None, ADMIN_ONLY),
    "insights:editorial-issue": (lambda w: {"pk": IssueFactory().pk}, ADMIN_ONLY),
    "insights:editorial-issue-edit": (lambda w: {"pk": IssueFactory().pk}, ADMIN_ONLY),
    "insights:editorial-issue-send": (lambda w: {"pk": IssueFactory().pk}, ADMIN_ONLY),
}
