"""Reads and writes for quality improvement that are more than a single save.

SPC readings (figures to charts and summaries) are in ``readings.py``.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from coproduce.core import audit, uploads
from coproduce.core.csv_writer import csv_text
from coproduce.improvement.signals import figures_changed

from . import rules
from .models import (
    ActDecision,
    DataPoint,
    IdeaStatus,
    PDSACycle,
    WardMeasure,
    previous_period,
)

# Readings live in ``readings.py``, the one path from figures to SPC; the names stay
# importable from here for the pages that already use them.
from .readings import Reading, readings_for, rebase_indices, summary_counts  # noqa: F401

# --------------------------------------------------------------------------- data entry


@dataclass
class ImportRow:
    line: int
    ward_measure: WardMeasure
    period: date
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    existing: Decimal | None = None

    def as_json(self) -> list:
        """Small and JSON-able, to wait in a pending upload: the rules run again on confirm."""

        def text(n):
            return None if n is None else format(n, "f")

        return [
            self.line,
            self.ward_measure.id,
            self.period.isoformat(),
            text(self.value),
            text(self.numerator),
            text(self.denominator),
        ]


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
MAX_UPLOAD_ROWS = 5000
MAX_ERRORS_SHOWN = 200
UPLOAD_KIND = "improvement-figures"


def adopted_measures(ward) -> dict[str, WardMeasure]:
    return {
        wm.measure.name.strip().lower(): wm
        for wm in WardMeasure.objects.filter(ward=ward).select_related("measure")
    }


def parse_csv(text: str, ward) -> ParsedFile:
    """Read a CSV of figures for one ward; every bad row gives (line, reason)."""
    try:
        table = uploads.read_csv(
            text,
            columns=REQUIRED_COLUMNS + OPTIONAL_COLUMNS,
            required=REQUIRED_COLUMNS,
            max_rows=MAX_UPLOAD_ROWS,
        )
    except uploads.UploadProblems as exc:
        return ParsedFile([], [(line or 1, _sentence(reason)) for line, reason in exc.problems])
    adopted = adopted_measures(ward)
    errors: list[tuple[int, str]] = list(table.problems)
    rows: list[ImportRow] = []
    seen: dict[tuple[int, date], int] = {}
    for csv_row in table.rows:
        try:
            row = _parse_row(csv_row, adopted)
        except rules.FigureError as exc:
            errors.append((csv_row.line, str(exc)))
            continue
        key = (row.ward_measure.id, row.period)
        if key in seen:
            errors.append(
                (
                    row.line,
                    f"{row.ward_measure.measure.name} for {row.period.isoformat()} is already "
                    f"on line {seen[key]}: give each period once",
                )
            )
            continue
        seen[key] = row.line
        rows.append(row)
    errors.sort(key=lambda e: e[0])
    if not rows and not errors:
        errors.append((2, "The file has no figures after the first line."))
    if rows:
        _mark_existing(rows)
    return ParsedFile(rows, errors)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _checked_row(line, wm, period, raw: dict) -> ImportRow:
    """One figure through the rules: measure still collected, period, numbers, figure."""
    if not wm.active:
        raise rules.FigureError(f"{wm.measure.name} is no longer collected on this ward")
    figure = rules.check_figure(wm.measure, raw["value"], raw["numerator"], raw["denominator"])
    return ImportRow(line, wm, period, figure.value, figure.numerator, figure.denominator)


def _parse_row(csv_row, adopted) -> ImportRow:
    name = csv_row["measure"]
    if not name:
        raise rules.FigureError("the measure is missing")
    wm = adopted.get(name.lower())
    if wm is None:
        raise rules.FigureError(f"“{name[:200]}” is not a measure this ward has adopted")
    period = rules.check_period(
        wm.measure.frequency, rules.parse_date(csv_row["period"]), exact=True
    )
    raw = {}
    for key in ("value", "numerator", "denominator"):
        try:
            raw[key] = rules.parse_number(csv_row[key])
        except rules.FigureError as exc:
            raise rules.FigureError(f"the {key} “{csv_row[key][:40]}” {exc}") from None
    return _checked_row(csv_row.line, wm, period, raw)


def rows_from_json(data: list, ward) -> ParsedFile:
    """Rows kept in a pending upload, checked again by the rules (a day may have passed,
    or a measure stopped being collected, since the file was read)."""
    by_id = {wm.id: wm for wm in adopted_measures(ward).values()}
    rows, errors = [], []
    for line, wm_id, period_text, value, numerator, denominator in data:
        wm = by_id.get(wm_id)
        if wm is None:
            errors.append((line, "the measure is no longer adopted by this ward"))
            continue
        try:
            period = rules.check_period(
                wm.measure.frequency, date.fromisoformat(period_text), exact=True
            )
            raw = {
                "value": None if value is None else Decimal(value),
                "numerator": None if numerator is None else Decimal(numerator),
                "denominator": None if denominator is None else Decimal(denominator),
            }
            rows.append(_checked_row(line, wm, period, raw))
        except rules.FigureError as exc:
            errors.append((line, str(exc)))
    if rows:
        _mark_existing(rows)
    return ParsedFile(rows, errors)


def example_csv(ward_measures, today: date | None = None) -> str:
    """An example file for the upload page, written by the shared CSV writer (so a name
    like "per 1,000" is quoted) and dated to each measure's last complete period."""
    today = today or date.today()
    lines = []
    for wm in list(ward_measures)[:3]:
        m = wm.measure
        period = previous_period(m.frequency, today)
        if m.is_rate:
            lines.append([m.name, period, "", 12, 20])
        else:
            lines.append([m.name, period, 4, "", ""])
    return csv_text(REQUIRED_COLUMNS + OPTIONAL_COLUMNS, lines).removeprefix("\ufeff")


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
