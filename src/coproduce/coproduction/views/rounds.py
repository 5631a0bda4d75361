"""Self-assessment rounds: the hub, creating, closing, results, and the action plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from coproduce.core.scoping import access_for, get_visible_or_404
from coproduce.programme.models import Provider, Ward

from .. import charts, scoring, services
from ..forms import (
    ActionForm,
    ActionReviewForm,
    RoundForm,
)
from ..instrument import (
    RUNG_MEANINGS,
    Domain,
    Rung,
)
from ..models import (
    Action,
    AssessmentRound,
)
from ._shared import _is_partner, _posted, _require_edit


def _can_run_rounds(access, provider_id=None) -> bool:
    if access.is_admin:
        return True
    if provider_id is None:
        return bool(access.lead_provider_ids)
    return provider_id in access.lead_provider_ids


@login_required
def hub(request):
    access = access_for(request.user)
    rounds = (
        AssessmentRound.objects.visible_to(request.user)
        .select_related("provider", "ward")
        .annotate(answered=Count("responses", filter=Q(responses__submitted_on__isnull=False)))
    )
    wards = Ward.objects.visible_to(request.user).select_related("provider")
    return render(
        request,
        "coproduction/hub.html",
        {
            "page_title": "Co-production",
            "rounds": rounds,
            "wards": wards,
            "can_run_rounds": _can_run_rounds(access),
            "can_log": access.is_admin or bool(access.edit_provider_ids or access.edit_ward_ids),
            "is_partner": _is_partner(access),
            "sees_owed": access.is_admin or bool(access.lead_provider_ids),
            "is_admin": access.is_admin,
            "rungs": [(r.label, RUNG_MEANINGS[r.value]) for r in Rung],
        },
    )


@login_required
def round_create(request):
    access = access_for(request.user)
    if not _can_run_rounds(access):
        raise PermissionDenied
    providers = (
        Provider.objects.all()
        if access.is_admin
        else Provider.objects.filter(id__in=access.lead_provider_ids)
    )
    wards = Ward.objects.filter(provider__in=providers)
    form = RoundForm(_posted(request), providers=providers, wards=wards)
    if request.method == "POST" and form.is_valid():
        round_obj = form.save(commit=False)
        round_obj.created_by = request.user
        round_obj.save()
        messages.success(request, "The round is open. Share the link or the QR code below.")
        return redirect("coproduction:round-detail", pk=round_obj.pk)
    return render(
        request,
        "coproduction/round_form.html",
        {
            "page_title": "Open a self-assessment round",
            "form": form,
            "back_url": reverse("coproduction:hub"),
        },
    )


def _round(request, pk):
    return get_visible_or_404(
        AssessmentRound.objects.select_related("provider", "ward"), request.user, pk=pk
    )


def _public_link(request, round_obj) -> str:
    return request.build_absolute_uri(reverse("coproduction:take-part", args=[round_obj.token]))


@login_required
def round_detail(request, pk):
    round_obj = _round(request, pk)
    access = access_for(request.user)
    link = _public_link(request, round_obj)
    return render(
        request,
        "coproduction/round_detail.html",
        {
            "page_title": str(round_obj),
            "round": round_obj,
            "link": link,
            "qr": charts.qr_svg(link, f"QR code for the link to take part in the {round_obj}"),
            "answered": round_obj.responses.filter(submitted_on__isnull=False).count(),
            "can_close": _can_run_rounds(access, round_obj.provider_id)
            and round_obj.closed_at is None,
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


@login_required
def round_qr(request, pk):
    round_obj = _round(request, pk)
    svg = charts.qr_poster_svg(_public_link(request, round_obj), f"Take part: {round_obj}")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="take-part-round-{round_obj.pk}.svg"'
    return response


@login_required
def round_close(request, pk):
    round_obj = _round(request, pk)
    if not _can_run_rounds(access_for(request.user), round_obj.provider_id):
        raise PermissionDenied
    if round_obj.closed_at is not None:
        messages.info(request, "This round is already closed.")
        return redirect("coproduction:round-detail", pk=round_obj.pk)
    if request.method == "POST":
        round_obj.closed_at = timezone.now()
        round_obj.closed_by = request.user
        round_obj.save()
        messages.success(request, "The round is closed. Its answers can no longer change.")
        return redirect("coproduction:round-results", pk=round_obj.pk)
    return render(
        request,
        "coproduction/round_close.html",
        {
            "page_title": "Close this round",
            "round": round_obj,
            "back_url": reverse("coproduction:round-detail", args=[round_obj.pk]),
        },
    )


@login_required
def round_results(request, pk):
    round_obj = _round(request, pk)
    results, previous = services.round_results(round_obj)
    access = access_for(request.user)
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
    return render(
        request,
        "coproduction/round_results.html",
        {
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
            "can_edit": access.can_edit_work(round_obj.provider_id, round_obj.ward_id),
            "min_respondents": scoring.MIN_RESPONDENTS,
            "back_url": reverse("coproduction:round-detail", args=[round_obj.pk]),
            "back_text": "The round",
        },
    )


@login_required
def action_create(request, pk):
    round_obj = _round(request, pk)
    _require_edit(request, round_obj.provider_id, round_obj.ward_id)
    form = ActionForm(_posted(request), initial={"domain": request.GET.get("domain")})
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.round = round_obj
        action.save()
        messages.success(request, "The action has been added to the plan.")
        return redirect(reverse("coproduction:round-results", args=[round_obj.pk]) + "#action-plan")
    return render(
        request,
        "coproduction/action_form.html",
        {
            "page_title": "Add an action",
            "form": form,
            "round": round_obj,
            "back_url": reverse("coproduction:round-results", args=[round_obj.pk]),
        },
    )


@login_required
def action_edit(request, pk):
    action = get_visible_or_404(
        Action.objects.select_related("round", "round__provider", "round__ward"),
        request.user,
        pk=pk,
    )
    _require_edit(request, action.round.provider_id, action.round.ward_id)
    form = ActionForm(_posted(request), instance=action)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes have been saved.")
        return redirect(
            reverse("coproduction:round-results", args=[action.round_id]) + "#action-plan"
        )
    return render(
        request,
        "coproduction/action_form.html",
        {
            "page_title": "Change an action",
            "form": form,
            "round": action.round,
            "back_url": reverse("coproduction:round-results", args=[action.round_id]),
        },
    )


@login_required
def action_review(request, round_pk, pk):
    round_obj = _round(request, round_pk)
    _require_edit(request, round_obj.provider_id, round_obj.ward_id)
    previous = round_obj.previous_round()
    action = get_object_or_404(Action, pk=pk, round=previous) if previous else None
    if action is None:
        raise Http404("Not found")
    form = ActionReviewForm(_posted(request), instance=action)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.reviewed_in = round_obj
        action.reviewed_at = timezone.now()
        action.save()
        messages.success(request, "The review has been saved.")
        return redirect(reverse("coproduction:round-results", args=[round_obj.pk]) + "#review")
    return render(
        request,
        "coproduction/action_review.html",
        {
            "page_title": "Review an action",
            "form": form,
            "action": action,
            "round": round_obj,
            "back_url": reverse("coproduction:round-results", args=[round_obj.pk]),
        },
    )
