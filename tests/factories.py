"""factory-boy factories for the programme structure. All data is fictional."""

from datetime import date

import factory

from coproduce.accounts.models import User
from coproduce.programme.models import (
    Enrolment,
    Membership,
    Phase,
    Programme,
    Provider,
    ProviderKind,
    Role,
    Ward,
)

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("name",)

    name = "Test programme (fictional)"
    is_fictional = True


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Phase {n}")
    starts_on = date(2024, 7, 1)
    ends_on = date(2025, 3, 31)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Fictional Provider {n} NHS Trust")
    kind = ProviderKind.NHS_TRUST
    ods_code = factory.Sequence(lambda n: f"T{n // 36 % 36:X}{n % 36:X}"[:3] if n < 1296 else "TZZ")
    region = "London"


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Ward {n}")
    service_type = "adult_acute"
    beds = 18


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    ward = factory.SubFactory(WardFactory)
    phase = factory.SubFactory(PhaseFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.WARD_TEAM_MEMBER
    provider = None
    ward = None
