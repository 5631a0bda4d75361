"""Authorisation matrix entries for the export routes (merged into ``routes.py``).

Programme admins, coaches, provider leads and observers may export what they can read;
ward team members and partners have no reporting role and are refused.
"""

from ..authz import expect

REPORTING = expect(200, anonymous="login", ward_member=403, partner=403)

ROUTES = {
    "reports:exports": (None, REPORTING),
    "reports:export": (lambda w: {"name": "coaching-log", "fmt": "csv"}, REPORTING),
}
