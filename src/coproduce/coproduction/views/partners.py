"""Lived experience partners: their profile, self-described characteristics, the partner list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coproduce.core import audit
from coproduce.core.scoping import Permission

from .. import services
from ..forms import (
    CharacteristicForm,
    ProfileForm,
)
from ..models import (
    Characteristic,
    ClaimStatus,
    PartnerCharacteristic,
    PartnerProfile,
)
from ._shared import _posted, _require


@login_required
def profile_edit(request):
    _require(request, Permission.ACT_AS_PARTNER)
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
    _require(request, Permission.ACT_AS_PARTNER)
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
    _require(request, Permission.ACT_AS_PARTNER)
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
    _require(request, Permission.VIEW_PARTNERS)
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
    _require(request, Permission.VIEW_PARTNERS)
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
