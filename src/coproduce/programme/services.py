"""Reads and writes for the programme structure that are more than a single save."""

from django.db import transaction
from django.db.models import Count, Prefetch

from coproduce.core.scoping import Access, Permission

from .models import ROLE_DESCRIPTIONS, Enrolment, Membership, Phase, Programme, Provider, Role, Ward


def current_programme() -> Programme | None:
    return Programme.objects.order_by("pk").first()


def home_panels(user, access: Access) -> dict:
    """What the signed-in home page shows: memberships, and the wards and providers in reach."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("provider", "ward", "ward__provider")
    )
    wards = (
        Ward.objects.visible_to(user).select_related("provider").order_by("provider__name", "name")
    )
    providers = Provider.objects.visible_to(user).annotate(ward_count=Count("wards"))
    return {
        "programme": current_programme(),
        "memberships": memberships,
        "wards": list(wards[:50]),
        "ward_total": wards.count(),
        "providers": list(providers[:50]),
        "is_admin": access.has(Permission.MANAGE_PROGRAMME),
        "role_names": sorted({m.get_role_display() for m in memberships}),
        "role_descriptions": {str(k): v for k, v in ROLE_DESCRIPTIONS.items()},
        "coached_wards": [
            w
            for w in wards
            if w.id in access.coach_ward_ids or w.provider_id in access.coach_provider_ids
        ][:50]
        if Role.COACH in access.roles
        else [],
        "counts": {
            "providers": providers.count(),
            "wards": wards.count(),
            "phases": Phase.objects.count(),
            "people": Membership.objects.visible_to(user).values("user").distinct().count(),
        }
        if access.has(Permission.MANAGE_PROGRAMME)
        else None,
    }


def phases_with_counts():
    return Phase.objects.annotate(ward_count=Count("enrolments")).order_by("starts_on")


@transaction.atomic
def save_ward(form, provider: Provider) -> Ward:
    """Save a ward and its phase enrolments together, or not at all."""
    ward = form.save(commit=False)
    ward.provider = provider
    ward.save()
    chosen = set(form.cleaned_data.get("phases") or [])
    current = {e.phase: e for e in ward.enrolments.select_related("phase")}
    for phase, enrolment in current.items():
        if phase not in chosen:
            enrolment.delete()
    for phase in chosen - set(current):
        Enrolment.objects.create(ward=ward, phase=phase, enrolled_on=phase.starts_on)
    return ward


def people_for(user):
    """Memberships this person may manage, grouped by person."""
    return (
        Membership.objects.with_permission(user, Permission.MANAGE_PEOPLE)
        .select_related("user", "provider", "ward", "ward__provider")
        .order_by("user__full_name", "role")
    )


def provider_detail(provider: Provider, user):
    wards = (
        Ward.objects.visible_to(user)
        .filter(provider=provider)
        .prefetch_related(
            Prefetch("enrolments", queryset=Enrolment.objects.select_related("phase"))
        )
    )
    return {"wards": list(wards)}
