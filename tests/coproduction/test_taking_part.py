"""Answering the self-assessment: anonymous, resumable on the same device, frozen on close."""

from django.urls import reverse
from django.utils import timezone

from coproduce.coproduction.instrument import STATEMENTS, statements_for
from coproduce.coproduction.models import Answer, AssessmentResponse
from coproduce.coproduction.views import DRAFT_COOKIE


def answers_for(statements, as_is=3, to_be=6, comment=""):
    data = {}
    for s in statements:
        data |= {
            f"{s.key}-as_is": str(as_is),
            f"{s.key}-to_be": str(to_be),
            f"{s.key}-comment": comment,
        }
    return data


def test_nothing_identifying_is_stored_on_a_response():
    names = {f.name for f in AssessmentResponse._meta.get_fields()}
    assert not names & {"user", "ip", "ip_address", "user_agent", "name", "email", "created_at"}
    assert "draft_key_hash" in names


def test_anonymous_person_answers_pauses_and_finishes_on_the_same_device(client, open_round):
    token = open_round.token
    start = reverse("coproduction:take-part", args=[token])
    page = client.get(start)
    assert "You do not give your name" in page.content.decode()
    missing = client.post(start, {})
    assert "Choose the one that best describes you" in missing.content.decode()
    begun = client.post(start, {"perspective": "lived_experience"})
    assert begun.status_code == 302
    key = client.cookies[DRAFT_COOKIE].value
    assert client.cookies[DRAFT_COOKIE]["path"] == f"/take-part/{token}/"
    response = AssessmentResponse.objects.get()
    assert response.draft_key_hash != key and len(response.draft_key_hash) == 64
    step1 = reverse("coproduction:take-part-step", args=[token, 1])
    bad = client.post(step1, {})
    assert "There is a problem" in bad.content.decode()
    assert not Answer.objects.exists()
    client.post(step1, answers_for(statements_for("principles"), comment="Fictional"))
    assert Answer.objects.count() == 3

    # Pause: another device has no cookie and cannot reach the draft.
    other = client.__class__()
    assert other.get(step1).status_code == 302
    # Same device: the start page offers to carry on at the first unanswered page.
    again = client.get(start).content.decode()
    assert "Welcome back" in again
    assert reverse("coproduction:take-part-step", args=[token, 2]) in again

    for step, domain in enumerate(["purpose", "presence", "process", "impact"], start=2):
        reply = client.post(
            reverse("coproduction:take-part-step", args=[token, step]),
            answers_for(statements_for(domain)),
        )
        assert reply.status_code == 302
    check = reverse("coproduction:take-part-check", args=[token])
    assert "Check your answers" in client.get(check).content.decode()
    done = client.post(check)
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.submitted_on == timezone.localdate()
    thanks = client.get(reverse("coproduction:take-part-done", args=[token]))
    assert "Your answers have been sent" in thanks.content.decode()
    assert thanks.cookies[DRAFT_COOKIE].value == ""  # the cookie is removed


def test_easy_read_has_one_statement_per_page(client, open_round):
    token = open_round.token
    start = reverse("coproduction:take-part", args=[token])
    page = client.get(start + "?easy=1").content.decode()
    assert "Who are you?" in page and "You do not need to give your name" in page
    client.post(start, {"perspective": "carer", "easy": "1"})
    step = client.get(reverse("coproduction:take-part-step", args=[token, 1])).content.decode()
    assert STATEMENTS[0].easy in step
    assert STATEMENTS[1].easy not in step
    assert "Question 1 of 15" in step
    assert 'aria-hidden="true"' in step  # the rung symbols are decorative
    assert "Plan together" in step


def test_signed_in_staff_answer_once_and_nothing_names_them(client, world, open_round):
    client.force_login(world.users["ward_member"])
    token = open_round.token
    client.post(reverse("coproduction:take-part", args=[token]), {"perspective": "ward_staff"})
    client.post(reverse("coproduction:take-part", args=[token]), {"perspective": "leader"})
    response = AssessmentResponse.objects.get()
    assert response.signed_in and response.perspective == "leader"
    other = client.__class__()
    other.force_login(world.users["partner"])
    other.post(reverse("coproduction:take-part", args=[token]), {"perspective": "carer"})
    assert AssessmentResponse.objects.count() == 2  # one each, told apart only by a keyed hash


def test_closing_a_round_freezes_its_answers(client, world, open_round):
    token = open_round.token
    client.post(reverse("coproduction:take-part", args=[token]), {"perspective": "carer"})
    step1 = reverse("coproduction:take-part-step", args=[token, 1])
    client.post(step1, answers_for(statements_for("principles"), as_is=2))
    admin = client.__class__()
    admin.force_login(world.users["lead"])
    close = reverse("coproduction:round-close", args=[open_round.pk])
    assert "Close this round?" in admin.get(close).content.decode()
    admin.post(close)
    open_round.refresh_from_db()
    assert open_round.closed_at is not None
    reply = client.post(step1, answers_for(statements_for("principles"), as_is=7))
    assert "This has closed" in reply.content.decode()
    assert set(Answer.objects.values_list("as_is", flat=True)) == {2}
    assert (
        client.post(
            reverse("coproduction:take-part", args=[token]), {"perspective": "carer"}
        ).status_code
        == 200
    )
    assert AssessmentResponse.objects.count() == 1
    assert client.post(reverse("coproduction:take-part-check", args=[token])).status_code == 200
    assert not AssessmentResponse.objects.filter(submitted_on__isnull=False).exists()


def test_a_wrong_token_is_not_found(client, db):
    assert (
        client.get(reverse("coproduction:take-part", args=["not-a-real-token"])).status_code == 404
    )
