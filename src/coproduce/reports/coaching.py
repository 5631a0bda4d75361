"""Coaching delivered against plan, and wards that have gone quiet."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Sum

from coproduce.coaching.models import CoachingAction, CoachingSession, SessionKind

from .scope import Scope

WEEKS_BEFORE_STALLED = 4


def _months_between(start: date, end: date) -> Decimal:
    return (Decimal((end - start).days + 1) / Decimal("30.44")).quantize(Decimal("0.1"))


def _weeks_between(start: date, end: date) -> Decimal:
    return (Decimal((end - start).days + 1) / Decimal(7)).quantize(Decimal("0.1"))


def coaching_summary(scope: Scope, today: date) -> dict:
    """Hours of executive and ward coaching delivered, against the phase's plan so far."""
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
        end = min(scope.phase.ends_on, today)
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
    open_actions = scope.records(CoachingAction).open().filter(session__in=sessions.values("id"))
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
        "overdue_actions": open_actions.filter(due_on__lt=today).count(),
    }


def last_coached(scope: Scope) -> dict[int, date]:
    """The date each ward was last coached (ward-level sessions), in one query."""
    rows = (
        scope.records(CoachingSession)
        .filter(ward_id__in=scope.ward_ids)
        .values("ward_id")
        .annotate(last=Max("held_on"))
    )
    return {r["ward_id"]: r["last"] for r in rows}


def quiet_since(last: date | None, today: date, weeks: int = WEEKS_BEFORE_STALLED) -> bool:
    return last is None or last < today - timedelta(weeks=weeks)
