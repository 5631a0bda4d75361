from django.conf import settings
from django.urls import reverse

from . import layout_parts
from .scoping import Permission, access_for


def navigation(request):
    """Header navigation: only the places this person may go. Also the parts other apps
    add to every page (``layout_parts``)."""
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
        items += _links("signed_in_nav", user)
        if access.has(Permission.MANAGE_PEOPLE):
            items.append(("People", reverse("programme:people")))
        if access.has(Permission.VIEW_AUDIT):
            items.append(("Audit log", reverse("core:audit-log")))
    else:
        items += _links("public_nav", user)
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
        "layout_parts": {
            "stylesheets": layout_parts.parts("stylesheets"),
            "body_start": layout_parts.parts("body_start"),
            "body_end": layout_parts.parts("body_end"),
            "footer_links": [
                {"href": href, "text": text} for text, href in _links("footer_links", user)
            ],
            "public_home": layout_parts.parts("public_home"),
        },
    }


def _links(kind, user) -> list[tuple[str, str]]:
    return [(link.text, link.href()) for link in layout_parts.parts(kind) if link.show(user)]
