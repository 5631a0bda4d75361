"""What the larger co-production pages show, worked out away from the views."""

from django.urls import reverse

from . import charts, scoring, services
from .instrument import RUNG_MEANINGS, Domain
from .models import PaymentClaim


def round_results(round_obj) -> dict:
    """The results page of a self-assessment round: medians, gaps, groups, the action plan."""
    results, previous = services.round_results(round_obj)
    domains = [
        {
            "key": d,
            "label": label,
            "cells": results.cells[d],
            "everyone": results.cells[d][scoring.EVERYONE],
            "perception": results.perception_gap[d],
            "change": results.change.get(d),
        }
        for d, label in Domain.choices
    ]
    groups = [(g, scoring.GROUP_LABELS[g]) for g in scoring.GROUP_ORDER]
    respondents = [
        (
            label,
            n
            if n == 0 or n >= scoring.MIN_RESPONDENTS
            else f"fewer than {scoring.MIN_RESPONDENTS}",
        )
        for g, label in groups
        for n in [results.respondents[g]]
    ]
    return {
        "page_title": f"Results: {round_obj}",
        "round": round_obj,
        "previous": previous,
        "results": results,
        "domains": domains,
        "groups": groups,
        "respondents": respondents,
        "summary": scoring.summary(results),
        "chart": charts.ladder_chart(
            results, f"ladder-{round_obj.pk}", f"Ladder of co-production: {round_obj}"
        ),
        "fmt": scoring.fmt,
        "fmt_diff": scoring.fmt_diff,
        "comments": services.comments_for(round_obj, results),
        "actions": round_obj.actions.all(),
        "to_review": services.actions_to_review(round_obj),
        "min_respondents": scoring.MIN_RESPONDENTS,
        "back_url": reverse("coproduction:round-detail", args=[round_obj.pk]),
        "back_text": "The round",
    }


def involvement_detail(involvement, user) -> dict:
    """One involvement: who took part, what came of it, and this person's own part in it."""
    mine = next((p for p in involvement.partners.all() if p.user_id == user.id), None)
    return {
        "page_title": involvement.title,
        "involvement": involvement,
        "taking_part": services.taking_part(involvement),
        "people": services.lived_experience_people(involvement),
        "rung_meaning": RUNG_MEANINGS[involvement.rung],
        "mine": mine,
        "claim": PaymentClaim.objects.filter(involvement=involvement, partner=user).first(),
        "back_url": reverse("coproduction:involvement-list"),
        "back_text": "Involvement log",
    }


def claim_detail(claim, user, paid_form) -> dict:
    """A payment claim, for the partner who made it or for whoever approves and pays it."""
    is_owner = claim.partner_id == user.id
    return {
        "page_title": f"Claim for {claim.involvement.title}",
        "claim": claim,
        "is_owner": is_owner,
        "paid_form": paid_form,
        "back_url": reverse(
            "coproduction:claim-list" if is_owner else "coproduction:payments-owed"
        ),
    }
