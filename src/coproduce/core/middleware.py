from pathlib import Path

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware

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


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, also serving the NHS.UK frontend's assets at ``/assets/``.

    The NHS stylesheet points at its icons by absolute path (``/assets/images/...``), so
    they are served there as well as under ``STATIC_URL``.
    """

    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings=settings)
        folder = getattr(settings, "NHS_ASSETS_DIR", None)
        if folder and Path(folder).is_dir():
            self.add_files(str(folder), prefix="/assets/")
