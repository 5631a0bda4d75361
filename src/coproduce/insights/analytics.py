"""Analytics cookies: the choice, and page views counted in aggregate on our own server.

Nothing is counted unless the person accepted analytics cookies. A count is a path and a
day; there is no address, no account, no identifier of any kind.
"""

from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone

from .models import PageViewCount

COOKIE_NAME = "coproduce_analytics"
ACCEPTED = "yes"
REJECTED = "no"
COOKIE_AGE = 60 * 60 * 24 * 365


def choice(request) -> str | None:
    value = request.COOKIES.get(COOKIE_NAME)
    return value if value in {ACCEPTED, REJECTED} else None


def accepted(request) -> bool:
    return choice(request) == ACCEPTED


def set_choice(response, request, value: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=COOKIE_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )


def countable_path(path: str) -> str | None:
    """The path to count, or None for anything that is not one of our pages."""
    path = (path or "").split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or len(path) > 200 or path.startswith("//"):
        return None
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def count(path: str) -> None:
    today = timezone.localdate()
    row, created = PageViewCount.objects.get_or_create(path=path, day=today, defaults={"count": 1})
    if not created:
        PageViewCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
