"""CSV and Excel writers with a guard against spreadsheet formulas."""

import codecs
import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .tables import Table, _yes_no

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell as CSV text: ISO dates, plain decimals, formula-like text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1.50 -> 1.5, 64.0000 -> 64, 100 -> 100
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV lines, beginning with the byte order mark Excel looks for."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8.decode("utf-8")
    yield writer.writerow(table.header)
    for row in table.all_rows():
        yield writer.writerow([csv_cell(v) for v in row])


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
