"""Helpers the co-production pages share."""

from django.core.exceptions import PermissionDenied

from coproduce.core.scoping import ROLE_PARTNER, access_for


def _posted(request):
    """The submitted data for a form, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _is_partner(access) -> bool:
    return ROLE_PARTNER in access.roles


def _require_edit(request, provider_id, ward_id):
    if not access_for(request.user).can_edit_work(provider_id, ward_id):
        raise PermissionDenied


def _require_admin(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
