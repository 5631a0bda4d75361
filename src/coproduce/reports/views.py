"""Programme and provider dashboards, and the board report (page and PDF)."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coproduce.core import audit
from coproduce.core.scoping import Permission, get_visible_or_404, require
from coproduce.programme.models import Phase, Provider

from . import board, rules, services
from .funnel import funnel_view
from .rules import Period, PeriodError, period_from, year_to
from .scope import programme_scope, provider_scope


def _current_phase(today: date):
    phases = list(Phase.objects.order_by("starts_on"))
    for phase in phases:
        if phase.starts_on <= today <= phase.ends_on:
            return phase, phases
    return (phases[-1] if phases else None), phases


def _phase_period(phase, phases, today: date) -> Period:
    """A phase's days up to today; all phases: from the first phase's start to today."""
    if phase is None:
        first = min((p.starts_on for p in phases), default=None)
        if first is None or first > today:
            return year_to(today)
        return Period(max(first, rules.EARLIEST), today)
    ends_on = min(phase.ends_on, today)
    if phase.starts_on > ends_on:
        return year_to(today)
    return Period(max(phase.starts_on, rules.EARLIEST), ends_on)


def _period_or_errors(request, default: Period) -> tuple[Period, dict]:
    """The period the person chose, or the default and the plain messages saying why not."""
    try:
        return period_from(request.GET, timezone.localdate(), default), {}
    except PeriodError as exc:
        return default, exc.messages


@login_required
def programme_dashboard(request):
    require(request, Permission.VIEW_PROGRAMME_DASHBOARD)
    today = timezone.localdate()
    phase, phases = _current_phase(today)
    chosen = request.GET.get("phase", "")
    if chosen == "all":
        phase = None
    elif chosen.isdigit():
        phase = next((p for p in phases if p.pk == int(chosen)), phase)
    period, errors = _period_or_errors(request, _phase_period(phase, phases, today))
    return _dashboard(
        request,
        programme_scope(request.user, phase, period.starts_on, period.ends_on),
        period,
        errors,
        page_title="Programme dashboard",
        phases=phases,
        phase=phase,
        is_programme=True,
    )


def _dashboard(request, scope, period, errors, **extra):
    """Render a dashboard for a scope and period (or the period's errors, and nothing else)."""
    today = timezone.localdate()
    context = {"period": period, "period_errors": errors} | extra
    if errors:
        return render(request, "reports/dashboard.html", context, status=400)
    data = services.dashboard(scope, request.user, period, today)
    view = funnel_view(
        scope,
        request.GET.get("measure", ""),
        by_provider=extra["is_programme"],
        id_prefix="dashboard-funnel",
    )
    return render(request, "reports/dashboard.html", context | data | {"funnel": view})


def _provider_for_reporting(request, pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=pk)
    require(request, Permission.VIEW_REPORTS, provider.id)
    return provider


@login_required
def provider_dashboard(request, pk):
    provider = _provider_for_reporting(request, pk)
    today = timezone.localdate()
    period, errors = _period_or_errors(request, year_to(today))
    return _dashboard(
        request,
        provider_scope(request.user, provider, period.starts_on, period.ends_on),
        period,
        errors,
        page_title=f"Dashboard: {provider.name}",
        provider=provider,
        is_programme=False,
        back_url=reverse("programme:provider-detail", args=[provider.pk]),
        back_text=provider.name,
    )


def _decisions(request) -> str:
    return (request.GET.get("decisions", "") or "")[: board.MAX_DECISIONS].replace("\x00", "")


def _report_context(request, pk):
    """The report's context, or the period's plain errors (and no report) with status 400."""
    provider = _provider_for_reporting(request, pk)
    today = timezone.localdate()
    try:
        period = period_from(request.GET, today)
    except PeriodError as exc:
        return provider, {
            "provider": provider,
            "period_errors": exc.messages,
            "period": None,
            "values": {k: request.GET.get(k, "") for k in ("from", "to")},
            "decisions_text": _decisions(request),
        }
    context = board.build(request.user, provider, period, today, _decisions(request))
    audit.record_view(request.user, provider, "Board report (includes figures by group)")
    return provider, context | {
        "period_errors": {},
        "values": {"from": period.starts_on.isoformat(), "to": period.ends_on.isoformat()},
        "decisions_text": _decisions(request),
    }


def _board_page(request, provider, context):
    return render(
        request,
        "reports/board_report.html",
        context
        | {
            "page_title": f"Board report: {provider.name}",
            "query": request.GET.urlencode(),
            "back_url": reverse("reports:provider-dashboard", args=[provider.pk]),
            "back_text": "Provider dashboard",
        },
        status=400 if context["period_errors"] else 200,
    )


@login_required
def board_report(request, pk):
    provider, context = _report_context(request, pk)
    return _board_page(request, provider, context)


@login_required
def board_report_pdf(request, pk):
    provider, context = _report_context(request, pk)
    if context["period_errors"]:  # refused, never replaced by another period
        return _board_page(request, provider, context)
    html = render_to_string("reports/board_report_pdf.html", context, request)
    pdf = board.to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    period = f"{context['starts_on']}-to-{context['ends_on']}"
    name = f"coproduce-board-report-{provider.ods_code}-{period}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
