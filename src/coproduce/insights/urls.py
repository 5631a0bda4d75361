from django.urls import path

from . import editorial, views
from .feeds import InsightsAtomFeed, InsightsRSSFeed

app_name = "insights"
urlpatterns = [
    # Public pages: no account needed, no cookies set.
    path("insights/", views.post_list, name="post-list"),
    path("insights/feed/rss/", InsightsRSSFeed(), name="feed-rss"),
    path("insights/feed/atom/", InsightsAtomFeed(), name="feed-atom"),
    path("insights/<slug:slug>/", views.post_detail, name="post-detail"),
    path("topics/", views.topic_list, name="topic-list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("resources/", views.resource_list, name="resource-list"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource-detail"),
    path("resources/<slug:slug>/download/", views.resource_download, name="resource-download"),
    path("newsletter/", views.newsletter_signup, name="newsletter"),
    path("newsletter/check-your-email/", views.check_email, name="check-email"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/interests/<str:token>/", views.interests, name="interests"),
    path("newsletter/your-data/", views.data_request, name="data-request"),
    path("newsletter/your-data/<str:token>/", views.your_data, name="your-data"),
    path(
        "newsletter/your-data/<str:token>/download/",
        views.your_data_download,
        name="your-data-download",
    ),
    path(
        "newsletter/your-data/<str:token>/delete/", views.your_data_delete, name="your-data-delete"
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/cookies/", views.cookie_choice, name="cookie-choice"),
    path("privacy/count/", views.count_view, name="count"),
    # Editorial pages: editors (programme admins) and lived experience partners.
    path("editorial/", editorial.dashboard, name="editorial"),
    path("editorial/posts/new/", editorial.post_create, name="editorial-post-create"),
    path("editorial/posts/<int:pk>/", editorial.post_detail, name="editorial-post"),
    path("editorial/posts/<int:pk>/edit/", editorial.post_edit, name="editorial-post-edit"),
    path("editorial/posts/<int:pk>/submit/", editorial.post_submit, name="editorial-post-submit"),
    path("editorial/posts/<int:pk>/review/", editorial.post_review, name="editorial-post-review"),
    path(
        "editorial/posts/<int:pk>/publish/", editorial.post_publish, name="editorial-post-publish"
    ),
    path(
        "editorial/posts/<int:pk>/unpublish/",
        editorial.post_unpublish,
        name="editorial-post-unpublish",
    ),
    path("editorial/posts/<int:pk>/delete/", editorial.post_delete, name="editorial-post-delete"),
    path(
        "editorial/posts/<int:pk>/quotes/new/",
        editorial.quote_create,
        name="editorial-quote-create",
    ),
    path("editorial/quotes/<int:pk>/edit/", editorial.quote_edit, name="editorial-quote-edit"),
    path(
        "editorial/quotes/<int:pk>/delete/", editorial.quote_delete, name="editorial-quote-delete"
    ),
    path("editorial/topics/", editorial.topics, name="editorial-topics"),
    path("editorial/topics/<int:pk>/edit/", editorial.topic_edit, name="editorial-topic-edit"),
    path("editorial/authors/", editorial.authors, name="editorial-authors"),
    path("editorial/authors/<int:pk>/edit/", editorial.author_edit, name="editorial-author-edit"),
    path("editorial/series/", editorial.series_list, name="editorial-series"),
    path("editorial/resources/", editorial.resources, name="editorial-resources"),
    path("editorial/resources/new/", editorial.resource_create, name="editorial-resource-create"),
    path(
        "editorial/resources/<int:pk>/edit/",
        editorial.resource_edit,
        name="editorial-resource-edit",
    ),
    path(
        "editorial/resources/<int:pk>/delete/",
        editorial.resource_delete,
        name="editorial-resource-delete",
    ),
    path("editorial/newsletter/", editorial.issues, name="editorial-issues"),
    path("editorial/newsletter/new/", editorial.issue_create, name="editorial-issue-create"),
    path("editorial/newsletter/<int:pk>/", editorial.issue_detail, name="editorial-issue"),
    path("editorial/newsletter/<int:pk>/edit/", editorial.issue_edit, name="editorial-issue-edit"),
    path("editorial/newsletter/<int:pk>/send/", editorial.issue_send, name="editorial-issue-send"),
]
