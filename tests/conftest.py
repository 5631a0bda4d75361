"""Shared fixtures: a small fictional world of two providers and a person for every role."""

from dataclasses import dataclass

import pytest

from coproduce.programme.models import Role

from .factories import MembershipFactory, PhaseFactory, ProviderFactory, UserFactory, WardFactory


@dataclass
class World:
    provider_a: object
    provider_b: object
    ward_a1: object
    ward_a2: object
    ward_b1: object
    phase: object
    users: dict


def build_world() -> World:
    phase = PhaseFactory(name="Pilot")
    provider_a = ProviderFactory(name="Fictional Alpha NHS Trust", ods_code="TA1")
    provider_b = ProviderFactory(name="Fictional Beta NHS Trust", ods_code="TB1")
    ward_a1 = WardFactory(provider=provider_a, name="Alpha One")
    ward_a2 = WardFactory(provider=provider_a, name="Alpha Two", service_type="picu")
    ward_b1 = WardFactory(provider=provider_b, name="Beta One")
    users = {}

    def person(key, role, provider=None, ward=None):
        user = UserFactory(email=f"{key}@example.org", full_name=f"{key.title()} Fictional")
        MembershipFactory(
            user=user, role=role, provider=provider or (ward.provider if ward else None), ward=ward
        )
        users[key] = user
        return user

    admin = person("admin", Role.PROGRAMME_ADMIN)
    admin.is_staff = True
    admin.save()
    person("coach", Role.COACH, ward=ward_a1)
    person("lead", Role.PROVIDER_LEAD, provider=provider_a)
    person("ward_member", Role.WARD_TEAM_MEMBER, ward=ward_a1)
    person("partner", Role.LIVED_EXPERIENCE_PARTNER, ward=ward_a1)
    person("observer", Role.OBSERVER, provider=provider_a)
    person("other_lead", Role.PROVIDER_LEAD, provider=provider_b)
    return World(provider_a, provider_b, ward_a1, ward_a2, ward_b1, phase, users)


def reload_world(world: World) -> World:
    """Fresh copies, from the database, of the records of a world that tests share."""
    records = {
        name: type(record).objects.get(pk=record.pk)
        for name, record in vars(world).items()
        if name != "users"
    }
    users = {key: type(user).objects.get(pk=user.pk) for key, user in world.users.items()}
    return World(**records, users=users)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
