"""The coaching log and coaching actions."""

from datetime import date

from django.db.models import Count, Q

from coproduce.coaching.models import CoachingAction, CoachingSession, SessionKind

from .filters import ExportFilter
from .tables import Column, Table, _hours, _label, _or_whole_provider, _table


def coaching_log(user, flt: ExportFilter) -> Table:
    """One row per coaching session within the phase. Free-text notes are left out."""
    sessions = flt.of_provider(CoachingSession.objects.visible_to(user), "provider_id")
    sessions = (
        flt.dated(sessions, "held_on")
        .annotate(
            actions_agreed=Count("actions", distinct=True),
            actions_open=Count("actions", filter=Q(actions__done_on__isnull=True), distinct=True),
        )
        .order_by("held_on", "provider__name", "ward__name", "pk")
    )
    return _table(
        "Coaching log",
        sessions,
        [
            Column("Date", "held_on"),
            Column("Type of session", "kind", _label(SessionKind)),
            Column("Provider", "provider__name"),
            Column("ODS code", "provider__ods_code"),
            Column("Ward", "ward__name", _or_whole_provider),
            Column("Coach", "coach__full_name"),
            Column("Minutes", "duration_minutes"),
            Column("Hours", lambda r: _hours(r["duration_minutes"])),
            Column("Staff attending", "staff_attending"),
            Column("Lived experience partners attending", "partners_attending"),
            Column("Others attending", "others_attending"),
            Column("Topics", "topics", width=50),
            Column("Actions agreed", "actions_agreed"),
            Column("Actions still open", "actions_open"),
        ],
    )


def coaching_actions(user, flt: ExportFilter, today: date | None = None) -> Table:
    """One row per action agreed at a coaching session held within the phase."""
    today = today or date.today()
    actions = flt.of_provider(CoachingAction.objects.visible_to(user), "session__provider_id")
    actions = flt.dated(actions, "session__held_on").order_by(
        "session__held_on", "session__provider__name", "session__ward__name", "pk"
    )

    def status(row) -> str:
        if row["done_on"]:
            return "Done"
        if row["due_on"] and row["due_on"] < today:
            return "Overdue"
        return "Open"

    return _table(
        "Coaching actions",
        actions,
        [
            Column("Session date", "session__held_on"),
            Column("Type of session", "session__kind", _label(SessionKind)),
            Column("Provider", "session__provider__name"),
            Column("ODS code", "session__provider__ods_code"),
            Column("Ward", "session__ward__name", _or_whole_provider),
            Column("Action", "description", width=50),
            Column("Who will do it", "owner"),
            Column("Due by", "due_on"),
            Column("Done on", "done_on"),
            Column("Status", status),
        ],
    )
