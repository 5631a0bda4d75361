"""The one CSV writer for every download: UTF-8 with a byte order mark, ISO dates, plain
decimals, and text that a spreadsheet would run as a formula made inert.

Pure Python: ``csv_response`` imports Django only when it is called.
"""

import codecs
import csv
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = codecs.BOM_UTF8.decode("utf-8")


def csv_cell(value) -> str:
    """A cell as CSV text: ISO dates, plain decimals, formula-like text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
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


def rows_to_lines(header: Iterable | None, rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV lines, beginning with the byte order mark Excel looks for. Every cell of every
    row (the header too) goes through :func:`csv_cell`."""
    writer = csv.writer(_Echo())
    yield BOM
    if header is not None:
        yield writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_lines(table) -> Iterator[str]:
    """A table (anything with ``header`` and ``all_rows()``) as CSV lines."""
    return rows_to_lines(table.header, table.all_rows())


def csv_text(header: Iterable | None, rows: Iterable[Iterable]) -> str:
    return "".join(rows_to_lines(header, rows))


def safe_file_name(name: str, limit: int = 80) -> str:
    """Letters, digits and hyphens only, so the name is safe in a header."""
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower())
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug.strip("-")[:limit] or "download"


def csv_response(
    file_name: str, header: Iterable | None, rows: Iterable[Iterable], *, stream=False
):
    """A CSV download named ``file_name`` (made safe; ``.csv`` is added). ``stream`` for
    large tables, read row by row."""
    from django.http import HttpResponse, StreamingHttpResponse

    lines = rows_to_lines(header, rows)
    content_type = "text/csv; charset=utf-8"
    if stream:
        response = StreamingHttpResponse(lines, content_type=content_type)
    else:
        response = HttpResponse("".join(lines), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_file_name(file_name)}.csv"'
    return response
