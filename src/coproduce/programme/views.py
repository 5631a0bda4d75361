"""Programme structure pages. Every record is fetched through the scoping layer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coproduce.core.generic_views import AuditedCreateView, AuditedUpdateView
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


class _ProviderForm:
    form_class = ProviderForm
    template_name = "programme/provider_form.html"


class ProviderCreate(_ProviderForm, AuditedCreateView):
    model = Provider
    permission = Permission.MANAGE_PROGRAMME
    page_title = "Add a provider"
    success_message = "{obj.name} has been added."

    def save(self, form):
        provider = form.save(commit=False)
        provider.programme = services.current_programme()
        provider.save()
        return provider

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"back_url": reverse("programme:provider-list")}

    def get_success_url(self):
        return reverse("programme:provider-detail", args=[self.object.pk])


class ProviderEdit(_ProviderForm, AuditedUpdateView):
    model = Provider
    permission = Permission.MANAGE_PROVIDER

    def scope_of(self, obj):
        return obj.id, None

    def get_page_title(self):
        return f"Change {self.object.name}"

    def get_context_data(self, **kwargs):
        back = reverse("programme:provider-detail", args=[self.object.pk])
        return super().get_context_data(**kwargs) | {"provider": self.object, "back_url": back}

    def get_success_url(self):
        return reverse("programme:provider-detail", args=[self.object.pk])


provider_create = ProviderCreate.as_view()
provider_edit = ProviderEdit.as_view()


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


class WardCreate(AuditedCreateView):
    form_class = WardForm
    template_name = "programme/ward_form.html"
    permission = Permission.MANAGE_PROVIDER
    success_message = "{obj.name} has been added."

    def get_object(self):
        self.provider = get_visible_or_404(
            Provider.objects, self.request.user, pk=self.kwargs["provider_pk"]
        )
        require(self.request, self.permission, self.provider.id)
        return Ward(provider=self.provider)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"provider": self.provider}

    def save(self, form):
        return services.save_ward(form, self.provider)

    def get_page_title(self):
        return f"Add a ward to {self.provider.name}"

    def get_context_data(self, **kwargs):
        back = reverse("programme:provider-detail", args=[self.provider.pk])
        return super().get_context_data(**kwargs) | {"provider": self.provider, "back_url": back}

    def get_success_url(self):
        return reverse("programme:ward-detail", args=[self.object.pk])


class WardEdit(AuditedUpdateView):
    model = Ward
    form_class = WardForm
    template_name = "programme/ward_form.html"
    permission = Permission.MANAGE_PROVIDER

    def get_queryset(self):
        return Ward.objects.select_related("provider")

    def scope_of(self, obj):
        return obj.provider_id, None

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"provider": self.object.provider}

    def save(self, form):
        return services.save_ward(form, self.object.provider)

    def get_page_title(self):
        return f"Change {self.object.name}"

    def get_context_data(self, **kwargs):
        back = reverse("programme:ward-detail", args=[self.object.pk])
        extra = {"provider": self.object.provider, "ward": self.object, "back_url": back}
        return super().get_context_data(**kwargs) | extra

    def get_success_url(self):
        return reverse("programme:ward-detail", args=[self.object.pk])


class _PhaseForm:
    form_class = PhaseForm
    template_name = "programme/phase_form.html"
    success_message = "{obj.name} has been saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"back_url": reverse("programme:programme")}

    def get_success_url(self):
        return reverse("programme:programme")


class PhaseCreate(_PhaseForm, AuditedCreateView):
    permission = Permission.MANAGE_PROGRAMME
    page_title = "Add a phase"

    model = Phase

    def get_object(self):
        require(self.request, self.permission)
        return Phase(programme=services.current_programme())


class PhaseEdit(_PhaseForm, AuditedUpdateView):
    """Phases belong to the programme, not to a provider: only MANAGE_PROGRAMME is asked."""

    permission = Permission.MANAGE_PROGRAMME

    def get_object(self):
        require(self.request, self.permission)
        phase = get_object_or_404(Phase, pk=self.kwargs["pk"])
        self.title = f"Change {phase.name}"  # before the form changes the instance
        return phase

    def get_page_title(self):
        return self.title


ward_create = WardCreate.as_view()
ward_edit = WardEdit.as_view()
phase_create = PhaseCreate.as_view()
phase_edit = PhaseEdit.as_view()


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
