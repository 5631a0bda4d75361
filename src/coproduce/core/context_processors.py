from django.conf import settings
from django.urls import reverse

from .scoping import Permission, access_for


def navigation(request):
    """Header navigation: only the places this person may go."""
    user = getattr(request, "user", None)
    access = access_for(user)
    items = []
    if access.authenticated:
        items.append(("Home", reverse("core:home")))
        if access.roles or access.is_admin:
            items.append(("Providers", reverse("programme:provider-list")))
            items.append(("Improvement", reverse("improvement:project-list")))
            items.append(("Co-production", reverse("coproduction:hub")))
            items.append(("Equity", reverse("equity_web:index")))
            items.append(("Coaching", reverse("coaching:session-list")))
        if access.has(Permission.VIEW_PROGRAMME_DASHBOARD):
            items.append(("Dashboard", reverse("reports:programme-dashboard")))
        if access.has(Permission.EXPORT_DATA):
            items.append(("Exports", reverse("reports:exports")))
        if access.has(Permission.EDIT_INSIGHTS) or access.has(Permission.REVIEW_INSIGHTS):
            items.append(("Editorial", reverse("insights:editorial")))
        if access.has(Permission.MANAGE_PEOPLE):
            items.append(("People", reverse("programme:people")))
        if access.has(Permission.VIEW_AUDIT):
            items.append(("Audit log", reverse("core:audit-log")))
    else:
        items.append(("Insights", reverse("insights:post-list")))
        items.append(("Resources", reverse("insights:resource-list")))
        items.append(("Newsletter", reverse("insights:newsletter")))
    path = request.path
    nav = [
        {
            "text": text,
            "href": href,
            "current": path == href,
            "active": path.startswith(href) and href != "/",
        }
        for text, href in items
    ]
    return {
        "service_name": settings.COPRODUCE_SERVICE_NAME,
        "nav_items": nav,
        "access": access,
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
