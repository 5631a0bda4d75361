from django.apps import AppConfig


class EquityWebConfig(AppConfig):
    name = "coproduce.equity_web"
    label = "equity_web"
    verbose_name = "Equity"

    def ready(self):
        from coproduce.core import audit

        from .models import GroupFigure, NationalYear

        audit.register(GroupFigure, NationalYear)
