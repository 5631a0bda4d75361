"""Panels on the signed-in home page."""

from django.utils import timezone

from coproduce.core.scoping import ROLE_PARTNER

from . import services
from .models import AssessmentRound, PaymentClaim


def panels(request, access) -> list[dict]:
    out = []
    if ROLE_PARTNER in access.roles:
        claims = list(
            PaymentClaim.objects.filter(partner=request.user)
            .select_related("involvement")
            .order_by("-claimed_at")[:5]
        )
        out.append(
            {
                "template": "coproduction/home_panel.html",
                "order": 40,
                "kind": "partner",
                "title": "Your involvement",
                "claims": claims,
                "contributions": services.you_said_we_did_for(request.user, 3),
            }
        )
    if access.is_admin or access.lead_provider_ids:
        today = timezone.localdate()
        rounds = list(
            AssessmentRound.objects.visible_to(request.user)
            .filter(closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today)
            .select_related("provider", "ward")[:10]
        )
        owed = list(services.owed(request.user))
        if not access.is_admin:
            owed = [c for c in owed if c.involvement.provider_id in access.lead_provider_ids]
        out.append(
            {
                "template": "coproduction/home_panel.html",
                "order": 45,
                "kind": "lead",
                "title": "Co-production",
                "open_rounds": rounds,
                "owed": len(owed),
                "oldest": max((c.days_waiting(today) for c in owed), default=None),
            }
        )
    return out
