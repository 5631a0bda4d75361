from django.apps import AppConfig


class EquityWebConfig(AppConfig):
    name = "coproduce.equity_web"
    label = "equity_web"
    verbose_name = "Equity"
