from django.conf import settings
from django.urls import reverse

from .scoping import access_for


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
        if access.sees_everything or access.coach_ward_ids or access.coach_provider_ids:
            items.append(("Dashboard", reverse("reports:programme-dashboard")))
        if access.is_admin or access.roles & {"coach", "provider_lead", "observer"}:
            items.append(("Exports", reverse("reports:exports")))
        if access.is_admin or "lived_experience_partner" in access.roles:
            items.append(("Editorial", reverse("insights:editorial")))
        if access.can_manage_people():
            items.append(("People", reverse("programme:people")))
        if access.is_admin:
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
    }
