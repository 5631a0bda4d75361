"""Helpers the co-production pages share."""

from django.core.exceptions import PermissionDenied

from coproduce.core.scoping import access_for


def _posted(request):
    """The submitted data for a form, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _require(request, permission, provider_id=None, ward_id=None):
    """403 unless this person holds ``permission`` (on this provider and ward, if given)."""
    if not access_for(request.user).has(permission, provider_id, ward_id):
        raise PermissionDenied
