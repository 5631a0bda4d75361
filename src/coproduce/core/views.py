"""Public home, the signed-in home page per role, the audit log and the error pages."""

import logging
from importlib import import_module

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from .models import AuditAction, AuditEvent
from .scoping import Permission, access_for, require

logger = logging.getLogger(__name__)


def public_home(request):
    return render(
        request,
        "core/public_home.html",
        {"page_title": "Improving the Mental Health Act, together"},
    )


def accessibility(request):
    return render(request, "core/accessibility.html", {"page_title": "Accessibility statement"})


@login_required
def home(request):
    from coproduce.programme.services import home_panels

    access = access_for(request.user)
    context = {"page_title": "Home", "panels": _app_panels(request, access)}
    context |= home_panels(request.user, access)
    return render(request, "core/home.html", context)


def _app_panels(request, access) -> list[dict]:
    """Panels other apps add to the home page: each app may have ``home.py`` with
    ``panels(request, access) -> list[dict]``; a panel names its ``template`` and an
    ``order`` and carries its own context."""
    panels = []
    for app in apps.get_app_configs():
        if not app.name.startswith("coproduce."):
            continue
        try:
            module = import_module(f"{app.name}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.home":
                raise
            continue
        panels.extend(module.panels(request, access))
    return sorted(panels, key=lambda p: p.get("order", 100))


@login_required
def audit_log(request):
    require(request, Permission.VIEW_AUDIT)
    events = AuditEvent.objects.select_related("actor")
    filters = {
        "action": request.GET.get("action", ""),
        "object_type": request.GET.get("object_type", ""),
        "actor": request.GET.get("actor", "").strip(),
        "on": request.GET.get("on", ""),
    }
    if filters["action"] in AuditAction.values:
        events = events.filter(action=filters["action"])
    if filters["object_type"]:
        events = events.filter(object_type=filters["object_type"])
    if filters["actor"]:
        events = events.filter(actor_label__icontains=filters["actor"])
    if filters["on"]:
        try:
            from datetime import date

            day = date.fromisoformat(filters["on"])
            events = events.filter(at__date=day)
        except ValueError:
            filters["on_error"] = "Enter a real date, like 2026-03-31."
    object_types = (
        AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "page_title": "Audit log",
            "page": page,
            "filters": filters,
            "actions": AuditAction.choices,
            "object_types": list(object_types),
            "query": query.urlencode(),
        },
    )


def error_400(request, exception=None):
    return render(
        request, "400.html", {"page_title": "Sorry, we could not read what was sent"}, status=400
    )


def error_403(request, exception=None):
    return render(request, "403.html", {"page_title": "You cannot see this page"}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", {"page_title": "Page not found"}, status=404)


def csrf_failure(request, reason=""):
    """A form sent without its security check (an old page, or cookies blocked)."""
    return render(
        request,
        "403_csrf.html",
        {"page_title": "Your form was not sent"},
        status=403,
    )


def error_500(request):
    try:
        html = render_to_string("500.html", {"page_title": "Sorry, there is a problem"}, request)
        return HttpResponseServerError(html)
    except Exception:  # the error page itself must never fail
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(
            "<!DOCTYPE html><html lang='en'><head><title>Sorry, there is a problem</title></head>"
            "<body><main><h1>Sorry, there is a problem with the service</h1>"
            "<p>Try again later.</p></main></body></html>"
        )


def healthcheck(request):
    return HttpResponse("ok", content_type="text/plain")
