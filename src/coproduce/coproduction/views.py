"""Co-production pages: self-assessment rounds and taking part, involvement, payments, partners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coproduce.core import audit
from coproduce.core.scoping import ROLE_PARTNER, access_for, get_visible_or_404
from coproduce.programme.models import Provider, Ward

from . import charts, scoring, services
from .forms import (
    ActionForm,
    ActionReviewForm,
    AnswerStepForm,
    CharacteristicForm,
    ClaimForm,
    ExpenseForm,
    InvolvementForm,
    JoinForm,
    PaidForm,
    ProfileForm,
    RateForm,
    RoundForm,
    StartForm,
)
from .instrument import (
    DOMAIN_EASY,
    DOMAIN_HINTS,
    PERSPECTIVE_EASY,
    RUNG_EASY,
    RUNG_MEANINGS,
    STATEMENTS,
    Domain,
    Rung,
    statements_for,
)
from .models import (
    Action,
    AssessmentRound,
    Characteristic,
    ClaimStatus,
    Expense,
    Involvement,
    InvolvementPartner,
    PartnerCharacteristic,
    PartnerProfile,
    PaymentClaim,
    PaymentRate,
)

DRAFT_COOKIE = "coproduce_take_part"
DRAFT_DAYS = 30


def _posted(request):
    """The submitted data for a form, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _can_run_rounds(access, provider_id=None) -> bool:
    if access.is_admin:
        return True
    if provider_id is None:
        return bool(access.lead_provider_ids)
    return provider_id in access.lead_provider_ids


def _is_partner(access) -> bool:
    return ROLE_PARTNER in access.roles


# ---------------------------------------------------------------- hub and rounds


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


def _require_edit(request, provider_id, ward_id):
    if not access_for(request.user).can_edit_work(provider_id, ward_id):
        raise PermissionDenied


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


# ---------------------------------------------------------------- taking part (no account)


def _public_round(token):
    try:
        return AssessmentRound.objects.select_related("provider", "ward").get(token=token)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404("Not found") from exc


def _key(request, round_obj):
    if request.user.is_authenticated:
        return services.signed_in_key(round_obj, request.user)
    return request.COOKIES.get(DRAFT_COOKIE)


def _steps(response):
    if response.easy_read:
        return [[s] for s in STATEMENTS]
    return [statements_for(d) for d in Domain.values]


def _place(round_obj, easy=False):
    if easy:
        return "the ward" if round_obj.ward_id else "the hospital"
    return "the ward" if round_obj.ward_id else "the organisation"


def _closed(request, round_obj, easy=False):
    return render(
        request,
        "coproduction/take_part_closed.html",
        {
            "page_title": "This has closed",
            "round": round_obj,
            "easy": easy,
        },
    )


def _first_unanswered(response) -> int:
    answered = {a.statement for a in response.answers.all()}
    for i, statements in enumerate(_steps(response), start=1):
        if any(s.key not in answered for s in statements):
            return i
    return 0


def take_part(request, token):
    round_obj = _public_round(token)
    easy = request.GET.get("easy") == "1" or request.POST.get("easy") == "1"
    if not round_obj.is_open:
        return _closed(request, round_obj, easy)
    key = _key(request, round_obj)
    response = services.find_response(round_obj, key)
    if response and response.submitted_on:
        return redirect("coproduction:take-part-done", token=token)
    form = StartForm(_posted(request), easy=easy)
    if request.method == "POST" and form.is_valid():
        new_key = key or services.new_draft_key()
        response = services.start_response(
            round_obj,
            new_key,
            form.cleaned_data["perspective"],
            easy,
            signed_in=request.user.is_authenticated,
        )
        reply = redirect(
            "coproduction:take-part-step", token=token, step=_first_unanswered(response) or 1
        )
        if not request.user.is_authenticated:
            reply.set_cookie(
                DRAFT_COOKIE,
                new_key,
                max_age=DRAFT_DAYS * 24 * 3600,
                path=f"/take-part/{token}/",
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return reply
    resume_step = _first_unanswered(response) if response else None
    total = len(_steps(response)) if response else None
    return render(
        request,
        "coproduction/take_part_start.html",
        {
            "page_title": "Easy read: tell us what you think"
            if easy
            else "Take part: co-production on the ladder",
            "round": round_obj,
            "form": form,
            "easy": easy,
            "response": response,
            "resume_step": resume_step,
            "total": total,
            "place": _place(round_obj, easy),
            "fictional_banner": True,
            "rungs": [
                (r.value, r.label, RUNG_MEANINGS[r.value], *RUNG_EASY[r.value]) for r in Rung
            ],
            "symbol": charts.rung_symbol,
            "perspectives_easy": PERSPECTIVE_EASY,
        },
    )


def _draft(request, round_obj):
    response = services.find_response(round_obj, _key(request, round_obj))
    if response is None:
        return None
    return response


def take_part_step(request, token, step):
    round_obj = _public_round(token)
    if not round_obj.is_open:
        return _closed(request, round_obj)
    response = _draft(request, round_obj)
    if response is None:
        return redirect("coproduction:take-part", token=token)
    if response.submitted_on:
        return redirect("coproduction:take-part-done", token=token)
    steps = _steps(response)
    if step < 1 or step > len(steps):
        raise Http404("Not found")
    statements = steps[step - 1]
    easy = response.easy_read
    existing = {a.statement: a for a in response.answers.all()}
    initial = {}
    for s in statements:
        if s.key in existing:
            a = existing[s.key]
            initial |= {
                f"{s.key}-as_is": str(a.as_is),
                f"{s.key}-to_be": str(a.to_be),
                f"{s.key}-comment": a.comment,
            }
    form = AnswerStepForm(
        _posted(request),
        initial=initial,
        statements=statements,
        easy=easy,
        place=_place(round_obj),
    )
    if request.method == "POST" and form.is_valid():
        services.save_answers(response, form.answers())
        if step < len(steps):
            return redirect("coproduction:take-part-step", token=token, step=step + 1)
        return redirect("coproduction:take-part-check", token=token)
    domain = statements[0].domain
    back = (
        reverse("coproduction:take-part-step", args=[token, step - 1])
        if step > 1
        else reverse("coproduction:take-part", args=[token]) + ("?easy=1" if easy else "")
    )
    return render(
        request,
        "coproduction/take_part_step.html",
        {
            "page_title": (
                f"Question {step} of {len(steps)}"
                if easy
                else f"{Domain(domain).label} ({step} of {len(steps)})"
            ),
            "round": round_obj,
            "form": form,
            "easy": easy,
            "step": step,
            "total": len(steps),
            "domain": Domain(domain).label,
            "domain_hint": DOMAIN_HINTS[domain],
            "domain_easy": DOMAIN_EASY[domain],
            "place": _place(round_obj, easy),
            "symbol": charts.rung_symbol,
            "back_url": back,
            "back_text": "Back",
            "start_url": reverse("coproduction:take-part", args=[token])
            + ("?easy=1" if easy else ""),
        },
    )


def take_part_check(request, token):
    round_obj = _public_round(token)
    if not round_obj.is_open:
        return _closed(request, round_obj)
    response = _draft(request, round_obj)
    if response is None:
        return redirect("coproduction:take-part", token=token)
    if response.submitted_on:
        return redirect("coproduction:take-part-done", token=token)
    missing = _first_unanswered(response)
    if missing:
        return redirect("coproduction:take-part-step", token=token, step=missing)
    if request.method == "POST":
        response.submitted_on = timezone.localdate()
        response.save(update_fields=["submitted_on"])
        return redirect("coproduction:take-part-done", token=token)
    answers = {a.statement: a for a in response.answers.all()}
    easy = response.easy_read
    rows = []
    for i, statements in enumerate(_steps(response), start=1):
        for s in statements:
            a = answers[s.key]
            rows.append(
                {
                    "text": s.easy if easy else s.text,
                    "step": i,
                    "as_is": RUNG_EASY[a.as_is][0] if easy else Rung(a.as_is).label,
                    "to_be": RUNG_EASY[a.to_be][0] if easy else Rung(a.to_be).label,
                    "comment": a.comment,
                }
            )
    return render(
        request,
        "coproduction/take_part_check.html",
        {
            "page_title": "Check your answers",
            "round": round_obj,
            "rows": rows,
            "easy": easy,
            "back_url": reverse("coproduction:take-part-step", args=[token, len(_steps(response))]),
        },
    )


def take_part_done(request, token):
    round_obj = _public_round(token)
    response = _draft(request, round_obj)
    easy = bool(response and response.easy_read)
    reply = render(
        request,
        "coproduction/take_part_done.html",
        {
            "page_title": "Thank you",
            "round": round_obj,
            "easy": easy,
            "submitted": bool(response and response.submitted_on),
        },
    )
    if response and response.submitted_on:
        reply.delete_cookie(DRAFT_COOKIE, path=f"/take-part/{token}/")
    return reply


# ---------------------------------------------------------------- involvement


def _involvements(user):
    return Involvement.objects.visible_to(user).select_related("provider", "ward")


@login_required
def involvement_list(request):
    involvements = _involvements(request.user).prefetch_related(
        Prefetch("partners", queryset=InvolvementPartner.objects.select_related("user"))
    )
    wards = list(Ward.objects.visible_to(request.user).select_related("provider"))
    ward_id = request.GET.get("ward", "")
    if ward_id.isdigit():
        involvements = involvements.filter(ward_id=int(ward_id))
    access = access_for(request.user)
    return render(
        request,
        "coproduction/involvement_list.html",
        {
            "page_title": "Involvement log",
            "involvements": [(i, services.taking_part(i)) for i in involvements[:200]],
            "wards": wards,
            "ward_id": ward_id,
            "can_log": access.is_admin or bool(access.edit_provider_ids or access.edit_ward_ids),
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


def _involvement_form(request, instance=None):
    from coproduce.improvement.models import PDSACycle, Project

    access = access_for(request.user)
    if access.is_admin:
        providers, wards = Provider.objects.all(), Ward.objects.all()
    else:
        providers = Provider.objects.filter(id__in=access.edit_provider_ids)
        wards = Ward.objects.filter(
            Q(provider_id__in=access.edit_provider_ids) | Q(id__in=access.edit_ward_ids)
        )
    wards = wards.select_related("provider").order_by("provider__name", "name")
    return InvolvementForm(
        _posted(request),
        instance=instance,
        providers=list(providers),
        wards=list(wards),
        projects=Project.objects.editable_by(request.user).order_by("title"),
        cycles=PDSACycle.objects.editable_by(request.user),
    )


@login_required
def involvement_create(request):
    access = access_for(request.user)
    if not (access.is_admin or access.edit_provider_ids or access.edit_ward_ids):
        raise PermissionDenied
    form = _involvement_form(request)
    if request.method == "POST" and form.is_valid():
        involvement = form.save(commit=False)
        involvement.logged_by = request.user
        involvement.save()
        if form.cleaned_data.get("i_took_part"):
            profile = PartnerProfile.objects.filter(user=request.user).first()
            services.add_partner(
                involvement,
                request.user,
                form.cleaned_data.get("name_me", False),
                profile.perspective if profile else "le_practitioner",
            )
        messages.success(request, "The involvement has been logged.")
        return redirect("coproduction:involvement-detail", pk=involvement.pk)
    return render(
        request,
        "coproduction/involvement_form.html",
        {
            "page_title": "Log involvement",
            "form": form,
            "is_partner": _is_partner(access),
            "back_url": reverse("coproduction:involvement-list"),
        },
    )


@login_required
def involvement_detail(request, pk):
    involvement = get_visible_or_404(
        _involvements(request.user)
        .select_related("project", "pdsa_cycle")
        .prefetch_related(
            Prefetch("partners", queryset=InvolvementPartner.objects.select_related("user"))
        ),
        request.user,
        pk=pk,
    )
    access = access_for(request.user)
    mine = next((p for p in involvement.partners.all() if p.user_id == request.user.id), None)
    claim = PaymentClaim.objects.filter(involvement=involvement, partner=request.user).first()
    return render(
        request,
        "coproduction/involvement_detail.html",
        {
            "page_title": involvement.title,
            "involvement": involvement,
            "taking_part": services.taking_part(involvement),
            "people": services.lived_experience_people(involvement),
            "rung_meaning": RUNG_MEANINGS[involvement.rung],
            "can_edit": access.can_edit_work(involvement.provider_id, involvement.ward_id),
            "is_partner": _is_partner(access),
            "mine": mine,
            "claim": claim,
            "back_url": reverse("coproduction:involvement-list"),
            "back_text": "Involvement log",
        },
    )


def _editable_involvement(request, pk):
    involvement = get_visible_or_404(_involvements(request.user), request.user, pk=pk)
    _require_edit(request, involvement.provider_id, involvement.ward_id)
    return involvement


@login_required
def involvement_edit(request, pk):
    involvement = _editable_involvement(request, pk)
    form = _involvement_form(request, involvement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes have been saved.")
        return redirect("coproduction:involvement-detail", pk=involvement.pk)
    return render(
        request,
        "coproduction/involvement_form.html",
        {
            "page_title": f"Change: {involvement.title}",
            "form": form,
            "involvement": involvement,
            "back_url": reverse("coproduction:involvement-detail", args=[involvement.pk]),
        },
    )


@login_required
def involvement_delete(request, pk):
    involvement = _editable_involvement(request, pk)
    has_claims = involvement.claims.exists()
    if request.method == "POST" and not has_claims:
        involvement.delete()
        messages.success(request, f"“{involvement.title}” has been deleted.")
        return redirect("coproduction:involvement-list")
    return render(
        request,
        "coproduction/involvement_delete.html",
        {
            "page_title": "Delete this involvement",
            "involvement": involvement,
            "has_claims": has_claims,
            "back_url": reverse("coproduction:involvement-detail", args=[involvement.pk]),
        },
    )


@login_required
def involvement_join(request, pk):
    involvement = get_visible_or_404(_involvements(request.user), request.user, pk=pk)
    access = access_for(request.user)
    if not _is_partner(access):
        raise PermissionDenied
    profile = PartnerProfile.objects.filter(user=request.user).first()
    mine = InvolvementPartner.objects.filter(involvement=involvement, user=request.user).first()
    initial = {
        "perspective": mine.perspective if mine else (profile.perspective if profile else None),
        "named": mine.named if mine else bool(profile and profile.named_by_default),
    }
    form = JoinForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.add_partner(
            involvement, request.user, form.cleaned_data["named"], form.cleaned_data["perspective"]
        )
        messages.success(request, "You have been added to the people who took part.")
        return redirect("coproduction:involvement-detail", pk=involvement.pk)
    return render(
        request,
        "coproduction/involvement_join.html",
        {
            "page_title": "Add yourself as taking part",
            "form": form,
            "involvement": involvement,
            "back_url": reverse("coproduction:involvement-detail", args=[involvement.pk]),
        },
    )


@login_required
def ward_profile(request, pk):
    ward = get_visible_or_404(Ward.objects.select_related("provider"), request.user, pk=pk)
    return render(
        request,
        "coproduction/ward_profile.html",
        {
            "page_title": f"Co-production profile: {ward.name}",
            "ward": ward,
            "profile": services.profile_for_ward(ward),
            "back_url": reverse("programme:ward-detail", args=[ward.pk]),
            "back_text": ward.name,
        },
    )


# ---------------------------------------------------------------- payments


@login_required
def claim_create(request, pk):
    involvement = get_visible_or_404(_involvements(request.user), request.user, pk=pk)
    if not InvolvementPartner.objects.filter(involvement=involvement, user=request.user).exists():
        raise PermissionDenied
    existing = PaymentClaim.objects.filter(involvement=involvement, partner=request.user).first()
    options = services.rate_options(involvement.occurred_on, involvement.hours)
    form = ClaimForm(_posted(request), request.FILES or None, options=options)
    if request.method == "POST" and form.is_valid():
        if existing:
            form.add_error(None, "You have already claimed for this involvement")
        else:
            try:
                claim = services.create_claim(
                    involvement, request.user, form.option(), form.expense()
                )
            except services.DuplicateClaim:
                form.add_error(None, "You have already claimed for this involvement")
            else:
                messages.success(
                    request, "Your claim has been sent. We will tell you when it is approved."
                )
                return redirect("coproduction:claim-detail", pk=claim.pk)
    return render(
        request,
        "coproduction/claim_form.html",
        {
            "page_title": "Claim your involvement payment",
            "form": form,
            "involvement": involvement,
            "existing": existing,
            "notice": services.PAYMENT_NOTICE,
            "has_rates": bool(options),
            "back_url": reverse("coproduction:involvement-detail", args=[involvement.pk]),
        },
    )


def _claim(request, pk):
    try:
        return (
            PaymentClaim.objects.visible_to(request.user)
            .select_related(
                "involvement",
                "involvement__provider",
                "involvement__ward",
                "partner",
                "rate",
                "approved_by",
                "paid_by",
            )
            .prefetch_related("expenses")
            .get(pk=pk)
        )
    except (PaymentClaim.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc


@login_required
def claim_list(request):
    claims = (
        PaymentClaim.objects.filter(partner=request.user)
        .select_related("involvement", "rate")
        .prefetch_related("expenses")
        .order_by("-claimed_at")
    )
    return render(
        request,
        "coproduction/claim_list.html",
        {
            "page_title": "Your claims",
            "claims": claims,
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


@login_required
def claim_detail(request, pk):
    claim = _claim(request, pk)
    access = access_for(request.user)
    return render(
        request,
        "coproduction/claim_detail.html",
        {
            "page_title": f"Claim for {claim.involvement.title}",
            "claim": claim,
            "is_owner": claim.partner_id == request.user.id,
            "is_admin": access.is_admin,
            "paid_form": PaidForm(initial={"paid_on": timezone.localdate()}),
            "back_url": reverse(
                "coproduction:claim-list"
                if claim.partner_id == request.user.id
                else "coproduction:payments-owed"
            ),
        },
    )


def _own_open_claim(request, pk):
    claim = _claim(request, pk)
    if claim.partner_id != request.user.id or claim.status != ClaimStatus.CLAIMED:
        raise PermissionDenied
    return claim


@login_required
def expense_create(request, pk):
    claim = _own_open_claim(request, pk)
    form = ExpenseForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.add_expense(
            claim,
            form.cleaned_data["description"].strip(),
            form.cleaned_data["amount"],
            form.cleaned_data["receipt"],
        )
        messages.success(request, "The expense has been added to your claim.")
        return redirect("coproduction:claim-detail", pk=claim.pk)
    return render(
        request,
        "coproduction/expense_form.html",
        {
            "page_title": "Add an expense",
            "form": form,
            "claim": claim,
            "back_url": reverse("coproduction:claim-detail", args=[claim.pk]),
        },
    )


@login_required
def claim_withdraw(request, pk):
    claim = _own_open_claim(request, pk)
    if request.method == "POST":
        for expense in claim.expenses.all():
            expense.receipt.delete(save=False)
        claim.delete()
        messages.success(request, "Your claim has been withdrawn.")
        return redirect("coproduction:claim-list")
    return render(
        request,
        "coproduction/claim_withdraw.html",
        {
            "page_title": "Withdraw this claim",
            "claim": claim,
            "back_url": reverse("coproduction:claim-detail", args=[claim.pk]),
        },
    )


@login_required
@require_POST
def claim_approve(request, pk):
    claim = _claim(request, pk)
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    if claim.status != ClaimStatus.CLAIMED:
        messages.info(request, "This claim has already been approved.")
    else:
        services.approve(claim, request.user)
        messages.success(request, f"The claim from {claim.partner} has been approved.")
    return redirect("coproduction:claim-detail", pk=claim.pk)


@login_required
def claim_paid(request, pk):
    claim = _claim(request, pk)
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    if claim.status != ClaimStatus.APPROVED:
        messages.info(request, "Only an approved claim can be marked as paid.")
        return redirect("coproduction:claim-detail", pk=claim.pk)
    form = PaidForm(_posted(request), initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.mark_paid(claim, request.user, form.cleaned_data["paid_on"])
        messages.success(request, f"The claim from {claim.partner} is marked as paid.")
        return redirect("coproduction:claim-detail", pk=claim.pk)
    return render(
        request,
        "coproduction/claim_paid.html",
        {
            "page_title": "Mark as paid",
            "form": form,
            "claim": claim,
            "back_url": reverse("coproduction:claim-detail", args=[claim.pk]),
        },
    )


@login_required
def receipt(request, pk, expense_pk):
    claim = _claim(request, pk)
    expense = get_object_or_404(Expense, pk=expense_pk, claim=claim)
    try:
        handle = expense.receipt.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Not found") from exc
    extension = expense.receipt.name.rsplit(".", 1)[-1].lower()
    content_type = {"pdf": "application/pdf", "png": "image/png"}.get(extension, "image/jpeg")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"receipt-{expense.pk}.{extension}",
        content_type=content_type,
    )


@login_required
def payments_owed(request):
    access = access_for(request.user)
    if not (access.is_admin or access.lead_provider_ids):
        raise PermissionDenied
    today = timezone.localdate()
    claims = [(c, c.days_waiting(today)) for c in services.owed(request.user)]
    return render(
        request,
        "coproduction/payments_owed.html",
        {
            "page_title": "Payments owed",
            "claims": claims,
            "is_admin": access.is_admin,
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


def _require_admin(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied


@login_required
def rate_list(request):
    _require_admin(request)
    return render(
        request,
        "coproduction/rate_list.html",
        {
            "page_title": "Involvement payment rates",
            "rates": PaymentRate.objects.select_related("set_by").order_by("kind", "-valid_from"),
            "back_url": reverse("coproduction:payments-owed"),
            "back_text": "Payments owed",
        },
    )


@login_required
def rate_create(request):
    _require_admin(request)
    form = RateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        rate = form.save(commit=False)
        rate.set_by = request.user
        rate.save()
        messages.success(request, f"The rate has been added: {rate}.")
        return redirect("coproduction:rate-list")
    return render(
        request,
        "coproduction/rate_form.html",
        {
            "page_title": "Add a payment rate",
            "form": form,
            "back_url": reverse("coproduction:rate-list"),
        },
    )


# ---------------------------------------------------------------- partners


def _require_partner(request):
    if not _is_partner(access_for(request.user)):
        raise PermissionDenied


@login_required
def profile_edit(request):
    _require_partner(request)
    profile = PartnerProfile.objects.filter(user=request.user).first() or PartnerProfile(
        user=request.user
    )
    form = ProfileForm(_posted(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been saved.")
        return redirect("coproduction:profile")
    active = {}
    if profile.pk:
        active = {c.kind: c for c in profile.characteristics.active()}
    labels = services.value_labels()
    return render(
        request,
        "coproduction/profile.html",
        {
            "page_title": "Your partner profile",
            "form": form,
            "profile": profile,
            "characteristics": [
                (kind, label, active.get(kind), labels[kind])
                for kind, label in Characteristic.choices
            ],
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


def _kind(kind):
    if kind not in Characteristic.values:
        raise Http404("Not found")
    return kind


@login_required
def characteristic_edit(request, kind):
    _require_partner(request)
    kind = _kind(kind)
    label = Characteristic(kind).label
    wording = services.consent_wording(label)
    form = CharacteristicForm(
        _posted(request), kind=kind, labels=services.value_labels()[kind], wording=wording
    )
    if request.method == "POST" and form.is_valid():
        profile, _ = PartnerProfile.objects.get_or_create(user=request.user)
        services.give_characteristic(
            profile,
            kind,
            form.cleaned_data["value"],
            form.cleaned_data["self_description"].strip(),
            wording,
        )
        messages.success(request, "Saved, with your consent. You can withdraw it at any time.")
        return redirect("coproduction:profile")
    return render(
        request,
        "coproduction/characteristic_form.html",
        {
            "page_title": f"{label}: tell us if you want to",
            "form": form,
            "label": label,
            "back_url": reverse("coproduction:profile"),
        },
    )


@login_required
def characteristic_withdraw(request, kind):
    _require_partner(request)
    kind = _kind(kind)
    item = (
        PartnerCharacteristic.objects.active().filter(profile__user=request.user, kind=kind).first()
    )
    if item is None:
        raise Http404("Not found")
    if request.method == "POST":
        services.withdraw_characteristic(item)
        messages.success(
            request, "Your consent is withdrawn and what you told us has been removed."
        )
        return redirect("coproduction:profile")
    return render(
        request,
        "coproduction/characteristic_withdraw.html",
        {
            "page_title": "Withdraw your consent",
            "item": item,
            "back_url": reverse("coproduction:profile"),
        },
    )


@login_required
def partner_list(request):
    _require_admin(request)
    profiles = PartnerProfile.objects.select_related("user").annotate(
        claims_open=Count("user__claims", filter=~Q(user__claims__status=ClaimStatus.PAID)),
    )
    return render(
        request,
        "coproduction/partner_list.html",
        {
            "page_title": "Lived experience partners",
            "profiles": profiles,
            "counts": services.characteristic_counts(),
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


@login_required
def partner_detail(request, pk):
    _require_admin(request)
    profile = get_object_or_404(PartnerProfile.objects.select_related("user"), pk=pk)
    characteristics = list(profile.characteristics.all())
    if any(c.withdrawn_at is None for c in characteristics):
        audit.record_view(request.user, profile, "Viewed self-described characteristics")
    labels = services.value_labels()
    return render(
        request,
        "coproduction/partner_detail.html",
        {
            "page_title": str(profile.user),
            "profile": profile,
            "characteristics": [
                (c, labels.get(c.kind, {}).get(c.value, c.value)) for c in characteristics
            ],
            "back_url": reverse("coproduction:partner-list"),
            "back_text": "Partners",
        },
    )
