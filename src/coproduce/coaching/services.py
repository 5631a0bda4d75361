"""Coaching log rules: where a coach may log sessions, saving a session with its actions."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coproduce.core.scoping import Permission, access_for
from coproduce.programme.models import Provider, Ward

from .models import CoachingAction, CoachingSession


def places_for(user) -> list[tuple[str, str]]:
    """Where this person may log coaching: "p:<id>" for a whole provider, "w:<id>" for a ward.

    A coach of a ward may also log a session with its whole provider.
    """
    wards = list(
        Ward.objects.with_permission(user, Permission.LOG_COACHING).select_related("provider")
    )
    providers = Provider.objects.with_permission(user, Permission.LOG_COACHING) | (
        Provider.objects.filter(id__in={w.provider_id for w in wards})
    )
    choices = []
    for provider in providers.order_by("name"):
        choices.append((f"p:{provider.id}", f"{provider.name} – whole provider"))
        for ward in sorted(
            (w for w in wards if w.provider_id == provider.id), key=lambda w: w.name
        ):
            choices.append((f"w:{ward.id}", f"{ward.name} ({provider.name})"))
    return choices


def parse_place(value: str):
    """Turn "p:3" / "w:7" into (provider, ward)."""
    kind, _, pk = (value or "").partition(":")
    if kind == "w":
        ward = Ward.objects.select_related("provider").get(pk=int(pk))
        return ward.provider, ward
    if kind == "p":
        return Provider.objects.get(pk=int(pk)), None
    raise ValueError("unknown place")


def can_log(user) -> bool:
    """May this person log a coaching session anywhere at all?"""
    return access_for(user).has(Permission.LOG_COACHING)


def can_change(user, session: CoachingSession) -> bool:
    """The coach who logged a session changes it; so may whoever manages the programme."""
    return session.coach_id == user.id or access_for(user).has(Permission.MANAGE_PROGRAMME)


def open_actions_for(provider, ward, exclude_session=None):
    actions = CoachingAction.objects.open().select_related("session")
    actions = actions.filter(session__provider=provider)
    actions = (
        actions.filter(session__ward=ward) if ward else actions.filter(session__ward__isnull=True)
    )
    if exclude_session is not None:
        actions = actions.exclude(session=exclude_session)
    return actions.order_by("due_on", "id")


def open_actions_by_place(places: list[str]) -> dict[str, list]:
    """Open actions of earlier sessions for each place ("p:<id>" or "w:<id>"), in one query."""
    ward_ids = {int(p[2:]) for p in places if p.startswith("w:") and p[2:].isdigit()}
    provider_ids = {int(p[2:]) for p in places if p.startswith("p:") and p[2:].isdigit()}
    actions = (
        CoachingAction.objects.open()
        .select_related("session")
        .filter(
            Q(session__ward_id__in=ward_ids)
            | Q(session__provider_id__in=provider_ids, session__ward__isnull=True)
        )
        .order_by("due_on", "id")
    )
    grouped: dict[str, list] = {}
    for action in actions:
        s = action.session
        key = f"w:{s.ward_id}" if s.ward_id else f"p:{s.provider_id}"
        if key in places:
            grouped.setdefault(key, []).append(action)
    return grouped


@transaction.atomic
def save_session(form, action_formset, *, coach, done_action_ids=()) -> CoachingSession:
    session = form.save(commit=False)
    if session.coach_id is None:
        session.coach = coach
    session.provider, session.ward = form.cleaned_data["provider"], form.cleaned_data["ward"]
    session.save()
    for action_form in action_formset:
        data = action_form.cleaned_data
        if not data or data.get("DELETE") or not data.get("description"):
            continue
        action = action_form.save(commit=False)
        action.session = session
        action.save()
    if done_action_ids:
        for action in open_actions_for(
            session.provider, session.ward, exclude_session=session
        ).filter(id__in=done_action_ids):
            action.done_on = session.held_on or timezone.localdate()
            action.save()
    return session
