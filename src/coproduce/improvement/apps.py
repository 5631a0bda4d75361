from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "coproduce.improvement"
    label = "improvement"
    verbose_name = "Quality improvement"

    def ready(self):
        from coproduce.core import audit

        from . import models

        audit.register(
            models.Project,
            models.ProjectMember,
            models.ProgressScore,
            models.Driver,
            models.ChangeIdea,
            models.Measure,
            models.WardMeasure,
            models.DataPoint,
            models.PhaseBreak,
            models.PDSACycle,
            models.PDSATask,
        )
