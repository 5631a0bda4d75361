"""A funnel plot on a dashboard: wards (or providers) on one measure, for one period.

Counts are published by the small-number rule of the equity pages
(``coproduce.equity.disclosure.published_count``): the plot, its table and its words are
worked out from the published counts, and a unit whose count is hidden is left off (and
named as left off), so nothing shown gives a hidden count back.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from markupsafe import Markup

from coproduce.equity.disclosure import published_count
from coproduce.improvement.models import DataPoint, Measure, WardMeasure
from coproduce.spc.funnel import funnel
from coproduce.spc.funnel_chart import funnel_status, render_funnel_svg

from .scope import Scope


def funnel_measures(user):
    """Catalogue measures entered as a numerator and a denominator, by name."""
    return (
        Measure.objects.visible_to(user)
        .filter(provider__isnull=True, ward__isnull=True, is_rate=True)
        .exclude(numerator_label="")
        .exclude(denominator_label="")
        .order_by("name")
    )


def kind_of(measure: Measure) -> str:
    """A percentage (or a plain fraction) is a proportion; anything per N is a rate."""
    multiplier = int(measure.multiplier or 1)
    return "proportion" if "%" in measure.unit or multiplier in (1, 100) else "rate"


@dataclass
class FunnelView:
    measures: list
    measure: Measure | None = None
    unit_label: str = "ward"
    svg: Markup | None = None
    svg_compact: Markup | None = None  # laid out for phones, text at 12 px or more
    summary: str = ""
    rows: list = field(default_factory=list)
    hidden: list = field(default_factory=list)
    message: str = ""


def _choose(measures: list, chosen: str, scope: Scope) -> Measure | None:
    by_id = {str(m.pk): m for m in measures}
    if chosen in by_id:
        return by_id[chosen]
    adopted = dict(
        scope.records(WardMeasure)
        .filter(measure__in=measures)
        .values_list("measure_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    if not adopted:
        return measures[0] if measures else None
    return max(measures, key=lambda m: (adopted.get(m.pk, 0), -measures.index(m)))


def funnel_view(scope: Scope, chosen: str, by_provider: bool, id_prefix: str) -> FunnelView:
    """The funnel plot of the chosen measure (or the one most adopted) for the scope's period."""
    measures = list(funnel_measures(scope.user))
    measure = _choose(measures, chosen, scope)
    view = FunnelView(measures, measure, "provider" if by_provider else "ward")
    if measure is None:
        view.message = "No measure in the catalogue is a proportion or a rate yet."
        return view
    points = scope.records(DataPoint).filter(
        ward_measure__measure=measure,
        numerator__isnull=False,
        denominator__isnull=False,
        period_start__gte=scope.starts_on,
        period_start__lte=scope.ends_on,
    )
    key = "ward_measure__ward__provider__name" if by_provider else "ward_measure__ward__name"
    totals = (
        points.values(key)
        .annotate(num=Sum("numerator"), den=Sum("denominator"))
        .filter(~Q(den=0))
        .order_by(key)
    )
    kind = kind_of(measure)
    shown = []
    for row in totals:
        num = published_count(int(round(row["num"])))
        den = row["den"]  # a proportion's denominator counts people too
        den = published_count(int(round(den))) if kind == "proportion" else float(den)
        if num is None or not den:
            view.hidden.append(row[key])
        else:
            shown.append((row[key], num, float(den)))
    if len(shown) < 2:
        view.message = (
            f"A funnel plot needs at least 2 {view.unit_label}s with figures for "
            f"{measure.name.lower()} in this period."
        )
        return view
    try:
        result = funnel(
            [n for _, n, _ in shown],
            [d for _, _, d in shown],
            kind=kind,
            multiplier=float(measure.multiplier or 1),
            labels=[label for label, _, _ in shown],
        )
    except ValueError:
        view.message = (
            f"The figures for {measure.name.lower()} cannot be compared on a funnel plot."
        )
        return view
    for attribute, compact in (("svg", False), ("svg_compact", True)):
        svg = render_funnel_svg(
            result,
            title=measure.name if compact else f"{measure.name}: {view.unit_label}s compared",
            unit_label=view.unit_label,
            x_label=measure.denominator_label,
            id_prefix=f"{id_prefix}-phone" if compact else id_prefix,
            compact=compact,
        )
        setattr(view, attribute, Markup(svg))  # noqa: S704 - the chart escapes all its text
    view.rows = [
        {
            "label": u.label,
            "numerator": int(u.numerator),
            "denominator": _whole_or_one_place(u.denominator),
            "value": f"{u.value:,.1f}",
            "status": funnel_status(u),
        }
        for u in result.units
    ]
    view.summary = _summary(result, view.unit_label, measure)
    return view


def _whole_or_one_place(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _summary(result, unit_label: str, measure: Measure) -> str:
    units = result.units
    plural = unit_label if len(units) == 1 else f"{unit_label}s"
    words = [
        f"{len(units)} {plural} compared with the average of all of them "
        f"({result.target:,.1f}{'' if measure.unit.startswith('%') else ' '}{measure.unit})."
    ]
    above = [u.label for u in units if u.outside_998 == "high" or u.outside_95 == "high"]
    below = [u.label for u in units if u.outside_998 == "low" or u.outside_95 == "low"]
    if above:
        words.append(f"Higher than chance alone would explain: {', '.join(above)}.")
    if below:
        words.append(f"Lower than chance alone would explain: {', '.join(below)}.")
    if not above and not below:
        words.append(f"Every {unit_label} is within the range chance alone would explain.")
    return " ".join(words)
