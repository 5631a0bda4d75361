"""Fictional improvement records for tests: a project on ward A1 with a measure and data."""

from datetime import date, timedelta
from decimal import Decimal

from coproduce.improvement.models import (
    ChangeIdea,
    DataPoint,
    Driver,
    Measure,
    PDSACycle,
    PhaseBreak,
    Project,
    ProjectMember,
    WardMeasure,
)

MONDAY = date(2025, 1, 6)


def project(ward, **extra):
    fields = {
        "provider": ward.provider,
        "ward": ward,
        "title": "Care plans written together (fictional)",
        "problem": "People say their care plans are written about them, not with them.",
        "aim_what": "Care plans written with the person",
        "aim_for_whom": "everyone on the ward",
        "aim_how_much": "from 40% to 80%",
        "aim_by_when": date(2026, 12, 31),
        "focus_groups": ["autistic", "learning_disability"],
        "mha_principles": ["choice_autonomy"],
        "shared_to_library": False,
    }
    fields.update(extra)
    return Project.objects.create(**fields)


def catalogue_measure(name="Care plans co-written (fictional)", **extra):
    fields = {
        "name": name,
        "definition": "Share of people with a care plan they helped write.",
        "measure_type": "outcome",
        "unit": "%",
        "improvement": "increase",
        "frequency": "weekly",
        "is_rate": True,
        "numerator_label": "people with a co-written plan",
        "denominator_label": "people on the ward",
        "multiplier": Decimal(100),
    }
    fields.update(extra)
    return Measure.objects.create(**fields)


def ward_measure(ward, measure=None, values=(), start=MONDAY, target=None):
    wm = WardMeasure.objects.create(
        ward=ward, measure=measure or catalogue_measure(), target=target
    )
    DataPoint.objects.bulk_create(
        DataPoint(ward_measure=wm, period_start=start + timedelta(weeks=i), value=Decimal(v))
        for i, v in enumerate(values)
    )
    return wm


def idea(proj, **extra):
    fields = {
        "project": proj,
        "title": "Plan review over a cup of tea",
        "source": "patient",
        "co_produced": True,
    }
    fields.update(extra)
    return ChangeIdea.objects.create(**fields)


def cycle(change_idea, number=1, start=MONDAY, **extra):
    fields = {
        "change_idea": change_idea,
        "number": number,
        "objective": "Try it with two people",
        "question": "Do people feel heard?",
        "prediction": "Both will say yes",
        "start_date": start,
    }
    fields.update(extra)
    return PDSACycle.objects.create(**fields)


def full(w):
    """A project on ward A1 with a driver, idea, cycle, measure, data and a phase break."""
    p = project(w.ward_a1)
    driver = Driver.objects.create(project=p, kind="primary", text="People lead their own plan")
    i = idea(p, driver=driver)
    c = cycle(i)
    wm = ward_measure(w.ward_a1, values=[40, 42, 38, 41, 45, 60, 62, 65, 61, 64])
    c.measures.add(wm)
    phase = PhaseBreak.objects.create(
        ward_measure=wm, starts_on=MONDAY + timedelta(weeks=5), reason="New plan format adopted"
    )
    member = ProjectMember.objects.create(project=p, user=w.users["partner"], lived_experience=True)
    return {
        "project": p,
        "driver": driver,
        "idea": i,
        "cycle": c,
        "wm": wm,
        "phase": phase,
        "member": member,
        "point": wm.points.first(),
    }
