"""Whatever is sent, no page answers with a server error.

For every route in the authorisation matrix, as each role that can open it, this test
sends the page's query string with hostile values, then finds every form on the page and
submits it again and again with one field at a time replaced by a hostile value (and once
with every field replaced). Any 500, or any exception escaping a view, fails the test.
A page that answers in Django's own default wording ("This field is required.") fails too.
Values include NUL bytes, numbers far beyond 64 bits, dates outside every range, very long
text, markup and unsafe ``next`` addresses.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from coproduce.core.messages import DJANGO_DEFAULT_PHRASES

from .test_authorisation_matrix import ROUTES

HOSTILE = [
    "a\x00b",
    "99999999999999999999999",
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "1e308",
    "NaN",
    "x" * 5000,
    "<script>alert(1)</script>",
    "foo",
    "//evil.example",
    "",
    "١٢٣",
]
QUERY_KEYS = [
    "page", "q", "provider", "ward", "phase", "from", "to", "weeks", "next", "format",
    "year", "topic", "breakdown", "kind", "window", "reference", "compare", "place",
    "status", "stage", "measure", "signals", "easy", "domain", "driver", "parent",
]  # fmt: skip
ROLES = ["admin", "partner", "anonymous"]
# The query string gets these (NUL bytes and over-long numbers are refused by middleware
# before any view; the form fields still get every value).
QUERY_VALUES = ["-1", "0001-01-01", "foo", "99999999999999999999999"]
# A form seen on many pages (the cookie banner, sign-out) is tried once, not on every page.
_TRIED: set = set()


class _Forms(HTMLParser):
    """The forms on a page: action, method and (name, value, options) of each field."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
            }  # noqa: E501
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].setdefault(a["name"], [])
                self._form["fields"][a["name"]].append(("option", a.get("value", "on")))
                return
            self._form["fields"].setdefault(a["name"], []).append(("value", a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._form["fields"].setdefault(a["name"], []).append(("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], [])
        elif tag == "option" and self._select:
            self._form["fields"][self._select].append(("option", a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _plain_payload(fields) -> dict:
    data = {}
    for name, entries in fields.items():
        values = [v for k, v in entries if k == "value"]
        options = [v for k, v in entries if k == "option" and v]
        if name == "csrfmiddlewaretoken":
            continue
        data[name] = values[0] if values else (options[0] if options else "")
    return data


def _payloads(fields):
    base = _plain_payload(fields)
    yield base
    names = list(base)
    for i, name in enumerate(names):
        yield {**base, name: HOSTILE[i % len(HOSTILE)]}
    for value in HOSTILE[1:8]:
        yield dict.fromkeys(names, value)


def _check(client, method, url, data, failures, label):
    try:
        response = getattr(client, method)(url, data)
    except Exception as exc:  # noqa: BLE001 - any escaping exception is the failure
        failures.append(f"{label} {method.upper()} {url} {sorted(data)[:6]}: {exc!r}"[:400])
        return None
    if response.status_code >= 500:
        failures.append(f"{label} {method.upper()} {url} {dict(list(data.items())[:6])!r}"[:400])
    elif "html" in response.get("Content-Type", ""):
        body = response.content.decode("utf-8", "replace")
        said = [p for p in DJANGO_DEFAULT_PHRASES + ("Please submit",) if p in body]
        if said:
            failures.append(f"{label} {method.upper()} {url}: Django's own words {said}"[:400])
    return response


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_route_answers_a_server_error_whatever_is_sent(client, world, name):
    kwargs_for, expected = ROUTES[name]
    url = reverse(name, kwargs=kwargs_for(world) if kwargs_for else None)
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        if expected.get(role) != 200:
            continue
        for value in QUERY_VALUES:
            _check(client, "get", url, dict.fromkeys(QUERY_KEYS, value), failures, role)
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(page.content.decode("utf-8", "replace"))
        for form in parser.forms:
            action = form["action"] or url
            if action.startswith("http") or not action.startswith("/"):
                continue
            key = (role, form["method"], action.split("?")[0], tuple(sorted(form["fields"])))
            generic = (form["method"], action.split("?")[0], tuple(sorted(form["fields"])))
            if key in _TRIED or ("*", *generic) in _TRIED or "sign-out" in action:
                continue
            _TRIED.add(key)
            if action.split("?")[0] != url.split("?")[0]:
                _TRIED.add(("*", *generic))  # a form posting elsewhere: once is enough
            for data in _payloads(form["fields"]):
                _check(client, form["method"], action, data, failures, role)
                if form["method"] == "post" and role != "anonymous":
                    client.force_login(world.users[role])  # a form may sign the person out
        if len(failures) > 20:
            break
    assert not failures, f"{name}: {len(failures)} server errors:\n" + "\n".join(failures[:20])
