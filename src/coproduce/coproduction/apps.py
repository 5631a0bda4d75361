from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    name = "coproduce.coproduction"
    label = "coproduction"
    verbose_name = "Co-production"
