"""PDSA cycles and their outcomes."""

from django.db.models import Count

from coproduce.improvement.models import (
    ActDecision,
    IdeaSource,
    PDSACycle,
)

from .filters import ExportFilter
from .tables import Column, Table, _label, _or_whole_provider, _table, _yes_no


def _cycle_stage(row: dict) -> str:
    if row["act"]:
        return "Decided"
    if row["study_results"]:
        return "Studied"
    if row["what_happened"]:
        return "Done"
    return "Planned"


def pdsa_cycles(user, flt: ExportFilter) -> Table:
    """One row per PDSA cycle started within the phase."""
    cycles = flt.of_provider(
        PDSACycle.objects.visible_to(user), "change_idea__project__provider_id"
    )
    cycles = (
        flt.dated(cycles, "start_date")
        .annotate(people=Count("lived_experience_people", distinct=True))
        .order_by(
            "change_idea__project__provider__name",
            "change_idea__project__ward__name",
            "change_idea__project__title",
            "change_idea__title",
            "number",
            "pk",
        )
    )
    decision = _label(ActDecision)
    return _table(
        "PDSA cycles",
        cycles,
        [
            Column("Provider", "change_idea__project__provider__name"),
            Column("ODS code", "change_idea__project__provider__ods_code"),
            Column("Ward", "change_idea__project__ward__name", _or_whole_provider),
            Column("Project", "change_idea__project__title", width=35),
            Column("Change idea", "change_idea__title", width=35),
            Column("Idea came from", "change_idea__source", _label(IdeaSource)),
            Column("Co-produced", "change_idea__co_produced", _yes_no),
            Column("Cycle number", "number"),
            Column("Start date", "start_date"),
            Column("End date", "end_date"),
            Column("Stage", _cycle_stage),
            Column("Decision", "act", lambda act: decision(act) if act else "Open"),
            Column("Objective", "objective", width=50),
            Column("Prediction", "prediction", width=50),
            Column("Results against the prediction", "study_results", width=50),
            Column("What happens next", "act_notes", width=50),
            Column(
                "People with lived experience taking part",
                lambda r: (r["people"] or 0) + (r["other_lived_experience_count"] or 0),
            ),
        ],
        also=("act", "what_happened", "people", "other_lived_experience_count"),
    )
