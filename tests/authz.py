"""Shared vocabulary for the authorisation matrix.

Each app lists its routes in ``tests/<app>/routes.py`` as ``ROUTES = {url name: (kwargs
builder or None, expected answers)}``; ``tests/test_authorisation_matrix.py`` merges
them and fails for any URL pattern that is in no table.

The world (see ``tests/conftest.py``): provider A with wards A1 and A2, provider B with
ward B1. People: ``admin``; ``coach`` of ward A1; ``lead`` of provider A;
``ward_member`` and ``partner`` on ward A1; ``observer`` of provider A; ``other_lead``
of provider B. Kwargs builders receive the world and may create records in it.
"""

ROLES = ["anonymous", "admin", "coach", "lead", "ward_member", "partner", "observer", "other_lead"]
A_MEMBERS = ["coach", "lead", "ward_member", "partner", "observer"]


def expect(default, **overrides) -> dict:
    """Expected answer per role: a status code, or "login" for a redirect to sign in."""
    table = dict.fromkeys(ROLES, default)
    table.update(overrides)
    return table


PUBLIC = expect(200)
SIGNED_IN = expect(200, anonymous="login")
ADMIN_ONLY = expect(403, anonymous="login", admin=200)
# Records of provider A (or ward A1): everyone in A reads them, provider B gets 404.
A_READ = expect(200, anonymous="login", other_lead=404)
# Change records of ward A1: observers may not (403), provider B gets 404.
A1_EDIT = expect(200, anonymous="login", observer=403, other_lead=404)
# Manage provider A itself (its details, wards, people): admin and its lead only.
A_MANAGE = expect(403, anonymous="login", admin=200, lead=200, other_lead=404)
