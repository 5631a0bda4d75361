"""Fictional coaching sessions and actions for the demo programme."""

from datetime import timedelta

from django.utils import timezone

from .models import CoachingAction, CoachingSession, SessionKind


def load(context: dict) -> None:
    coach = context["users"]["coach@example.org"]
    wards = context["wards"]
    today = timezone.localdate()
    willow, birch, thames = wards["Willow Ward"], wards["Birch Ward"], wards["Thames Ward"]
    # Weekly ward coaching on Willow Ward for the last ten weeks.
    for week in range(10, 0, -1):
        session = CoachingSession.objects.create(
            kind=SessionKind.WARD,
            held_on=today - timedelta(weeks=week),
            duration_minutes=60,
            coach=coach,
            provider=willow.provider,
            ward=willow,
            staff_attending=4,
            partners_attending=1 if week % 2 else 0,
            topics="Care plans written with patients",
        )
        if week in (2, 1):
            CoachingAction.objects.create(
                session=session,
                description="Try the easy-read rights leaflet with two admissions",
                owner="Ward manager (fictional)",
                due_on=session.held_on + timedelta(days=7),
                done_on=None if week == 1 else session.held_on + timedelta(days=6),
            )
    CoachingSession.objects.create(
        kind=SessionKind.EXECUTIVE,
        held_on=today - timedelta(days=20),
        duration_minutes=60,
        coach=coach,
        provider=willow.provider,
        staff_attending=2,
        partners_attending=1,
        topics="Board reporting of restraint by ethnicity",
    )
    improvement_day = CoachingSession.objects.create(
        kind=SessionKind.IMPROVEMENT_DAY,
        held_on=today - timedelta(days=12),
        duration_minutes=360,
        coach=coach,
        provider=birch.provider,
        ward=birch,
        staff_attending=9,
        partners_attending=2,
        others_attending=1,
        topics="Driver diagram for reducing restraint",
    )
    CoachingAction.objects.create(
        session=improvement_day,
        description="Agree the operational definition of restraint",
        owner="Birch Ward QI lead (fictional)",
        due_on=today - timedelta(days=2),
    )
    # Thames Ward: last coached seven weeks ago (shows as stalled on the dashboard).
    CoachingSession.objects.create(
        kind=SessionKind.WARD,
        held_on=today - timedelta(weeks=7),
        duration_minutes=90,
        coach=coach,
        provider=thames.provider,
        ward=thames,
        staff_attending=3,
        topics="Getting started with measures",
    )
