"""Tables and columns: what an export returns, independent of the file format."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .filters import CHUNK


@dataclass
class Table:
    """One export: a sheet title (31 characters at most), a header and its rows."""

    title: str
    header: list[str]
    rows: Iterable[list]
    notes: list[str] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)

    def all_rows(self) -> Iterator[list]:
        """The data rows, then (after a blank row) one row per note."""
        yield from self.rows
        if self.notes:
            yield []
            for note in self.notes:
                yield [note]


def _label(choices) -> Callable[[str], str]:
    lookup = dict(choices.choices)
    return lambda value: lookup.get(value, value or "")


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def _hours(minutes) -> Decimal:
    return (Decimal(minutes or 0) / Decimal(60)).quantize(Decimal("0.01"))


def _or_whole_provider(value) -> str:
    return value or "Whole provider"


@dataclass(frozen=True)
class Column:
    """A column: its heading, and either a field to read (with an optional format) or a
    function of the whole row. ``width`` caps the column's width in Excel."""

    heading: str
    source: str | Callable[[dict], object]
    format: Callable | None = None
    width: int | None = None

    def value(self, row: dict):
        if callable(self.source):
            return self.source(row)
        value = row[self.source]
        return self.format(value) if self.format else value


def _table(title: str, queryset, columns: list[Column], also: tuple = ()) -> Table:
    """Rows straight from one query (``values``), streamed in chunks, mapped by columns."""
    fields = [c.source for c in columns if isinstance(c.source, str)]
    fields += [f for f in also if f not in fields]

    def generate():
        for row in queryset.values(*fields).iterator(chunk_size=CHUNK):
            yield [c.value(row) for c in columns]

    return Table(
        title,
        [c.heading for c in columns],
        generate(),
        widths={i: c.width for i, c in enumerate(columns) if c.width},
    )
