"""``coproduce demo``: load the fictional demo programme into an empty database."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coproduce.programme import demo as programme_demo


class Command(BaseCommand):
    help = "Load the fictional demo programme (only into an empty database) and print sign-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the sign-ins) when a programme already exists.",
        )

    def handle(self, *args, if_empty=False, **options):
        if programme_demo.is_loaded():
            if not if_empty:
                raise CommandError(
                    "The database already holds a programme. The demo only loads into an empty "
                    "database: delete var/coproduce.sqlite3 (or use a new DATABASE_URL) first."
                )
            self.stdout.write("The database already holds a programme; the demo was not loaded.")
        else:
            with transaction.atomic():
                context: dict = {}
                for app in apps.get_app_configs():
                    if not app.name.startswith("coproduce."):
                        continue
                    try:
                        module = import_module(f"{app.name}.demo")
                    except ModuleNotFoundError as exc:
                        if exc.name != f"{app.name}.demo":
                            raise
                        continue
                    module.load(context)
            self.stdout.write(self.style.SUCCESS("Loaded the fictional demo programme."))
        self.stdout.write(
            f"\nDemo sign-ins (fictional people; password for all: {programme_demo.DEMO_PASSWORD}):"
        )
        for email, what in programme_demo.sign_ins():
            self.stdout.write(f"  {email:<30} {what}")
