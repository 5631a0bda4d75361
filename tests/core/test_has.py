"""Access.has(): the one question every view, service and template asks."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.core.scoping import (
    ADMIN_GRANTS,
    GRANTS,
    ROLE_COACH,
    ROLE_LEAD,
    ROLE_OBSERVER,
    ROLE_PARTNER,
    ROLE_WARD,
    Access,
    Level,
    Permission,
)

# Two fictional providers: 1 with wards 11 and 12, 2 with ward 21.
WARD_PROVIDER = {11: 1, 12: 1, 21: 2}
ROLES = [ROLE_COACH, ROLE_LEAD, ROLE_WARD, ROLE_PARTNER, ROLE_OBSERVER]
# Every kind of record: provider-level records of 1 and 2, and records on each ward.
RECORDS = [(1, None), (2, None)] + [(p, w) for w, p in WARD_PROVIDER.items()]


def access(*memberships) -> Access:
    return Access(authenticated=True, memberships=tuple(memberships))


places = st.one_of(
    st.just((None, None)),
    st.sampled_from([(1, None), (2, None)]),
    st.sampled_from([(p, w) for w, p in WARD_PROVIDER.items()]),
)
memberships = st.lists(
    st.tuples(st.sampled_from(ROLES), places).map(lambda t: (t[0], *t[1])), max_size=4
)
permissions = st.sampled_from(list(Permission))


@given(memberships, memberships, permissions, st.sampled_from(RECORDS))
@settings(max_examples=300, deadline=None)
def test_another_membership_never_takes_a_permission_away(mine, more, permission, record):
    if access(*mine).has(permission, *record):
        assert access(*mine, *more).has(permission, *record)


@given(memberships, permissions, st.sampled_from(RECORDS))
@settings(max_examples=300, deadline=None)
def test_a_permission_on_a_record_is_a_permission_somewhere(mine, permission, record):
    if access(*mine).has(permission, *record):
        assert access(*mine).has(permission)


@given(memberships, permissions, st.sampled_from(RECORDS))
@settings(max_examples=300, deadline=None)
def test_only_the_roles_in_the_grants_count(mine, permission, record):
    granted = [m for m in mine if m[0] in GRANTS[permission]]
    assert access(*mine).has(permission, *record) == access(*granted).has(permission, *record)


@given(memberships, permissions)
@settings(max_examples=300, deadline=None)
def test_the_queryset_form_picks_the_records_has_allows(mine, permission):
    """ids_with (behind with_permission) agrees with has() record by record, for every
    permission tied to a place (ANYWHERE ones are limited to the membership's own place)."""
    if Level.ANYWHERE in GRANTS[permission].values():
        return
    a = access(*mine)
    providers, wards, everywhere = a.ids_with(permission)
    for provider_id, ward_id in RECORDS:
        in_queryset = everywhere or provider_id in providers or ward_id in wards
        assert in_queryset == a.has(permission, provider_id, ward_id), (provider_id, ward_id)


@given(permissions, st.sampled_from(RECORDS + [(None, None)]))
def test_programme_admins_hold_exactly_the_admin_grants(permission, record):
    admin = Access(authenticated=True, is_admin=True)
    assert admin.has(permission, *record) == (permission in ADMIN_GRANTS)


def test_nobody_signed_out_holds_anything():
    assert not any(Access().has(p) for p in Permission)


@pytest.mark.parametrize(
    "membership, record, allowed",
    [
        ((ROLE_WARD, 1, 11), (1, 11), True),
        ((ROLE_WARD, 1, 11), (1, 12), False),  # a sibling ward
        ((ROLE_WARD, 1, 11), (1, None), False),  # the provider's own records
        ((ROLE_WARD, 1, 11), (2, 21), False),
        ((ROLE_LEAD, 1, None), (1, 12), True),
        ((ROLE_LEAD, 1, None), (1, None), True),
        ((ROLE_LEAD, 1, None), (2, None), False),
        ((ROLE_OBSERVER, 1, None), (1, 11), False),  # observers change nothing
        ((ROLE_OBSERVER, None, None), (1, 11), False),
        ((ROLE_COACH, None, None), (1, 11), False),  # a membership with no place
    ],
)
def test_edit_work_sits_at_ward_level(membership, record, allowed):
    assert access(membership).has(Permission.EDIT_WORK, *record) is allowed


def test_reports_are_for_whole_providers_and_their_ward_coaches():
    assert access((ROLE_COACH, 1, 11)).has(Permission.VIEW_REPORTS, 1)
    assert not access((ROLE_COACH, 1, 11)).has(Permission.VIEW_REPORTS, 2)
    assert not access((ROLE_WARD, 1, 11)).has(Permission.VIEW_REPORTS, 1)
    assert access((ROLE_OBSERVER, 1, None)).has(Permission.VIEW_REPORTS, 1)
    assert access((ROLE_OBSERVER, None, None)).has(Permission.VIEW_REPORTS, 2)


def test_the_programme_dashboard_is_for_coaches_and_programme_wide_observers():
    assert access((ROLE_COACH, 1, 11)).has(Permission.VIEW_PROGRAMME_DASHBOARD)
    assert access((ROLE_OBSERVER, None, None)).has(Permission.VIEW_PROGRAMME_DASHBOARD)
    assert not access((ROLE_OBSERVER, 1, None)).has(Permission.VIEW_PROGRAMME_DASHBOARD)
    assert not access((ROLE_LEAD, 1, None)).has(Permission.VIEW_PROGRAMME_DASHBOARD)


def test_managing_people_needs_a_whole_provider():
    assert access((ROLE_LEAD, 1, None)).has(Permission.MANAGE_PEOPLE, 1)
    assert access((ROLE_LEAD, 1, None)).has(Permission.MANAGE_PEOPLE)
    assert not access((ROLE_LEAD, 1, None)).has(Permission.MANAGE_PEOPLE, 2)
    assert not access((ROLE_LEAD, 1, 11)).has(Permission.MANAGE_PEOPLE, 1)
    assert not access((ROLE_COACH, 1, None)).has(Permission.MANAGE_PEOPLE)
