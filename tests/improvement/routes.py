"""Authorisation matrix entries for this app's routes (see tests/authz.py)."""

from ..authz import A1_EDIT, A_READ, ADMIN_ONLY, SIGNED_IN, expect
from .builders import catalogue_measure, full

# Starting a project: anyone who may change work somewhere (observers may not).
CREATE = expect(200, anonymous="login", observer=403)


def _pk(key):
    return lambda w: {"pk": full(w)[key].pk}


def _ward(w):
    return {"ward_pk": w.ward_a1.pk}


ROUTES = {
    "improvement:project-list": (None, SIGNED_IN),
    "improvement:project-create": (None, CREATE),
    "improvement:project-detail": (_pk("project"), A_READ),
    "improvement:project-edit": (_pk("project"), A1_EDIT),
    "improvement:project-delete": (_pk("project"), A1_EDIT),
    "improvement:member-add": (_pk("project"), A1_EDIT),
    "improvement:member-remove": (_pk("member"), A1_EDIT),
    "improvement:score-add": (_pk("project"), A1_EDIT),
    "improvement:driver-create": (_pk("project"), A1_EDIT),
    "improvement:driver-edit": (_pk("driver"), A1_EDIT),
    "improvement:driver-delete": (_pk("driver"), A1_EDIT),
    "improvement:idea-create": (_pk("project"), A1_EDIT),
    "improvement:idea-detail": (_pk("idea"), A_READ),
    "improvement:idea-edit": (_pk("idea"), A1_EDIT),
    "improvement:idea-delete": (_pk("idea"), A1_EDIT),
    "improvement:cycle-create": (_pk("idea"), A1_EDIT),
    "improvement:cycle-detail": (_pk("cycle"), A_READ),
    "improvement:cycle-plan": (_pk("cycle"), A1_EDIT),
    "improvement:cycle-do": (_pk("cycle"), A1_EDIT),
    "improvement:cycle-study": (_pk("cycle"), A1_EDIT),
    "improvement:cycle-act": (_pk("cycle"), A1_EDIT),
    "improvement:cycle-delete": (_pk("cycle"), A1_EDIT),
    "improvement:measure-catalogue": (None, SIGNED_IN),
    "improvement:measure-create": (None, ADMIN_ONLY),
    "improvement:measure-edit": (lambda w: {"pk": catalogue_measure().pk}, ADMIN_ONLY),
    "improvement:programme-summary": (None, SIGNED_IN),
    "improvement:provider-summary": (lambda w: {"provider_pk": w.provider_a.pk}, A_READ),
    "improvement:ward-summary": (_ward, A_READ),
    "improvement:adopt-measure": (_ward, A1_EDIT),
    "improvement:ward-measure-create": (_ward, A1_EDIT),
    "improvement:data-entry": (_ward, A1_EDIT),
    "improvement:upload": (_ward, A1_EDIT),
    # With no file waiting, editors are sent back to the upload page.
    "improvement:upload-preview": (
        _ward,
        expect(302, anonymous="login", observer=403, other_lead=404),
    ),
    "improvement:ward-measure-detail": (_pk("wm"), A_READ),
    "improvement:ward-measure-edit": (_pk("wm"), A1_EDIT),
    "improvement:ward-measure-csv": (_pk("wm"), A_READ),
    "improvement:phase-create": (_pk("wm"), A1_EDIT),
    "improvement:phase-delete": (_pk("phase"), A1_EDIT),
    "improvement:point-delete": (_pk("point"), A1_EDIT),
    "improvement:library": (None, SIGNED_IN),
    "improvement:library-detail": (_pk("idea"), A_READ),
}
