"""Every route that accepts POST, posted to by every role.

A role allowed to post gets the effect: a redirect, and the database changes. Any other
role is refused (403, 404, or sent to sign in) or shown the form again, and the database
is left exactly as it was: the number of rows of every model, the latest change time of
every model that records one, and the audit log's rows.

Each route's table entry (``tests/<app>/writes.py``, ``WRITES``) names the roles allowed
to post and builds a minimal valid payload. The payload starts from the form the page
shows to an allowed role (so an edit page posts its own values back) and the entry's
``fields`` fill or change what the form leaves empty. The world is built once per route;
each role's post runs in a savepoint that is rolled back, so every role posts to the
same world.
"""

import hashlib
import importlib
import pkgutil
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.urls import reverse

import tests
from coproduce.core.models import AuditEvent

from .authz import ROLES
from .test_authorisation_matrix import ROUTES


def _collect_writes() -> dict:
    writes = {}
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.writes")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{info.name}.writes":
                raise
            continue
        writes.update(module.WRITES)
    return writes


WRITES = _collect_writes()


class _FormFields(HTMLParser):
    """The fields of the page's POST forms, with the values the page fills in."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_post_form = False
        self._textarea = None
        self._select = None
        self._first_option = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_post_form = (a.get("method") or "").lower() == "post"
        if not self._in_post_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            else:
                self._add(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None and a.get("value"):
                self._first_option = a["value"]
            if "selected" in a:
                self._add(self._select, a.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(html)
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def snapshot(with_views=True) -> dict:
    """Rows of every model, the latest change of each model that records one, the audit log
    (without its records of pages viewed, if ``with_views`` is false)."""
    state = {}
    events = AuditEvent.objects.all() if with_views else AuditEvent.objects.exclude(action="view")
    for model in apps.get_models():
        if model is AuditEvent and not with_views:
            continue
        manager = model._base_manager
        state[model._meta.label] = manager.count()
        for stamp in ("updated_at", "modified_at", "entered_at"):
            if any(f.name == stamp for f in model._meta.concrete_fields):
                state[f"{model._meta.label}.{stamp}"] = manager.aggregate(m=Max(stamp))["m"]
    rows = events.order_by("pk").values_list()
    state["audit"] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return state


def changed(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _login(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])


def test_every_write_is_a_route_of_the_matrix():
    assert not set(WRITES) - set(ROUTES), set(WRITES) - set(ROUTES)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_each_role_posts_with_effect_or_changes_nothing(client, world, name):
    entry = WRITES[name]
    kwargs_for, expected_get = ROUTES[name]
    url = reverse(name, kwargs=kwargs_for(world) if kwargs_for else None)
    if entry.get("url"):
        url = entry["url"](world, url)
    allowed = entry["allowed"]
    _login(client, world, sorted(allowed)[0])
    page = client.get(url)
    data = form_fields(page.content.decode()) if page.status_code == 200 else {}
    extra = entry.get("fields")
    data |= {
        k: v if isinstance(v, list) else [v] for k, v in (extra(world) if extra else {}).items()
    }
    failures = []
    for role in ROLES:
        with transaction.atomic():
            _login(client, world, role)
            before = snapshot()
            response = client.post(url, data)
            diff = changed(before, snapshot())
            if role in allowed:
                if response.status_code != 302 or not diff:
                    failures.append(
                        f"{role}: allowed, but got {response.status_code} and changed {diff}"
                        + (f" ({_errors(response)})" if response.status_code == 200 else "")
                    )
            else:
                want = expected_get[role]
                refused = (
                    response.status_code == 302
                    and response["Location"].startswith(reverse("accounts:sign-in"))
                    if want == "login"
                    else response.status_code in (403, 404, 200)
                    and (response.status_code == want or want == 200)
                )
                if not refused or diff:
                    failures.append(
                        f"{role}: not allowed, got {response.status_code} (GET answers {want}) "
                        f"and changed {diff}"
                    )
            transaction.set_rollback(True)
    assert not failures, f"{name} ({url}):\n" + "\n".join(failures)


def _errors(response) -> str:
    html = response.content.decode()
    start = html.find("nhsuk-error-summary__list")
    if start < 0:
        return "no error summary"
    end = html.find("</ul>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", html[start + 27 : end]).split())


# The namespaces whose every POST route is in WRITES; any other route of theirs must
# change nothing when posted to.
COVERED = ("programme:", "improvement:", "equity_web:", "reports:", "core:")
# Writes whose payloads are files or many rows, tested in their own app's tests for now.
NOT_YET = {
    "improvement:data-entry": "a row per adopted measure for one period",
    "improvement:upload": "a CSV file (the upload is being rewritten)",
    "improvement:upload-preview": "a CSV file waiting in the session",
    "equity_web:entry": "figures by group for one period",
    "equity_web:import": "a CSV file of figures by group",
    "equity_web:national-upload": "a file of national statistics",
}


@pytest.mark.parametrize(
    "name",
    sorted(n for n in ROUTES if n.startswith(COVERED) and n not in WRITES and n not in NOT_YET),
)
def test_a_route_that_is_not_a_write_changes_nothing_when_posted_to(client, world, name):
    kwargs_for, _expected = ROUTES[name]
    url = reverse(name, kwargs=kwargs_for(world) if kwargs_for else None)
    for role in ("admin", "lead"):
        _login(client, world, role)
        before = snapshot(with_views=False)
        client.post(url, {})
        diff = changed(before, snapshot(with_views=False))
        assert not diff, f"{name}: a POST as {role} changed {diff}"
