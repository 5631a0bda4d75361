"""Reader for the national "Mental Health Act Statistics, Annual Figures" CSV files.

The header must hold exactly the columns in :data:`COLUMNS` (in any order). Count columns
(``MHSDS_Count``, ``Acute_Count``, ``Total_Count``) must be whole numbers and may use
thousands separators; rate columns (``CrudeRate``, ``StdRate``) are decimal numbers. In any
of those five columns ``*`` means the value was suppressed and ``NULL`` (or an empty cell)
means it is missing: both are read as ``None`` and the row records which happened in
:attr:`MhaStatsRow.suppressed` and :attr:`MhaStatsRow.missing`.

Every row is checked against the published layout: ``Year`` is a financial year like
``2023-24``; counts are whole numbers from 0 to 10,000,000; rates are numbers from 0 up;
text is no longer than the columns that hold it (:data:`MAX_TEXT`). All the problems are
raised together as :class:`MhaStatsProblems`, each with its line. The file is read by the
shared upload layer (``coproduce.core.uploads``), which is pure Python too.

``Confidence_interval`` is kept as text; when it holds two numbers (for example
``"240.1 - 285.3"`` or ``"(240.1, 285.3)"``) they are also given as
:attr:`MhaStatsRow.confidence_limits`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO

from coproduce.core.uploads import UploadProblems, decode, read_csv

__all__ = [
    "COLUMNS",
    "MISSING",
    "SUPPRESSED",
    "MhaStatsProblems",
    "MhaStatsRow",
    "parse_mha_stats",
    "read_mha_stats",
    "sample_path",
]

COLUMNS: tuple[str, ...] = (
    "Year",
    "Measure",
    "MeasureSubcategory",
    "Demographic",
    "DemographicBreakdown",
    "OrganisationBreakdown",
    "Datasource",
    "OrgID",
    "OrgName",
    "MHSDS_Count",
    "Acute_Count",
    "Total_Count",
    "CrudeRate",
    "StdRate",
    "Confidence_interval",
)

SUPPRESSED = "*"
MISSING = "NULL"

_COUNTS = {"MHSDS_Count": "mhsds_count", "Acute_Count": "acute_count", "Total_Count": "total_count"}
_RATES = {"CrudeRate": "crude_rate", "StdRate": "std_rate"}
_TEXT = {
    "Year": "year",
    "Measure": "measure",
    "MeasureSubcategory": "measure_subcategory",
    "Demographic": "demographic",
    "DemographicBreakdown": "demographic_breakdown",
    "OrganisationBreakdown": "organisation_breakdown",
    "Datasource": "datasource",
    "OrgID": "org_id",
    "OrgName": "org_name",
}
_YEAR = re.compile(r"([0-9]{4})-([0-9]{2})")
MAX_COUNT = 10_000_000
MAX_RATE = 10_000_000
MAX_ROWS = 500_000
MAX_PROBLEMS = 100
#: Longest text the published layout holds in each column (as stored).
MAX_TEXT = {
    "Measure": 200,
    "MeasureSubcategory": 200,
    "Demographic": 200,
    "DemographicBreakdown": 200,
    "OrganisationBreakdown": 100,
    "Datasource": 100,
    "OrgID": 20,
    "OrgName": 300,
    "Confidence_interval": 100,
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_INTEGER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|-?\.[0-9]+")


@dataclass(frozen=True)
class MhaStatsRow:
    """One data row. Number fields are ``None`` when suppressed or missing.

    ``suppressed`` and ``missing`` hold the names of the fields (as attribute names, for
    example ``"total_count"``) that were ``*`` or ``NULL``. ``line`` is the line number of
    the row in the file (the header is line 1).
    """

    line: int
    year: str
    measure: str
    measure_subcategory: str
    demographic: str
    demographic_breakdown: str
    organisation_breakdown: str
    datasource: str
    org_id: str
    org_name: str
    mhsds_count: int | None
    acute_count: int | None
    total_count: int | None
    crude_rate: float | None
    std_rate: float | None
    confidence_interval: str | None
    confidence_limits: tuple[float, float] | None = None
    suppressed: frozenset[str] = field(default_factory=frozenset)
    missing: frozenset[str] = field(default_factory=frozenset)

    def is_suppressed(self, name: str) -> bool:
        return name in self.suppressed

    def as_dict(self) -> dict[str, object]:
        """The row as a plain dictionary (sets become sorted lists)."""
        out: dict[str, object] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = sorted(value) if isinstance(value, frozenset) else value
        return out


class MhaStatsProblems(ValueError):
    """A file that does not follow the published layout: ``problems`` holds (line, reason)."""

    def __init__(self, problems: list[tuple[int | None, str]], more: int = 0):
        self.problems = problems
        self.more = more
        text = "; ".join(f"line {n}: {r}" if n is not None else r for n, r in problems)
        if more:
            text += f"; and {more:,} more lines with problems"
        super().__init__(text)


def _shown(raw: str) -> str:
    return repr(raw if len(raw) <= 30 else raw[:30] + "…")


def _year_problem(text: str) -> str | None:
    found = _YEAR.fullmatch(text)
    if found and int(found.group(2)) == (int(found.group(1)) + 1) % 100:
        return None
    return f"Year should be a financial year like 2023-24, not {_shown(text)}"


def _number(raw: str, column: str, whole: bool) -> int | float:
    """A count (whole, 0 to MAX_COUNT) or a rate (not negative, up to MAX_RATE)."""
    text = raw.strip()
    pattern = _INTEGER if whole else _DECIMAL
    if not pattern.fullmatch(text):
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"{column} should be {kind}, '*' or 'NULL', not {_shown(raw)}")
    cleaned = text.replace(",", "")
    value = int(cleaned) if whole else float(cleaned)
    limit = MAX_COUNT if whole else MAX_RATE
    if value < 0 or value > limit:
        raise ValueError(f"{column} should be between 0 and {limit:,}, not {_shown(raw)}")
    return value


def _limits(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    found = _NUMBER.findall(text.replace(",", " , "))
    if len(found) != 2:
        return None
    lo, hi = float(found[0]), float(found[1])
    return (lo, hi) if lo <= hi else None


def _row(line: int, cell: dict[str, str]) -> MhaStatsRow:
    """One row checked against the published layout; ValueError lists what is wrong."""
    problems = []
    fields: dict[str, object] = {tgt: cell[src] for src, tgt in _TEXT.items()}
    if not cell["Year"]:
        problems.append("Year is empty")
    else:
        wrong = _year_problem(cell["Year"])
        if wrong:
            problems.append(wrong)
    if not cell["Measure"]:
        problems.append("Measure is empty")
    for src, limit in MAX_TEXT.items():
        if len(cell[src]) > limit:
            problems.append(f"{src} is longer than {limit} characters")
    suppressed: set[str] = set()
    missing: set[str] = set()
    for group, whole in ((_COUNTS, True), (_RATES, False)):
        for src, tgt in group.items():
            raw = cell[src]
            if raw == SUPPRESSED:
                fields[tgt] = None
                suppressed.add(tgt)
            elif raw.upper() == MISSING or raw == "":
                fields[tgt] = None
                missing.add(tgt)
            else:
                try:
                    fields[tgt] = _number(raw, src, whole)
                except ValueError as exc:
                    problems.append(str(exc))
    ci = cell["Confidence_interval"]
    if ci == SUPPRESSED:
        suppressed.add("confidence_interval")
        ci_text = None
    elif ci.upper() == MISSING or ci == "":
        missing.add("confidence_interval")
        ci_text = None
    else:
        ci_text = ci
    if problems:
        raise ValueError("; ".join(problems))
    return MhaStatsRow(
        line=line,
        confidence_interval=ci_text,
        confidence_limits=_limits(ci_text),
        suppressed=frozenset(suppressed),
        missing=frozenset(missing),
        **fields,  # type: ignore[arg-type]
    )


def _rows(text: str) -> list[MhaStatsRow]:
    """Read the file through the shared upload layer, then check every row; all the
    problems are given together (up to :data:`MAX_PROBLEMS`), each with its line."""
    try:
        table = read_csv(
            text,
            columns=COLUMNS,
            required=COLUMNS,
            max_rows=MAX_ROWS,
            exact_width=True,
            case_sensitive=True,
        )
    except UploadProblems as exc:
        raise MhaStatsProblems(exc.problems) from None
    problems: list[tuple[int | None, str]] = list(table.problems)
    out: list[MhaStatsRow] = []
    for row in table.rows:
        try:
            out.append(_row(row.line, row.cells))
        except ValueError as exc:
            problems.append((row.line, str(exc)))
    if problems:
        problems.sort(key=lambda p: p[0] or 0)
        raise MhaStatsProblems(problems[:MAX_PROBLEMS], more=max(0, len(problems) - MAX_PROBLEMS))
    return out


def parse_mha_stats(text: str) -> list[MhaStatsRow]:
    """Parse the contents of an MHA statistics CSV file given as a string."""
    return _rows(text)


def read_mha_stats(source: str | os.PathLike[str] | IO[str]) -> list[MhaStatsRow]:
    """Read an MHA statistics CSV file from a path or an open text file.

    Raises ``ValueError`` naming the missing or unexpected columns if the header is wrong,
    and naming the line if a count or rate cannot be read.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            try:
                return _rows(decode(handle.read()))
            except UploadProblems as exc:
                raise MhaStatsProblems(exc.problems) from None
    return parse_mha_stats(source.read())


def sample_path() -> Path:
    """Path of the bundled fictional sample file."""
    return Path(str(resources.files("coproduce.equity") / "data" / "mha_stats_sample.csv"))
