"""The Jinja2 environment: project templates first, then the NHS.UK frontend macros."""

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from coproduce.core.forms import error_list, field_error, field_params
from coproduce.core.scoping import Permission
from coproduce.core.words import counted, hours, number, or_none, plural


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _date(value, fmt: str = "j F Y") -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return date_format(value, fmt)


def environment(**options) -> Environment:
    options["undefined"] = ChainableUndefined  # the NHS.UK macros rely on it
    options.setdefault("autoescape", True)
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)  # noqa: S701 - autoescape is on
    env.loader = ChoiceLoader([env.loader, PackageLoader("nhsuk_frontend_jinja")])
    env.globals.update(
        {
            "static": static,
            "url": url,
            "csrf_token_value": get_token,
            "get_messages": get_messages,
            "field_params": field_params,
            "error_list": error_list,
            "field_error": field_error,
            "Permission": Permission,
        }
    )
    env.filters["date"] = _date
    env.filters["counted"] = counted
    env.filters["hours"] = hours
    env.filters["number"] = number
    env.filters["or_none"] = or_none
    env.filters["plural"] = plural
    return env
