"""The reports panel on the home page: the dashboards and board reports this person may read."""

from coproduce.core.scoping import ROLE_OBSERVER, Permission
from coproduce.programme.models import Provider

MAX_PROVIDERS = 20


def panels(request, access) -> list[dict]:
    programme = access.has(Permission.VIEW_PROGRAMME_DASHBOARD)
    # Someone who reads the whole programme finds each provider's reports from its page.
    providers = (
        []
        if access.sees_everything
        else [
            p
            for p in Provider.objects.visible_to(request.user).order_by("name")
            if access.has(Permission.VIEW_REPORTS, p.id)
        ]
    )
    if not programme and not providers:
        return []
    return [
        {
            "template": "reports/home_panel.html",
            "order": 5,
            "programme": programme,
            "providers": providers[:MAX_PROVIDERS],
            "more": max(0, len(providers) - MAX_PROVIDERS),
            "exports": access.has(Permission.EXPORT_DATA),
            "all_providers": access.sees_everything,
            "reads_only": access.roles == frozenset({ROLE_OBSERVER}) and not access.is_admin,
        }
    ]
