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
from enum import StrEnum

from django.core.exceptions import PermissionDenied
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
ALL_ROLES = (ROLE_ADMIN, ROLE_COACH, ROLE_LEAD, ROLE_WARD, ROLE_PARTNER, ROLE_OBSERVER)


class Permission(StrEnum):
    """Everything a person may be allowed to do, beyond reading what ``visible_to`` shows."""

    EDIT_WORK = "edit_work"  # projects, figures, PDSA cycles, involvement and coaching logs
    ENTER_GROUP_FIGURES = "enter_group_figures"  # figures by ethnicity, disability, autism
    MANAGE_PEOPLE = "manage_people"  # invitations, roles
    MANAGE_PROVIDER = "manage_provider"  # a provider's details and its wards
    MANAGE_PROGRAMME = "manage_programme"  # phases, providers, catalogue, rates, imports
    VIEW_REPORTS = "view_reports"  # a provider's dashboard and board report
    VIEW_PROGRAMME_DASHBOARD = "view_programme_dashboard"
    EXPORT_DATA = "export_data"  # CSV and Excel exports
    RUN_ROUNDS = "run_rounds"  # open and close self-assessment rounds, their action plans
    CLAIM_PAYMENTS = "claim_payments"  # a partner claims for their own involvement
    VIEW_PAYMENTS_OWED = "view_payments_owed"
    APPROVE_PAYMENTS = "approve_payments"  # approve claims and mark them paid
    EDIT_INSIGHTS = "edit_insights"  # editors: posts, resources, topics, newsletters, publish
    REVIEW_INSIGHTS = "review_insights"  # co-author and review posts
    APPROVE_LIVED_EXPERIENCE = "approve_lived_experience"  # a partner's approval of a post
    VIEW_AUDIT = "view_audit"
    LOG_COACHING = "log_coaching"  # log coaching sessions for a ward or provider coached
    ACT_AS_PARTNER = "act_as_partner"  # a partner's own profile; adding themselves to involvement
    VIEW_PARTNERS = "view_partners"  # the list of partners and their self-described characteristics


class Level(StrEnum):
    """Where a membership must sit for its role to grant a permission on a record."""

    ANYWHERE = "anywhere"  # any membership of the role: not tied to one record (the records
    # themselves are still limited by visible_to; as a queryset, the membership's own scope)
    PROGRAMME = "programme"  # a programme-wide membership (no provider, no ward)
    PROVIDER = "provider"  # a membership for the record's whole provider (or programme-wide)
    WARD = "ward"  # the record's provider as a whole, or the record's own ward
    PROVIDER_OR_ITS_WARDS = "provider_or_its_wards"  # the provider, or any of its wards


_ADMIN_ONLY: dict = {}
_EDITORS = {ROLE_COACH: Level.WARD, ROLE_LEAD: Level.WARD, ROLE_WARD: Level.WARD}
_EDITORS |= {ROLE_PARTNER: Level.WARD}

#: permission -> {role: level}. Programme admins hold every permission in ``ADMIN_GRANTS``.
#: docs/adr/011-permissions.md shows this table; a test checks the two agree.
GRANTS: dict[Permission, dict[str, Level]] = {
    Permission.EDIT_WORK: _EDITORS,
    Permission.ENTER_GROUP_FIGURES: _EDITORS,
    Permission.MANAGE_PEOPLE: {ROLE_LEAD: Level.PROVIDER},
    Permission.MANAGE_PROVIDER: {ROLE_LEAD: Level.PROVIDER},
    Permission.MANAGE_PROGRAMME: _ADMIN_ONLY,
    Permission.VIEW_REPORTS: {
        ROLE_COACH: Level.PROVIDER_OR_ITS_WARDS,
        ROLE_LEAD: Level.PROVIDER,
        ROLE_WARD: Level.PROVIDER,
        ROLE_PARTNER: Level.PROVIDER,
        ROLE_OBSERVER: Level.PROVIDER,
    },
    Permission.VIEW_PROGRAMME_DASHBOARD: {
        ROLE_COACH: Level.ANYWHERE,
        ROLE_OBSERVER: Level.PROGRAMME,
    },
    Permission.EXPORT_DATA: {
        ROLE_COACH: Level.ANYWHERE,
        ROLE_LEAD: Level.ANYWHERE,
        ROLE_OBSERVER: Level.ANYWHERE,
    },
    Permission.RUN_ROUNDS: {ROLE_LEAD: Level.PROVIDER},
    Permission.CLAIM_PAYMENTS: {ROLE_PARTNER: Level.ANYWHERE},
    Permission.VIEW_PAYMENTS_OWED: {ROLE_LEAD: Level.ANYWHERE},
    Permission.APPROVE_PAYMENTS: _ADMIN_ONLY,
    Permission.EDIT_INSIGHTS: _ADMIN_ONLY,
    Permission.REVIEW_INSIGHTS: {ROLE_PARTNER: Level.ANYWHERE},
    Permission.APPROVE_LIVED_EXPERIENCE: {ROLE_PARTNER: Level.ANYWHERE},
    Permission.VIEW_AUDIT: _ADMIN_ONLY,
    Permission.LOG_COACHING: {ROLE_COACH: Level.WARD},
    Permission.ACT_AS_PARTNER: {ROLE_PARTNER: Level.ANYWHERE},
    Permission.VIEW_PARTNERS: _ADMIN_ONLY,
}

#: What a programme admin may do: everything except speaking as a lived experience partner.
ADMIN_GRANTS = frozenset(GRANTS) - {
    Permission.CLAIM_PAYMENTS,
    Permission.APPROVE_LIVED_EXPERIENCE,
    Permission.ACT_AS_PARTNER,
}


def _programme_wide(role, p, w) -> bool:
    """A membership with no provider and no ward covers every provider for an observer
    (who reads the whole programme); for other roles it is a membership with no place."""
    return p is None and w is None and role == ROLE_OBSERVER


def _membership_grants(role, level, p, w, provider_id, ward_id) -> bool:
    """Does one membership (provider ``p``, ward ``w``) at ``level`` cover the record?"""
    programme_wide = _programme_wide(role, p, w)
    if p is None and w is None and not programme_wide:
        return False
    if level == Level.ANYWHERE or (provider_id is None and ward_id is None):
        return level != Level.PROGRAMME or programme_wide
    if programme_wide:
        return True
    if level == Level.PROGRAMME:
        return False
    if level == Level.PROVIDER:
        return w is None and p == provider_id
    if level == Level.WARD:
        return (w is None and p == provider_id) or (ward_id is not None and w == ward_id)
    return p == provider_id  # PROVIDER_OR_ITS_WARDS


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
    memberships: tuple = ()  # (role, provider_id, ward_id) rows

    def has(self, permission: Permission, provider_id=None, ward_id=None) -> bool:
        """May this person do ``permission`` on a record of this provider (and ward)?

        With no provider and no ward: may they do it anywhere at all (for navigation
        and for pages that list only what the person may act on).
        """
        permission = Permission(permission)
        if self.is_admin:
            return permission in ADMIN_GRANTS
        grants = GRANTS[permission]
        return any(
            role in grants and _membership_grants(role, grants[role], p, w, provider_id, ward_id)
            for role, p, w in self.memberships
        )

    def ids_with(self, permission: Permission) -> tuple[frozenset, frozenset, bool]:
        """(provider ids, ward ids, everywhere) where ``permission`` holds: for querysets."""
        permission = Permission(permission)
        if self.is_admin:
            return frozenset(), frozenset(), permission in ADMIN_GRANTS
        grants = GRANTS[permission]
        providers, wards, everywhere = set(), set(), False
        for role, p, w in self.memberships:
            level = grants.get(role)
            if level is None:
                continue
            if _programme_wide(role, p, w):
                everywhere = True
            elif level == Level.PROGRAMME or (p is None and w is None):
                continue
            elif w is None:
                providers.add(p)
            elif level in (Level.WARD, Level.ANYWHERE):
                wards.add(w)
            elif level == Level.PROVIDER_OR_ITS_WARDS:
                providers.add(p)
        return frozenset(providers), frozenset(wards), everywhere

    def sees_provider_records(self, provider_id) -> bool:
        """Does ``visible_to`` show this provider's own records (those on no ward)?"""
        return self.sees_everything or provider_id in self.full_provider_ids

    @property
    def sees_everything(self) -> bool:
        return self.is_admin or self.reads_everything

    @property
    def visible_provider_ids(self) -> frozenset:
        return self.full_provider_ids | self.ward_provider_ids

    def has_role(self, *roles) -> bool:
        return self.is_admin or bool(self.roles.intersection(roles))


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
        memberships=tuple(rows),
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

    def in_places(self, provider_ids, ward_ids):
        """Records of these providers that are provider-level or on one of these wards (what
        a report covers). It says nothing about who may see them: start from ``visible_to``."""
        q = Q(**{f"{self.scope_provider_field}__in": provider_ids})
        if self.scope_ward_field:
            q &= Q(**{f"{self.scope_ward_field}__isnull": True}) | Q(
                **{f"{self.scope_ward_field}__in": ward_ids}
            )
        return self.filter(q)

    def with_permission(self, user, permission: Permission):
        """Records on which this person holds ``permission`` (the queryset form of ``has``)."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        providers, wards, everywhere = access.ids_with(permission)
        if everywhere:
            return self.all()
        return self.filter(self._scope_q(providers, wards))

    def editable_by(self, user):
        """Records whose work this person may change."""
        return self.with_permission(user, Permission.EDIT_WORK)

    def managed_by(self, user):
        """Records of the providers whose people and wards this person manages."""
        return self.with_permission(user, Permission.MANAGE_PROVIDER)


def require(request, permission: Permission, provider_id=None, ward_id=None) -> None:
    """Refuse (403) unless the person holds ``permission`` here (anywhere, with no place)."""
    if not access_for(request.user).has(permission, provider_id, ward_id):
        raise PermissionDenied


def get_visible_or_404(queryset, user, **lookup):
    """Fetch one record the user may see, or answer 404 (never 403: existence must not leak)."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc
