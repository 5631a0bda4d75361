"""The equity panel on the home page: where to see gaps between groups."""

from coproduce.programme.models import Provider


def panels(request, access) -> list[dict]:
    if not (access.roles or access.sees_everything):
        return []
    providers = []
    if not access.sees_everything:  # the providers one sees as a whole
        providers = [
            p
            for p in Provider.objects.visible_to(request.user).order_by("name")
            if access.sees_provider_records(p.id)
        ]
    return [{"template": "equity_web/home_panel.html", "order": 40, "providers": providers}]
