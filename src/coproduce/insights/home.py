"""A panel on the signed-in home page for editors and lived experience partners."""

from . import permissions, services


def panels(request, access) -> list[dict]:
    if not permissions.can_use_editorial(request.user):
        return []
    waiting = list(services.waiting_for_review()[:5])
    return [{"template": "insights/home_panel.html", "order": 80, "waiting": waiting}]
