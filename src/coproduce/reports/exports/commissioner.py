"""Phase outputs for the commissioner: coaching hours, wards, staff and partners taking part."""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from coproduce.coaching.models import CoachingSession, SessionKind
from coproduce.coproduction.instrument import Perspective
from coproduce.coproduction.models import (
    AssessmentResponse,
    Involvement,
    InvolvementPartner,
)
from coproduce.equity import suppress_table
from coproduce.improvement.models import (
    ActDecision,
    PDSACycle,
)
from coproduce.programme.models import Enrolment, Membership, Provider, Role, Ward

from .filters import ExportFilter
from .tables import Table, _hours

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
