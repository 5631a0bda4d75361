from coproduce.core.scoping import Permission, access_for
from coproduce.programme.models import Membership, Provider, Role, Ward

from ..factories import MembershipFactory, UserFactory


def names(qs):
    return sorted(o.name for o in qs)


def test_admin_sees_everything(world):
    user = world.users["admin"]
    assert Provider.objects.visible_to(user).count() == 2
    assert Ward.objects.visible_to(user).count() == 3


def test_provider_lead_sees_all_their_wards_and_nothing_of_another_provider(world):
    user = world.users["lead"]
    assert names(Provider.objects.visible_to(user)) == ["Fictional Alpha NHS Trust"]
    assert names(Ward.objects.visible_to(user)) == ["Alpha One", "Alpha Two"]


def test_ward_member_sees_only_their_ward_and_its_provider(world):
    user = world.users["ward_member"]
    assert names(Ward.objects.visible_to(user)) == ["Alpha One"]
    assert names(Provider.objects.visible_to(user)) == ["Fictional Alpha NHS Trust"]


def test_coach_sees_the_wards_they_coach(world):
    user = world.users["coach"]
    assert names(Ward.objects.visible_to(user)) == ["Alpha One"]
    MembershipFactory(user=user, role=Role.COACH, provider=world.provider_b)
    user = type(user).objects.get(pk=user.pk)  # a new request: access is worked out again
    assert names(Ward.objects.visible_to(user)) == ["Alpha One", "Beta One"]


def test_partner_can_hold_several_memberships(world):
    user = world.users["partner"]
    MembershipFactory(
        user=user, role=Role.LIVED_EXPERIENCE_PARTNER, ward=world.ward_b1, provider=world.provider_b
    )
    user = type(user).objects.get(pk=user.pk)
    assert names(Ward.objects.visible_to(user)) == ["Alpha One", "Beta One"]
    assert Membership.objects.filter(user=user).count() == 2


def test_programme_wide_observer_reads_everything_but_changes_nothing(db, world):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.OBSERVER)
    access = access_for(user)
    assert Ward.objects.visible_to(user).count() == 3
    assert Ward.objects.editable_by(user).count() == 0
    assert not access.has(Permission.MANAGE_PROVIDER, world.provider_a.id)
    assert not access.has(Permission.MANAGE_PEOPLE)


def test_person_without_memberships_sees_nothing(db, world):
    user = UserFactory()
    assert Provider.objects.visible_to(user).count() == 0
    assert Ward.objects.visible_to(user).count() == 0


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert Provider.objects.visible_to(AnonymousUser()).count() == 0
    assert Ward.objects.visible_to(None).count() == 0


def test_editing_rights_follow_roles(world):
    lead = access_for(world.users["lead"])
    ward_member = access_for(world.users["ward_member"])
    observer = access_for(world.users["observer"])
    assert lead.has(Permission.MANAGE_PROVIDER, world.provider_a.id)
    assert not lead.has(Permission.MANAGE_PROVIDER, world.provider_b.id)
    assert ward_member.has(Permission.EDIT_WORK, world.provider_a.id, world.ward_a1.id)
    assert not ward_member.has(Permission.EDIT_WORK, world.provider_a.id, world.ward_a2.id)
    assert not observer.has(Permission.EDIT_WORK, world.provider_a.id, world.ward_a1.id)
    assert names(Ward.objects.editable_by(world.users["ward_member"])) == ["Alpha One"]
    assert names(Ward.objects.editable_by(world.users["lead"])) == ["Alpha One", "Alpha Two"]
