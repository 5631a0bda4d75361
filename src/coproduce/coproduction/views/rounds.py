"""Self-assessment rounds: the hub, creating, closing, results, and the action plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from coproduce.core.generic_views import AuditedCreateView, AuditedUpdateView, ScopedObjectMixin
from coproduce.core.scoping import Permission, get_visible_or_404
from coproduce.programme.models import Provider, Ward

from .. import charts, presenters, rules
from ..forms import (
    ActionForm,
    ActionReviewForm,
    RoundForm,
)
from ..instrument import (
    RUNG_MEANINGS,
    Rung,
)
from ..models import (
    Action,
    AssessmentRound,
)
from ._shared import _posted, _require


@login_required
def hub(request):
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
            "rungs": [(r.label, RUNG_MEANINGS[r.value]) for r in Rung],
        },
    )


class RoundCreate(AuditedCreateView):
    model = AssessmentRound
    permission = Permission.RUN_ROUNDS
    form_class = RoundForm
    template_name = "coproduction/round_form.html"
    page_title = "Open a self-assessment round"
    success_message = "The round is open. Share the link or the QR code below."

    def get_form_kwargs(self):
        providers = Provider.objects.with_permission(self.request.user, Permission.RUN_ROUNDS)
        wards = Ward.objects.filter(provider__in=providers)
        return {**super().get_form_kwargs(), "providers": providers, "wards": wards}

    def save(self, form):
        round_obj = form.save(commit=False)
        round_obj.created_by = self.request.user
        round_obj.save()
        return round_obj

    def get_back_url(self):
        return reverse("coproduction:hub")

    def get_success_url(self):
        return reverse("coproduction:round-detail", args=[self.object.pk])


round_create = RoundCreate.as_view()


def _rounds():
    return AssessmentRound.objects.select_related("provider", "ward")


def _round(request, pk):
    return get_visible_or_404(_rounds(), request.user, pk=pk)


def _public_link(request, round_obj) -> str:
    return request.build_absolute_uri(reverse("coproduction:take-part", args=[round_obj.token]))


@login_required
def round_detail(request, pk):
    round_obj = _round(request, pk)
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


class RoundClose(ScopedObjectMixin, LoginRequiredMixin, View):
    """Asks first (GET), then closes (POST): its answers can no longer change."""

    model = AssessmentRound
    permission = Permission.RUN_ROUNDS

    def get_queryset(self):
        return _rounds()

    def already_closed(self, round_obj):
        messages.info(self.request, "This round is already closed.")
        return redirect("coproduction:round-detail", pk=round_obj.pk)

    def get(self, request, *args, **kwargs):
        round_obj = self.get_object()
        if round_obj.closed_at is not None:
            return self.already_closed(round_obj)
        return render(
            request,
            "coproduction/round_close.html",
            {
                "page_title": "Close this round",
                "round": round_obj,
                "back_url": reverse("coproduction:round-detail", args=[round_obj.pk]),
            },
        )

    def post(self, request, *args, **kwargs):
        round_obj = self.get_object()
        if round_obj.closed_at is not None:
            return self.already_closed(round_obj)
        round_obj.closed_at = timezone.now()
        round_obj.closed_by = request.user
        round_obj.save()
        messages.success(request, "The round is closed. Its answers can no longer change.")
        return redirect("coproduction:round-results", pk=round_obj.pk)


round_close = RoundClose.as_view()


@login_required
def round_results(request, pk):
    round_obj = _round(request, pk)
    if not rules.results_published(round_obj):
        return render(
            request,
            "coproduction/round_results_waiting.html",
            {
                "page_title": "Results appear when the round closes",
                "round": round_obj,
                "back_url": reverse("coproduction:round-detail", args=[round_obj.pk]),
            },
        )
    return render(request, "coproduction/round_results.html", presenters.round_results(round_obj))


def _action_plan(round_pk) -> str:
    return reverse("coproduction:round-results", args=[round_pk]) + "#action-plan"


class ActionCreate(ScopedObjectMixin, AuditedCreateView):
    """An action on a round's plan: editing the round's work, so EDIT_WORK on the round."""

    model = AssessmentRound
    form_class = ActionForm
    template_name = "coproduction/action_form.html"
    page_title = "Add an action"
    success_message = "The action has been added to the plan."

    def get_queryset(self):
        return _rounds()

    def get_object(self):
        self.round = ScopedObjectMixin.get_object(self)
        return Action(round=self.round)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "initial": {"domain": self.request.GET.get("domain")}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.round, **kwargs)

    def get_back_url(self):
        return reverse("coproduction:round-results", args=[self.round.pk])

    def get_success_url(self):
        return _action_plan(self.round.pk)


action_create = ActionCreate.as_view()


class ActionEdit(AuditedUpdateView):
    model = Action
    form_class = ActionForm
    template_name = "coproduction/action_form.html"
    page_title = "Change an action"

    def get_queryset(self):
        return Action.objects.select_related("round", "round__provider", "round__ward")

    def scope_of(self, obj):
        return obj.round.provider_id, obj.round.ward_id

    def get_context_data(self, **kwargs):
        return super().get_context_data(round=self.object.round, **kwargs)

    def get_back_url(self):
        return reverse("coproduction:round-results", args=[self.object.round_id])

    def get_success_url(self):
        return _action_plan(self.object.round_id)


action_edit = ActionEdit.as_view()


@login_required
def action_review(request, round_pk, pk):
    round_obj = _round(request, round_pk)
    _require(request, Permission.EDIT_WORK, round_obj.provider_id, round_obj.ward_id)
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
