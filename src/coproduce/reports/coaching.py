"""Coaching delivered against plan, and wards that have gone quiet."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from coproduce.coaching.models import CoachingAction, CoachingSession, SessionKind

from .scope import Scope


def _months_between(start: date, end: date) -> Decimal:
    return (Decimal((end - start).days + 1) / Decimal("30.44")).quantize(Decimal("0.1"))


def _weeks_between(start: date, end: date) -> Decimal:
    return (Decimal((end - start).days + 1) / Decimal(7)).quantize(Decimal("0.1"))


def coaching_summary(scope: Scope, today: date) -> dict:
    """Hours of executive and ward coaching delivered in the period, against the phase's plan
    up to the period's end; coaching actions from those sessions still open at its end."""
    as_at = min(scope.ends_on or today, today)
    sessions = scope.records(CoachingSession)
    if scope.starts_on:
        sessions = sessions.filter(held_on__gte=scope.starts_on)
    if scope.ends_on:
        sessions = sessions.filter(held_on__lte=scope.ends_on)
    by_kind = {
        row["kind"]: row
        for row in sessions.values("kind").annotate(
            minutes=Sum("duration_minutes"),
            sessions=Count("id"),
            staff=Sum("staff_attending"),
            partners=Sum("partners_attending"),
        )
    }
    hours = {k: Decimal(v["minutes"] or 0) / 60 for k, v in by_kind.items()}
    executive = hours.get(SessionKind.EXECUTIVE, Decimal(0))
    ward = sum(
        (hours.get(k, Decimal(0)) for k in (SessionKind.WARD, SessionKind.IMPROVEMENT_DAY)),
        Decimal(0),
    )
    plan_exec = plan_ward = None
    if scope.phase is not None:
        end = min(scope.phase.ends_on, as_at)
        if end >= scope.phase.starts_on:
            plan_exec = (
                scope.phase.planned_executive_hours_per_month
                * _months_between(scope.phase.starts_on, end)
                * len(scope.providers)
            )
            plan_ward = (
                scope.phase.planned_ward_hours_per_week
                * _weeks_between(scope.phase.starts_on, end)
                * len(scope.wards)
            )
        else:
            plan_exec = plan_ward = Decimal(0)
    rows = [
        {
            "kind": label,
            "sessions": by_kind.get(value, {}).get("sessions", 0),
            "hours": hours.get(value, Decimal(0)).quantize(Decimal("0.1")),
            "partners": by_kind.get(value, {}).get("partners") or 0,
        }
        for value, label in SessionKind.choices
    ]
    open_actions = (
        scope.records(CoachingAction)
        .filter(session__in=sessions.values("id"))
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=as_at))
    )
    return {
        "rows": rows,
        "executive_hours": executive.quantize(Decimal("0.1")),
        "ward_hours": ward.quantize(Decimal("0.1")),
        "planned_executive_hours": plan_exec.quantize(Decimal("0.1"))
        if plan_exec is not None
        else None,
        "planned_ward_hours": plan_ward.quantize(Decimal("0.1")) if plan_ward is not None else None,
        "total_hours": sum(hours.values(), Decimal(0)).quantize(Decimal("0.1")),
        "open_actions": open_actions.count(),
        "overdue_actions": open_actions.filter(due_on__lt=as_at).count(),
    }


def last_coached(scope: Scope, as_at: date) -> dict[int, date]:
    """The date each ward was last coached on or before ``as_at`` (ward sessions), in one query."""
    rows = (
        scope.records(CoachingSession)
        .filter(ward_id__in=scope.ward_ids, held_on__lte=as_at)
        .values("ward_id")
        .annotate(last=Max("held_on"))
    )
    return {r["ward_id"]: r["last"] for r in rows}
