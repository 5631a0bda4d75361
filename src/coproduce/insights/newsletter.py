"""The newsletter: sign-up with double opt-in, consent records, interests, unsubscribing,
data requests and deletion, and sending an issue in batches.

Rules kept here:

- the answer to anyone typing an address is always the same, so nobody learns whether an
  address is subscribed;
- nothing the public can trigger sends a second e-mail to one address within
  ``THROTTLE`` (no mail-bombing a stranger);
- every e-mail to a subscriber carries an unsubscribe link and a link to change
  interests, and the List-Unsubscribe headers for one-click unsubscribing in mail apps;
- an issue goes to confirmed subscribers of its topics, in batches, each delivery
  recorded (sent, or failed with the reason); nobody gets the same issue twice.
"""

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coproduce.core import audit

from . import consent, tokens
from .models import (
    ConsentAction,
    ConsentRecord,
    Delivery,
    DeliveryStatus,
    IssueStatus,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
)
from .rendering import render_markdown

logger = logging.getLogger(__name__)

THROTTLE = timedelta(minutes=10)
BATCH_SIZE = 200
DEFAULT_SITE_URL = "http://localhost:8000"


def site_url(request=None) -> str:
    """The address links in e-mails start with."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return getattr(settings, "COPRODUCE_SITE_URL", DEFAULT_SITE_URL).rstrip("/")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _link(base: str, name: str, token: str) -> str:
    return base + reverse(name, args=[token])


def subscriber_links(subscriber, base: str) -> dict:
    return {
        "unsubscribe": _link(base, "insights:unsubscribe", tokens.make(subscriber, "unsubscribe")),
        "interests": _link(base, "insights:interests", tokens.make(subscriber, "interests")),
    }


def build_message(subscriber, subject, template, context, base, html_template=None):
    """An e-mail to one subscriber with the unsubscribe and interests links and headers."""
    links = subscriber_links(subscriber, base)
    context = context | {"links": links, "service_name": settings.COPRODUCE_SERVICE_NAME}
    body = render_to_string(template, context)
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{links['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if html_template:
        message.attach_alternative(render_to_string(html_template, context), "text/html")
    return message


def _may_email(subscriber, now) -> bool:
    return subscriber.last_emailed_at is None or now - subscriber.last_emailed_at >= THROTTLE


def _send_now(subscriber, message, now) -> bool:
    """Send a message the public asked for, unless this address had one very recently."""
    if not _may_email(subscriber, now):
        return False
    subscriber.last_emailed_at = now
    subscriber.save(update_fields=["last_emailed_at"])
    try:
        message.send()
    except Exception:  # noqa: BLE001 - the person sees the same answer; we log it
        logger.exception("A newsletter e-mail could not be sent")
        return False
    return True


@transaction.atomic
def sign_up(email: str, topics, consent_version: str, base: str) -> None:
    """Start a subscription (or remind a subscriber). Says nothing about what it found."""
    email = normalise_email(email)
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=email)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        message = build_message(
            subscriber, "You already get this newsletter", "insights/email/already.txt", {}, base
        )
        _send_now(subscriber, message, now)
        return
    # A new or lapsed sign-up: the chosen topics wait for confirmation.
    subscriber.status = SubscriberStatus.PENDING
    subscriber.pending_consent_version = consent_version
    subscriber.save()
    subscriber.topics.set(topics)
    confirm = _link(base, "insights:confirm", tokens.make(subscriber, "confirm"))
    message = build_message(
        subscriber,
        "Confirm your newsletter subscription",
        "insights/email/confirm.txt",
        {
            "confirm_link": confirm,
            "topics": list(topics),
            "hours": tokens.LIFETIMES["confirm"] // 3600,
        },
        base,
    )
    _send_now(subscriber, message, now)


def _topic_names(subscriber) -> str:
    return ", ".join(t.name for t in subscriber.topics.all())


@transaction.atomic
def confirm(subscriber) -> bool:
    """Follow the e-mailed link: the subscription starts and the consent is recorded."""
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return False
    now = timezone.now()
    version = subscriber.pending_consent_version or consent.CURRENT_VERSION
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = now
    subscriber.unsubscribed_at = None
    subscriber.save()
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=ConsentAction.GIVEN,
        wording=consent.wording(version),
        version=version,
        topics=_topic_names(subscriber),
        at=now,
    )
    return True


@transaction.atomic
def change_interests(subscriber, topics) -> None:
    subscriber.topics.set(topics)
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=ConsentAction.CHANGED,
        version=consent.CURRENT_VERSION,
        wording="",
        topics=_topic_names(subscriber),
        at=timezone.now(),
    )


@transaction.atomic
def unsubscribe(subscriber) -> None:
    """Stop all e-mails. Idempotent: unsubscribing twice changes nothing more."""
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return
    now = timezone.now()
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.unsubscribed_at = now
    subscriber.save()
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=ConsentAction.WITHDRAWN,
        topics=_topic_names(subscriber),
        at=now,
    )


@transaction.atomic
def request_data(email: str, base: str) -> None:
    """E-mail a link to see, download or delete one's data. Silent if there is no such address."""
    subscriber = Subscriber.objects.select_for_update().filter(email=normalise_email(email)).first()
    if subscriber is None:
        return
    link = _link(base, "insights:your-data", tokens.make(subscriber, "data"))
    message = build_message(
        subscriber,
        "Your newsletter data",
        "insights/email/data.txt",
        {"data_link": link, "hours": tokens.LIFETIMES["data"] // 3600},
        base,
    )
    _send_now(subscriber, message, timezone.now())


def export_data(subscriber) -> dict:
    """Everything held about this subscriber, as plain data."""

    def when(value):
        return timezone.localtime(value).isoformat() if value else None

    deliveries = subscriber.deliveries.select_related("issue").order_by("at")
    return {
        "email": subscriber.email,
        "status": subscriber.get_status_display(),
        "signed_up_at": when(subscriber.created_at),
        "confirmed_at": when(subscriber.confirmed_at),
        "unsubscribed_at": when(subscriber.unsubscribed_at),
        "last_emailed_at": when(subscriber.last_emailed_at),
        "topics": [t.name for t in subscriber.topics.all()],
        "consent_records": [
            {
                "action": c.get_action_display(),
                "at": when(c.at),
                "version": c.version,
                "wording": c.wording,
                "topics": c.topics,
            }
            for c in subscriber.consents.all()
        ],
        "newsletters_sent": [
            {
                "subject": d.issue.subject,
                "at": when(d.at),
                "status": d.get_status_display(),
                "error": d.error,
            }
            for d in deliveries
        ],
    }


def export_json(subscriber) -> str:
    return json.dumps(export_data(subscriber), indent=2, ensure_ascii=False)


@transaction.atomic
def delete_subscriber(subscriber) -> None:
    """Delete the subscriber, their consent records and deliveries. The audit log keeps only
    that a subscriber was deleted at their request, never the address."""
    deliveries = subscriber.deliveries.count()
    audit.record(
        "delete",
        subscriber,
        note=f"Deleted at the subscriber's request, with {deliveries} delivery records.",
    )
    subscriber.deliveries.all().delete()
    subscriber.delete()


# Sending an issue ---------------------------------------------------------------------


def recipients(issue):
    """Confirmed subscribers to any of the issue's topics who have not had it yet."""
    return (
        Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED, topics__in=issue.topics.all())
        .exclude(deliveries__issue=issue)
        .distinct()
        .order_by("pk")
    )


def _issue_context(issue) -> dict:
    posts = list(issue.posts.filter(status="published").order_by("-published_at"))
    return {
        "issue": issue,
        "introduction_html": render_markdown(issue.introduction),
        "posts": posts,
        "topics": list(issue.topics.all()),
    }


def send_issue(
    issue: NewsletterIssue, *, user=None, base: str | None = None, batch_size: int = BATCH_SIZE
) -> dict:
    """Send the issue to everyone who should get it and has not yet, batch by batch.

    Each batch is saved on its own, so a crash part-way loses nothing: running again sends
    only to those still waiting. Returns counts of sent and failed deliveries.
    """
    base = base or site_url()
    with transaction.atomic():
        issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status == IssueStatus.DRAFT:
            issue.status = IssueStatus.SENDING
            issue.sent_by = user
            issue.save()
    context = _issue_context(issue)
    for p in context["posts"]:
        p.absolute_url = base + p.get_absolute_url()
    sent = failed = 0
    connection = mail.get_connection()
    while True:
        batch = list(recipients(issue).prefetch_related("topics")[:batch_size])
        if not batch:
            break
        rows = []
        with connection:
            for subscriber in batch:
                message = build_message(
                    subscriber,
                    issue.subject,
                    "insights/email/issue.txt",
                    context | {"subscriber_topics": list(subscriber.topics.all())},
                    base,
                    html_template="insights/email/issue.html",
                )
                message.connection = connection
                try:
                    message.send()
                except Exception as exc:  # noqa: BLE001 - recorded against the delivery
                    rows.append(
                        Delivery(
                            issue=issue,
                            subscriber=subscriber,
                            status=DeliveryStatus.FAILED,
                            error=f"{exc.__class__.__name__}: {exc}"[:300],
                            at=timezone.now(),
                        )
                    )
                    failed += 1
                else:
                    rows.append(
                        Delivery(
                            issue=issue,
                            subscriber=subscriber,
                            status=DeliveryStatus.SENT,
                            at=timezone.now(),
                        )
                    )
                    sent += 1
        with transaction.atomic():
            Delivery.objects.bulk_create(rows)
    with transaction.atomic():
        issue.status = IssueStatus.SENT
        issue.sent_at = issue.sent_at or timezone.now()
        issue.save()
        audit.record(
            "update",
            issue,
            actor=user,
            note=f"Newsletter sent: {sent} delivered, {failed} failed in this run.",
        )
    return {"sent": sent, "failed": failed}


def delivery_summary(issue) -> dict:
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    for row in issue.deliveries.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
