"""One way to read an uploaded CSV file, for every upload in Coproduce.

A file is read once: decoded (UTF-8, with or without a byte order mark), its delimiter
checked, its header checked against the columns the caller knows, and its rows numbered
with the line each starts on. Problems are plain sentences naming the line. Callers check
the cells themselves and keep the checked rows, never the raw text, in a
:class:`~coproduce.core.models.PendingUpload` until the person confirms.

The reading part is pure Python (the national statistics reader in ``coproduce.equity``
uses it); only the pending-upload helpers touch the database, and import Django when called.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

MAX_CELL_CHARS = 1000
PENDING_HOURS = 8

__all__ = [
    "CsvFile",
    "CsvRow",
    "UploadProblems",
    "decode",
    "discard_pending",
    "keep_pending",
    "pending_for",
    "read_csv",
    "read_upload",
]


class UploadProblems(ValueError):
    """A file that cannot be used. ``problems`` holds (line or None, reason) pairs."""

    def __init__(self, problems: Iterable[tuple[int | None, str]]):
        self.problems = list(problems)
        super().__init__("; ".join(_say(line, reason) for line, reason in self.problems))

    @property
    def messages(self) -> list[str]:
        return [_say(line, reason) for line, reason in self.problems]


def _say(line: int | None, reason: str) -> str:
    return reason if line is None else f"Line {line}: {reason}"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n // (1024 * 1024)} MB"
    return f"{n // 1024} KB"


def decode(raw: bytes) -> str:
    """The file's text. UTF-8 with or without a byte order mark; anything else is refused."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadProblems(
            [
                (
                    None,
                    "The file is not saved as UTF-8 text. In your spreadsheet choose "
                    "'Save as', then 'CSV UTF-8 (comma delimited)', and upload it again.",
                )
            ]
        ) from None
    if "\x00" in text:
        raise UploadProblems(
            [(None, "The file is not a CSV file. Save it as CSV UTF-8 and upload it again.")]
        )
    return text


def read_upload(upload, *, max_bytes: int, extensions: Sequence[str] = (".csv", ".txt")) -> str:
    """Check an uploaded file's name and size, read it and decode it."""
    name = (getattr(upload, "name", "") or "").lower()
    if extensions and not name.endswith(tuple(extensions)):
        raise UploadProblems([(None, "The file must be a CSV file (ending .csv)")])
    if upload.size > max_bytes:
        raise UploadProblems(
            [
                (
                    None,
                    f"The file is larger than {_size(max_bytes)}. Split it into smaller files, "
                    "for example one per year.",
                )
            ]
        )
    return decode(upload.read())


@dataclass(frozen=True)
class CsvRow:
    """One row: the line it starts on and its cells by column name (stripped)."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.cells.get(name, "")


@dataclass
class CsvFile:
    columns: list[str]
    rows: list[CsvRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _delimiter_problem(first_line: str) -> str | None:
    if "," in first_line:
        return None
    for mark, words in ((";", "semicolons"), ("\t", "tabs")):
        if mark in first_line:
            return (
                f"The columns are separated by {words}, not commas. In your spreadsheet choose "
                "'Save as', then 'CSV UTF-8 (comma delimited)', and upload the file again."
            )
    return None


def _header_problem(names, known, required) -> str | None:
    missing = [c for c in required if c not in names]
    unexpected = [n for n in names if n not in known]
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    problems = []
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if unexpected:
        problems.append("unexpected columns: " + ", ".join(repr(u) for u in unexpected))
    if repeated:
        problems.append("repeated columns: " + ", ".join(repeated))
    if not problems:
        return None
    return (
        "the first line must name the columns ("
        + ", ".join(known)
        + "); this file has "
        + "; ".join(problems)
    )


def read_csv(
    text: str,
    *,
    columns: Sequence[str],
    required: Sequence[str] = (),
    max_rows: int = 5000,
    exact_width: bool = False,
    case_sensitive: bool = False,
) -> CsvFile:
    """Read CSV text whose first line names the columns.

    ``columns`` are all the columns the file may have, ``required`` those it must have.
    Blank lines are skipped. Raises :class:`UploadProblems` for a problem with the whole file
    (empty, wrong delimiter, wrong header, too many rows, not CSV); a row with the wrong
    number of values goes into ``problems`` so the caller can list it with its own.
    """
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise UploadProblems(
            [(1, "the file is empty: the first line must name the columns " + ", ".join(columns))]
        )
    wrong = _delimiter_problem(first_line)
    if wrong:
        raise UploadProblems([(1, wrong)])

    def fold(name: str) -> str:
        name = name.strip()
        return name if case_sensitive else name.lower()

    known = [fold(c) for c in columns]
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise UploadProblems([(1, f"the file could not be read as CSV ({exc})")]) from None
    names = [fold(h) for h in header or []]
    problem = _header_problem(names, known, [fold(c) for c in required])
    if problem:
        raise UploadProblems([(1, problem)])
    out = CsvFile(columns=names)
    start = reader.line_num + 1
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise UploadProblems(
                [(start, f"the file could not be read as CSV from this line ({exc})")]
            ) from None
        line, start = start, reader.line_num + 1
        if not values or all(not v.strip() for v in values):
            continue
        count += 1
        if count > max_rows:
            raise UploadProblems(
                [
                    (
                        None,
                        f"The file has more than {max_rows:,} rows. Split it into smaller "
                        "files, for example one per year.",
                    )
                ]
            )
        if len(values) > len(names) and any(v.strip() for v in values[len(names) :]):
            out.problems.append(
                (
                    line,
                    f"expected {len(names)} values but found {len(values)}. A value with a "
                    'comma in it must be in double quotes, like "Restraint per 1,000 bed days"',
                )
            )
            continue
        if exact_width and len(values) != len(names):
            out.problems.append((line, f"expected {len(names)} values but found {len(values)}"))
            continue
        if any(len(v) > MAX_CELL_CHARS for v in values):
            out.problems.append((line, f"a value is longer than {MAX_CELL_CHARS:,} characters"))
            continue
        cells = {n: v.strip() for n, v in zip(names, values, strict=False) if n}
        out.rows.append(CsvRow(line, cells))
    return out


# --------------------------------------------------------------------------- waiting to confirm


def keep_pending(user, kind: str, scope: str, file_name: str, rows: list, summary=None):
    """Keep checked rows (JSON-able) until the person confirms. Replaces any earlier
    upload of the same kind and scope by the same person, and forgets old ones."""
    from django.utils import timezone

    from .models import PendingUpload

    PendingUpload.objects.filter(owner=user, kind=kind, scope=scope).delete()
    PendingUpload.objects.filter(
        created_at__lt=timezone.now() - timedelta(hours=PENDING_HOURS)
    ).delete()
    return PendingUpload.objects.create(
        owner=user,
        kind=kind,
        scope=scope,
        file_name=file_name[:255],
        rows=rows,
        summary=summary or {},
    )


def pending_for(user, kind: str, scope: str):
    """The person's upload waiting for confirmation, or None (also when it is too old)."""
    from django.utils import timezone

    from .models import PendingUpload

    return (
        PendingUpload.objects.filter(
            owner=user,
            kind=kind,
            scope=scope,
            created_at__gte=timezone.now() - timedelta(hours=PENDING_HOURS),
        )
        .order_by("-created_at")
        .first()
    )


def discard_pending(user, kind: str, scope: str) -> None:
    from .models import PendingUpload

    PendingUpload.objects.filter(owner=user, kind=kind, scope=scope).delete()
