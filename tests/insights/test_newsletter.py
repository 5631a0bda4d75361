"""The newsletter: double opt-in, consent records, throttling, unsubscribing, data requests,
deletion, and sending an issue in batches. E-mails are read from Django's test outbox."""

import json
import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEvent
from coproduce.insights import consent, newsletter, tokens
from coproduce.insights.models import (
    ConsentAction,
    ConsentRecord,
    Delivery,
    DeliveryStatus,
    IssueStatus,
    Subscriber,
    SubscriberStatus,
)

from .factories import IssueFactory, SubscriberFactory, TopicFactory, published_post

BASE = "https://coproduce.example"


def links_in(message):
    return re.findall(r"https?://\S+", message.body)


def path_of(link):
    return link.replace("http://testserver", "").replace(BASE, "")


def sign_up(client, email, topics, agree=True):
    data = {
        "email": email,
        "topics": [t.pk for t in topics],
        "consent_version": consent.CURRENT_VERSION,
    }
    if agree:
        data["agree"] = "on"
    return client.post(reverse("insights:newsletter"), data)


@pytest.fixture
def topics(db):
    return [TopicFactory(name="Co-production"), TopicFactory(name="Carers")]


def test_sign_up_sends_a_confirmation_and_nothing_is_subscribed_until_confirmed(client, topics):
    response = sign_up(client, "New.Reader@Example.org", topics)
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:check-email")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "new.reader@example.org"
    assert subscriber.status == SubscriberStatus.PENDING
    assert not ConsentRecord.objects.exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.reader@example.org"]
    assert message.subject == "Confirm your newsletter subscription"
    assert "- Co-production" in message.body and "- Carers" in message.body
    confirm_link = next(link for link in links_in(message) if "/confirm/" in link)

    page = client.get(path_of(confirm_link))  # opening the link alone confirms nothing
    assert page.status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    done = client.post(path_of(confirm_link))
    assert "You are subscribed" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    record = ConsentRecord.objects.get()
    assert record.action == ConsentAction.GIVEN
    assert record.version == consent.CURRENT_VERSION
    assert record.wording == consent.wording()
    assert record.topics == "Carers, Co-production"
    assert record.at is not None


def test_sign_up_without_agreeing_or_topics_shows_the_error_summary(client, topics):
    response = sign_up(client, "not-an-address", [], agree=False)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter an e-mail address in the right format" in html
    assert "Choose at least one topic" in html
    assert "Tick the box to agree" in html
    assert consent.wording() in html  # the exact wording is shown next to the box
    assert not Subscriber.objects.exists() and not mail.outbox


def test_every_email_carries_unsubscribe_and_interests_links_and_headers(client, topics):
    sign_up(client, "reader@example.org", topics)
    message = mail.outbox[0]
    links = links_in(message)
    assert any("/newsletter/unsubscribe/" in link for link in links)
    assert any("/newsletter/interests/" in link for link in links)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/newsletter/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_is_sent_twice_to_one_address_within_ten_minutes(client, topics):
    for _ in range(5):
        sign_up(client, "stranger@example.org", topics)
    assert len(mail.outbox) == 1
    Subscriber.objects.update(last_emailed_at=timezone.now() - timedelta(minutes=11))
    sign_up(client, "stranger@example.org", topics)
    assert len(mail.outbox) == 2


def test_the_answer_never_reveals_whether_an_address_is_subscribed(client, topics):
    SubscriberFactory(email="known@example.org", topics=topics[:1])
    known = sign_up(client, "known@example.org", topics)
    unknown = sign_up(client, "unknown@example.org", topics)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The subscriber hears that nothing changed; their topics do not change on a stranger's say.
    message = next(m for m in mail.outbox if m.to == ["known@example.org"])
    assert "already get it" in message.body
    assert [t.name for t in Subscriber.objects.get(email="known@example.org").topics.all()] == [
        topics[0].name
    ]
    data_known = client.post(reverse("insights:data-request"), {"email": "known@example.org"})
    data_unknown = client.post(reverse("insights:data-request"), {"email": "nobody@example.org"})
    assert data_known["Location"] == data_unknown["Location"]


def test_unsubscribe_link_shows_one_button_and_mail_apps_can_post_directly(client, topics):
    subscriber = SubscriberFactory(topics=topics)
    url = reverse("insights:unsubscribe", args=[tokens.make(subscriber, "unsubscribe")])
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED  # a link scanner changes nothing
    # RFC 8058 one-click: the mail app posts "List-Unsubscribe=One-Click", with no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.consents.filter(action=ConsentAction.WITHDRAWN).count() == 1
    client.post(url)  # twice is harmless
    assert subscriber.consents.filter(action=ConsentAction.WITHDRAWN).count() == 1


def test_posts_from_another_site_are_refused(client, topics):
    subscriber = SubscriberFactory(topics=topics)
    url = reverse("insights:unsubscribe", args=[tokens.make(subscriber, "unsubscribe")])
    response = client.post(url, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


def test_tokens_are_for_one_purpose_and_expire(client, topics, monkeypatch):
    subscriber = SubscriberFactory(topics=topics)
    data_token = tokens.make(subscriber, "data")
    assert tokens.read(data_token, "unsubscribe") is None
    assert tokens.read(data_token + "x", "data") is None
    assert tokens.read(data_token, "data") == subscriber
    later = time.time() + tokens.LIFETIMES["data"] + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert tokens.read(data_token, "data") is None
    response = client.get(reverse("insights:your-data", args=[data_token]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_changing_interests_is_recorded(client, topics):
    subscriber = SubscriberFactory(topics=topics[:1])
    url = reverse("insights:interests", args=[tokens.make(subscriber, "interests")])
    response = client.post(url, {"topics": [topics[1].pk]})
    assert "Your topics have been saved" in response.content.decode()
    assert [t.name for t in subscriber.topics.all()] == ["Carers"]
    assert subscriber.consents.get().action == ConsentAction.CHANGED
    empty = client.post(url, {})
    assert "Choose at least one topic, or unsubscribe instead" in empty.content.decode()


def test_a_subscriber_gets_their_data_and_then_deletes_it(client, topics):
    subscriber = SubscriberFactory(email="me@example.org", topics=topics)
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=ConsentAction.GIVEN,
        wording=consent.wording(),
        version=consent.CURRENT_VERSION,
        at=timezone.now(),
    )
    issue = IssueFactory(topics=topics)
    newsletter.send_issue(issue, base=BASE)
    mail.outbox.clear()

    client.post(reverse("insights:data-request"), {"email": "ME@example.org"})
    assert len(mail.outbox) == 1
    link = next(link for link in links_in(mail.outbox[0]) if "/your-data/" in link)
    page = client.get(path_of(link))
    html = page.content.decode()
    assert "me@example.org" in html and "Fictional newsletter" in html
    assert consent.wording() in html

    download = client.get(path_of(link).rstrip("/") + "/download/")
    assert download["Content-Type"] == "application/json"
    data = json.loads(download.content)
    assert data["email"] == "me@example.org"
    assert data["topics"] == ["Carers", "Co-production"]
    assert data["consent_records"][0]["wording"] == consent.wording()
    assert data["newsletters_sent"][0]["subject"] == "Fictional newsletter"

    delete_url = path_of(link).rstrip("/") + "/delete/"
    assert "Delete your data?" in client.get(delete_url).content.decode()
    done = client.post(delete_url)
    assert "Your data has been deleted" in done.content.decode()
    assert not Subscriber.objects.exists()
    assert not Delivery.objects.exists() and not ConsentRecord.objects.exists()
    # The audit log says a subscriber was deleted, and never holds the address.
    assert AuditEvent.objects.filter(object_type="insights.Subscriber", action="delete").exists()
    for event in AuditEvent.objects.all():
        assert "me@example.org" not in json.dumps(event.changes) + event.object_repr + event.note
    # The old link no longer works.
    assert client.get(path_of(link)).status_code == 404


def test_data_request_for_an_unknown_address_sends_nothing(client, db):
    response = client.post(reverse("insights:data-request"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not mail.outbox


# Sending -------------------------------------------------------------------------------


def test_an_issue_goes_in_batches_to_confirmed_subscribers_of_its_topics_once(topics):
    other = TopicFactory(name="Race equity")
    wanted = [SubscriberFactory(topics=[topics[0]]) for _ in range(4)]
    both = SubscriberFactory(topics=topics)  # two matching topics, one e-mail
    SubscriberFactory(topics=[topics[0]], status=SubscriberStatus.PENDING)
    SubscriberFactory(topics=[topics[0]], status=SubscriberStatus.UNSUBSCRIBED)
    SubscriberFactory(topics=[other])
    post = published_post(title="What co-production meant")
    issue = IssueFactory(topics=topics)
    issue.posts.add(post)

    result = newsletter.send_issue(issue, base=BASE, batch_size=2)

    assert result == {"sent": 5, "failed": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in [*wanted, both])
    message = mail.outbox[0]
    assert message.subject == "Fictional newsletter"
    assert "What co-production meant" in message.body
    assert f"{BASE}/insights/{post.slug}/" in message.body
    assert "/newsletter/unsubscribe/" in message.body
    assert "/newsletter/unsubscribe/" in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.sent_at is not None
    assert Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENT).count() == 5

    assert newsletter.send_issue(issue, base=BASE) == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 5


def test_failures_are_recorded_with_the_reason(topics, monkeypatch):
    good = SubscriberFactory(topics=topics)
    bad = SubscriberFactory(email="bounces@example.org", topics=topics)
    original = mail.EmailMultiAlternatives.send

    def flaky_send(self, *args, **kwargs):
        if self.to == ["bounces@example.org"]:
            raise OSError("mailbox unavailable")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky_send)
    issue = IssueFactory(topics=topics)
    assert newsletter.send_issue(issue, base=BASE) == {"sent": 1, "failed": 1}
    failed = Delivery.objects.get(subscriber=bad)
    assert failed.status == DeliveryStatus.FAILED
    assert "mailbox unavailable" in failed.error
    assert Delivery.objects.get(subscriber=good).status == DeliveryStatus.SENT


def test_the_management_command_sends_an_issue(topics):
    SubscriberFactory(topics=topics)
    issue = IssueFactory(topics=topics)
    out = StringIO()
    call_command("send-newsletter", str(issue.pk), stdout=out)
    assert "sent 1, failed 0" in out.getvalue()
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("send-newsletter", str(issue.pk), stdout=out)
    assert "nothing to send" in out.getvalue()
    with pytest.raises(CommandError, match="no newsletter issue"):
        call_command("send-newsletter", "999999")


def test_an_editor_sends_after_a_confirmation_page(client, world, topics):
    SubscriberFactory(topics=topics)
    issue = IssueFactory(topics=topics)
    client.force_login(world.users["admin"])
    url = reverse("insights:editorial-issue-send", args=[issue.pk])
    page = client.get(url)
    assert "Send ‘Fictional newsletter’?" in page.content.decode()
    assert not mail.outbox
    response = client.post(url)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.count("http://testserver/newsletter/") >= 2
    issue.refresh_from_db()
    assert issue.sent_by == world.users["admin"]
