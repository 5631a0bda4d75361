"""RSS and Atom feeds of published insights (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Post

FEED_SIZE = 20


class InsightsRSSFeed(Feed):
    title = "Coproduce insights"
    description = (
        "Learning from a co-produced Mental Health Act improvement programme, written with "
        "lived experience partners. Fictional demonstration content."
    )

    def link(self):
        return reverse("insights:post-list")

    def items(self):
        return Post.objects.published().for_list()[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title} ({item.part_label})" if item.part_label else item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.credit_line

    def item_categories(self, item):
        return [t.name for t in item.topics.all()]


class InsightsAtomFeed(InsightsRSSFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description
