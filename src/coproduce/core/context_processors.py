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
        if access.is_admin or access.reads_everything or access.roles:
            items.append(("Providers", reverse("programme:provider-list")))
        items.append(("Programme", reverse("programme:programme")))
        if access.roles:
            items.append(("Coaching", reverse("coaching:session-list")))
        if access.can_manage_people():
            items.append(("People", reverse("programme:people")))
        if access.is_admin:
            items.append(("Audit log", reverse("core:audit-log")))
    path = request.path
    nav = [
        {"text": text, "href": href, "current": path == href, "active": path.startswith(href) and href != "/"}
        for text, href in items
    ]
    return {
        "service_name": settings.COPRODUCE_SERVICE_NAME,
        "nav_items": nav,
        "access": access,
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
