"""Programme structure pages. Every record is fetched through the scoping layer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coproduce.core.scoping import Permission, access_for, get_visible_or_404, require

from . import invitations, services
from .forms import InvitationForm, PhaseForm, ProviderForm, WardForm
from .models import Invitation, Membership, Phase, Provider, ProviderKind, Ward


@login_required
def programme_overview(request):
    return render(
        request,
        "programme/programme.html",
        {
            "page_title": "The programme",
            "programme": services.current_programme(),
            "phases": services.phases_with_counts(),
        },
    )


@login_required
def provider_list(request):
    providers = Provider.objects.visible_to(request.user)
    kind = request.GET.get("kind", "")
    if kind in ProviderKind.values:
        providers = providers.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        providers = providers.filter(name__icontains=query)
    return render(
        request,
        "programme/provider_list.html",
        {
            "page_title": "Providers",
            "providers": providers.prefetch_related("wards"),
            "kind": kind,
            "kinds": ProviderKind.choices,
            "q": query,
        },
    )


@login_required
def provider_detail(request, pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=pk)
    access = access_for(request.user)
    context = {
        "page_title": provider.name,
        "provider": provider,
        "can_edit": access.has(Permission.MANAGE_PROVIDER, provider.id),
        "can_manage_people": access.has(Permission.MANAGE_PEOPLE, provider.id),
        "can_report": access.has(Permission.VIEW_REPORTS, provider.id),
        "back_url": reverse("programme:provider-list"),
        "back_text": "All providers",
    } | services.provider_detail(provider, request.user)
    return render(request, "programme/provider_detail.html", context)


@login_required
def provider_create(request):
    require(request, Permission.MANAGE_PROGRAMME)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = form.save(commit=False)
        provider.programme = services.current_programme()
        provider.save()
        messages.success(request, f"{provider.name} has been added.")
        return redirect("programme:provider-detail", pk=provider.pk)
    return render(
        request,
        "programme/provider_form.html",
        {
            "page_title": "Add a provider",
            "form": form,
            "back_url": reverse("programme:provider-list"),
        },
    )


@login_required
def provider_edit(request, pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=pk)
    require(request, Permission.MANAGE_PROVIDER, provider.id)
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes have been saved.")
        return redirect("programme:provider-detail", pk=provider.pk)
    return render(
        request,
        "programme/provider_form.html",
        {
            "page_title": f"Change {provider.name}",
            "form": form,
            "provider": provider,
            "back_url": reverse("programme:provider-detail", args=[provider.pk]),
        },
    )


@login_required
def ward_detail(request, pk):
    ward = get_visible_or_404(Ward.objects.select_related("provider"), request.user, pk=pk)
    access = access_for(request.user)
    from coproduce.coproduction.services import profile_for_ward

    return render(
        request,
        "programme/ward_detail.html",
        {
            "page_title": ward.name,
            "ward": ward,
            "enrolments": ward.enrolments.select_related("phase"),
            "team": Membership.objects.visible_to(request.user)
            .filter(ward=ward)
            .select_related("user"),
            "can_edit": access.has(Permission.MANAGE_PROVIDER, ward.provider_id),
            "can_edit_work": access.has(Permission.EDIT_WORK, ward.provider_id, ward.id),
            "coproduction_profile": profile_for_ward(ward),
            "back_url": reverse("programme:provider-detail", args=[ward.provider_id]),
            "back_text": ward.provider.name,
        },
    )


@login_required
def ward_create(request, provider_pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=provider_pk)
    require(request, Permission.MANAGE_PROVIDER, provider.id)
    form = WardForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        ward = services.save_ward(form, provider)
        messages.success(request, f"{ward.name} has been added.")
        return redirect("programme:ward-detail", pk=ward.pk)
    return render(
        request,
        "programme/ward_form.html",
        {
            "page_title": f"Add a ward to {provider.name}",
            "form": form,
            "provider": provider,
            "back_url": reverse("programme:provider-detail", args=[provider.pk]),
        },
    )


@login_required
def ward_edit(request, pk):
    ward = get_visible_or_404(Ward.objects.select_related("provider"), request.user, pk=pk)
    require(request, Permission.MANAGE_PROVIDER, ward.provider_id)
    form = WardForm(request.POST or None, instance=ward, provider=ward.provider)
    if request.method == "POST" and form.is_valid():
        services.save_ward(form, ward.provider)
        messages.success(request, "Your changes have been saved.")
        return redirect("programme:ward-detail", pk=ward.pk)
    return render(
        request,
        "programme/ward_form.html",
        {
            "page_title": f"Change {ward.name}",
            "form": form,
            "provider": ward.provider,
            "ward": ward,
            "back_url": reverse("programme:ward-detail", args=[ward.pk]),
        },
    )


@login_required
def phase_create(request):
    require(request, Permission.MANAGE_PROGRAMME)
    return _phase_form(request, Phase(programme=services.current_programme()), "Add a phase")


@login_required
def phase_edit(request, pk):
    require(request, Permission.MANAGE_PROGRAMME)
    phase = get_object_or_404(Phase, pk=pk)
    return _phase_form(request, phase, f"Change {phase.name}")


def _phase_form(request, phase, title):
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{phase.name} has been saved.")
        return redirect("programme:programme")
    return render(
        request,
        "programme/phase_form.html",
        {"page_title": title, "form": form, "back_url": reverse("programme:programme")},
    )


@login_required
def people(request):
    require(request, Permission.MANAGE_PEOPLE)
    memberships = services.people_for(request.user)
    pending = Invitation.objects.with_permission(request.user, Permission.MANAGE_PEOPLE).filter(
        accepted_at__isnull=True
    )
    return render(
        request,
        "programme/people.html",
        {
            "page_title": "People",
            "memberships": memberships,
            "pending": pending.select_related("provider", "ward", "ward__provider"),
        },
    )


@login_required
def invite(request):
    require(request, Permission.MANAGE_PEOPLE)
    providers = Provider.objects.managed_by(request.user)
    wards = Ward.objects.managed_by(request.user)
    form = InvitationForm(
        request.POST or None, access=access_for(request.user), providers=providers, wards=wards
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            invitation = form.save(commit=False)
            if invitation.ward_id:
                invitation.provider = invitation.ward.provider
            invitation.invited_by = request.user
            invitation.save()
            transaction.on_commit(lambda: invitations.send(invitation, request))
        messages.success(request, f"An invitation has been sent to {invitation.email}.")
        return redirect("programme:people")
    return render(
        request,
        "programme/invite.html",
        {"page_title": "Invite a person", "form": form, "back_url": reverse("programme:people")},
    )


@login_required
def membership_remove(request, pk):
    require(request, Permission.MANAGE_PEOPLE)
    membership = get_visible_or_404(
        Membership.objects.select_related("user", "provider", "ward"), request.user, pk=pk
    )
    require(request, Permission.MANAGE_PEOPLE, membership.provider_id)
    if membership.user_id == request.user.id and membership.role == "programme_admin":
        messages.error(request, "You cannot remove your own programme admin role.")
        return redirect("programme:people")
    if request.method == "POST":
        membership.delete()
        messages.success(
            request, f"{membership.user} no longer has the role {membership.get_role_display()}."
        )
        return redirect("programme:people")
    return render(
        request,
        "programme/membership_remove.html",
        {
            "page_title": "Remove a role",
            "membership": membership,
            "back_url": reverse("programme:people"),
        },
    )
