"""Inviting a person by e-mail with a role. Links are signed and expire after 14 days."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import User

from .models import Invitation, Membership

SALT = "coproduce.invitation"
MAX_AGE = 60 * 60 * 24 * 14


def make_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(invitation.pk))


def from_token(token: str) -> Invitation | None:
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    invitation = Invitation.objects.filter(pk=pk, accepted_at__isnull=True).first()
    return invitation


def existing_user(invitation: Invitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email).first()


def send(invitation: Invitation, request) -> None:
    link = request.build_absolute_uri(
        reverse("accounts:accept-invitation", args=[make_token(invitation)])
    )
    body = render_to_string(
        "programme/email/invitation.txt",
        {"invitation": invitation, "link": link, "service_name": settings.COPRODUCE_SERVICE_NAME},
    )
    send_mail(
        f"You are invited to {settings.COPRODUCE_SERVICE_NAME}",
        body,
        None,
        [invitation.email],
    )


@transaction.atomic
def accept(invitation: Invitation, user: User) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user,
        role=invitation.role,
        provider=invitation.provider if not invitation.ward_id else invitation.ward.provider,
        ward=invitation.ward,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@transaction.atomic
def create_user_and_accept(invitation, *, full_name, preferred_name, password) -> User:
    user = User.objects.create_user(
        invitation.email, password, full_name=full_name, preferred_name=preferred_name
    )
    accept(invitation, user)
    return user
