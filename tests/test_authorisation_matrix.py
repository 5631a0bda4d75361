"""Every URL in the project, for every role: who gets the page, who is refused, who gets 404.

The test enumerates the URL patterns themselves, so a new view that is not in ROUTES
fails ``test_every_route_is_in_the_matrix`` until someone decides who may see it.
"""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests

from .authz import ROLES
from .conftest import build_world, reload_world


def _collect_routes() -> dict:
    routes = {}
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.routes")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{info.name}.routes":
                raise
            continue
        clash = set(routes) & set(module.ROUTES)
        assert not clash, f"Routes listed twice: {clash}"
        routes.update(module.ROUTES)
    return routes


ROUTES = _collect_routes()

# Routes that other code owns and tests on its own terms.
EXCLUDED_NAMESPACES = {"admin"}


def _all_route_names(patterns=None, prefix=""):
    names = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in EXCLUDED_NAMESPACES:
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names += _all_route_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            if p.name is None:
                raise AssertionError(
                    f"URL pattern {p.pattern} has no name: name it and add it to ROUTES"
                )
            names.append(prefix + p.name)
    return names


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The world, built once for this module's couple of hundred tests, in a transaction
    rolled back when the module ends. Each test runs in a savepoint inside it (the ``db``
    fixture), so whatever a test or a kwargs builder creates is gone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(db, _module_world):
    """This module's shared world, read afresh for each test."""
    return reload_world(_module_world)


def test_every_route_is_in_the_matrix():
    missing = sorted(set(_all_route_names()) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(_all_route_names()))
    assert not missing, f"Add these routes to the authorisation matrix: {missing}"
    assert not stale, f"These matrix entries no longer match a route: {stale}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_role_correctly(client, world, name):
    kwargs_for, expected = ROUTES[name]
    url = reverse(name, kwargs=kwargs_for(world) if kwargs_for else None)
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = client.get(url)
        want = expected[role]
        if want == "login":
            ok = response.status_code == 302 and response["Location"].startswith(
                reverse("accounts:sign-in")
            )
        else:
            ok = response.status_code == want
        if not ok:
            failures.append(f"{role}: wanted {want}, got {response.status_code}")
    assert not failures, f"{name} ({url}): " + "; ".join(failures)


def test_django_admin_is_for_programme_admins_only(client, world):
    url = reverse("admin:index")
    for role in ROLES[1:]:
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == (200 if role == "admin" else 302), role
    client.logout()
    assert client.get(url).status_code == 302


def test_a_member_of_one_ward_cannot_see_a_sibling_ward(client, world):
    client.force_login(world.users["ward_member"])
    assert client.get(reverse("programme:ward-detail", args=[world.ward_a2.pk])).status_code == 404
    client.force_login(world.users["lead"])
    assert client.get(reverse("programme:ward-detail", args=[world.ward_a2.pk])).status_code == 200


def test_posts_to_another_providers_records_answer_404_and_change_nothing(client, world):
    client.force_login(world.users["other_lead"])
    url = reverse("programme:provider-edit", args=[world.provider_a.pk])
    response = client.post(url, {"name": "Hijacked", "kind": "nhs_trust", "ods_code": "TA1"})
    assert response.status_code == 404
    world.provider_a.refresh_from_db()
    assert world.provider_a.name == "Fictional Alpha NHS Trust"


def test_what_earlier_tests_created_is_gone(world):
    """Runs after the route tests (those of its process, under xdist): nothing they or
    their kwargs builders created outlived them in the shared world."""
    from coproduce.accounts.models import User
    from coproduce.programme.models import Membership, Provider, Ward

    assert Provider.objects.count() == 2
    assert Ward.objects.count() == 3
    assert User.objects.count() == len(world.users)
    assert Membership.objects.count() == len(world.users)
