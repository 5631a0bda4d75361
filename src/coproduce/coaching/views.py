"""Coaching log pages. A coach logs a session on a phone in under a minute."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from coproduce.core.generic_views import AuditedDeleteView, AuditedUpdateView
from coproduce.core.redirects import safe_next_url
from coproduce.core.scoping import Permission, access_for, get_visible_or_404

from . import presenters, services
from .forms import ActionFormSet, SessionForm
from .models import CoachingAction, CoachingSession, SessionKind


@login_required
def session_list(request):
    sessions = CoachingSession.objects.visible_to(request.user).select_related(
        "coach", "provider", "ward"
    )
    kind = request.GET.get("kind", "")
    if kind in SessionKind.values:
        sessions = sessions.filter(kind=kind)
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    open_actions = (
        CoachingAction.objects.visible_to(request.user)
        .open()
        .select_related("session", "session__ward", "session__provider")
        .order_by("due_on", "id")[:20]
    )
    return render(
        request,
        "coaching/session_list.html",
        {
            "page_title": "Coaching log",
            "page": page,
            "kind": kind,
            "kinds": SessionKind.choices,
            "open_actions": open_actions,
            "today": timezone.localdate(),
        },
    )


def _valid(form, formset) -> bool:
    """Both valid; actions are checked against the session's date."""
    form_ok = form.is_valid()
    for action_form in formset:
        action_form.held_on = form.cleaned_data.get("held_on")
    return formset.is_valid() and form_ok


@login_required
def session_create(request):
    if not services.can_log(request.user):
        raise PermissionDenied
    initial = {"place": request.GET.get("place", "")}
    form = SessionForm(request.POST or None, user=request.user, initial=initial)
    choices = [c for c, _ in form.fields["place"].choices if c]
    ward_choices = [c for c in choices if c.startswith("w:")]
    if not form.initial["place"] and len(ward_choices) == 1:
        form.initial["place"] = ward_choices[0]  # a coach of one ward has nothing to choose
    formset = ActionFormSet(request.POST or None, prefix="actions")
    place = request.POST.get("place") or form.initial.get("place")
    by_place = services.open_actions_by_place(choices)
    labels = dict(form.fields["place"].choices)
    if request.method == "POST" and _valid(form, formset):
        session = services.save_session(
            form,
            formset,
            coach=request.user,
            done_action_ids=[int(x) for x in request.POST.getlist("done_actions") if x.isdigit()],
        )
        messages.success(request, "The session has been logged.")
        return redirect("coaching:session-detail", pk=session.pk)
    return render(
        request,
        "coaching/session_form.html",
        {
            "page_title": "Log a coaching session",
            "form": form,
            "formset": formset,
            "open_actions_by_place": [
                (key, labels[key], actions) for key, actions in by_place.items()
            ],
            "chosen_place": place if place in choices else "",
            "back_url": reverse("coaching:session-list"),
        },
    )


@login_required
def session_detail(request, pk):
    session = get_visible_or_404(
        CoachingSession.objects.select_related("coach", "provider", "ward"), request.user, pk=pk
    )
    return render(
        request, "coaching/session_detail.html", presenters.session_detail(session, request.user)
    )


class _OwnSession:
    """A session the person may see and change (see ``services.can_change``)."""

    model = CoachingSession

    def check_permission(self, obj):
        if not services.can_change(self.request.user, obj):
            raise PermissionDenied

    def get_back_url(self):
        return reverse("coaching:session-detail", args=[self.object.pk])


class SessionEdit(_OwnSession, AuditedUpdateView):
    form_class = SessionForm
    template_name = "coaching/session_form.html"
    page_title = "Change a coaching session"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_form(self):
        posted = self.request.POST if self.request.method == "POST" else None
        self.formset = ActionFormSet(posted, instance=self.object, prefix="actions")
        return super().get_form()

    def post(self, request, *args, **kwargs):
        self.setup_object()
        form = self.get_form()
        if _valid(form, self.formset):
            return self.form_valid(form)
        return self.render_form(form)

    def save(self, form):
        return services.save_session(form, self.formset, coach=self.object.coach)

    def get_context_data(self, **kwargs):
        return super().get_context_data(formset=self.formset, open_actions_by_place=[], **kwargs)

    def get_success_url(self):
        return reverse("coaching:session-detail", args=[self.object.pk])


session_edit = SessionEdit.as_view()


class SessionDelete(_OwnSession, AuditedDeleteView):
    template_name = "coaching/session_delete.html"
    page_title = "Delete this session?"
    success_message = "The session has been deleted."

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.object, **kwargs)

    def get_success_url(self):
        return reverse("coaching:session-list")


session_delete = SessionDelete.as_view()


@login_required
def action_done(request, pk):
    action = get_visible_or_404(
        CoachingAction.objects.select_related("session"), request.user, pk=pk
    )
    session = action.session
    if not access_for(request.user).has(Permission.EDIT_WORK, session.provider_id, session.ward_id):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("coaching:session-detail", pk=action.session_id)
    action.done_on = None if action.done_on else timezone.localdate()
    action.save()
    messages.success(
        request, f"“{action.description}” is marked as {'done' if action.done_on else 'not done'}."
    )
    return redirect(
        safe_next_url(request, reverse("coaching:session-detail", args=[action.session_id]))
    )
