"""Authorisation matrix entries for the programme structure, accounts and core pages."""

from coproduce.programme import invitations
from coproduce.programme.models import Invitation, Membership, Role

from ..authz import A_MANAGE, A_READ, ADMIN_ONLY, PUBLIC, SIGNED_IN, expect

PEOPLE = expect(403, anonymous="login", admin=200, lead=200, other_lead=200)


def _invitation_token(w):
    invitation = Invitation.objects.create(
        email="new.person@example.org",
        full_name="New Person",
        role=Role.OBSERVER,
        provider=w.provider_a,
    )
    return invitations.make_token(invitation)


def _ward_member_membership(w):
    return Membership.objects.get(user=w.users["ward_member"]).pk


ROUTES = {
    "core:public-home": (None, PUBLIC),
    "core:accessibility": (None, PUBLIC),
    "core:healthcheck": (None, PUBLIC),
    "core:home": (None, SIGNED_IN),
    "core:audit-log": (None, ADMIN_ONLY),
    "accounts:sign-in": (None, expect(302, anonymous=200)),
    "accounts:sign-out": (None, expect(405)),
    "accounts:password-reset": (None, PUBLIC),
    "accounts:password-reset-sent": (None, PUBLIC),
    "accounts:password-reset-confirm": (lambda w: {"uidb64": "MQ", "token": "bad-token"}, PUBLIC),
    "accounts:password-reset-complete": (None, PUBLIC),
    "accounts:accept-invitation": (lambda w: {"token": _invitation_token(w)}, PUBLIC),
    "programme:programme": (None, SIGNED_IN),
    "programme:phase-create": (None, ADMIN_ONLY),
    "programme:phase-edit": (lambda w: {"pk": w.phase.pk}, ADMIN_ONLY),
    "programme:provider-list": (None, SIGNED_IN),
    "programme:provider-create": (None, ADMIN_ONLY),
    "programme:provider-detail": (lambda w: {"pk": w.provider_a.pk}, A_READ),
    "programme:provider-edit": (lambda w: {"pk": w.provider_a.pk}, A_MANAGE),
    "programme:ward-create": (lambda w: {"provider_pk": w.provider_a.pk}, A_MANAGE),
    "programme:ward-detail": (lambda w: {"pk": w.ward_a1.pk}, A_READ),
    "programme:ward-edit": (lambda w: {"pk": w.ward_a1.pk}, A_MANAGE),
    "programme:people": (None, PEOPLE),
    "programme:invite": (None, PEOPLE),
    "programme:membership-remove": (lambda w: {"pk": _ward_member_membership(w)}, A_MANAGE),
}
