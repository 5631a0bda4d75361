from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "coproduce.programme"
    label = "programme"
    verbose_name = "Programme structure"

    def ready(self):
        from coproduce.core import audit

        from . import models

        audit.register(
            models.Programme,
            models.Phase,
            models.Provider,
            models.Ward,
            models.Enrolment,
            models.Membership,
            models.Invitation,
        )
