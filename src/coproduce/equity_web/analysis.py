"""The equity view worked out from rows of group figures, with disclosure control.

Input rows are plain dicts (``period_start``, the dimension fields, ``count``,
``denominator``, ``denominator_kind``), already limited to what the person may see. Rows
from several wards are added together group by group and period by period, so the same
code serves a ward measure, a provider and the whole programme.

Disclosure control (see ADR 060):

* a one-way breakdown is one list of groups with its total; a crossing is a two-way table
  (the first dimension down the side, the other dimensions across) with row, column and
  grand totals; either way :func:`coproduce.equity.suppress_table` hides counts of 1 to 4
  and rounds every other count, totals included, to the nearest 5 on its own (ADR 120);
* where the rows come from several wards, the wards' own tables (and the providers', for
  the programme) are given to the bounds check as parts, so setting this table against
  theirs cannot pin down a hidden count;
* rates, intervals and ratios are only given for counts that are shown, and are worked
  out from the published (rounded) counts, so they give nothing more away;
* denominators are never shown group by group: with the rate, a denominator gives the
  exact count away.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from coproduce.equity import (
    RateRow,
    dot_interval_svg,
    rate_ratio,
    summarise,
    suppress_table,
    table_rows,
)
from coproduce.equity.chart import format_ratio, rate_rows
from coproduce.spc import analyse, render_svg
from coproduce.spc import summary as spc_summary
from coproduce.spc import table_rows as spc_table_rows

from .groups import (
    DIMENSION_LABELS,
    VALUES,
    breakdown_key,
    breakdown_label,
    group_label,
    value_order,
)
from .models import DIMENSIONS, RATE_BASIS, DenominatorKind

#: Fewest periods with a ratio that can be shown before the ratio is charted over time.
MIN_PERIODS = 8
#: How many of the latest periods are added together unless the person asks for all.
DEFAULT_WINDOW = 12
WINDOWS = {"12": DEFAULT_WINDOW, "all": None}

#: The usual comparison group for each dimension, where there is one.
DEFAULT_REFERENCE = {
    "ethnicity": "white",
    "ethnicity_detailed": "A",
    "learning_disability": "no",
    "autism": "no",
    "deprivation_decile": 10,
}
#: The group the ratio over time follows unless the person picks another.
DEFAULT_FOCUS = {
    "ethnicity": "black",
    "learning_disability": "yes",
    "autism": "yes",
    "deprivation_decile": 1,
}

NOT_ENOUGH_PERIODS = (
    "There is not enough data to chart the ratio over time: it needs at least {n} periods "
    "in which both groups' counts can be shown, and there {verb} {have}."
)


def group_key(values: tuple) -> str:
    return "|".join("" if v is None else str(v) for v in values)


def unit_text(kind: str) -> str:
    per, words = RATE_BASIS[DenominatorKind(kind)]
    return f"per {per:,} {words}"


def breakdowns_in(rows) -> list[tuple[str, ...]]:
    """Every breakdown with data: one-way first, in the usual order of dimensions."""
    found = {tuple(d for d in DIMENSIONS if r[d] is not None) for r in rows}
    found.discard(())
    return sorted(found, key=lambda b: (len(b), [DIMENSIONS.index(d) for d in b]))


def default_breakdown(breakdowns):
    if ("ethnicity",) in breakdowns:
        return ("ethnicity",)
    return breakdowns[0] if breakdowns else None


@dataclass
class Group:
    key: str
    values: tuple
    label: str
    count: int = 0
    denominator: int = 0


@dataclass
class CrossTable:
    """A crossing laid out as a two-way table, ready for a template."""

    row_label: str
    column_labels: list[str]
    rows: list[dict]
    column_totals: list[str]
    total: str


@dataclass
class OverTime:
    enough: bool
    message: str
    svg: str = ""
    summary: str = ""
    points: list = field(default_factory=list)
    left_out: int = 0
    focus_label: str = ""


@dataclass
class EquityView:
    """Everything the equity page shows for one breakdown."""

    has_data: bool
    breakdowns: list[tuple[str, ...]] = field(default_factory=list)
    breakdown: tuple[str, ...] = ()
    kinds: list[tuple[str, str]] = field(default_factory=list)
    kind: str = ""
    unit: str = ""
    window: str = "12"
    periods: list[date] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    reference: Group | None = None
    focus: Group | None = None
    rate_rows: list[RateRow] = field(default_factory=list)
    table: list[dict] = field(default_factory=list)
    total_text: str = ""
    cross: CrossTable | None = None
    summary: str = ""
    svg: str = ""
    over_time: OverTime | None = None

    @property
    def breakdown_choices(self):
        return [(breakdown_key(b), breakdown_label(b)) for b in self.breakdowns]

    @property
    def group_choices(self):
        return [(g.key, g.label) for g in self.groups]

    @property
    def breakdown_key(self):
        return breakdown_key(self.breakdown)

    @property
    def breakdown_label(self):
        return breakdown_label(self.breakdown)

    @property
    def first_period(self):
        return self.periods[0] if self.periods else None

    @property
    def last_period(self):
        return self.periods[-1] if self.periods else None

    def csv_rows(self) -> list[list[str]]:
        """The published table, for a CSV file: nothing that is hidden on the page."""
        header = [
            "Group",
            "Count (rounded to the nearest 5; * means fewer than 5, or hidden to protect others)",
            f"Rate {self.unit}",
            "95% interval",
            f"Ratio to {self.reference.label if self.reference else 'the comparison group'}"
            " (95% interval)",
            "Note",
        ]
        out = [header]
        for cells in self.table:
            out.append(
                [
                    cells["group"],
                    cells["count"],
                    cells["rate"],
                    cells["interval"],
                    cells["ratio"],
                    cells["note"],
                ]
            )
        out.append(["All groups", self.total_text, "", "", "", ""])
        return out


def _combined(rows, breakdown, kind, periods=None, units=None):
    """Counts and denominators added up by period and group.

    ``units``, if given, is filled with the counts added up by ward and by provider:
    ``{("ward", id): {key: count}, ("provider", id): {key: count}}``.
    """
    by_period: dict[date, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    values_of: dict[str, tuple] = {}
    for r in rows:
        if r["denominator_kind"] != kind:
            continue
        if tuple(d for d in DIMENSIONS if r[d] is not None) != breakdown:
            continue
        if periods is not None and r["period_start"] not in periods:
            continue
        values = tuple(r[d] for d in breakdown)
        key = group_key(values)
        values_of[key] = values
        cell = by_period[r["period_start"]][key]
        cell[0] += r["count"]
        cell[1] += r["denominator"]
        if units is not None:
            for unit in (
                ("ward", r.get("ward_measure__ward_id", r.get("ward_measure_id"))),
                ("provider", r.get("ward_measure__ward__provider_id")),
            ):
                if unit[1] is not None:
                    per_unit = units.setdefault(unit, {})
                    per_unit[key] = per_unit.get(key, 0) + r["count"]
    return by_period, values_of


def _sorted_keys(values_of, breakdown):
    return sorted(
        values_of,
        key=lambda k: [value_order(d, v) for d, v in zip(breakdown, values_of[k], strict=True)],
    )


def _default_reference(groups: list[Group], breakdown) -> Group | None:
    if not groups:
        return None
    wanted = {d: DEFAULT_REFERENCE[d] for d in breakdown if d in DEFAULT_REFERENCE}
    candidates = [
        g
        for g in groups
        if all(v == wanted.get(d, v) for d, v in zip(breakdown, g.values, strict=True))
    ]
    if not wanted:
        candidates = []
    pool = candidates or groups
    return max(pool, key=lambda g: (g.denominator, -groups.index(g)))


def _default_focus(groups: list[Group], breakdown, reference, published) -> Group | None:
    """The group to follow over time. Chosen by published counts only, so that the choice
    says nothing about which of two groups shown alike holds more."""
    others = [g for g in groups if g is not reference]
    if not others:
        return None
    wanted = {d: DEFAULT_FOCUS[d] for d in breakdown if d in DEFAULT_FOCUS}
    if wanted:
        for g in others:
            if all(v == wanted.get(d, v) for d, v in zip(breakdown, g.values, strict=True)):
                return g
    return max(others, key=lambda g: (published[groups.index(g)] or 0, -groups.index(g)))


def _families(units, keys) -> list[list[list[int]]]:
    """The tables other pages publish for the same groups: one family per kind of unit
    (wards, providers), each holding one list of counts per unit, in the order of ``keys``.
    A kind with a single unit publishes the same table as this one and is left out."""
    families = []
    for kind in ("ward", "provider"):
        tables = [
            [counts.get(k, 0) for k in keys]
            for (unit_kind, _id), counts in sorted(units.items(), key=lambda u: str(u[0]))
            if unit_kind == kind
        ]
        if len(tables) > 1:
            families.append(tables)
    return families


def _suppressed(breakdown, groups: list[Group], families=()):
    """Shown flags, count texts and published counts for the groups, plus the table.

    ``families`` hold the same groups' counts as other pages publish them (see
    :func:`_families`), in the order of ``groups``.
    """
    counts = [g.count for g in groups]
    if len(breakdown) == 1:
        table = suppress_table(counts, parts=families)
        return [bool(s) for s in table.shown], list(table.cells), list(table.values), table, None
    first = breakdown[0]
    row_values = sorted({g.values[0] for g in groups}, key=lambda v: value_order(first, v))
    col_values = sorted(
        {g.values[1:] for g in groups},
        key=lambda vs: [value_order(d, v) for d, v in zip(breakdown[1:], vs, strict=True)],
    )
    index = {g.values: i for i, g in enumerate(groups)}

    def grid(values):
        return [
            [values[index[(rv, *cv)]] if (rv, *cv) in index else 0 for cv in col_values]
            for rv in row_values
        ]

    parts = [[grid(t) for t in family] for family in families]
    table = suppress_table(grid(counts), parts=parts)
    shown, texts, published = [], [], []
    for g in groups:
        i, j = row_values.index(g.values[0]), col_values.index(g.values[1:])
        shown.append(bool(table.shown[i][j]))
        texts.append(table.cells[i][j])
        published.append(table.values[i][j])
    layout = (row_values, col_values, index)
    return shown, texts, published, table, layout


def _rate_rows(groups, shown, texts, published, reference, per) -> list[RateRow]:
    """Rates and ratios from the published counts (never the exact ones), for shown groups."""
    return rate_rows(
        [g.label for g in groups],
        [v if v is not None else 0 for v in published],
        [g.denominator or None for g in groups],
        shown,
        texts,
        reference=reference.label if reference is not None else None,
        per=per,
    )


def _cross_table(breakdown, table, layout) -> CrossTable:
    row_values, col_values, _index = layout
    first, rest = breakdown[0], breakdown[1:]
    col_labels = [group_label(dict(zip(rest, cv, strict=True))) for cv in col_values]
    rows = [
        {
            "label": group_label({first: rv}),
            "cells": table.cells[i],
            "total": table.row_totals[i],
        }
        for i, rv in enumerate(row_values)
    ]
    return CrossTable(
        row_label=DIMENSION_LABELS[first],
        column_labels=col_labels,
        rows=rows,
        column_totals=table.column_totals,
        total=table.total,
    )


def _period_label(frequency: str, start: date) -> str:
    if frequency == "monthly":
        return f"{start:%b %Y}"
    return f"{start:%-d %b %Y}"


def _over_time(by_period, breakdown, groups_in_order, reference, focus, frequency, id_prefix):
    if reference is None or focus is None:
        return OverTime(False, "Choose two groups to compare over time.")
    values, labels, left_out = [], [], 0
    for period in sorted(by_period):
        cells = by_period[period]
        groups = [
            Group(k, g.values, g.label, *cells[k]) for k, g in groups_in_order.items() if k in cells
        ]
        keys = [g.key for g in groups]
        if reference.key not in keys or focus.key not in keys:
            left_out += 1
            continue
        shown, _texts, published, _table, _layout = _suppressed(breakdown, groups)
        r_i, f_i = keys.index(reference.key), keys.index(focus.key)
        ref, foc = groups[r_i], groups[f_i]
        if not (shown[r_i] and shown[f_i]) or not (ref.denominator and foc.denominator):
            left_out += 1
            continue
        # From the published counts of the period, so the ratio gives nothing more away.
        ratio = rate_ratio(published[f_i], foc.denominator, published[r_i], ref.denominator)
        if not ratio.estimable:
            left_out += 1
            continue
        values.append(float(ratio.value))
        labels.append(_period_label(frequency, period))
    n = len(values)
    if n < MIN_PERIODS:
        message = NOT_ENOUGH_PERIODS.format(
            n=MIN_PERIODS,
            verb="is" if n == 1 else "are",
            have={0: "none", 1: "only 1"}.get(n, f"only {n}"),
        )
        return OverTime(False, message, left_out=left_out, focus_label=focus.label)
    values = [round(v, 6) for v in values]
    if max(values) == min(values):
        # A flat series has no variation to chart (and its limits collapse onto the mean).
        return OverTime(
            False,
            f"The ratio was {format_ratio(values[0])} in every one of the {n} periods "
            "with figures that can be shown, so there is no variation to chart.",
            left_out=left_out,
            focus_label=focus.label,
        )
    result = analyse(values, improvement="neutral")
    svg = render_svg(
        result,
        labels=labels,
        title=f"Ratio of the {focus.label} rate to the {reference.label} rate, period by period",
        id_prefix=f"{id_prefix}-ratio",
        y_label="Rate ratio",
    )
    points = [
        {
            "label": row.label,
            "value": format_ratio(row.value),
            "mean": format_ratio(row.mean),
            "lower": format_ratio(max(row.lower, 0)) if row.lower is not None else "",
            "upper": format_ratio(row.upper) if row.upper is not None else "",
            "type": row.point_type,
        }
        for row in spc_table_rows(result, labels)
    ]
    return OverTime(
        True,
        "",
        svg=svg,
        summary=spc_summary(result, labels),
        points=points,
        left_out=left_out,
        focus_label=focus.label,
    )


def build(
    rows,
    *,
    breakdown=None,
    kind: str | None = None,
    window: str | None = None,
    reference: str | None = None,
    focus: str | None = None,
    frequency: str = "monthly",
    id_prefix: str = "equity",
    with_over_time: bool = True,
) -> EquityView:
    """Work out the equity view from visible rows. Unknown choices fall back to defaults."""
    rows = list(rows)
    breakdowns = breakdowns_in(rows)
    if not breakdowns:
        return EquityView(has_data=False)
    if breakdown not in breakdowns:
        breakdown = default_breakdown(breakdowns)
    in_breakdown = [
        r for r in rows if tuple(d for d in DIMENSIONS if r[d] is not None) == breakdown
    ]
    kind_counts: dict[str, int] = defaultdict(int)
    for r in in_breakdown:
        kind_counts[r["denominator_kind"]] += 1
    kinds = [(k, DenominatorKind(k).label) for k in DenominatorKind.values if k in kind_counts]
    if kind not in kind_counts:
        kind = max(kind_counts, key=lambda k: (kind_counts[k], -DenominatorKind.values.index(k)))
    window = window if window in WINDOWS else "12"
    all_periods = sorted({r["period_start"] for r in in_breakdown if r["denominator_kind"] == kind})
    size = WINDOWS[window]
    periods = all_periods[-size:] if size else all_periods
    units: dict = {}
    by_period, values_of = _combined(in_breakdown, breakdown, kind, set(periods), units)
    keys = _sorted_keys(values_of, breakdown)
    groups = []
    for k in keys:
        g = Group(k, values_of[k], group_label(dict(zip(breakdown, values_of[k], strict=True))))
        for cells in by_period.values():
            if k in cells:
                g.count += cells[k][0]
                g.denominator += cells[k][1]
        groups.append(g)
    families = _families(units, [g.key for g in groups])
    shown, texts, published, table, layout = _suppressed(breakdown, groups, families)
    by_key = {g.key: g for g in groups}
    ref = by_key.get(reference) if reference else None
    ref = ref or _default_reference(groups, breakdown)
    foc = by_key.get(focus) if focus else None
    if foc is ref:
        foc = None
    foc = foc or _default_focus(groups, breakdown, ref, published)

    per = RATE_BASIS[DenominatorKind(kind)][0]
    rows_out = _rate_rows(groups, shown, texts, published, ref, per)
    cross = _cross_table(breakdown, table, layout) if len(breakdown) > 1 else None

    over_time = None
    if with_over_time:
        # The chart over time uses every period, not only the window.
        all_by_period, all_values = _combined(in_breakdown, breakdown, kind)
        every_group = {
            k: by_key.get(k)
            or Group(
                k, all_values[k], group_label(dict(zip(breakdown, all_values[k], strict=True)))
            )
            for k in _sorted_keys(all_values, breakdown)
        }
        over_time = _over_time(
            all_by_period, breakdown, every_group, ref, foc, frequency, id_prefix
        )

    return EquityView(
        has_data=True,
        breakdowns=breakdowns,
        breakdown=breakdown,
        kinds=kinds,
        kind=kind,
        unit=unit_text(kind),
        window=window,
        periods=periods,
        groups=groups,
        reference=ref,
        focus=foc,
        rate_rows=rows_out,
        table=table_rows(rows_out),
        total_text=table.total,
        cross=cross,
        summary=summarise(rows_out),
        svg=dot_interval_svg(
            rows_out,
            id_prefix=f"{id_prefix}-rates",
            title=f"Rate {unit_text(kind)} by {breakdown_label(breakdown).lower()}, "
            "with 95% intervals",
        ),
        over_time=over_time,
    )


def headline(view: EquityView) -> str:
    """One sentence for a list: the largest clear gap, or why there is none."""
    if not view.has_data:
        return "No figures by group yet."
    clear = [
        r
        for r in view.rate_rows
        if r.ratio is not None and r.ratio.estimable and (r.ratio.lower > 1 or r.ratio.upper < 1)
    ]
    if not clear or view.reference is None:
        return view.summary.split(". ")[0].rstrip(".") + "."
    top = max(clear, key=lambda r: abs(math.log(r.ratio.value)))
    direction = "higher" if top.ratio.value > 1 else "lower"
    return (
        f"The {top.label} rate was {format_ratio(top.ratio.value)} times the "
        f"{view.reference.label} rate ({direction}, 95% interval "
        f"{format_ratio(top.ratio.lower)} to {format_ratio(top.ratio.upper)})."
    )


def values_for_choice(dimension: str):
    return list(VALUES[dimension].items())
