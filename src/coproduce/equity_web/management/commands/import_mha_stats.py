"""``coproduce import-mha-stats FILE.csv [--replace]``: store the national MHA statistics,
year by year."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coproduce.equity_web import services


class Command(BaseCommand):
    help = (
        "Import a national 'Mental Health Act Statistics, Annual Figures' CSV file. "
        "Each year in the file is stored all at once; a year already held is replaced only "
        "with --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file to import")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the years in the file that are already held (the whole of each year)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            counts = services.import_national_file(path, path.name, replace=options["replace"])
        except services.YearsHeld as exc:
            raise CommandError(
                f"{path.name} was not imported: {exc}. To replace "
                + ("that year" if sum(p["rows_now"] is not None for p in exc.plan) == 1 else "them")
                + ", run the command again with --replace."
            ) from None
        except ValueError as exc:
            message = str(exc)
            raise CommandError(
                f"{path.name} was not imported: {message[0].lower()}{message[1:]}"
            ) from None
        for year, n in counts.items():
            self.stdout.write(f"Imported {n:,} rows for {year}.")
