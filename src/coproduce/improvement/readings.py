"""The one path from a ward measure's figures to what SPC says about them.

``readings_for`` loads the series of one or many ward measures (figures, with numerators
and denominators; phase breaks; the PDSA cycles drawn on the chart; target and direction),
optionally limited to a period, and runs the SPC engine once over all of them. Every page
that shows a reading (the chart page, the measure summaries, the dashboards through their
cached snapshots, the board report) reads it from here, so they cannot disagree.

The number of queries does not grow with the number of measures: figures, phase breaks
and linked PDSA cycles are one query each (plus one for the ward measures when a queryset
is given), then ``analyse_many`` reads every series at once. One ward measure goes the same
way, so its result is identical to the one a summary shows.
"""

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from coproduce.spc import analyse_many, render_svg, table_rows
from coproduce.spc import summary as spc_summary
from coproduce.spc.text import ASSURANCE_WORDS, VARIATION_WORDS, format_number

from .models import DataPoint, PDSACycle, PhaseBreak, WardMeasure, period_label, period_start_for

VARIATION_TAGS = {
    "common_cause": ("grey", "Common cause"),
    "improvement_high": ("blue", "Improvement (high)"),
    "improvement_low": ("blue", "Improvement (low)"),
    "concern_high": ("orange", "Concern (high)"),
    "concern_low": ("orange", "Concern (low)"),
    "neutral_high": ("purple", "Special cause (high)"),
    "neutral_low": ("purple", "Special cause (low)"),
}
ASSURANCE_TAGS = {
    "consistent_pass": ("blue", "Passes"),
    "consistent_fail": ("orange", "Fails"),
    "inconsistent": ("grey", "Hit and miss"),
}
MIN_POINTS = 2  # the engine needs two points for a moving range


def chart_for(ward_measure: WardMeasure) -> str:
    """The kind of SPC chart a ward measure is read with. Every measure is an XmR chart today."""
    return "xmr"


class Figure(NamedTuple):
    """One figure as the chart page lists it (``pk`` so a row can link to its delete page)."""

    pk: int
    period_start: date
    value: object
    numerator: object
    denominator: object


def rebase_indices(periods: list[date], break_days: list[date]) -> list[int]:
    """Index of the first point on or after each phase break (index 0 changes nothing)."""
    out = set()
    for day in break_days:
        i = bisect_left(periods, day)
        if 0 < i < len(periods):
            out.add(i)
    return sorted(out)


def _places(value) -> int:
    """Decimal places a stored figure carries once trailing zeros are dropped (0 to 4)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, min(4, -exponent)) if isinstance(exponent, int) else 0


@dataclass
class Reading:
    """One ward measure's series, for the chosen period, and what SPC says about it."""

    ward_measure: WardMeasure
    start: date | None = None
    end: date | None = None
    chart: str = "xmr"
    ids: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    values: list = field(default_factory=list)
    numerators: list = field(default_factory=list)
    denominators: list = field(default_factory=list)
    breaks: list = field(default_factory=list)  # PhaseBreak rows, oldest first
    cycles: list = field(default_factory=list)  # linked PDSACycle rows, each with chart_label
    annotations: list = field(default_factory=list)  # (point index, label) for the chart
    result: object = None

    # ---------------------------------------------------------------- the series

    @property
    def labels(self) -> list[str]:
        return [p.isoformat() for p in self.periods]

    @property
    def figures(self) -> list[Figure]:
        return [
            Figure(*row)
            for row in zip(
                self.ids,
                self.periods,
                self.values,
                self.numerators,
                self.denominators,
                strict=True,
            )
        ]

    @property
    def rebase_at(self) -> list[int]:
        return rebase_indices(self.periods, [b.starts_on for b in self.breaks])

    @property
    def phase_starts(self) -> tuple[int, ...]:
        """Index of the first point of each phase (0 first), as the engine read them."""
        if self.result is not None:
            return self.result.phase_starts
        return (0, *self.rebase_at) if self.periods else ()

    @property
    def target(self) -> float | None:
        target = self.ward_measure.target
        return float(target) if target is not None else None

    @property
    def improvement(self) -> str:
        return self.ward_measure.measure.improvement

    @property
    def unit(self) -> str:
        return self.ward_measure.measure.unit

    @property
    def decimals(self) -> int:
        """The most decimal places the figures were entered with (0 to 4)."""
        return max((_places(v) for v in self.values), default=0)

    @property
    def title(self) -> str:
        return f"{self.ward_measure.measure.name}, {self.ward_measure.ward.name}"

    # ---------------------------------------------------------------- the latest point

    @property
    def latest_value(self):
        return self.values[-1] if self.values else None

    @property
    def latest_period(self):
        return self.periods[-1] if self.periods else None

    @property
    def latest_label(self) -> str:
        if not self.periods:
            return ""
        return period_label(self.ward_measure.measure.frequency, self.periods[-1])

    # ---------------------------------------------------------------- what SPC says

    @property
    def variation(self):
        return self.result.variation if self.result is not None else None

    @property
    def assurance(self):
        return self.result.assurance if self.result is not None else None

    @property
    def variation_words(self) -> str:
        return VARIATION_WORDS.get(self.variation, "Not enough data yet")

    @property
    def assurance_words(self) -> str:
        if self.assurance is not None:
            return ASSURANCE_WORDS[self.assurance]
        return "No target" if self.ward_measure.target is None else ""

    @property
    def variation_tag(self):
        if self.variation is None:
            return ("white", "Not enough data")
        colour, short = VARIATION_TAGS[self.variation]
        return (colour, short, VARIATION_WORDS[self.variation])

    @property
    def assurance_tag(self):
        if self.assurance is None:
            return None
        colour, short = ASSURANCE_TAGS[self.assurance]
        return (colour, short, ASSURANCE_WORDS[self.assurance])

    @property
    def has_signal(self) -> bool:
        return self.variation not in (None, "common_cause")

    @property
    def summary(self) -> str:
        """The chart's plain-words sentence ("" without enough data)."""
        return spc_summary(self.result, labels=self.periods) if self.result is not None else ""

    @property
    def table_rows(self) -> list:
        """One row per point (mean, limits, point type); empty without enough data."""
        return table_rows(self.result, labels=self.periods) if self.result is not None else []

    def svg(self, id_prefix: str = "spc", *, annotate: bool = True) -> str:
        """The chart as inline SVG ("" without enough data); its text is escaped."""
        if self.result is None:
            return ""
        return render_svg(
            self.result,
            labels=self.periods,
            title=self.title,
            annotations=self.annotations if annotate else (),
            id_prefix=id_prefix,
            y_label=self.unit or None,
        )

    def improvement_after(self, day: date) -> bool:
        """Is any point on or after ``day`` special cause improvement?"""
        if self.result is None:
            return False
        start = bisect_left(self.periods, day)
        return any(t == "special_cause_improvement" for t in self.result.point_type[start:])

    def format(self, value) -> str:
        return format_number(None if value is None else float(value))


def _ward_measures(ward_measures) -> list[WardMeasure]:
    if hasattr(ward_measures, "select_related"):  # a queryset: one query, with what we read
        ward_measures = ward_measures.select_related("measure", "ward", "ward__provider")
    return list(ward_measures)


def _label_cycles(cycles: list) -> None:
    """Name each cycle on its chart: "PDSA 2", or "B2" (idea B's second) with several ideas."""
    letters: dict[int, str] = {}
    for c in cycles:
        letters.setdefault(c.change_idea_id, chr(ord("A") + len(letters) % 26))
    for c in cycles:
        c.chart_label = (
            f"{letters[c.change_idea_id]}{c.number}" if len(letters) > 1 else f"PDSA {c.number}"
        )


def _annotations(reading: Reading) -> list[tuple[int, str]]:
    """Each cycle at the first point of the period its start date falls in.

    With a period chosen, cycles that started before it are left off (they would all
    pile up on its first point).
    """
    out = []
    frequency = reading.ward_measure.measure.frequency
    for c in reading.cycles:
        day = period_start_for(frequency, c.start_date)
        if reading.start is not None and day < period_start_for(frequency, reading.start):
            continue
        i = bisect_left(reading.periods, day)
        if i < len(reading.periods):
            out.append((i, c.chart_label))
    return out


def readings_for(ward_measures, start: date | None = None, end: date | None = None) -> list:
    """Readings of many ward measures (a queryset or a list), in their order.

    ``start`` and ``end`` (both optional, both included) limit the figures to a period;
    limits, signals and assurance then describe that period only. A constant number of
    queries and one ``analyse_many`` call, however many measures.
    """
    wms = _ward_measures(ward_measures)
    if not wms:
        return []
    series = {wm.id: Reading(wm, start=start, end=end, chart=chart_for(wm)) for wm in wms}
    ids = list(series)
    figures = DataPoint.objects.filter(ward_measure_id__in=ids)
    if start is not None:
        figures = figures.filter(period_start__gte=start)
    if end is not None:
        figures = figures.filter(period_start__lte=end)
    for pk, wm_id, period, value, numerator, denominator in figures.order_by(
        "ward_measure_id", "period_start"
    ).values_list("id", "ward_measure_id", "period_start", "value", "numerator", "denominator"):
        reading = series[wm_id]
        reading.ids.append(pk)
        reading.periods.append(period)
        reading.values.append(value)
        reading.numerators.append(numerator)
        reading.denominators.append(denominator)
    for phase in PhaseBreak.objects.filter(ward_measure_id__in=ids).order_by("starts_on", "id"):
        series[phase.ward_measure_id].breaks.append(phase)
    links = (
        PDSACycle.measures.through.objects.filter(wardmeasure_id__in=ids)
        .select_related("pdsacycle__change_idea")
        .order_by("pdsacycle__start_date", "pdsacycle__number", "pdsacycle_id")
    )
    for link in links:
        series[link.wardmeasure_id].cycles.append(link.pdsacycle)
    for reading in series.values():
        _label_cycles(reading.cycles)
        reading.annotations = _annotations(reading)
    _analyse([r for r in series.values() if len(r.values) >= MIN_POINTS])
    return [series[wm.id] for wm in wms]


def reading_for(ward_measure: WardMeasure, start: date | None = None, end: date | None = None):
    """One ward measure's reading: the same path as many, so the same result."""
    return readings_for([ward_measure], start=start, end=end)[0]


def _analyse(ready: list[Reading]) -> None:
    if not ready:
        return
    batch = analyse_many(
        [[float(v) for v in r.values] for r in ready],
        improvement=[r.improvement for r in ready],
        target=[r.target for r in ready],
        rebase_at=[r.rebase_at for r in ready],
    )
    for reading, result in zip(ready, batch, strict=True):
        reading.result = result


def summary_counts(readings: list[Reading]) -> dict:
    """How many readings show improvement, concern, common cause only, or lack data."""
    counts = {"improvement": 0, "concern": 0, "common": 0, "no_data": 0}
    for r in readings:
        if r.variation is None:
            counts["no_data"] += 1
        elif r.variation.startswith("improvement"):
            counts["improvement"] += 1
        elif r.variation.startswith("concern"):
            counts["concern"] += 1
        else:
            counts["common"] += 1
    return counts
