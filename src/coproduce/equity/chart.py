"""Rates by group as table rows, plain-words summaries and an accessible SVG chart.

:func:`equity_rows` turns counts and populations into :class:`RateRow` objects with
disclosure control applied (:func:`coproduce.equity.disclosure.suppress_table`), so a rate
or ratio is never given for a hidden count, and is worked out from the published (rounded)
count so that it gives nothing more away than the count itself. The other functions only
read those rows.

The chart is a hand-built SVG string: one row per group with a dot for the rate and a line
for its 95% interval, and a dashed line at the reference group's rate. It has
``role="img"``, a ``<title>`` and a ``<desc>`` that gives every figure in words, so it reads
the same without sight of it; pages should still show the table alongside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from coproduce.equity.disclosure import suppress_table
from coproduce.equity.rates import Estimate, crude_rate, rate_ratio

__all__ = [
    "RateRow",
    "describe_row",
    "dot_interval_svg",
    "equity_rows",
    "format_rate",
    "format_ratio",
    "rate_rows",
    "summarise",
    "table_rows",
]

#: Row status values.
OK = "ok"
SUPPRESSED = "suppressed"
ZERO = "zero"
NO_POPULATION = "no_population"

NOT_ENOUGH = "not enough data"


@dataclass(frozen=True)
class RateRow:
    """One group's figures, ready to publish.

    ``status`` is ``"ok"``, ``"suppressed"`` (count hidden), ``"zero"`` (no events) or
    ``"no_population"`` (no denominator, so no rate). ``rate`` is ``None`` unless the count
    is shown and there is a population; ``ratio`` is the rate ratio against the reference
    group, ``None`` for the reference itself or where either count is hidden.
    """

    label: str
    count_text: str
    status: str
    rate: Estimate | None
    ratio: Estimate | None
    is_reference: bool
    per: float


def format_rate(x: float) -> str:
    """A rate for reading: whole numbers from 100, one decimal from 10, else two; 0 as "0"."""
    if x == 0:
        return "0"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def format_ratio(x: float) -> str:
    """A rate ratio for reading: one decimal place from 1 upwards, else two."""
    return f"{x:.1f}" if x >= 1 else f"{x:.2f}"


def _per_text(per: float) -> str:
    return f"per {per:,.0f}"


def equity_rows(
    labels: Sequence[str],
    counts: Sequence[int],
    populations: Sequence[float | None],
    *,
    reference: str | None = None,
    per: float = 100_000,
    suppress: bool = True,
) -> list[RateRow]:
    """Rates, intervals and ratios for each group, with disclosure control.

    ``populations`` may hold ``None`` for a group with no denominator (such as "Not stated /
    not known"). ``reference`` is the label of the comparison group. ``suppress=False`` is
    for national figures, which are published unrounded.
    """
    labels = list(labels)
    counts = list(counts)
    populations = list(populations)
    if not (len(labels) == len(counts) == len(populations)):
        raise ValueError(
            "labels, counts and populations have different lengths: "
            f"{len(labels)}, {len(counts)} and {len(populations)}"
        )
    if reference is not None and reference not in labels:
        raise ValueError(f"reference group {reference!r} is not one of the labels")
    if suppress:
        table = suppress_table(counts)
        shown = [bool(s) for s in table.shown]
        texts = list(table.cells)
        # Rates and ratios come from the published (rounded) counts, never the exact
        # ones: otherwise an interval would give the exact count back (ADR 120).
        used = [v if v is not None else 0 for v in table.values]
    else:
        table = suppress_table(counts, totals=False)  # validates the counts
        shown = [True] * len(counts)
        texts = [f"{int(c):,}" for c in counts]
        used = [int(c) for c in counts]
    return rate_rows(labels, used, populations, shown, texts, reference=reference, per=per)


def rate_rows(
    labels: Sequence[str],
    counts: Sequence[int],
    populations: Sequence[float | None],
    shown: Sequence[bool],
    texts: Sequence[str],
    *,
    reference: str | None = None,
    per: float = 100_000,
) -> list[RateRow]:
    """Rows from counts that are already published: ``counts`` must be the published
    numbers (or exact national figures), ``shown`` false where the count is hidden."""
    labels, counts, populations = list(labels), list(counts), list(populations)
    rates: list[Estimate | None] = []
    for count, pop, ok in zip(counts, populations, shown, strict=True):
        rates.append(crude_rate(count, pop, per=per) if ok and pop is not None else None)

    ref_index = labels.index(reference) if reference is not None else None
    rows = []
    for i, (label, count, pop) in enumerate(zip(labels, counts, populations, strict=True)):
        if not shown[i]:
            status = SUPPRESSED
        elif pop is None:
            status = NO_POPULATION
        elif count == 0:
            status = ZERO
        else:
            status = OK
        ratio = None
        if (
            ref_index is not None
            and i != ref_index
            and rates[i] is not None
            and rates[ref_index] is not None
        ):
            ratio = rate_ratio(count, pop, counts[ref_index], populations[ref_index])
        rows.append(
            RateRow(
                label=label,
                count_text=texts[i],
                status=status,
                rate=rates[i],
                ratio=ratio,
                is_reference=i == ref_index,
                per=per,
            )
        )
    return rows


def _reference(rows: Sequence[RateRow]) -> RateRow | None:
    return next((r for r in rows if r.is_reference), None)


def _interval(e: Estimate, fmt: Any) -> str:
    return f"{fmt(e.lower)} to {fmt(e.upper)}"


def describe_row(row: RateRow, reference: RateRow | None = None) -> str:
    """One group in words, for the chart's description and for screen readers."""
    if row.status == SUPPRESSED:
        return f"{row.label}: not shown, to protect small numbers"
    if row.status == NO_POPULATION:
        return f"{row.label}: {row.count_text} recorded, no population figure so no rate"
    if row.rate is None:
        return f"{row.label}: {NOT_ENOUGH}"
    text = (
        f"{row.label}: {format_rate(row.rate.value)} {_per_text(row.per)}"
        f" (95% interval {_interval(row.rate, format_rate)})"
    )
    if row.is_reference:
        return text + ", the comparison group"
    if reference is None:
        return text
    if row.ratio is not None and row.ratio.estimable:
        return text + f", {format_ratio(row.ratio.value)} times the {reference.label} rate"
    return text + f", {NOT_ENOUGH} to compare with the {reference.label} rate"


def table_rows(rows: Sequence[RateRow]) -> list[dict[str, str]]:
    """Strings for an HTML table: group, count, rate, interval, ratio and a note."""
    out = []
    for row in rows:
        cells = {
            "group": row.label,
            "count": row.count_text,
            "rate": "",
            "interval": "",
            "ratio": "",
            "note": "",
        }
        if row.status == SUPPRESSED:
            cells["note"] = "Hidden to protect small numbers"
        elif row.status == NO_POPULATION:
            cells["note"] = "No population figure"
        if row.rate is not None:
            cells["rate"] = format_rate(row.rate.value)
            cells["interval"] = _interval(row.rate, format_rate)
        if row.is_reference:
            cells["ratio"] = "Comparison group"
        elif row.ratio is not None and row.ratio.estimable:
            cells["ratio"] = (
                f"{format_ratio(row.ratio.value)} ({_interval(row.ratio, format_ratio)})"
            )
        elif row.rate is not None and _reference(rows) is not None:
            cells["ratio"] = "Not enough data"
        if row.status == ZERO:
            cells["note"] = "None recorded"
        out.append(cells)
    return out


def summarise(rows: Sequence[RateRow]) -> str:
    """A few plain sentences comparing each group with the reference group.

    Never gives a number for a comparison that cannot be made: hidden counts, zero counts
    and missing populations are listed as "not enough data" instead.
    """
    if not rows:
        return "There is no data."
    ref = _reference(rows)
    unusable = [r.label for r in rows if r.rate is None or r.status == ZERO]
    sentences = []
    if ref is None:
        shown = [describe_row(r) for r in rows if r.rate is not None and r.status == OK]
        sentences.extend(s + "." for s in shown)
    elif ref.rate is None or ref.status == ZERO:
        sentences.append(
            f"There is {NOT_ENOUGH} for the {ref.label} group, so no group can be compared with it."
        )
        unusable = [label for label in unusable if label != ref.label]
    else:
        for row in rows:
            if row.is_reference or row.ratio is None or not row.ratio.estimable:
                continue
            ratio = row.ratio
            figures = (
                f"{format_ratio(ratio.value)} times, 95% interval {_interval(ratio, format_ratio)}"
            )
            if ratio.lower > 1:
                sentences.append(
                    f"The {row.label} rate was higher than the {ref.label} rate ({figures})."
                )
            elif ratio.upper < 1:
                sentences.append(
                    f"The {row.label} rate was lower than the {ref.label} rate ({figures})."
                )
            else:
                sentences.append(
                    f"The {row.label} rate could not be told apart from the {ref.label}"
                    f" rate ({figures})."
                )
        unusable = [label for label in unusable if label != ref.label]
    if unusable:
        sentences.append(f"There is {NOT_ENOUGH} to give a comparison for: {', '.join(unusable)}.")
    return " ".join(sentences) if sentences else f"There is {NOT_ENOUGH}."


# ---------------------------------------------------------------------------------------
# SVG

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_TEXT_COLOUR = "#212b32"
_MUTED = "#4c6272"
_DOT = "#005eb8"


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power  # pragma: no cover


def _n(x: float) -> str:
    return f"{x:.1f}"


def dot_interval_svg(
    rows: Sequence[RateRow],
    *,
    id_prefix: str = "equity-chart",
    title: str = "Rates by group with 95% intervals",
    width: int = 640,
) -> str:
    """An accessible dot-and-interval chart of the rows' rates, as an SVG string.

    ``id_prefix`` makes the element ids unique so several charts can share a page.
    """
    if not _ID.fullmatch(id_prefix):
        raise ValueError(
            "id_prefix must start with a letter and hold only letters, digits, - and _"
        )
    ref = _reference(rows)
    per = rows[0].per if rows else 100_000
    desc_parts = [describe_row(r, ref) for r in rows]
    desc = f"Rates {_per_text(per)} with 95% intervals. " + "; ".join(desc_parts) + "."

    label_w, right, top, row_h, axis_h = 220, 24, 16, 32, 44
    x0, x1 = label_w + 10, width - right
    height = top + row_h * max(len(rows), 1) + axis_h
    uppers = [r.rate.upper for r in rows if r.rate is not None]
    top_value = max(uppers) if uppers and max(uppers) > 0 else 1.0
    step = _nice_step(top_value)
    limit = step * math.ceil(top_value / step)

    def x(v: float) -> float:
        return x0 + (x1 - x0) * v / limit

    t_id, d_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="100%" role="img" aria-labelledby="{t_id} {d_id}" id="{id_prefix}"'
        ' font-family="Frutiger W01, Arial, sans-serif" font-size="14">',
        f'<title id="{t_id}">{escape(title)}</title>',
        f'<desc id="{d_id}">{escape(desc)}</desc>',
    ]
    axis_y = top + row_h * max(len(rows), 1)
    ticks = round(limit / step)
    for k in range(ticks + 1):
        v = step * k
        tx = _n(x(v))
        parts.append(
            f'<line x1="{tx}" y1="{top}" x2="{tx}" y2="{axis_y}" stroke="#d8dde0"'
            ' stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{tx}" y="{axis_y + 18}" text-anchor="middle"'
            f' fill="{_TEXT_COLOUR}">{escape(format_rate(v) if v else "0")}</text>'
        )
    parts.append(
        f'<text x="{_n((x0 + x1) / 2)}" y="{axis_y + 38}" text-anchor="middle"'
        f' fill="{_MUTED}">{escape("Rate " + _per_text(per))}</text>'
    )
    if ref is not None and ref.rate is not None:
        rx = _n(x(ref.rate.value))
        parts.append(
            f'<line x1="{rx}" y1="{top}" x2="{rx}" y2="{axis_y}" stroke="{_MUTED}"'
            ' stroke-width="2" stroke-dasharray="6 4"/>'
        )
    for i, row in enumerate(rows):
        cy = top + row_h * i + row_h / 2
        label = row.label + (" (comparison)" if row.is_reference else "")
        parts.append(
            f'<text x="{label_w}" y="{_n(cy + 5)}" text-anchor="end"'
            f' fill="{_TEXT_COLOUR}">{escape(label)}</text>'
        )
        if row.rate is None:
            note = "not shown" if row.status == SUPPRESSED else "no rate"
            parts.append(
                f'<text x="{x0}" y="{_n(cy + 5)}" fill="{_MUTED}"'
                f' font-style="italic">{escape(note)}</text>'
            )
            continue
        parts.append(
            f'<line x1="{_n(x(row.rate.lower))}" y1="{_n(cy)}" x2="{_n(x(row.rate.upper))}"'
            f' y2="{_n(cy)}" stroke="{_TEXT_COLOUR}" stroke-width="2"/>'
        )
        parts.append(f'<circle cx="{_n(x(row.rate.value))}" cy="{_n(cy)}" r="5" fill="{_DOT}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
