"""Authorisation matrix entries for the coaching log."""

from ..authz import A_READ, expect
from .factories import CoachingActionFactory, CoachingSessionFactory

# Logging needs a coaching role: admins and coaches.
LOG = expect(403, anonymous="login", admin=200, coach=200)
# Changing a session: admins and the coach who logged it; provider B cannot see it.
CHANGE = expect(403, anonymous="login", admin=200, coach=200, other_lead=404)


def _session(w):
    return {"pk": CoachingSessionFactory(ward=w.ward_a1, coach=w.users["coach"]).pk}


def _action(w):
    return {
        "pk": CoachingActionFactory(session__ward=w.ward_a1, session__coach=w.users["coach"]).pk
    }


ROUTES = {
    "coaching:session-list": (None, expect(200, anonymous="login")),
    "coaching:session-create": (None, LOG),
    "coaching:session-detail": (_session, A_READ),
    "coaching:session-edit": (_session, CHANGE),
    "coaching:session-delete": (_session, CHANGE),
    # GET only redirects back to the session; the POST is tested on its own.
    "coaching:action-done": (_action, expect(302, anonymous="login", observer=403, other_lead=404)),
}
