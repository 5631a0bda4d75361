"""The board report: one provider, one period, ready for a board paper (page and PDF)."""

import re
from datetime import date, timedelta

from markupsafe import Markup

from coproduce.coproduction import scoring
from coproduce.coproduction import services as coproduction
from coproduce.coproduction.charts import ladder_chart
from coproduce.coproduction.instrument import Domain
from coproduce.coproduction.models import Action, AssessmentRound
from coproduce.equity_web import analysis as equity
from coproduce.equity_web import services as equity_services
from coproduce.equity_web.models import GroupFigure
from coproduce.improvement.models import Measure

from . import services
from .coaching import coaching_summary
from .scope import provider_scope

KEY_MEASURE_CHARTS = 6
CHART_WINDOW_DAYS = 2 * 365
POINT_TITLE = re.compile(r"<title>[^<]*</title>")  # titles without an id: per-point tooltips


def _key_charts(rows) -> list[dict]:
    """SPC charts of the key measures (signals first), read from the table's own readings."""
    charts = []
    for i, row in enumerate(rows[:KEY_MEASURE_CHARTS]):
        reading = row["reading"]
        if reading.result is None:
            continue
        charts.append(
            {
                "ward_measure": reading.ward_measure,
                "reading": reading,
                "svg": Markup(  # noqa: S704 - the chart escapes all its text
                    reading.svg(id_prefix=f"board-spc-{i}", annotate=False)
                ),
                "summary": reading.summary,
            }
        )
    return charts


def chart_window(ends_on: date) -> tuple[date, date]:
    """The figures a board reads: the two years to the period's end (both days included)."""
    return ends_on - timedelta(days=CHART_WINDOW_DAYS - 1), ends_on


def _equity(scope) -> list[dict]:
    figures = scope.records(GroupFigure)
    rows = equity_services.figure_rows(figures)
    by_measure: dict[int, list] = {}
    for r in rows:
        by_measure.setdefault(r["ward_measure__measure_id"], []).append(r)
    measures = Measure.objects.visible_to(scope.user).in_bulk(by_measure.keys())
    out = []
    for i, (measure_id, measure_rows) in enumerate(sorted(by_measure.items())):
        measure = measures[measure_id]
        view = equity.build(
            measure_rows,
            frequency=measure.frequency,
            with_over_time=False,
            id_prefix=f"board-equity-{i}",
        )
        out.append({"measure": measure, "view": view, "svg": Markup(view.svg)})  # noqa: S704
    return out


def _assessment(scope) -> dict | None:
    latest = (
        scope.records(AssessmentRound)
        .filter(closed_at__isnull=False)
        .order_by("-closes_on", "-id")
        .first()
    )
    if latest is None:
        return None
    results, previous = coproduction.round_results(latest)
    actions = list(scope.records(Action).filter(round=latest).order_by("due_on", "id"))
    rows = []
    for value, label in Domain.choices:
        everyone = results.cell(value, scoring.EVERYONE)
        rows.append(
            {
                "domain": label,
                "as_is": everyone.as_is if everyone.shown else None,
                "to_be": everyone.to_be if everyone.shown else None,
                "gap": everyone.gap,
                "perception_gap": results.perception_gap.get(value),
            }
        )
    return {
        "round": latest,
        "results": results,
        "previous": previous,
        "actions": actions,
        "rows": rows,
        "summary": scoring.summary(results),
        "svg": Markup(  # noqa: S704 - the chart escapes all its text
            ladder_chart(results, "board-ladder", "Ladder of co-production: as is and to be")
        ),  # noqa: S704
    }


def _n(count: int, one: str, many: str) -> str:
    """ "1 ward takes" or "3 wards take"."""
    return f"{count} {one if count == 1 else many}"


def build(user, provider, starts_on: date, ends_on: date, today: date) -> dict:
    scope = provider_scope(user, provider, starts_on, ends_on)
    # A board reads recent history: the table, the counts and the charts all read the
    # same readings of the two years to the period's end.
    measures = services.period_measures(scope, *chart_window(ends_on))
    rows = measures["rows"]
    coaching = coaching_summary(scope, today)
    copro = services.coproduction_section(scope, user, today)
    pdsa = services.pdsa_section(scope)
    groups = measures["groups"]
    summary_points = [
        f"{_n(len(scope.wards), 'ward takes', 'wards take')} part; "
        f"{_n(measures['total'], 'measure is', 'measures are')} tracked.",
        f"{_n(groups['improvement'], 'measure shows', 'measures show')} special cause improvement "
        f"and {_n(groups['concern'], 'shows', 'show')} special cause concern; "
        f"{_n(groups['common'], 'shows', 'show')} common cause variation only.",
        f"{_n(pdsa['total'], 'PDSA cycle', 'PDSA cycles')} started in the period.",
        f"{coaching['total_hours']} hours of coaching were delivered in the period.",
        f"Lived experience partners gave {copro['profile']['lived_experience_hours']} hours; "
        f"{copro['profile']['co_design_stages']} of 4 stages of the work reached co-design "
        "or above.",
    ]
    if copro["owed_count"]:
        summary_points.append(
            f"{_n(copro['owed_count'], 'involvement payment is', 'involvement payments are')} not "
            f"yet paid; the oldest has waited {copro['oldest_wait_days']} days."
        )
    return {
        "provider": provider,
        "scope": scope,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "generated_on": today,
        "summary_points": summary_points,
        "measure_rows": rows,
        "charts": _key_charts(rows),
        "equity": _equity(scope),
        "assessment": _assessment(scope),
        "ideas": services.notable_change_ideas(scope),
        "you_said": services.you_said_we_did(scope),
        "coaching": coaching,
        "coproduction": copro,
        "pdsa": pdsa,
    }


def to_pdf(html: str, base_url: str | None = None) -> bytes:
    """Render the report's HTML as a tagged PDF (PDF/UA-1 as far as WeasyPrint allows).

    The PDF template carries its own styles and loads nothing from elsewhere.
    """
    import weasyprint

    head, body_start, body = html.partition("<body")
    # Each chart point carries a hover <title> for the web page; a printed page cannot hover,
    # and the chart's own title, description and the tables say the same. Dropping them
    # halves the time to lay out the PDF.
    body = POINT_TITLE.sub("", body)
    return weasyprint.HTML(string=head + body_start + body, base_url=base_url).write_pdf(
        pdf_variant="pdf/ua-1"
    )
