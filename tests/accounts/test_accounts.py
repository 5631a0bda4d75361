import re

from django.core import mail
from django.urls import reverse

from ..factories import PASSWORD


def test_sign_in_by_email_is_case_insensitive(client, world):
    response = client.post(
        reverse("accounts:sign-in"), {"username": "LEAD@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_wrong_password_gives_a_clear_message(client, world):
    response = client.post(
        reverse("accounts:sign-in"), {"username": "lead@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Enter the e-mail address and password of your account" in response.content.decode()


def test_account_locks_after_five_failures(client, world):
    for _ in range(5):
        client.post(reverse("accounts:sign-in"), {"username": "LEAD@example.org", "password": "no"})
    response = client.post(
        reverse("accounts:sign-in"), {"username": "lead@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "locked for 30 minutes" in response.content.decode()


def test_sign_out_needs_a_post(client, world):
    client.force_login(world.users["lead"])
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_password_reset_by_email(client, world):
    response = client.post(reverse("accounts:password-reset"), {"email": "lead@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    post_to = form_page.redirect_chain[-1][0]
    done = client.post(
        post_to,
        {"new_password1": "brand-new-passphrase-7", "new_password2": "brand-new-passphrase-7"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("accounts:sign-in"),
        {"username": "lead@example.org", "password": "brand-new-passphrase-7"},
    )
    assert signed_in.status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0
