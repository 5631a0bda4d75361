"""Reads and writes for quality improvement that are more than a single save.

SPC readings (figures to charts and summaries) are in ``readings.py``.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from coproduce.core import audit
from coproduce.improvement.signals import figures_changed
from coproduce.spc.text import format_number

from .models import (
    ActDecision,
    DataPoint,
    Frequency,
    IdeaStatus,
    PDSACycle,
    WardMeasure,
    period_start_for,
)

# Readings live in ``readings.py``, the one path from figures to SPC; the names stay
# importable from here for the pages that already use them.
from .readings import Reading, readings_for, rebase_indices, summary_counts  # noqa: F401

# --------------------------------------------------------------------------- data entry


def parse_decimal(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("is not a number") from None
    if not value.is_finite():
        raise ValueError("is not a number")
    if abs(value) >= Decimal("1e10"):
        raise ValueError("is too large")
    return value.quantize(Decimal("0.0001"))


def work_out_value(measure, value, numerator, denominator) -> Decimal:
    """The value to store: given, or worked out from numerator and denominator.

    Raises ValueError with a reason people can act on.
    """
    if (numerator is None) != (denominator is None):
        raise ValueError("give both the numerator and the denominator, or neither")
    if numerator is not None:
        if not measure.is_rate:
            raise ValueError(f"{measure.name} is not a rate: give the value only")
        if denominator <= 0:
            raise ValueError("the denominator must be more than 0")
        if numerator < 0:
            raise ValueError("the numerator cannot be negative")
        worked = measure.value_from(numerator, denominator)
        if value is not None and abs(value - worked) > max(Decimal("0.01"), abs(worked) / 1000):
            raise ValueError(
                f"the value {format_number(float(value))} does not match the numerator and "
                f"denominator, which give {format_number(float(worked))}"
            )
        return worked
    if value is None:
        raise ValueError("the value is missing")
    return value


@dataclass
class ImportRow:
    line: int
    ward_measure: WardMeasure
    period: date
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    existing: Decimal | None = None


@dataclass
class ParsedFile:
    rows: list[ImportRow]
    errors: list[tuple[int, str]]

    @property
    def replacing(self) -> list[ImportRow]:
        return [r for r in self.rows if r.existing is not None]


REQUIRED_COLUMNS = ("measure", "period", "value")
OPTIONAL_COLUMNS = ("numerator", "denominator")
MAX_UPLOAD_BYTES = 200 * 1024
MAX_ERRORS_SHOWN = 200


def parse_csv(text: str, ward) -> ParsedFile:
    """Read a CSV of figures for one ward; every bad row gives (line, reason)."""
    adopted = {
        wm.measure.name.strip().lower(): wm
        for wm in WardMeasure.objects.filter(ward=ward).select_related("measure")
    }
    errors: list[tuple[int, str]] = []
    rows: list[ImportRow] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return ParsedFile([], [(1, "The file is empty. The first line must name the columns.")])
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [h for h in names if h and h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(
                "missing the column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
            )
        if unknown:
            parts.append("has columns we do not know: " + ", ".join(unknown))
        return ParsedFile(
            [],
            [
                (
                    1,
                    "The first line " + " and ".join(parts) + ". Use: measure, period, value, "
                    "numerator, denominator (numerator and denominator are optional).",
                )
            ],
        )
    col = {name: names.index(name) for name in names if name}
    seen: dict[tuple[int, date], int] = {}
    try:
        for line_rows in _numbered(reader):
            line, cells = line_rows
            if not any(c.strip() for c in cells):
                continue
            try:
                row = _parse_row(cells, col, adopted)
            except ValueError as exc:
                errors.append((line, str(exc)))
                continue
            key = (row[0].id, row[1])
            if key in seen:
                errors.append(
                    (
                        line,
                        f"{row[0].measure.name} for {row[1].isoformat()} is already on line "
                        f"{seen[key]}: give each period once",
                    )
                )
                continue
            seen[key] = line
            rows.append(ImportRow(line, *row))
    except csv.Error as exc:
        errors.append((reader.line_num, f"the file could not be read as CSV ({exc})"))
    if not rows and not errors:
        errors.append((2, "The file has no figures after the first line."))
    if rows:
        _mark_existing(rows)
    return ParsedFile(rows, errors)


def _numbered(reader):
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield reader.line_num, cells


def _cell(cells, col, name) -> str:
    i = col.get(name)
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _parse_row(cells, col, adopted):
    name = _cell(cells, col, "measure")
    if not name:
        raise ValueError("the measure is missing")
    wm = adopted.get(name.lower())
    if wm is None:
        raise ValueError(f"“{name}” is not a measure this ward has adopted")
    if not wm.active:
        raise ValueError(f"{wm.measure.name} is no longer collected on this ward")
    period_text = _cell(cells, col, "period")
    if not period_text:
        raise ValueError("the period is missing")
    try:
        period = date.fromisoformat(period_text)
    except ValueError:
        raise ValueError(f"the period “{period_text}” is not a date like 2025-03-03") from None
    frequency = wm.measure.frequency
    start = period_start_for(frequency, period)
    if start != period:
        if frequency == Frequency.WEEKLY:
            raise ValueError(
                f"{period.isoformat()} is not a Monday: weekly figures use the Monday the week "
                f"starts ({start.isoformat()})"
            )
        raise ValueError(
            f"{period.isoformat()} is not the 1st of a month: monthly figures use the first day "
            f"of the month ({start.isoformat()})"
        )
    if period > date.today():
        raise ValueError(f"{period.isoformat()} is in the future")
    values = {}
    for key in ("value", "numerator", "denominator"):
        try:
            values[key] = parse_decimal(_cell(cells, col, key))
        except ValueError as exc:
            raise ValueError(f"the {key} “{_cell(cells, col, key)}” {exc}") from None
    value = work_out_value(wm.measure, values["value"], values["numerator"], values["denominator"])
    return wm, period, value, values["numerator"], values["denominator"]


def _mark_existing(rows: list[ImportRow]) -> None:
    wm_ids = {r.ward_measure.id for r in rows}
    periods = {r.period for r in rows}
    existing = {
        (wm_id, day): value
        for wm_id, day, value in DataPoint.objects.filter(
            ward_measure_id__in=wm_ids, period_start__in=periods
        ).values_list("ward_measure_id", "period_start", "value")
    }
    for row in rows:
        row.existing = existing.get((row.ward_measure.id, row.period))


@transaction.atomic
def save_rows(rows: list[ImportRow], *, replace: bool, source: str) -> tuple[int, int]:
    """Save figures all together, or not at all. Returns (added, replaced).

    Refuses (ValueError) when a period already holds a value and ``replace`` is False.
    """
    _mark_existing(rows)  # read again inside the transaction
    clashes = [r for r in rows if r.existing is not None]
    if clashes and not replace:
        raise ValueError(f"{len(clashes)} of the figures are for periods that already have values")
    current = {
        (p.ward_measure_id, p.period_start): p
        for p in DataPoint.objects.select_for_update().filter(
            ward_measure_id__in={r.ward_measure.id for r in rows},
            period_start__in={r.period for r in rows},
        )
    }
    new, changed = [], []
    now = timezone.now()
    for r in rows:
        point = current.get((r.ward_measure.id, r.period))
        if point is None:
            new.append(
                DataPoint(
                    ward_measure=r.ward_measure,
                    period_start=r.period,
                    value=r.value,
                    numerator=r.numerator,
                    denominator=r.denominator,
                )
            )
        else:
            point.value, point.numerator, point.denominator = r.value, r.numerator, r.denominator
            point.entered_at = now
            changed.append(point)
    DataPoint.objects.bulk_create(new)
    if changed:
        DataPoint.objects.bulk_update(changed, ["value", "numerator", "denominator", "entered_at"])
    figures_changed.send(save_rows, ward_measure_ids={r.ward_measure.id for r in rows})
    by_measure = defaultdict(lambda: [0, 0])
    for r in rows:
        by_measure[r.ward_measure][0 if r.existing is None else 1] += 1
    for wm, (added, replaced) in by_measure.items():
        audit.record(
            "update",
            wm,
            changes={"figures added": [None, added], "figures replaced": [None, replaced]},
            note=f"Figures imported from {source}"[:300],
        )
    return len(new), len(changed)


# --------------------------------------------------------------------------- PDSA cycles


def next_cycle_number(idea) -> int:
    return (idea.cycles.aggregate(n=Max("number"))["n"] or 0) + 1


STATUS_FOR_ACT = {
    ActDecision.ADOPT: IdeaStatus.ADOPTED,
    ActDecision.ADAPT: IdeaStatus.TESTING,
    ActDecision.ABANDON: IdeaStatus.ABANDONED,
}


def record_act(cycle: PDSACycle) -> None:
    """After a decision, the change idea's status follows it."""
    idea = cycle.change_idea
    status = STATUS_FOR_ACT.get(cycle.act)
    if status and idea.status != status:
        idea.status = status
        idea.save(update_fields=["status"])


def evidence_for(ideas) -> dict[int, list[dict]]:
    """For each change idea: its linked measures and whether each shows special cause
    improvement on or after the start of the first cycle that watched it."""
    ideas = list(ideas)
    links = list(
        PDSACycle.measures.through.objects.filter(pdsacycle__change_idea__in=ideas).values_list(
            "pdsacycle__change_idea_id", "pdsacycle__start_date", "wardmeasure_id"
        )
    )
    first_start: dict[tuple[int, int], date] = {}
    for idea_id, start, wm_id in links:
        key = (idea_id, wm_id)
        if key not in first_start or start < first_start[key]:
            first_start[key] = start
    wms = WardMeasure.objects.filter(id__in={wm for _, _, wm in links}).select_related(
        "measure", "ward"
    )
    readings = {r.ward_measure.id: r for r in readings_for(wms)}
    out: dict[int, list[dict]] = defaultdict(list)
    for (idea_id, wm_id), start in sorted(first_start.items()):
        reading = readings[wm_id]
        out[idea_id].append(
            {"reading": reading, "since": start, "improved": reading.improvement_after(start)}
        )
    return out
