"""Programme and provider dashboards, and the board report (page and PDF)."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coproduce.core import audit
from coproduce.core.scoping import Permission, get_visible_or_404, require
from coproduce.programme.models import Phase, Provider

from . import board, services
from .coaching import WEEKS_BEFORE_STALLED
from .scope import programme_scope, provider_scope


def _weeks(request) -> int:
    try:
        weeks = int(request.GET.get("weeks", WEEKS_BEFORE_STALLED))
    except ValueError:
        return WEEKS_BEFORE_STALLED
    return min(max(weeks, 1), 52)


def _current_phase(today: date):
    phases = list(Phase.objects.order_by("starts_on"))
    for phase in phases:
        if phase.starts_on <= today <= phase.ends_on:
            return phase, phases
    return (phases[-1] if phases else None), phases


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
    return _dashboard(
        request,
        programme_scope(request.user, phase),
        today,
        page_title="Programme dashboard",
        phases=phases,
        phase=phase,
        is_programme=True,
    )


def _dashboard(request, scope, today, **extra):
    """Render a dashboard for a scope; the list of quiet wards is paginated."""
    data = services.dashboard(scope, request.user, today, _weeks(request))
    stalled = Paginator(data["stalled"], 25).get_page(request.GET.get("page"))
    return render(request, "reports/dashboard.html", data | {"stalled_page": stalled} | extra)


def _provider_for_reporting(request, pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=pk)
    require(request, Permission.VIEW_REPORTS, provider.id)
    return provider


@login_required
def provider_dashboard(request, pk):
    provider = _provider_for_reporting(request, pk)
    today = timezone.localdate()
    return _dashboard(
        request,
        provider_scope(request.user, provider),
        today,
        page_title=f"Dashboard: {provider.name}",
        provider=provider,
        is_programme=False,
        back_url=reverse("programme:provider-detail", args=[provider.pk]),
        back_text=provider.name,
    )


def _period(request):
    """The report's period from ?from=&to= (ISO dates); the last 12 months by default."""
    today = timezone.localdate()
    errors = []
    try:
        ends_on = date.fromisoformat(request.GET["to"]) if request.GET.get("to") else today
    except ValueError:
        errors.append("Enter the end of the period as a real date, like 2025-03-31.")
        ends_on = today
    if ends_on > today or ends_on < EARLIEST_REPORT:
        errors.append("The end of the period must be between 1 January 2000 and today.")
        ends_on = today
    try:
        starts_on = (
            date.fromisoformat(request.GET["from"])
            if request.GET.get("from")
            else ends_on - timedelta(days=365)
        )
    except ValueError:
        errors.append("Enter the start of the period as a real date, like 2024-04-01.")
        starts_on = ends_on - timedelta(days=365)
    if starts_on < EARLIEST_REPORT or starts_on > today:
        errors.append("The start of the period must be between 1 January 2000 and today.")
        starts_on = ends_on - timedelta(days=365)
    if starts_on > ends_on:
        errors.append("The start of the period must be before its end.")
        starts_on = ends_on - timedelta(days=365)
    return starts_on, ends_on, errors


EARLIEST_REPORT = date(2000, 1, 1)  # no figures before this; earlier dates are typing mistakes


def _report_context(request, pk):
    provider = _provider_for_reporting(request, pk)
    starts_on, ends_on, errors = _period(request)
    context = board.build(request.user, provider, starts_on, ends_on, timezone.localdate())
    audit.record_view(request.user, provider, "Board report (includes figures by group)")
    return provider, context | {"period_errors": errors}


@login_required
def board_report(request, pk):
    provider, context = _report_context(request, pk)
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
    )


@login_required
def board_report_pdf(request, pk):
    provider, context = _report_context(request, pk)
    html = render_to_string("reports/board_report_pdf.html", context, request)
    pdf = board.to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    period = f"{context['starts_on']}-to-{context['ends_on']}"
    name = f"coproduce-board-report-{provider.ods_code}-{period}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
