"""The board report: one provider, one period, ready for a board paper (page and PDF)."""

import re
from datetime import date

from markupsafe import Markup

from coproduce.coproduction import scoring
from coproduce.coproduction import services as coproduction
from coproduce.coproduction.charts import ladder_chart
from coproduce.coproduction.instrument import Domain
from coproduce.coproduction.models import Action
from coproduce.core.words import hours
from coproduce.equity_web import analysis as equity
from coproduce.equity_web import services as equity_services
from coproduce.equity_web.models import GroupFigure
from coproduce.improvement.models import Measure

from . import services
from .coaching import coaching_summary
from .rules import Period
from .scope import provider_scope

KEY_MEASURE_CHARTS = 6
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


def _equity(scope) -> list[dict]:
    """Figures by group for the period's own months (every period in it, not the latest 12)."""
    figures = scope.records(GroupFigure).filter(
        period_start__gte=scope.starts_on, period_start__lte=scope.ends_on
    )
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
            window="all",
            with_over_time=False,
            id_prefix=f"board-equity-{i}",
        )
        out.append(
            {
                "measure": measure,
                "view": view,
                "headline": equity.headline(view) if view.has_data else "",
                "svg": Markup(view.svg),  # noqa: S704 - the chart escapes all its text
            }
        )
    return out


def _assessment(scope) -> dict | None:
    """The latest self-assessment round closed within the period."""
    latest = services.closed_rounds(scope).first()
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


DECISIONS_PLACEHOLDER = (
    "No decisions have been written for this report. The lead may add them when producing it."
)
MAX_DECISIONS = 2000


def _figures(user, provider, period: Period, today: date) -> dict:
    """The sections that hold numbers, for one period: read for this report and the last."""
    scope = provider_scope(user, provider, period.starts_on, period.ends_on)
    measures = services.period_measures(scope, period.ends_on)
    return {
        "scope": scope,
        "measures": measures,
        "coaching": coaching_summary(scope, today),
        "coproduction": services.coproduction_section(scope, user, today),
        "pdsa": services.pdsa_section(scope),
    }


def _change(label: str, now, before, unit: str = "") -> dict:
    return {"label": label, "now": now, "before": before, "unit": unit}


def changes_since(now: dict, before: dict) -> dict:
    """What moved between the last report's period and this one: figures and signals."""
    figures = [
        _change(
            "Coaching delivered",
            now["coaching"]["total_hours"],
            before["coaching"]["total_hours"],
            "hours",
        ),
        _change(
            "Lived experience involvement",
            now["coproduction"]["profile"]["lived_experience_hours"],
            before["coproduction"]["profile"]["lived_experience_hours"],
            "hours",
        ),
        _change("PDSA cycles started", now["pdsa"]["total"], before["pdsa"]["total"]),
        _change(
            "Involvement payments not yet paid at the period's end",
            now["coproduction"]["owed_count"],
            before["coproduction"]["owed_count"],
        ),
    ]
    previous = {r.ward_measure.id: r for r in before["measures"]["readings"]}
    signals = []
    for r in now["measures"]["readings"]:
        then = previous.get(r.ward_measure.id)
        if then is not None and (then.variation or "") != (r.variation or ""):
            signals.append(
                f"{r.ward_measure.measure.name}, {r.ward_measure.ward.name}: "
                f"{then.variation_words.lower() or 'not enough data'} then, "
                f"{r.variation_words.lower() or 'not enough data'} now."
            )
    return {"figures": figures, "signals": signals}


def fixed(value, reading) -> str:
    """A measure's figure as the board's tables show it: whole numbers when the measure's
    figures are whole, otherwise one decimal place, with thousands separators."""
    if value is None:
        return ""
    places = 0 if reading.decimals == 0 else 1
    return f"{float(value):,.{places}f}"


def with_unit(value, reading) -> str:
    """A figure and its unit: "33.3%", "44.8 per 1,000 bed days", "2 episodes"."""
    unit = reading.unit.strip()
    text = fixed(value, reading)
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def build(user, provider, period: Period, today: date, decisions: str = "") -> dict:
    """Every section of the board report for one provider and one period (both days in)."""
    now = _figures(user, provider, period, today)
    before = _figures(user, provider, period.previous(), today)
    scope, measures = now["scope"], now["measures"]
    rows = measures["rows"]
    coaching, copro, pdsa = now["coaching"], now["coproduction"], now["pdsa"]
    groups = measures["groups"]
    equity_sections = _equity(scope)
    summary_points = [
        f"{_n(len(scope.wards), 'ward takes', 'wards take')} part; "
        f"{_n(measures['total'], 'measure is', 'measures are')} tracked.",
        f"{_n(groups['improvement'], 'measure shows', 'measures show')} special cause improvement "
        f"and {_n(groups['concern'], 'shows', 'show')} special cause concern; "
        f"{_n(groups['common'], 'shows', 'show')} common cause variation only.",
        f"{_n(pdsa['total'], 'PDSA cycle', 'PDSA cycles')} started in the period.",
        f"{hours(coaching['total_hours'])} of coaching were delivered in the period.",
    ]
    copro_headline = (
        f"Lived experience partners gave {hours(copro['profile']['lived_experience_hours'])} "
        f"in the period; {copro['profile']['co_design_stages']} of 4 stages of the work "
        "reached co-design or above."
    )
    if copro["owed_count"]:
        owed = _n(copro["owed_count"], "involvement payment was", "involvement payments were")
        copro_headline += (
            f" At the period's end {owed} not yet paid; "
            f"the oldest had waited {copro['oldest_wait_days']} days."
        )
    equity_headlines = [
        f"{e['measure'].name}: {e['headline']}" for e in equity_sections if e["headline"]
    ]
    return {
        "provider": provider,
        "scope": scope,
        "period": period,
        "previous_period": period.previous(),
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "generated_on": today,
        "summary_points": summary_points,
        "copro_headline": copro_headline,
        "equity_headlines": equity_headlines,
        "changes": changes_since(now, before),
        "decisions": [p.strip() for p in decisions.split("\n") if p.strip()],
        "decisions_placeholder": DECISIONS_PLACEHOLDER,
        "measure_rows": rows,
        "latest_common": max(
            (r["latest_period"] for r in rows if r["latest_period"]), default=None
        ),
        "fixed": fixed,
        "with_unit": with_unit,
        "charts": _key_charts(rows),
        "equity": equity_sections,
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
