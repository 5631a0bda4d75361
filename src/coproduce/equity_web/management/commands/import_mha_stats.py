"""``coproduce import-mha-stats FILE.csv``: store the national MHA statistics, year by year."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coproduce.equity_web import services


class Command(BaseCommand):
    help = (
        "Import a national 'Mental Health Act Statistics, Annual Figures' CSV file. "
        "Each year in the file replaces the same year already held, all at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file to import")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            counts = services.import_national_file(path, path.name)
        except UnicodeDecodeError:
            raise CommandError(f"{path.name} is not a UTF-8 text file.") from None
        except ValueError as exc:
            message = str(exc)
            raise CommandError(
                f"{path.name} was not imported: {message[0].lower()}{message[1:]}"
            ) from None
        for year, n in counts.items():
            self.stdout.write(f"Imported {n:,} rows for {year}.")
