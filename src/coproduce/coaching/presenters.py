"""What the coaching session page shows, worked out away from the view."""

from django.urls import reverse

from . import services


def session_detail(session, user) -> dict:
    """One session: its agreed actions, what is still open here from earlier sessions."""
    return {
        "page_title": str(session),
        "session": session,
        "actions": session.actions.all(),
        "earlier_open": services.open_actions_for(
            session.provider, session.ward, exclude_session=session
        ),
        "can_change": services.can_change(user, session),
        "back_url": reverse("coaching:session-list"),
        "back_text": "Coaching log",
    }
