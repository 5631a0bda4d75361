"""The involvement log: list, log, edit, delete, join, and a ward's co-production profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.scoping import access_for, get_visible_or_404
from coproduce.programme.models import Provider, Ward

from .. import services
from ..forms import (
    InvolvementForm,
    JoinForm,
)
from ..instrument import (
    RUNG_MEANINGS,
)
from ..models import (
    Involvement,
    InvolvementPartner,
    PartnerProfile,
    PaymentClaim,
)
from ._shared import _is_partner, _posted, _require_edit


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
