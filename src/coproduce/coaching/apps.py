from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coproduce.coaching"
    label = "coaching"
    verbose_name = "Coaching log"

    def ready(self):
        from coproduce.core import audit

        from .models import CoachingAction, CoachingSession

        audit.register(CoachingSession, CoachingAction)
