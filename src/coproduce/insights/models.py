"""The public site: insights (posts), resources, topics, the newsletter and page counts.

Insights are co-authored by programme staff and lived experience partners. A post moves
draft → review → published; the rules live in :mod:`coproduce.insights.services`.
Newsletter subscribers carry no name, only an e-mail address, their topics and the
consent they gave; nothing here records who browsed what.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify


def unique_slug(model, text: str, instance_pk=None, max_length: int = 80) -> str:
    """A slug for ``text`` that no other row of ``model`` uses."""
    base = (slugify(text) or "item")[: max_length - 6].strip("-") or "item"
    slug, n = base, 2
    qs = model.objects.all()
    if instance_pk:
        qs = qs.exclude(pk=instance_pk)
    while qs.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="One or two sentences, in plain words.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Topic, self.name, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("insights:topic-detail", args=[self.slug])


class Author(models.Model):
    """How a person is credited on posts: their own choice of name and description."""

    credit_name = models.CharField(
        "credited as",
        max_length=120,
        help_text="The name the person chose to be credited by: full name, first name or a role.",
    )
    description = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example, lived experience partner or ward manager.",
    )
    has_lived_experience = models.BooleanField(
        "lived experience partner",
        default=False,
        help_text="Credited as someone writing from lived experience.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insights_author",
        help_text="Their account, if they co-author here.",
    )
    is_fictional = models.BooleanField(default=False)

    class Meta:
        ordering = ["credit_name"]

    def __str__(self):
        return self.credit_name


class Series(models.Model):
    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Series, self.title, self.pk)
        super().save(*args, **kwargs)


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "Waiting for review"
    PUBLISHED = "published", "Published"


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PostStatus.PUBLISHED, published_at__isnull=False)

    def for_list(self):
        return self.select_related("series").prefetch_related("topics", "authors")


class Post(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences. Shown in lists, feeds and search results."
    )
    body = models.TextField(help_text="Markdown. Headings, lists, links, emphasis and quotes work.")
    topics = models.ManyToManyField(Topic, related_name="posts", blank=True)
    authors = models.ManyToManyField(Author, related_name="posts", blank=True)
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    series_part = models.PositiveSmallIntegerField("part in the series", null=True, blank=True)
    speaks_about_lived_experience = models.BooleanField(
        default=True,
        help_text="A lived experience partner must approve these posts before they are published.",
    )
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    lived_experience_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lived_experience_approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_fictional = models.BooleanField(default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("insights:post-detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED

    @property
    def part_label(self) -> str:
        return f"Part {roman(self.series_part)}" if self.series_id and self.series_part else ""

    @property
    def credit_line(self) -> str:
        names = [a.credit_name for a in self.authors.all()]
        if len(names) > 1:
            return ", ".join(names[:-1]) + " and " + names[-1]
        return names[0] if names else "The programme team"


class Quote(models.Model):
    """Words from a named (or anonymous, as they chose) person, with the permission they gave."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField("the quote")
    attribution = models.CharField(
        "credited as",
        max_length=150,
        help_text=(
            "As the person chose: full name, first name, a role, or 'a lived experience partner'."
        ),
    )
    permission_given_by = models.CharField(
        "permission given by",
        max_length=150,
        blank=True,
        help_text="The person who agreed to be quoted (or who can agree for them).",
    )
    permission_given_on = models.DateField("date permission was given", null=True, blank=True)
    permission_wording = models.TextField(
        "what they agreed to",
        blank=True,
        help_text="The wording of the permission as it was put to them.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"Quote from {self.attribution}"

    @property
    def has_permission(self) -> bool:
        return bool(
            self.permission_given_by.strip()
            and self.permission_given_on
            and self.permission_wording.strip()
        )


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES = "changes", "Changes asked for"


class Review(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    as_lived_experience_partner = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_decision_display()} by {self.reviewer}"


class ResourceFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    WORD = "docx", "Word document"
    POWERPOINT = "pptx", "PowerPoint"
    IMAGE = "image", "Image"
    WEB = "web", "Web page"
    VIDEO = "video", "Video"


def resource_upload_to(instance, filename: str) -> str:
    return f"insights/resources/{uuid.uuid4().hex}/{filename}"


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Resource(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(help_text="What it is and who it is for, in plain words.")
    topics = models.ManyToManyField(Topic, related_name="resources", blank=True)
    format = models.CharField(max_length=10, choices=ResourceFormat.choices)
    easy_read = models.BooleanField("easy read", default=False)
    file = models.FileField(upload_to=resource_upload_to, blank=True, max_length=300)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    link = models.URLField(max_length=500, blank=True)
    is_published = models.BooleanField("show on the public site", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_fictional = models.BooleanField(default=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("insights:resource-detail", args=[self.slug])

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def size_label(self) -> str:
        if not self.file_size:
            return ""
        if self.file_size < 1024 * 1024:
            return f"{max(1, round(self.file_size / 1024))} KB"
        return f"{self.file_size / (1024 * 1024):.1f} MB"


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class Subscriber(models.Model):
    """A newsletter subscriber: an address, their topics and their consent. Nothing else."""

    email = models.EmailField(unique=True)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    topics = models.ManyToManyField(Topic, related_name="subscribers", blank=True)
    status = models.CharField(
        max_length=12, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_emailed_at = models.DateTimeField(null=True, blank=True)
    pending_consent_version = models.CharField(max_length=20, blank=True)
    is_fictional = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        # Never the address: this text goes into the audit log.
        return f"Newsletter subscriber {self.pk}"


class ConsentAction(models.TextChoices):
    GIVEN = "given", "Consent given"
    CHANGED = "changed", "Interests changed"
    WITHDRAWN = "withdrawn", "Consent withdrawn"


class ConsentRecord(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=10, choices=ConsentAction.choices)
    wording = models.TextField(blank=True, help_text="Exactly what the person was shown.")
    version = models.CharField(max_length=20, blank=True)
    topics = models.TextField(blank=True, help_text="The topics at the time, by name.")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.version or 'no version'})"


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class NewsletterIssue(models.Model):
    subject = models.CharField(max_length=150)
    introduction = models.TextField(help_text="Markdown. The opening words of the e-mail.")
    topics = models.ManyToManyField(
        Topic,
        related_name="newsletter_issues",
        help_text="Confirmed subscribers to any of these topics receive it.",
    )
    posts = models.ManyToManyField(Post, related_name="newsletter_issues", blank=True)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class DeliveryStatus(models.TextChoices):
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    issue = models.ForeignKey(NewsletterIssue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    error = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_per_issue")
        ]

    def __str__(self):
        return f"{self.get_status_display()}: {self.issue}"


class PageViewCount(models.Model):
    """Aggregate page views, counted only for people who accepted analytics cookies."""

    path = models.CharField(max_length=200)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "path"]
        constraints = [
            models.UniqueConstraint(fields=["path", "day"], name="one_count_per_path_day")
        ]

    def __str__(self):
        return f"{self.path} on {self.day}: {self.count}"
