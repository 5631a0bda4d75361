"""The involvement log."""

from django.db.models import Count

from coproduce.coproduction.instrument import Rung
from coproduce.coproduction.models import (
    Activity,
    Adjustment,
    Involvement,
    Outcome,
    Stage,
)

from .filters import ExportFilter
from .tables import Column, Table, _label, _or_whole_provider, _table


def involvement_log(user, flt: ExportFilter) -> Table:
    """One row per piece of involvement within the phase. Counts only: no partner's name."""
    involvements = flt.of_provider(Involvement.objects.visible_to(user), "provider_id")
    involvements = (
        flt.dated(involvements, "occurred_on")
        .annotate(accounts=Count("partners", distinct=True))
        .order_by("occurred_on", "provider__name", "ward__name", "pk")
    )
    adjustment = _label(Adjustment)
    return _table(
        "Involvement log",
        involvements,
        [
            Column("Date", "occurred_on"),
            Column("Provider", "provider__name"),
            Column("ODS code", "provider__ods_code"),
            Column("Ward", "ward__name", _or_whole_provider),
            Column("Improvement project", "project__title", lambda t: t or ""),
            Column("Stage", "stage", _label(Stage)),
            Column("Activity", "activity", _label(Activity)),
            Column("What it was about", "title", width=40),
            Column("Rung (1 to 7)", "rung"),
            Column("Rung", lambda r: _label(Rung)(r["rung"])),
            Column("Hours", "hours"),
            Column("People with lived experience of detention", "lived_experience_count"),
            Column("Carers", "carer_count"),
            Column("Lived experience practitioners", "practitioner_count"),
            Column("Ward staff", "staff_count"),
            Column("Leaders", "leader_count"),
            Column("Partners with an account", "accounts"),
            Column(
                "Accessibility adjustments",
                "adjustments",
                lambda values: "; ".join(adjustment(a) for a in values or []),
            ),
            Column("You said", "you_said", width=50),
            Column("We did", "we_did", width=50),
            Column("Outcome", "outcome", _label(Outcome)),
            Column("Why it could not change", "why_not", width=40),
        ],
    )
