"""Exports: tables of measures, data, PDSA cycles, involvement, coaching and phase outputs.

Each export is a function taking the person and an :class:`ExportFilter` and returning a
:class:`Table` (a title, a header and rows). Every queryset starts from
``visible_to(user)``, so an export holds only what the person may read in Coproduce, and
each table is built from a fixed number of queries whatever the number of rows (rows come
from ``values_list`` with the joins done in the database, streamed with ``iterator``).

Writers turn tables into CSV (streamed, UTF-8 with a byte order mark so Excel reads the
accents, cells that a spreadsheet would run as a formula made inert) or an Excel workbook
(one sheet per table, bold header row, set column widths).

Figures by group (ethnicity, learning disability, autism) are not exported here: they are
published, under disclosure control, from the equity pages' own downloads.
"""
# One module per export; this package keeps the names other code imports.

from .coaching import coaching_actions, coaching_log  # noqa: F401
from .commissioner import (  # noqa: F401
    DEFINITIONS,
    EXECUTIVE_KINDS,
    STAFF_ROLES,
    WARD_KINDS,
    coaching_group,
    commissioner_outputs,
)
from .filters import CHUNK, ExportFilter, default_phase  # noqa: F401
from .involvement import involvement_log  # noqa: F401
from .measures import measure_data, measures  # noqa: F401
from .pdsa import pdsa_cycles  # noqa: F401
from .registry import EXPORTS, FORMATS, WORKBOOK, Export, build, build_all  # noqa: F401
from .tables import Column, Table  # noqa: F401
from .writers import (  # noqa: F401
    FORMULA_STARTS,
    MAX_WIDTH,
    SAMPLE_ROWS,
    add_sheet,
    csv_cell,
    csv_lines,
    csv_text,
    workbook_bytes,
)
