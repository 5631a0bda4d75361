"""Test data for the public site. All fictional."""

import factory
from django.utils import timezone

from coproduce.insights.models import (
    Author,
    NewsletterIssue,
    Post,
    PostStatus,
    Quote,
    Resource,
    ResourceFormat,
    Subscriber,
    SubscriberStatus,
    Topic,
)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    credit_name = factory.Sequence(lambda n: f"Author {n}")
    is_fictional = True


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"A fictional insight {n}")
    slug = factory.Sequence(lambda n: f"a-fictional-insight-{n}")
    summary = "What one fictional ward learned."
    body = "Some *words* about co-production.\n\n[quote 1]\n\nThe end."
    status = PostStatus.DRAFT
    speaks_about_lived_experience = True
    is_fictional = True

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)


def published_post(**kwargs):
    kwargs.setdefault("status", PostStatus.PUBLISHED)
    kwargs.setdefault("published_at", timezone.now())
    kwargs.setdefault("speaks_about_lived_experience", False)
    return PostFactory(**kwargs)


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    post = factory.SubFactory(PostFactory)
    text = "They asked me, and then they listened."
    attribution = "A lived experience partner (fictional)"
    permission_given_by = "Jo (fictional)"
    permission_given_on = factory.LazyFunction(lambda: timezone.localdate())
    permission_wording = "I agree to be quoted on the programme's public site."
    position = 1


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Fictional guide {n}")
    slug = factory.Sequence(lambda n: f"fictional-guide-{n}")
    description = "A made-up guide for tests."
    format = ResourceFormat.WEB
    link = "https://example.org/guide"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = SubscriberStatus.CONFIRMED
    is_fictional = True

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterIssue
        skip_postgeneration_save = True

    subject = "Fictional newsletter"
    introduction = "Hello from the *fictional* programme."

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)
