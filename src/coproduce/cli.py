"""The ``coproduce`` command: Django management commands, plus the pure ``spc`` tool.

``coproduce demo``, ``coproduce migrate`` and the rest run as Django management commands.
``coproduce spc FILE.csv ...`` runs the SPC engine without starting Django. Hyphens in
command names are read as underscores (``coproduce import-mha-stats`` runs
``import_mha_stats``).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "spc":
        from coproduce.spc.cli import main as spc_main

        return spc_main(argv[2:])
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")  # coproduce import-mha-stats → import_mha_stats
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
