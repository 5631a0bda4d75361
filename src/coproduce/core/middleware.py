from . import audit


class AuditActorMiddleware:
    """Makes the signed-in person the actor of audit entries written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_actor(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            audit.reset_actor(token)
