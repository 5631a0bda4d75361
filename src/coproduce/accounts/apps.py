from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coproduce.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from coproduce.core import audit

        from .models import User

        audit.register(User, exclude=("password", "last_login"))
