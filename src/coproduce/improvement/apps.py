from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "coproduce.improvement"
    label = "improvement"
    verbose_name = "Quality improvement"
