"""Where to go after a form: a ``next`` address is followed only when it is a path on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, default: str, field: str = "next") -> str:
    """The ``next`` value of the request if it is a path on this site, otherwise ``default``."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return default
