"""What the dashboards and the board report show. Each section is a fixed number of queries."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Subquery, Sum

from coproduce.coaching.models import CoachingSession
from coproduce.coproduction import services as coproduction
from coproduce.coproduction.models import AssessmentRound, ClaimStatus, Involvement
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

from .coaching import WEEKS_BEFORE_STALLED, coaching_summary, last_coached, quiet_since
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


def measures_section(scope: Scope) -> dict:
    """The dashboard's measures: each ward measure's whole series, from the snapshot cache."""
    wms = scope.records(WardMeasure)
    snaps = snapshots_for(wms)
    counts = _measure_counts(
        [s.variation for s in snaps.values()], [s.assurance for s in snaps.values()]
    )
    return counts | {"snapshots": snaps}


def period_measures(scope: Scope, starts_on: date, ends_on: date) -> dict:
    """The measures of a report for a period: one reading per ward measure over that period.

    The counts, the summary table and any chart all come from these readings, so they agree.
    """
    wms = scope.records(WardMeasure).order_by("ward__name", "measure__name")
    readings = readings_for(wms, start=starts_on, end=ends_on)
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
    latest = ProgressScore.objects.filter(project=OuterRef("pk")).order_by("-recorded_on", "-id")
    scores = list(
        scope.records(Project)
        .annotate(latest=Subquery(latest.values("score")[:1]))
        .values_list("latest", flat=True)
    )
    bands = [
        (label, sum(1 for s in scores if s is not None and low <= s <= high))
        for label, low, high in SCORE_BANDS
    ]
    return {"total": len(scores), "bands": bands, "unscored": sum(1 for s in scores if s is None)}


def pdsa_section(scope: Scope) -> dict:
    cycles = scope.records(PDSACycle)
    if scope.starts_on:
        cycles = cycles.filter(start_date__gte=scope.starts_on)
    if scope.ends_on:
        cycles = cycles.filter(start_date__lte=scope.ends_on)
    counts = dict(cycles.values_list("act").annotate(n=Count("id")).order_by())
    outcomes = [(label, counts.get(value, 0)) for value, label in ActDecision.choices]
    return {"total": sum(counts.values()), "outcomes": outcomes, "open": counts.get("", 0)}


def coproduction_section(scope: Scope, user, today: date) -> dict:
    involvements = scope.records(Involvement)
    cycles = scope.records(PDSACycle)
    profile = coproduction.profile_of(involvements, cycles)
    owed = coproduction.owed(user).filter(involvement__provider_id__in=scope.provider_ids)
    owed_rows = list(owed)
    waits = [days_waiting(c, today) for c in owed_rows]
    return {
        "profile": profile,
        "owed_count": len(owed_rows),
        "owed_total": sum((c.amount for c in owed_rows), Decimal("0")),
        "awaiting_approval": sum(1 for c in owed_rows if c.status == ClaimStatus.CLAIMED),
        "oldest_wait_days": max(waits) if waits else None,
        "over_30_days": sum(1 for w in waits if w > 30),
    }


def rounds_section(scope: Scope, limit: int = 5) -> list[dict]:
    rounds = list(
        scope.records(AssessmentRound)
        .select_related("provider", "ward")
        .order_by("-opens_on", "-id")[:limit]
    )
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


def stalled_wards(
    scope: Scope, today: date, weeks: int = WEEKS_BEFORE_STALLED, snapshots: dict | None = None
) -> list[dict]:
    """Wards with no figures, no PDSA cycle or no coaching for ``weeks`` weeks.

    The latest figure per ward comes from the (fresh) SPC snapshots, not from the figures
    themselves, so this stays quick with millions of figures.
    """
    wms = scope.records(WardMeasure)
    if snapshots is None:
        snapshots = snapshots_for(wms)
    last_data: dict[int, date] = {}
    for wm_id, ward_id in wms.values_list("id", "ward_id"):
        snap = snapshots.get(wm_id)
        if snap is not None and snap.latest_period is not None:
            last_data[ward_id] = max(last_data.get(ward_id, snap.latest_period), snap.latest_period)
    last_pdsa = dict(
        scope.records(PDSACycle)
        .filter(change_idea__project__ward_id__in=scope.ward_ids)
        .values("change_idea__project__ward_id")
        .annotate(last=Max("start_date"))
        .values_list("change_idea__project__ward_id", "last")
        .order_by()
    )
    coached = last_coached(scope)
    out = []
    for ward in scope.wards:
        reasons = []
        if quiet_since(last_data.get(ward.id), today, weeks):
            reasons.append("no figures")
        if quiet_since(last_pdsa.get(ward.id), today, weeks):
            reasons.append("no PDSA cycle started")
        if quiet_since(coached.get(ward.id), today, weeks):
            reasons.append("no coaching")
        if reasons:
            out.append(
                {
                    "ward": ward,
                    "reasons": reasons,
                    "reason_text": ", ".join(reasons)[0].upper() + ", ".join(reasons)[1:],
                    "last_data": last_data.get(ward.id),
                    "last_pdsa": last_pdsa.get(ward.id),
                    "last_coached": coached.get(ward.id),
                }
            )
    out.sort(key=lambda r: (-len(r["reasons"]), r["ward"].provider.name, r["ward"].name))
    return out


def dashboard(scope: Scope, user, today: date, weeks: int = WEEKS_BEFORE_STALLED) -> dict:
    measures = measures_section(scope)
    return {
        "scope": scope,
        "today": today,
        "weeks": weeks,
        "provider_count": len(scope.providers),
        "ward_count": len(scope.wards),
        "coaching": coaching_summary(scope, today),
        "projects": projects_section(scope),
        "pdsa": pdsa_section(scope),
        "measures": measures,
        "coproduction": coproduction_section(scope, user, today),
        "rounds": rounds_section(scope),
        "stalled": stalled_wards(scope, today, weeks, measures["snapshots"]),
    }


def notable_change_ideas(scope: Scope, limit: int = 8):
    """Change ideas whose cycles ended in adopt or adapt, co-produced ones first."""
    return list(
        scope.records(ChangeIdea)
        .filter(cycles__act__in=[ActDecision.ADOPT, ActDecision.ADAPT])
        .select_related("project", "project__ward")
        .annotate(cycle_count=Count("cycles", distinct=True))
        .order_by("-co_produced", "-cycle_count", "title")
        .distinct()[:limit]
    )


def you_said_we_did(scope: Scope, limit: int = 8):
    return list(
        scope.records(Involvement)
        .exclude(we_did="")
        .select_related("ward")
        .order_by("-occurred_on", "-id")[:limit]
    )


def coaching_sessions_recent(scope: Scope, today: date, days: int = 90):
    return (
        scope.records(CoachingSession)
        .filter(held_on__gte=today - timedelta(days=days))
        .aggregate(hours=Sum("duration_minutes"), sessions=Count("id"))
    )
