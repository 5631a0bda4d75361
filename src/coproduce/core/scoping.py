"""The one place that decides what each person may see and change.

Every query for provider-owned data goes through ``visible_to(user)`` or
``editable_by(user)`` on a :class:`ScopedQuerySet`. Views fetch single records with
:func:`get_visible_or_404`, so a record of another provider answers 404 and its
existence does not leak.

Rules (memberships come from ``programme.Membership``):

- programme admin: sees and changes everything;
- observer with no provider: reads everything, changes nothing;
- provider-level membership (provider lead, coach or partner for a whole provider,
  observer of a provider): sees all of that provider's wards;
- ward-level membership (ward team member, partner, coach or observer of a ward):
  sees that ward, and the provider it belongs to (but not the provider's other wards);
- observers never change anything; provider leads, coaches, ward team members and
  partners change the work of what they can see; only admins and provider leads manage
  people and wards.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.http import Http404

ROLE_ADMIN = "programme_admin"
ROLE_COACH = "coach"
ROLE_LEAD = "provider_lead"
ROLE_WARD = "ward_team_member"
ROLE_PARTNER = "lived_experience_partner"
ROLE_OBSERVER = "observer"
EDITING_ROLES = {ROLE_COACH, ROLE_LEAD, ROLE_WARD, ROLE_PARTNER}


@dataclass(frozen=True)
class Access:
    """What one signed-in person may see and change, worked out once per request."""

    authenticated: bool = False
    is_admin: bool = False
    reads_everything: bool = False
    roles: frozenset = field(default_factory=frozenset)
    full_provider_ids: frozenset = field(default_factory=frozenset)
    ward_ids: frozenset = field(default_factory=frozenset)
    ward_provider_ids: frozenset = field(default_factory=frozenset)
    edit_provider_ids: frozenset = field(default_factory=frozenset)
    edit_ward_ids: frozenset = field(default_factory=frozenset)
    lead_provider_ids: frozenset = field(default_factory=frozenset)
    coach_provider_ids: frozenset = field(default_factory=frozenset)
    coach_ward_ids: frozenset = field(default_factory=frozenset)

    @property
    def sees_everything(self) -> bool:
        return self.is_admin or self.reads_everything

    @property
    def visible_provider_ids(self) -> frozenset:
        return self.full_provider_ids | self.ward_provider_ids

    def has_role(self, *roles) -> bool:
        return self.is_admin or bool(self.roles.intersection(roles))

    def can_manage_people(self, provider_id=None) -> bool:
        if self.is_admin:
            return True
        if provider_id is None:
            return bool(self.lead_provider_ids)
        return provider_id in self.lead_provider_ids

    def can_edit_provider(self, provider_id) -> bool:
        return self.is_admin or provider_id in self.lead_provider_ids

    def can_report_on(self, provider_id) -> bool:
        """May this person open the provider's dashboard and board report?"""
        return (
            self.sees_everything
            or provider_id in self.full_provider_ids
            or bool(self.coach_ward_ids and provider_id in self.ward_provider_ids)
        )

    def can_edit_work(self, provider_id, ward_id=None) -> bool:
        """May this person change work (projects, data, logs) owned by this provider/ward?"""
        if self.is_admin:
            return True
        if provider_id in self.edit_provider_ids:
            return True
        return ward_id is not None and ward_id in self.edit_ward_ids


ANONYMOUS = Access()


def access_for(user) -> Access:
    """Work out (once, cached on the user object for this request) what ``user`` may do."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_coproduce_access", None)
    if cached is not None:
        return cached
    from coproduce.programme.models import Membership

    rows = list(Membership.objects.filter(user=user).values_list("role", "provider_id", "ward_id"))
    roles = {r for r, _, _ in rows}
    full = {p for r, p, w in rows if p and not w}
    wards = {w for r, p, w in rows if w}
    access = Access(
        authenticated=True,
        is_admin=ROLE_ADMIN in roles or user.is_superuser,
        reads_everything=any(r == ROLE_OBSERVER and not p and not w for r, p, w in rows),
        roles=frozenset(roles),
        full_provider_ids=frozenset(full),
        ward_ids=frozenset(wards),
        ward_provider_ids=frozenset(p for r, p, w in rows if w and p),
        edit_provider_ids=frozenset(p for r, p, w in rows if p and not w and r in EDITING_ROLES),
        edit_ward_ids=frozenset(w for r, p, w in rows if w and r in EDITING_ROLES),
        lead_provider_ids=frozenset(p for r, p, w in rows if r == ROLE_LEAD and p),
        coach_provider_ids=frozenset(p for r, p, w in rows if r == ROLE_COACH and p and not w),
        coach_ward_ids=frozenset(w for r, p, w in rows if r == ROLE_COACH and w),
    )
    user._coproduce_access = access
    return access


def forget_access(user) -> None:
    """Drop the cached access after memberships change within a request."""
    if hasattr(user, "_coproduce_access"):
        del user._coproduce_access


class ScopedQuerySet(models.QuerySet):
    """A queryset for provider-owned records.

    Subclasses name the field paths that lead to the owning provider and (optionally) ward.
    A record with a ward is visible to members of that ward and to provider-level members;
    a record with no ward is provider-level and visible to provider-level members only.
    """

    scope_provider_field: str | None = "provider_id"
    scope_ward_field: str | None = "ward_id"

    def _scope_q(self, provider_ids, ward_ids) -> Q:
        q = Q(pk__in=[])
        if self.scope_provider_field:
            q |= Q(**{f"{self.scope_provider_field}__in": provider_ids})
        if self.scope_ward_field:
            q |= Q(**{f"{self.scope_ward_field}__in": ward_ids})
        return q

    def visible_to(self, user, also: Q | None = None):
        """Records this person may see; ``also`` widens it for signed-in people (for
        example, records every member of the programme may read)."""
        access = access_for(user)
        if access.sees_everything:
            return self.all()
        if not access.authenticated:
            return self.none()
        q = self._scope_q(access.full_provider_ids, access.ward_ids)
        return self.filter(q | also if also is not None else q)

    def editable_by(self, user):
        access = access_for(user)
        if access.is_admin:
            return self.all()
        if not access.authenticated:
            return self.none()
        return self.filter(self._scope_q(access.edit_provider_ids, access.edit_ward_ids))


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one record the user may see, or answer 404 (never 403: existence must not leak)."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc
