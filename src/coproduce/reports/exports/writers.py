"""Excel writer, and the CSV writer shared by every download (``coproduce.core.csv_writer``)."""

import io
import itertools
from collections.abc import Iterable
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from coproduce.core.csv_writer import FORMULA_STARTS, csv_cell, csv_lines  # noqa: F401

from .tables import Table, _yes_no


def csv_text(table: Table) -> str:
    return "".join(csv_lines(table))


SAMPLE_ROWS = 200


MAX_WIDTH = 60


def _excel_value(value):
    if isinstance(value, bool):
        return _yes_no(value)
    return value


def _text_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return len(csv_cell(value))


def add_sheet(workbook: Workbook, table: Table) -> None:
    """Append the table as a sheet: bold, frozen header row, widths fitted to the content."""
    sheet = workbook.create_sheet(table.title[:31])
    rows = iter(table.all_rows())
    sample = list(itertools.islice(rows, SAMPLE_ROWS))
    for i, heading in enumerate(table.header):
        widest = max([len(heading)] + [_text_width(r[i]) for r in sample if len(r) > i])
        width = min(table.widths.get(i, MAX_WIDTH), max(10, widest + 2))
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for heading in table.header:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    for row in itertools.chain(sample, rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_excel_value(value))
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never run as a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)


def workbook_bytes(tables: Iterable[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    for table in tables:
        add_sheet(workbook, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
