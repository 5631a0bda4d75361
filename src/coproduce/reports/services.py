"""What the dashboards and the board report show. Each section is a fixed number of queries."""

from collections import Counter
from copy import copy
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from coproduce.coproduction import services as coproduction
from coproduce.coproduction.models import AssessmentRound, ClaimStatus, Involvement, PaymentClaim
from coproduce.coproduction.rules import days_waiting
from coproduce.improvement.models import (
    ActDecision,
    ChangeIdea,
    PDSACycle,
    ProgressScore,
    Project,
    WardMeasure,
)
from coproduce.improvement.readings import readings_for
from coproduce.spc.text import ASSURANCE_WORDS

from .coaching import coaching_summary, last_coached
from .rules import (
    NOT_STARTED,
    STALLED,
    Period,
    WardActivity,
    quiet_days,
    stalled_rank,
    stalled_weeks,
    ward_status,
)
from .scope import Scope
from .snapshots import snapshots_for

SCORE_BANDS = [
    ("0.5 to 1.5: forming the team and the aim", Decimal("0.5"), Decimal("1.5")),
    ("2.0 to 2.5: planning and testing changes", Decimal("2.0"), Decimal("2.5")),
    ("3.0 to 3.5: changes tested, improvement starting", Decimal("3.0"), Decimal("3.5")),
    ("4.0 to 5.0: improvement seen and sustained", Decimal("4.0"), Decimal("5.0")),
]


def _measure_counts(variations: list[str], assurances: list[str]) -> dict:
    """How many measures show each kind of variation, and how they stand against targets."""
    variation = Counter(v or "no_data" for v in variations)
    assurance = Counter(a for a in assurances if a)
    groups = {
        "improvement": variation["improvement_high"] + variation["improvement_low"],
        "concern": variation["concern_high"] + variation["concern_low"],
        "neutral": variation["neutral_high"] + variation["neutral_low"],
        "common": variation["common_cause"],
        "no_data": variation["no_data"],
    }
    return {
        "total": len(variations),
        "groups": groups,
        "assurance": [(ASSURANCE_WORDS[k], assurance[k]) for k in ASSURANCE_WORDS if assurance[k]],
    }


CONCERNS_LISTED = 20  # measures showing special cause concern named on a dashboard


def measure_states(scope: Scope, period: Period, today: date) -> dict:
    """What SPC says about each ward measure's series cut at the period's end, by id.

    A period that ends today reads the cached snapshots (the whole series); an earlier end
    reads the series up to that day. Both say what the board report says for that period.
    """
    wms = scope.records(WardMeasure)
    if period.ends_on >= today:
        return snapshots_for(wms)
    return {r.ward_measure.id: r for r in readings_for(wms, end=period.ends_on)}


def measures_section(scope: Scope, period: Period, today: date) -> dict:
    """The dashboard's measures, as at the end of the period."""
    states = measure_states(scope, period, today)
    counts = _measure_counts(
        [s.variation or "" for s in states.values()], [s.assurance or "" for s in states.values()]
    )
    concern = [k for k, v in states.items() if (v.variation or "").startswith("concern")]
    concerning = list(
        scope.records(WardMeasure)
        .filter(id__in=concern[:CONCERNS_LISTED])
        .select_related("ward", "measure")
        .order_by("ward__name", "measure__name")
    )
    return counts | {"snapshots": states, "concerning": concerning}


def period_measures(scope: Scope, ends_on: date) -> dict:
    """The measures of a report: one reading per ward measure, its series cut at ``ends_on``.

    The counts, the summary table and any chart all come from these readings, so they agree
    with each other and with a dashboard read for the same period.
    """
    wms = scope.records(WardMeasure).order_by("ward__name", "measure__name")
    readings = readings_for(wms, end=ends_on)
    counts = _measure_counts(
        [r.variation or "" for r in readings], [r.assurance or "" for r in readings]
    )
    return counts | {"readings": readings, "rows": measure_rows(readings)}


def measure_rows(readings: list, limit: int | None = None) -> list[dict]:
    """A Making Data Count summary table: one row per reading, signals first."""
    rows = [
        {
            "ward_measure": r.ward_measure,
            "reading": r,
            "latest_value": None if r.latest_value is None else float(r.latest_value),
            "latest_period": r.latest_period,
            "points": len(r.values),
            "variation": r.variation or "",
            "variation_words": r.variation_words,
            "assurance_words": r.assurance_words,
            "signal": r.has_signal,
        }
        for r in readings
    ]
    rows.sort(
        key=lambda r: (not r["signal"], r["ward_measure"].ward.name, r["ward_measure"].measure.name)
    )
    return rows[:limit] if limit else rows


def projects_section(scope: Scope) -> dict:
    """Projects started by the period's end, each with its latest progress score by then."""
    latest = ProgressScore.objects.filter(project=OuterRef("pk")).order_by("-recorded_on", "-id")
    projects = scope.records(Project)
    if scope.ends_on:
        latest = latest.filter(recorded_on__lte=scope.ends_on)
        projects = projects.filter(created_at__date__lte=scope.ends_on)
    scores = list(
        projects.annotate(latest=Subquery(latest.values("score")[:1])).values_list(
            "latest", flat=True
        )
    )
    bands = [
        (label, sum(1 for s in scores if s is not None and low <= s <= high))
        for label, low, high in SCORE_BANDS
    ]
    return {"total": len(scores), "bands": bands, "unscored": sum(1 for s in scores if s is None)}


def _in_period(queryset, field: str, scope: Scope):
    if scope.starts_on:
        queryset = queryset.filter(**{f"{field}__gte": scope.starts_on})
    if scope.ends_on:
        queryset = queryset.filter(**{f"{field}__lte": scope.ends_on})
    return queryset


def pdsa_section(scope: Scope) -> dict:
    cycles = _in_period(scope.records(PDSACycle), "start_date", scope)
    counts = dict(cycles.values_list("act").annotate(n=Count("id")).order_by())
    outcomes = [(label, counts.get(value, 0)) for value, label in ActDecision.choices]
    return {"total": sum(counts.values()), "outcomes": outcomes, "open": counts.get("", 0)}


def _as_at(claim, day: date):
    """The claim as it stood at the end of ``day``: approved only if approved by then."""
    if claim.approved_at is not None and timezone.localdate(claim.approved_at) > day:
        claim = copy(claim)
        claim.status, claim.approved_at = ClaimStatus.CLAIMED, None
    return claim


def owed_at(scope: Scope, user, day: date) -> list:
    """Involvement payments claimed by ``day`` and not paid by then, for the scope's
    involvements the person may see, as they stood that day."""
    involvements = scope.records(Involvement).values("id")
    claims = (
        PaymentClaim.objects.visible_to(user)
        .select_related("involvement")
        .filter(involvement_id__in=involvements, claimed_at__date__lte=day)
        .exclude(paid_on__lte=day)
    )
    return [_as_at(c, day) for c in claims]


def coproduction_section(scope: Scope, user, today: date) -> dict:
    """Involvement and PDSA cycles in the period; payments owed as at the period's end."""
    involvements = _in_period(scope.records(Involvement), "occurred_on", scope)
    cycles = _in_period(scope.records(PDSACycle), "start_date", scope)
    profile = coproduction.profile_of(involvements, cycles)
    as_at = min(scope.ends_on or today, today)
    owed_rows = owed_at(scope, user, as_at)
    waits = [days_waiting(c, as_at) for c in owed_rows]
    return {
        "profile": profile,
        "as_at": as_at,
        "owed_count": len(owed_rows),
        "owed_total": sum((c.amount for c in owed_rows), Decimal("0")),
        "awaiting_approval": sum(1 for c in owed_rows if c.status == ClaimStatus.CLAIMED),
        "oldest_wait_days": max(waits) if waits else None,
        "over_30_days": sum(1 for w in waits if w > 30),
    }


def closed_rounds(scope: Scope):
    """Self-assessment rounds closed within the period, the latest first."""
    rounds = scope.records(AssessmentRound).filter(closed_at__isnull=False)
    return _in_period(rounds, "closed_at__date", scope).order_by("-closed_at", "-id")


def rounds_section(scope: Scope, limit: int = 5) -> list[dict]:
    rounds = list(closed_rounds(scope).select_related("provider", "ward")[:limit])
    out = []
    for r in rounds:  # at most `limit` rounds: a bounded number of queries
        results, _previous = coproduction.round_results(r)
        gaps = [g for g in results.perception_gap.values() if g is not None]
        out.append(
            {
                "round": r,
                "respondents": results.respondents.get("everyone", 0),
                "largest_gap": max(gaps, key=abs) if gaps else None,
                "results": results,
            }
        )
    return out


def ward_activity(scope: Scope, states: dict, as_at: date, weeks: int) -> dict[int, WardActivity]:
    """Each ward's projects, figures and coaching up to ``as_at`` (see ``rules``)."""
    since = as_at - timedelta(weeks=weeks)
    started = set(
        scope.records(Project)
        .filter(ward_id__in=scope.ward_ids, created_at__date__lte=as_at)
        .values_list("ward_id", flat=True)
    )
    last_figure: dict[int, date] = {}
    measures: Counter = Counter()
    missing: Counter = Counter()
    for wm_id, ward_id in scope.records(WardMeasure).values_list("id", "ward_id"):
        state = states.get(wm_id)
        latest = getattr(state, "latest_period", None)
        measures[ward_id] += 1
        if latest is None or latest < since:
            missing[ward_id] += 1
        if latest is not None:
            last_figure[ward_id] = max(last_figure.get(ward_id, latest), latest)
    coached = last_coached(scope, as_at)
    return {
        ward.id: WardActivity(
            has_project=ward.id in started,
            last_figure=last_figure.get(ward.id),
            last_coached=coached.get(ward.id),
            measures=measures[ward.id],
            measures_without_recent_figures=missing[ward.id],
        )
        for ward in scope.wards
    }


def stalled_wards(
    scope: Scope, as_at: date, weeks: int | None = None, states: dict | None = None
) -> dict:
    """Wards not started and wards stalled as at ``as_at``, by the rule in ``rules``."""
    weeks = weeks or stalled_weeks()
    if states is None:
        states = snapshots_for(scope.records(WardMeasure))
    activity = ward_activity(scope, states, as_at, weeks)
    not_started, stalled = [], []
    for ward in scope.wards:
        a = activity[ward.id]
        status = ward_status(a, as_at, weeks)
        row = {
            "ward": ward,
            "activity": a,
            "quiet_days": quiet_days(a, as_at),
            "last_data": a.last_figure,
            "last_coached": a.last_coached,
        }
        if status == NOT_STARTED:
            not_started.append(row)
        elif status == STALLED:
            stalled.append(row)
    stalled.sort(key=lambda r: (stalled_rank(r["activity"], as_at), r["ward"].name))
    not_started.sort(key=lambda r: (r["ward"].provider.name, r["ward"].name))
    return {"weeks": weeks, "as_at": as_at, "stalled": stalled, "not_started": not_started}


def dashboard(scope: Scope, user, period: Period, today: date) -> dict:
    measures = measures_section(scope, period, today)
    return {
        "scope": scope,
        "today": today,
        "period": period,
        "provider_count": len(scope.providers),
        "ward_count": len(scope.wards),
        "coaching": coaching_summary(scope, today),
        "projects": projects_section(scope),
        "pdsa": pdsa_section(scope),
        "measures": measures,
        "coproduction": coproduction_section(scope, user, today),
        "rounds": rounds_section(scope),
        "attention": stalled_wards(scope, period.ends_on, states=measures["snapshots"]),
    }


def notable_change_ideas(scope: Scope, limit: int = 8):
    """Change ideas with a cycle started in the period that ended in adopt or adapt,
    co-produced ones first."""
    cycles = _in_period(
        scope.records(PDSACycle).filter(act__in=[ActDecision.ADOPT, ActDecision.ADAPT]),
        "start_date",
        scope,
    )
    return list(
        scope.records(ChangeIdea)
        .filter(cycles__in=cycles)
        .select_related("project", "project__ward")
        .annotate(cycle_count=Count("cycles", distinct=True))
        .order_by("-co_produced", "-cycle_count", "title")
        .distinct()[:limit]
    )


def you_said_we_did(scope: Scope, limit: int = 8):
    return list(
        _in_period(scope.records(Involvement), "occurred_on", scope)
        .exclude(we_did="")
        .select_related("ward")
        .order_by("-occurred_on", "-id")[:limit]
    )
