"""Authorisation matrix entries for dashboards, board reports and exports."""

from ..authz import expect

PROGRAMME = expect(403, anonymous="login", admin=200, coach=200)
# A provider's dashboard and board report: its lead, observers and coaches, and admins.
PROVIDER = expect(200, anonymous="login", ward_member=403, partner=403, other_lead=404)

ROUTES = {
    "reports:programme-dashboard": (None, PROGRAMME),
    "reports:provider-dashboard": (lambda w: {"pk": w.provider_a.pk}, PROVIDER),
    "reports:board-report": (lambda w: {"pk": w.provider_a.pk}, PROVIDER),
    "reports:board-report-pdf": (lambda w: {"pk": w.provider_a.pk}, PROVIDER),
}

try:  # the exports' own entries
    from .routes_exports import ROUTES as EXPORT_ROUTES
except ModuleNotFoundError:  # pragma: no cover - only while exports are being added
    EXPORT_ROUTES = {}
ROUTES |= EXPORT_ROUTES
