"""Panels on the signed-in home page."""

from django.utils import timezone

from coproduce.core.scoping import Permission

from . import rules, services
from .models import AssessmentRound, PaymentClaim


def panels(request, access) -> list[dict]:
    out = []
    if access.has(Permission.ACT_AS_PARTNER):
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
    if access.has(Permission.VIEW_PAYMENTS_OWED):
        today = timezone.localdate()
        rounds = list(
            AssessmentRound.objects.visible_to(request.user)
            .filter(closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today)
            .select_related("provider", "ward")[:10]
        )
        # the provider's claims, not the person's own claims as a partner
        owed = list(
            services.owed(request.user).with_permission(request.user, Permission.VIEW_PAYMENTS_OWED)
        )
        out.append(
            {
                "template": "coproduction/home_panel.html",
                "order": 45,
                "kind": "lead",
                "title": "Co-production",
                "open_rounds": rounds,
                "owed": len(owed),
                "oldest": rules.oldest_waiting(owed, today),
            }
        )
    return out
