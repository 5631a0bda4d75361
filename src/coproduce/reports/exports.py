"""Exports: tables of measures, data, PDSA cycles, involvement, coaching and phase outputs.

Each export is a function taking the person and an :class:`ExportFilter` and returning a
:class:`Table` (a title, a header and rows). Every queryset starts from
``visible_to(user)``, so an export holds only what the person may read in Coproduce, and
each table is built from a fixed number of queries whatever the number of rows (rows come
from ``values_list`` with the joins done in the database, streamed with ``iterator``).

Writers turn tables into CSV (streamed, UTF-8 with a byte order mark so Excel reads the
accents, cells that a spreadsheet would run as a formula made inert) or an Excel workbook
(one sheet per table, bold header row, set column widths).

Figures by group (ethnicity, learning disability, autism) are not exported here: they are
published, under disclosure control, from the equity pages' own downloads.
"""

import codecs
import csv
import io
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from coproduce.coaching.models import CoachingAction, CoachingSession, SessionKind
from coproduce.coproduction.instrument import Perspective, Rung
from coproduce.coproduction.models import (
    Activity,
    Adjustment,
    AssessmentResponse,
    Involvement,
    InvolvementPartner,
    Outcome,
    Stage,
)
from coproduce.equity import suppress_table
from coproduce.improvement.models import (
    ActDecision,
    DataPoint,
    Direction,
    Frequency,
    IdeaSource,
    MeasureType,
    PDSACycle,
    WardMeasure,
)
from coproduce.programme.models import Enrolment, Membership, Phase, Provider, Role, Ward

CHUNK = 2000

# --------------------------------------------------------------------------- the filter


@dataclass(frozen=True)
class ExportFilter:
    """Which phase (and so which dates) and, optionally, which provider an export covers."""

    phase: Phase | None = None
    provider: Provider | None = None

    @property
    def starts_on(self) -> date | None:
        return self.phase.starts_on if self.phase else None

    @property
    def ends_on(self) -> date | None:
        return self.phase.ends_on if self.phase else None

    def dated(self, queryset, field_name: str):
        """Keep records whose ``field_name`` falls within the phase (all dates if none)."""
        if self.starts_on:
            queryset = queryset.filter(**{f"{field_name}__gte": self.starts_on})
        if self.ends_on:
            queryset = queryset.filter(**{f"{field_name}__lte": self.ends_on})
        return queryset

    def of_provider(self, queryset, field_name: str):
        if self.provider is None:
            return queryset
        return queryset.filter(**{field_name: self.provider.pk})

    @property
    def period_words(self) -> str:
        if self.phase is None:
            return "all dates"
        return f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"

    def filename(self, name: str, extension: str) -> str:
        """A safe file name, like coproduce-coaching-log-2024-07-01-to-2025-03-31.csv."""
        parts = ["coproduce", name]
        if self.provider is not None:
            parts.append(_safe(self.provider.ods_code))
        if self.phase is not None:
            parts.append(f"{self.starts_on.isoformat()}-to-{self.ends_on.isoformat()}")
        else:
            parts.append("all-dates")
        return "-".join(parts) + "." + extension


def _safe(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum()) or "provider"


def default_phase(today: date, phases: list[Phase] | None = None) -> Phase | None:
    """The phase running today, or else the latest to have started (or the first ever)."""
    if phases is None:
        phases = list(Phase.objects.order_by("starts_on", "pk"))
    phases = sorted(phases, key=lambda p: (p.starts_on, p.pk))
    for phase in phases:
        if phase.starts_on <= today <= phase.ends_on:
            return phase
    started = [p for p in phases if p.starts_on <= today]
    if started:
        return started[-1]
    return phases[0] if phases else None


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    """One export: a sheet title (31 characters at most), a header and its rows."""

    title: str
    header: list[str]
    rows: Iterable[list]
    notes: list[str] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)

    def all_rows(self) -> Iterator[list]:
        """The data rows, then (after a blank row) one row per note."""
        yield from self.rows
        if self.notes:
            yield []
            for note in self.notes:
                yield [note]


def _label(choices) -> Callable[[str], str]:
    lookup = dict(choices.choices)
    return lambda value: lookup.get(value, value or "")


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def _hours(minutes) -> Decimal:
    return (Decimal(minutes or 0) / Decimal(60)).quantize(Decimal("0.01"))


def _or_whole_provider(value) -> str:
    return value or "Whole provider"


@dataclass(frozen=True)
class Column:
    """A column: its heading, and either a field to read (with an optional format) or a
    function of the whole row. ``width`` caps the column's width in Excel."""

    heading: str
    source: str | Callable[[dict], object]
    format: Callable | None = None
    width: int | None = None

    def value(self, row: dict):
        if callable(self.source):
            return self.source(row)
        value = row[self.source]
        return self.format(value) if self.format else value


def _table(title: str, queryset, columns: list[Column], also: tuple = ()) -> Table:
    """Rows straight from one query (``values``), streamed in chunks, mapped by columns."""
    fields = [c.source for c in columns if isinstance(c.source, str)]
    fields += [f for f in also if f not in fields]

    def generate():
        for row in queryset.values(*fields).iterator(chunk_size=CHUNK):
            yield [c.value(row) for c in columns]

    return Table(
        title,
        [c.heading for c in columns],
        generate(),
        widths={i: c.width for i, c in enumerate(columns) if c.width},
    )


# --------------------------------------------------------------------------- measures


def measures(user, flt: ExportFilter) -> Table:
    """One row per measure a ward collects, with the figures held for the phase.

    A measure is listed if the ward adopted it by the end of the phase or holds figures
    for periods within it (figures entered for earlier periods can come after adoption).
    """
    wms = flt.of_provider(WardMeasure.objects.visible_to(user), "ward__provider_id")
    points = flt.dated(DataPoint.objects.filter(ward_measure=OuterRef("pk")), "period_start")
    if flt.ends_on:
        wms = wms.filter(Q(adopted_on__lte=flt.ends_on) | Exists(points))
    latest = points.order_by("-period_start")
    counted = points.order_by().values("ward_measure").annotate(n=Count("id")).values("n")
    wms = wms.annotate(
        figures=Subquery(counted[:1]),
        first_period=Subquery(points.order_by("period_start").values("period_start")[:1]),
        latest_period=Subquery(latest.values("period_start")[:1]),
        latest_value=Subquery(latest.values("value")[:1]),
    ).order_by("ward__provider__name", "ward__name", "measure__name", "pk")
    return _table(
        "Measures",
        wms,
        [
            Column("Provider", "ward__provider__name"),
            Column("ODS code", "ward__provider__ods_code"),
            Column("Ward", "ward__name"),
            Column("Measure", "measure__name", width=40),
            Column("Type of measure", "measure__measure_type", _label(MeasureType)),
            Column("Unit", "measure__unit"),
            Column("Which way is better", "measure__improvement", _label(Direction)),
            Column("How often", "measure__frequency", _label(Frequency)),
            Column("Proportion or rate", "measure__is_rate", _yes_no),
            Column("Numerator", "measure__numerator_label"),
            Column("Denominator", "measure__denominator_label"),
            Column("Multiplier", "measure__multiplier"),
            Column("Target", "target"),
            Column("Adopted on", "adopted_on"),
            Column("Still collected", "active", _yes_no),
            Column("Figures in the period", "figures", lambda n: n or 0),
            Column("First period", "first_period"),
            Column("Latest period", "latest_period"),
            Column("Latest value", "latest_value"),
            Column("Definition", "measure__definition", width=60),
        ],
    )


def measure_data(user, flt: ExportFilter) -> Table:
    """One row per figure entered, for periods starting within the phase."""
    points = flt.of_provider(DataPoint.objects.visible_to(user), "ward_measure__ward__provider_id")
    points = flt.dated(points, "period_start").order_by(
        "ward_measure__ward__provider__name",
        "ward_measure__ward__name",
        "ward_measure__measure__name",
        "ward_measure_id",
        "period_start",
    )
    return _table(
        "Measure data",
        points,
        [
            Column("Provider", "ward_measure__ward__provider__name"),
            Column("ODS code", "ward_measure__ward__provider__ods_code"),
            Column("Ward", "ward_measure__ward__name"),
            Column("Measure", "ward_measure__measure__name", width=40),
            Column("Unit", "ward_measure__measure__unit"),
            Column("How often", "ward_measure__measure__frequency", _label(Frequency)),
            Column("Period starts", "period_start"),
            Column("Value", "value"),
            Column("Numerator", "numerator"),
            Column("Denominator", "denominator"),
            Column("Target", "ward_measure__target"),
        ],
    )


# --------------------------------------------------------------------------- PDSA cycles


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


# --------------------------------------------------------------------------- involvement


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


# --------------------------------------------------------------------------- coaching


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


# --------------------------------------------------------------------------- phase outputs

EXECUTIVE_KINDS = {SessionKind.EXECUTIVE}
WARD_KINDS = {SessionKind.WARD, SessionKind.IMPROVEMENT_DAY}
STAFF_ROLES = (Role.WARD_TEAM_MEMBER, Role.PROVIDER_LEAD)


def coaching_group(kind: str) -> str:
    if kind in EXECUTIVE_KINDS:
        return "executive"
    return "ward" if kind in WARD_KINDS else "other"


# What each figure in the phase outputs means: shown on the page and as notes in the file.
DEFINITIONS = [
    ("Wards enrolled", "Wards enrolled in the phase."),
    (
        "Coaching hours",
        "Executive coaching; ward coaching (ward coaching sessions and improvement days); "
        "other coaching (learning events and communities of practice). From sessions held "
        "within the phase.",
    ),
    (
        "Staff taking part",
        "Distinct people with a Coproduce account who hold the ward team member role on a "
        "ward enrolled in the phase, or the provider lead role for the provider. Each person "
        "counts once per provider, and once in the total. Staff attendances at coaching are "
        "counted separately: one person at three sessions counts three times.",
    ),
    (
        "Lived experience partners taking part",
        "Distinct people who hold the lived experience partner role for the provider or a "
        "ward enrolled in the phase, or who took part, with their account, in involvement "
        "within the phase. Each person counts once per provider, and once in the total.",
    ),
    (
        "PDSA cycles",
        "Cycles started within the phase, by decision. Open means no decision yet.",
    ),
    (
        "Patients reached",
        "The number of times people with lived experience of detention took part within the "
        "phase: self-assessment answers they sent, plus the people of that perspective "
        "counted in involvement. One person may be counted more than once. Shown under "
        "disclosure control: 1 to 4 as *, other counts rounded to the nearest 5, and one more "
        "count hidden where the total would give a hidden count away.",
    ),
]


def commissioner_outputs(user, flt: ExportFilter) -> Table:
    """What the commissioner asks for at a phase's end: one row per provider and a total.

    Nine queries whatever the size of the programme; everything is grouped by provider in
    the database and put together here.
    """
    providers = {p.pk: p for p in flt.of_provider(Provider.objects.visible_to(user), "pk")}
    ids = set(providers)

    wards = Ward.objects.visible_to(user).filter(provider_id__in=ids)
    enrolments = Enrolment.objects.filter(ward__in=wards)
    if flt.phase is not None:
        enrolments = enrolments.filter(phase=flt.phase)
    enrolled = dict(
        enrolments.values("ward__provider_id")
        .annotate(n=Count("ward", distinct=True))
        .order_by()
        .values_list("ward__provider_id", "n")
    )

    sessions = flt.dated(CoachingSession.objects.visible_to(user), "held_on")
    coaching = defaultdict(lambda: defaultdict(int))
    for provider_id, kind, minutes, n, staff, partners in (
        sessions.filter(provider_id__in=ids)
        .values("provider_id", "kind")
        .annotate(
            minutes=Sum("duration_minutes"),
            n=Count("id"),
            staff=Sum("staff_attending"),
            partners=Sum("partners_attending"),
        )
        .order_by()
        .values_list("provider_id", "kind", "minutes", "n", "staff", "partners")
    ):
        row = coaching[provider_id]
        row[coaching_group(kind)] += minutes or 0
        row["sessions"] += n
        row["staff"] += staff or 0
        row["partners"] += partners or 0

    memberships = Membership.objects.visible_to(user).filter(
        provider_id__in=ids, role__in=(*STAFF_ROLES, Role.LIVED_EXPERIENCE_PARTNER)
    )
    if flt.phase is not None:
        memberships = memberships.filter(
            Q(ward__isnull=True) | Q(ward__enrolments__phase=flt.phase)
        )
    staff, partners = defaultdict(set), defaultdict(set)
    for role, provider_id, user_id in memberships.values_list(
        "role", "provider_id", "user_id"
    ).distinct():
        (partners if role == Role.LIVED_EXPERIENCE_PARTNER else staff)[provider_id].add(user_id)

    involvements = flt.dated(Involvement.objects.visible_to(user), "occurred_on").filter(
        provider_id__in=ids
    )
    for provider_id, user_id in (
        InvolvementPartner.objects.filter(involvement__in=involvements)
        .values_list("involvement__provider_id", "user_id")
        .distinct()
    ):
        partners[provider_id].add(user_id)

    cycles = defaultdict(lambda: defaultdict(int))
    for provider_id, act, n in (
        flt.dated(PDSACycle.objects.visible_to(user), "start_date")
        .filter(change_idea__project__provider_id__in=ids)
        .values("change_idea__project__provider_id", "act")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("change_idea__project__provider_id", "act", "n")
    ):
        cycles[provider_id][act or "open"] += n

    reached = defaultdict(int)
    answered = flt.dated(
        AssessmentResponse.objects.visible_to(user).filter(
            perspective=Perspective.LIVED_EXPERIENCE, round__provider_id__in=ids
        ),
        "submitted_on",
    )
    for provider_id, n in (
        answered.values("round__provider_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("round__provider_id", "n")
    ):
        reached[provider_id] += n
    for provider_id, n in (
        involvements.values("provider_id")
        .annotate(n=Sum("lived_experience_count"))
        .order_by()
        .values_list("provider_id", "n")
    ):
        reached[provider_id] += n or 0

    active = set(enrolled) | set(coaching) | set(staff) | set(partners) | set(cycles)
    active |= {p for p, n in reached.items() if n}
    if flt.provider is not None:
        active = ids
    shown = sorted((providers[p] for p in active if p in providers), key=lambda p: p.name)

    def line(name, ods, wards, coach, cyc, staff_count, partner_count, patients) -> list:
        return [
            name,
            ods,
            wards,
            _hours(coach["executive"]),
            _hours(coach["ward"]),
            _hours(coach["other"]),
            coach["sessions"],
            staff_count,
            coach["staff"],
            partner_count,
            coach["partners"],
            sum(cyc.values()),
            *(cyc[a] for a in ActDecision.values),
            cyc["open"],
            patients,
        ]

    published = suppress_table([reached[p.pk] for p in shown]) if shown else None
    rows = [
        line(
            p.name,
            p.ods_code,
            enrolled.get(p.pk, 0),
            coaching[p.pk],
            cycles[p.pk],
            len(staff[p.pk]),
            len(partners[p.pk]),
            published.cells[i],
        )
        for i, p in enumerate(shown)
    ]
    total_coaching, total_cycles = defaultdict(int), defaultdict(int)
    for p in shown:
        for k, v in coaching[p.pk].items():
            total_coaching[k] += v
        for k, v in cycles[p.pk].items():
            total_cycles[k] += v
    rows.append(
        line(
            "Total",
            "",
            sum(enrolled.get(p.pk, 0) for p in shown),
            total_coaching,
            total_cycles,
            len(set().union(*(staff[p.pk] for p in shown))),
            len(set().union(*(partners[p.pk] for p in shown))),
            published.total if published else "0",
        )
    )
    return Table(
        "Phase outputs",
        [
            "Provider",
            "ODS code",
            "Wards enrolled",
            "Executive coaching hours",
            "Ward coaching hours",
            "Other coaching hours",
            "Coaching sessions",
            "Staff taking part",
            "Staff attendances at coaching",
            "Lived experience partners taking part",
            "Partner attendances at coaching",
            "PDSA cycles started",
            "PDSA cycles adopted",
            "PDSA cycles adapted",
            "PDSA cycles abandoned",
            "PDSA cycles open",
            "Patients reached",
        ],
        rows,
        notes=[f"Period: {flt.period_words}."]
        + [f"{label}: {text}" for label, text in DEFINITIONS],
        widths={0: 40},
    )


# --------------------------------------------------------------------------- registry


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


# --------------------------------------------------------------------------- writers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell as CSV text: ISO dates, plain decimals, formula-like text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1.50 -> 1.5, 64.0000 -> 64, 100 -> 100
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV lines, beginning with the byte order mark Excel looks for."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8.decode("utf-8")
    yield writer.writerow(table.header)
    for row in table.all_rows():
        yield writer.writerow([csv_cell(v) for v in row])


def csv_text(table: Table) -> str:
    return "".join(csv_lines(table))


SAMPLE_ROWS = 200
MAX_WIDTH = 60


def _excel_value(value):
    if isinstance(value, bool):
        return _yes_no(value)
    return value


def _text_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return len(csv_cell(value))


def add_sheet(workbook: Workbook, table: Table) -> None:
    """Append the table as a sheet: bold, frozen header row, widths fitted to the content."""
    sheet = workbook.create_sheet(table.title[:31])
    rows = iter(table.all_rows())
    sample = list(itertools.islice(rows, SAMPLE_ROWS))
    for i, heading in enumerate(table.header):
        widest = max([len(heading)] + [_text_width(r[i]) for r in sample if len(r) > i])
        width = min(table.widths.get(i, MAX_WIDTH), max(10, widest + 2))
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for heading in table.header:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    for row in itertools.chain(sample, rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_excel_value(value))
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never run as a formula
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)


def workbook_bytes(tables: Iterable[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    for table in tables:
        add_sheet(workbook, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(name: str, user, flt: ExportFilter) -> Table:
    return EXPORTS[name].build(user, flt)


def build_all(user, flt: ExportFilter) -> Iterator[Table]:
    for export in EXPORTS.values():
        yield export.build(user, flt)


__all__ = [
    "DEFINITIONS",
    "EXPORTS",
    "FORMATS",
    "WORKBOOK",
    "ExportFilter",
    "Table",
    "build",
    "build_all",
    "csv_cell",
    "csv_lines",
    "csv_text",
    "default_phase",
    "workbook_bytes",
]
