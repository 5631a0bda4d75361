"""The coach's panel on the home page: log a session, open actions."""

from django.utils import timezone

from coproduce.core.scoping import Permission

from .models import CoachingAction


def panels(request, access) -> list[dict]:
    if not access.has(Permission.LOG_COACHING):
        return []
    actions = (
        list(
            CoachingAction.objects.visible_to(request.user)
            .open()
            .select_related("session", "session__ward", "session__provider")
            .filter(session__coach=request.user)
            .order_by("due_on", "id")[:5]
        )
        if not access.has(Permission.MANAGE_PROGRAMME)  # the programme team coaches no one
        else []
    )
    return [
        {
            "template": "coaching/home_panel.html",
            "order": 10,
            "actions": actions,
            "today": timezone.localdate(),
        }
    ]
