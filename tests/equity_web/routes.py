"""Authorisation matrix entries for the equity pages (see tests/authz.py)."""

from ..authz import A1_EDIT, A_READ, ADMIN_ONLY, SIGNED_IN
from .helpers import catalogue_measure, figure, ward_measure


def _measure(w):
    return {"measure_pk": catalogue_measure().pk}


def _provider_measure(w):
    return {"pk": w.provider_a.pk, "measure_pk": ward_measure(w.ward_a1).measure_id}


def _ward_measure(w):
    wm = ward_measure(w.ward_a1)
    figure(wm, 12, 40, ethnicity="white")
    return {"pk": wm.pk}


def _figure(w):
    return {"pk": figure(ward_measure(w.ward_a1), 7, 30, ethnicity="black").pk}


ROUTES = {
    "equity_web:index": (None, SIGNED_IN),
    "equity_web:programme-measure": (_measure, SIGNED_IN),
    "equity_web:provider": (lambda w: {"pk": w.provider_a.pk}, A_READ),
    "equity_web:provider-measure": (_provider_measure, A_READ),
    "equity_web:representation": (lambda w: {"pk": w.provider_a.pk}, A_READ),
    "equity_web:ward": (lambda w: {"pk": w.ward_a1.pk}, A_READ),
    "equity_web:ward-measure": (_ward_measure, A_READ),
    "equity_web:data": (_ward_measure, A1_EDIT),
    "equity_web:entry": (_ward_measure, A1_EDIT),
    "equity_web:import": (_ward_measure, A1_EDIT),
    "equity_web:figure-delete": (_figure, A1_EDIT),
    "equity_web:national": (None, ADMIN_ONLY),
    "equity_web:national-upload": (None, ADMIN_ONLY),
}
