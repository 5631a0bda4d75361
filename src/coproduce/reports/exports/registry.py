"""Every export by name, and building one or all of them."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .coaching import coaching_actions, coaching_log
from .commissioner import commissioner_outputs
from .filters import ExportFilter
from .involvement import involvement_log
from .measures import measure_data, measures
from .pdsa import pdsa_cycles
from .tables import Table


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    description: str
    build: Callable


EXPORTS = {
    e.name: e
    for e in [
        Export(
            "phase-outputs",
            "Phase outputs for the commissioner",
            "One row per provider and a total: wards enrolled, coaching hours by type, staff "
            "and lived experience partners taking part, PDSA cycles and their decisions, "
            "patients reached.",
            commissioner_outputs,
        ),
        Export(
            "measures",
            "Measures",
            "Each measure a ward collects: its definition, target, and the figures held "
            "for the period.",
            measures,
        ),
        Export(
            "measure-data",
            "Measure data",
            "Every figure entered for a period starting within the dates, one row each.",
            measure_data,
        ),
        Export(
            "pdsa-cycles",
            "PDSA cycles",
            "Cycles started within the dates: plan, results, decision and who with lived "
            "experience took part (as a number).",
            pdsa_cycles,
        ),
        Export(
            "involvement-log",
            "Involvement log",
            "Involvement of people with lived experience: stage, rung, hours, who took part "
            "(as numbers, no names), and what changed.",
            involvement_log,
        ),
        Export(
            "coaching-log",
            "Coaching log",
            "Coaching sessions: type, date, length, coach, place, attendance and topics. "
            "Session notes are left out.",
            coaching_log,
        ),
        Export(
            "coaching-actions",
            "Coaching actions",
            "Actions agreed at coaching sessions, who owns them and whether they are done.",
            coaching_actions,
        ),
    ]
}


FORMATS = {"csv", "xlsx"}


WORKBOOK = "all"  # every export as one workbook, a sheet each


def build(name: str, user, flt: ExportFilter) -> Table:
    return EXPORTS[name].build(user, flt)


def build_all(user, flt: ExportFilter) -> Iterator[Table]:
    for export in EXPORTS.values():
        yield export.build(user, flt)
