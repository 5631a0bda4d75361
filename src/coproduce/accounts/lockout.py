"""Lock-out counts failures per e-mail address, whatever its capitals."""


def username_for_lockout(request, credentials):
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else None
