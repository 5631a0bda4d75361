"""The involvement log: list, log, edit, delete, join, and a ward's co-production profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.generic_views import (
    AuditedCreateView,
    AuditedDeleteView,
    AuditedUpdateView,
)
from coproduce.core.scoping import Permission, get_visible_or_404
from coproduce.programme.models import Provider, Ward

from .. import presenters, rules, services
from ..forms import (
    InvolvementForm,
    JoinForm,
)
from ..models import (
    Involvement,
    InvolvementPartner,
    PartnerProfile,
)
from ._shared import _posted, _require


def _involvements(user):
    return Involvement.objects.visible_to(user).select_related("provider", "ward")


def _with_partners():
    return Prefetch("partners", queryset=InvolvementPartner.objects.select_related("user"))


@login_required
def involvement_list(request):
    involvements = _involvements(request.user).prefetch_related(_with_partners())
    wards = list(Ward.objects.visible_to(request.user).select_related("provider"))
    ward_id = request.GET.get("ward", "")
    if ward_id.isdigit():
        involvements = involvements.filter(ward_id=int(ward_id))
    return render(
        request,
        "coproduction/involvement_list.html",
        {
            "page_title": "Involvement log",
            "involvements": [(i, services.taking_part(i)) for i in involvements[:200]],
            "wards": wards,
            "ward_id": ward_id,
            "back_url": reverse("coproduction:hub"),
            "back_text": "Co-production",
        },
    )


class _InvolvementFormMixin:
    """The involvement form offers only the places, projects and cycles this person may edit."""

    form_class = InvolvementForm
    template_name = "coproduction/involvement_form.html"

    def get_form_kwargs(self):
        from coproduce.improvement.models import PDSACycle, Project

        user = self.request.user
        wards = Ward.objects.editable_by(user).select_related("provider")
        return {
            **super().get_form_kwargs(),
            "providers": list(Provider.objects.editable_by(user)),
            "wards": list(wards.order_by("provider__name", "name")),
            "projects": Project.objects.editable_by(user).order_by("title"),
            "cycles": PDSACycle.objects.editable_by(user),
        }

    def get_success_url(self):
        return reverse("coproduction:involvement-detail", args=[self.object.pk])


class InvolvementCreate(_InvolvementFormMixin, AuditedCreateView):
    model = Involvement
    page_title = "Log involvement"
    success_message = "The involvement has been logged."

    def save(self, form):
        involvement = form.save(commit=False)
        involvement.logged_by = self.request.user
        involvement.save()
        if form.cleaned_data.get("i_took_part"):
            profile = PartnerProfile.objects.filter(user=self.request.user).first()
            services.add_partner(
                involvement,
                self.request.user,
                form.cleaned_data.get("name_me", False),
                profile.perspective if profile else "le_practitioner",
            )
        return involvement

    def get_back_url(self):
        return reverse("coproduction:involvement-list")


involvement_create = InvolvementCreate.as_view()


@login_required
def involvement_detail(request, pk):
    involvement = get_visible_or_404(
        _involvements(request.user)
        .select_related("project", "pdsa_cycle")
        .prefetch_related(_with_partners()),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "coproduction/involvement_detail.html",
        presenters.involvement_detail(involvement, request.user),
    )


class _EditableInvolvement:
    model = Involvement

    def get_queryset(self):
        return _involvements(self.request.user)

    def get_object(self):
        involvement = super().get_object()
        if not rules.may_change_involvement(self.request.user, involvement):
            raise PermissionDenied
        return involvement

    def get_back_url(self):
        return reverse("coproduction:involvement-detail", args=[self.object.pk])


class InvolvementEdit(_EditableInvolvement, _InvolvementFormMixin, AuditedUpdateView):
    def get_page_title(self):
        return f"Change: {self.object.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(involvement=self.object, **kwargs)


involvement_edit = InvolvementEdit.as_view()


class InvolvementDelete(_EditableInvolvement, AuditedDeleteView):
    """Involvement someone has claimed payment for is kept: the page says so."""

    template_name = "coproduction/involvement_delete.html"
    page_title = "Delete this involvement"

    def get_context_data(self, **kwargs):
        has_claims = self.object.claims.exists()
        return super().get_context_data(involvement=self.object, has_claims=has_claims, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.get_object().claims.exists():
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_success_message(self):
        return f"“{self.object.title}” has been deleted."

    def get_success_url(self):
        return reverse("coproduction:involvement-list")


involvement_delete = InvolvementDelete.as_view()


@login_required
def involvement_join(request, pk):
    involvement = get_visible_or_404(_involvements(request.user), request.user, pk=pk)
    _require(request, Permission.ACT_AS_PARTNER, involvement.provider_id, involvement.ward_id)
    if not rules.may_add_attendee(request.user, involvement):
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
