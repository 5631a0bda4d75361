"""The equity panel on the home page: where to see gaps between groups."""

from coproduce.programme.models import Provider


def panels(request, access) -> list[dict]:
    if not (access.roles or access.sees_everything):
        return []
    providers = []
    if not access.sees_everything:
        providers = list(Provider.objects.filter(id__in=access.full_provider_ids).order_by("name"))
    return [{"template": "equity_web/home_panel.html", "order": 40, "providers": providers}]
