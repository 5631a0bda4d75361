"""Reader for the national "Mental Health Act Statistics, Annual Figures" CSV files.

The header must hold exactly the columns in :data:`COLUMNS` (in any order). Count columns
(``MHSDS_Count``, ``Acute_Count``, ``Total_Count``) must be whole numbers and may use
thousands separators; rate columns (``CrudeRate``, ``StdRate``) are decimal numbers. In any
of those five columns ``*`` means the value was suppressed and ``NULL`` (or an empty cell)
means it is missing: both are read as ``None`` and the row records which happened in
:attr:`MhaStatsRow.suppressed` and :attr:`MhaStatsRow.missing`.

``Confidence_interval`` is kept as text; when it holds two numbers (for example
``"240.1 - 285.3"`` or ``"(240.1, 285.3)"``) they are also given as
:attr:`MhaStatsRow.confidence_limits`.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO

__all__ = [
    "COLUMNS",
    "MISSING",
    "SUPPRESSED",
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
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_INTEGER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_DECIMAL = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+")


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


def _check_header(header: list[str] | None) -> list[str]:
    if not header:
        expected = ", ".join(COLUMNS)
        raise ValueError(f"the file is empty: expected a header row with columns {expected}")
    names = [h.strip() for h in header]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    missing = [c for c in COLUMNS if c not in names]
    unexpected = [n for n in names if n not in COLUMNS]
    problems = []
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if unexpected:
        problems.append("unexpected columns: " + ", ".join(repr(u) for u in unexpected))
    if duplicates:
        problems.append("repeated columns: " + ", ".join(duplicates))
    if problems:
        raise ValueError("the header is not in the MHA statistics format; " + "; ".join(problems))
    return names


def _number(raw: str, column: str, line: int, whole: bool) -> int | float:
    text = raw.strip()
    pattern = _INTEGER if whole else _DECIMAL
    if not pattern.fullmatch(text):
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"line {line}: {column} should be {kind}, '*' or 'NULL', not {raw!r}")
    cleaned = text.replace(",", "")
    return int(cleaned) if whole else float(cleaned)


def _limits(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    found = _NUMBER.findall(text.replace(",", " , "))
    if len(found) != 2:
        return None
    lo, hi = float(found[0]), float(found[1])
    return (lo, hi) if lo <= hi else None


def _rows(lines: Iterable[str]) -> list[MhaStatsRow]:
    reader = csv.reader(lines)
    header = _check_header(next(reader, None))
    width = len(header)
    out: list[MhaStatsRow] = []
    start = reader.line_num + 1
    for values in reader:
        line = start
        start = reader.line_num + 1
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != width:
            raise ValueError(f"line {line}: expected {width} values but found {len(values)}")
        cell = dict(zip(header, values, strict=True))
        fields: dict[str, object] = {tgt: cell[src].strip() for src, tgt in _TEXT.items()}
        suppressed: set[str] = set()
        missing: set[str] = set()
        for group, whole in ((_COUNTS, True), (_RATES, False)):
            for src, tgt in group.items():
                raw = cell[src].strip()
                if raw == SUPPRESSED:
                    fields[tgt] = None
                    suppressed.add(tgt)
                elif raw.upper() == MISSING or raw == "":
                    fields[tgt] = None
                    missing.add(tgt)
                else:
                    fields[tgt] = _number(raw, src, line, whole)
        ci = cell["Confidence_interval"].strip()
        if ci == SUPPRESSED:
            suppressed.add("confidence_interval")
            ci_text = None
        elif ci.upper() == MISSING or ci == "":
            missing.add("confidence_interval")
            ci_text = None
        else:
            ci_text = ci
        out.append(
            MhaStatsRow(
                line=line,
                confidence_interval=ci_text,
                confidence_limits=_limits(ci_text),
                suppressed=frozenset(suppressed),
                missing=frozenset(missing),
                **fields,  # type: ignore[arg-type]
            )
        )
    return out


def parse_mha_stats(text: str) -> list[MhaStatsRow]:
    """Parse the contents of an MHA statistics CSV file given as a string."""
    return _rows(io.StringIO(text.removeprefix("\ufeff"), newline=""))


def read_mha_stats(source: str | os.PathLike[str] | IO[str]) -> list[MhaStatsRow]:
    """Read an MHA statistics CSV file from a path or an open text file.

    Raises ``ValueError`` naming the missing or unexpected columns if the header is wrong,
    and naming the line if a count or rate cannot be read.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, encoding="utf-8-sig", newline="") as handle:
            return _rows(handle)
    return parse_mha_stats(source.read())


def sample_path() -> Path:
    """Path of the bundled fictional sample file."""
    return Path(str(resources.files("coproduce.equity") / "data" / "mha_stats_sample.csv"))
