import factory

from coproduce.coaching.models import CoachingAction, CoachingSession

from ..factories import UserFactory, WardFactory


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    coach = factory.SubFactory(UserFactory)
    ward = factory.SubFactory(WardFactory)
    provider = factory.SelfAttribute("ward.provider")
    duration_minutes = 60
    staff_attending = 3
    partners_attending = 1


class CoachingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingAction

    session = factory.SubFactory(CoachingSessionFactory)
    description = "Try the new handover sheet"
    owner = "Ward manager"
