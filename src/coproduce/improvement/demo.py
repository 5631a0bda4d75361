"""Fictional improvement work: a measure catalogue, two years of weekly figures per ward,
and projects with driver diagrams, change ideas and PDSA cycles.

Every figure is generated with a fixed seed and is made up. Some series carry real
signals on purpose (a shift after a change was adopted, a trend, an outlier), so the
charts have something honest to say.
"""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from coproduce.core import audit

from .models import (
    ChangeIdea,
    DataPoint,
    Driver,
    Frequency,
    Measure,
    PDSACycle,
    PDSATask,
    PhaseBreak,
    ProgressScore,
    Project,
    ProjectMember,
    WardMeasure,
    previous_period,
)

SEED = 2026
WEEKS = 104
MONTHS = 24

# key: (name, definition, type, unit, direction, frequency, rate?, numerator, denominator, x)
CATALOGUE = {
    "care_plan": (
        "Care plans the person helped write",
        "People on the ward at midnight on Sunday whose current care plan records that they "
        "helped write it (their words, their signature or a note of how they took part), as a "
        "share of everyone on the ward then.",
        "outcome",
        "%",
        "increase",
        Frequency.WEEKLY,
        True,
        "people whose plan they helped write",
        "people on the ward",
        100,
    ),
    "restraint": (
        "Restraint per 1,000 occupied bed days",
        "Episodes of physical restraint of any length recorded in the incident system in the "
        "week, per 1,000 occupied bed days in the same week.",
        "outcome",
        "per 1,000 bed days",
        "decrease",
        Frequency.WEEKLY,
        True,
        "restraint episodes",
        "occupied bed days",
        1000,
    ),
    "rights": (
        "Told their rights in a form they understand",
        "People detained in the week who were told their rights under section 132 in a form "
        "they chose (spoken, easy read, another language, with an advocate) and said they "
        "understood, as a share of people detained in the week.",
        "process",
        "%",
        "increase",
        Frequency.WEEKLY,
        True,
        "people who understood their rights",
        "people detained",
        100,
    ),
    "seclusion": (
        "Seclusion episodes",
        "Episodes of seclusion started in the week, as recorded in the seclusion register.",
        "outcome",
        "episodes",
        "decrease",
        Frequency.WEEKLY,
        False,
        "",
        "",
        None,
    ),
    "s3_review": (
        "Days to first review of section 3 detention (learning disability or autism)",
        "For people with a learning disability or autistic people detained under section 3, "
        "the average number of days from detention to the first multidisciplinary review of "
        "whether detention is still needed, for reviews held in the month.",
        "process",
        "days",
        "decrease",
        Frequency.MONTHLY,
        False,
        "",
        "",
        None,
    ),
    "carers": (
        "Carers invited to the ward round",
        "Ward rounds in the week where the person's chosen carer or nominated person was "
        "invited (where the person agreed), as a share of ward rounds in the week.",
        "process",
        "%",
        "increase",
        Frequency.WEEKLY,
        True,
        "ward rounds with the carer invited",
        "ward rounds",
        100,
    ),
    "aggression": (
        "Aggression towards staff per 1,000 occupied bed days",
        "Incidents of verbal or physical aggression towards staff recorded in the week, per "
        "1,000 occupied bed days. A balancing measure: less restriction must not mean less "
        "safety.",
        "balancing",
        "per 1,000 bed days",
        "decrease",
        Frequency.WEEKLY,
        True,
        "incidents of aggression",
        "occupied bed days",
        1000,
    ),
}

# ward: [(measure key, pattern, target)]; patterns: shift, trend, outlier, flat.
ADOPTIONS = {
    "Willow Ward": [
        ("care_plan", "shift", 80),
        ("restraint", "flat", None),
        ("rights", "flat", 90),
        ("aggression", "flat", None),
    ],
    "Birch Ward": [
        ("restraint", "trend", 20),
        ("seclusion", "outlier", None),
        ("aggression", "flat", None),
        ("care_plan", "flat", 60),
    ],
    "Rowan House": [
        ("s3_review", "shift", 28),
        ("care_plan", "flat", None),
        ("restraint", "flat", None),
    ],
    "Thames Ward": [
        ("rights", "shift", 90),
        ("carers", "flat", None),
        ("restraint", "outlier", None),
    ],
    "Kestrel Unit": [("care_plan", "flat", None), ("carers", "trend", 75)],
    "Heather Ward": [("carers", "flat", None), ("restraint", "flat", None)],
    "Moorland Lodge": [("seclusion", "flat", None), ("restraint", "flat", None)],
    "Cedar Ward": [("rights", "flat", None), ("care_plan", "trend", None)],
    "Falcon Unit": [("restraint", "flat", None), ("seclusion", "flat", None)],
    "Lighthouse Ward": [("seclusion", "shift", None), ("aggression", "flat", None)],
    "Anchor Ward": [("s3_review", "flat", 28), ("care_plan", "flat", None)],
    "Meadow Ward": [("restraint", "flat", None)],
    "Orchard Ward": [("restraint", "flat", None), ("aggression", "outlier", None)],
}
SHIFT_AT = 62  # weeks into the series; months scale down


def _periods(frequency, end_week):
    if frequency == Frequency.MONTHLY:
        last = previous_period(Frequency.MONTHLY, end_week + timedelta(days=7))
        months = []
        y, m = last.year, last.month
        for _ in range(MONTHS):
            months.append(date(y, m, 1))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        return months[::-1]
    return [end_week - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


def _levels(n, pattern, base, change, rng):
    """A level per point: flat, a shift, a slow trend or an outlier."""
    level = np.full(n, float(base))
    at = int(n * SHIFT_AT / WEEKS)
    if pattern == "shift":
        level[at:] += change
    elif pattern == "trend":
        start = n - 16
        level[start:] += np.linspace(0, change, 16)
    return level, (int(rng.integers(n // 3, n - 8)) if pattern == "outlier" else None)


def _series(key, pattern, beds, n, rng):
    """(values, numerators, denominators) for one ward measure."""
    if key in {"care_plan", "rights", "carers"}:
        base, change = {"care_plan": (0.42, 0.33), "rights": (0.6, 0.28), "carers": (0.35, 0.35)}[
            key
        ]
        p, outlier = _levels(n, pattern, base, change, rng)
        size = {"care_plan": beds, "rights": max(3, beds // 3), "carers": max(3, beds // 4)}[key]
        den = np.maximum(rng.integers(size - 2, size + 2, n), 2)
        num = rng.binomial(den, np.clip(p, 0.02, 0.98))
        if outlier is not None:
            num[outlier] = max(0, int(den[outlier] * 0.05))
        return num / den * 100, num, den
    if key in {"restraint", "aggression"}:
        base, change = {"restraint": (3.2, -1.8), "aggression": (2.4, -1.0)}[key]
        lam, outlier = _levels(n, pattern, base * beds / 14, change * beds / 14, rng)
        den = np.round(beds * 7 * rng.uniform(0.82, 0.98, n))
        num = rng.poisson(np.maximum(lam, 0.2))
        if outlier is not None:
            num[outlier] += 10
        return num / den * 1000, num, den
    if key == "seclusion":
        lam, outlier = _levels(n, pattern, 2.6, -1.6, rng)
        values = rng.poisson(np.maximum(lam, 0.2)).astype(float)
        if outlier is not None:
            values[outlier] += 9
        return values, None, None
    level, outlier = _levels(n, pattern, 41, -14, rng)  # s3_review, days
    values = np.round(rng.normal(level, 4.0), 1)
    if outlier is not None:
        values[outlier] += 25
    return np.maximum(values, 3), None, None


def _d(x) -> Decimal:
    return Decimal(f"{float(x):.4f}")


def load(context: dict) -> None:
    rng = np.random.default_rng(SEED)
    wards = context.get("wards", {})
    users = context.get("users", {})
    if not wards:
        return
    today = date.today()
    end_week = previous_period(Frequency.WEEKLY, today) - timedelta(weeks=1)
    measures = {}
    for key, (
        name,
        definition,
        kind,
        unit,
        direction,
        freq,
        rate,
        num,
        den,
        x,
    ) in CATALOGUE.items():
        measures[key] = Measure.objects.create(
            name=name,
            definition=definition + " (Fictional demo measure.)",
            measure_type=kind,
            unit=unit,
            improvement=direction,
            frequency=freq,
            is_rate=rate,
            numerator_label=num,
            denominator_label=den,
            multiplier=Decimal(x) if x else None,
        )
    ward_measures = {}
    points = []
    for ward_name, adopted in ADOPTIONS.items():
        ward = wards.get(ward_name)
        if ward is None:
            continue
        for key, pattern, target in adopted:
            measure = measures[key]
            periods = _periods(measure.frequency, end_week)
            wm = WardMeasure.objects.create(
                ward=ward,
                measure=measure,
                adopted_on=periods[0],
                target=Decimal(target) if target is not None else None,
            )
            ward_measures[(ward_name, key)] = wm
            values, nums, dens = _series(key, pattern, ward.beds or 14, len(periods), rng)
            for i, period in enumerate(periods):
                points.append(
                    DataPoint(
                        ward_measure=wm,
                        period_start=period,
                        value=_d(values[i]),
                        numerator=_d(nums[i]) if nums is not None else None,
                        denominator=_d(dens[i]) if dens is not None else None,
                    )
                )
    DataPoint.objects.bulk_create(points, batch_size=2000)
    for wm in ward_measures.values():
        audit.record("create", wm, note="Fictional demo figures loaded in one batch")
    shift_day = end_week - timedelta(weeks=WEEKS - 1 - SHIFT_AT)
    context["improvement"] = {"measures": measures, "ward_measures": ward_measures}
    _projects(wards, users, ward_measures, shift_day, today)


def _week(day: date, weeks: int) -> date:
    return day + timedelta(weeks=weeks)


def _projects(wards, users, wms, shift_day, today):
    ward_user = users.get("ward@example.org")
    partner = users.get("partner@example.org")
    thames_user = users.get("ward.thames@example.org")

    # Willow Ward: care plans written with people.
    willow = wards.get("Willow Ward")
    if willow:
        p = Project.objects.create(
            provider=willow.provider,
            ward=willow,
            title="Care plans written with people, not about them",
            problem="People told us their care plans were written about them in meetings they "
            "were not in, in words they would not use. Autistic people and people with a "
            "learning disability were least likely to have had a say.",
            aim_what="Care plans the person helped write",
            aim_for_whom="everyone on Willow Ward, starting with autistic people and people with "
            "a learning disability",
            aim_how_much="from about 40% to 80%",
            aim_by_when=today + timedelta(days=180),
            focus_groups=["autistic", "learning_disability", "ethnically_diverse"],
            mha_principles=["choice_autonomy", "person_individual"],
            shared_to_library=True,
        )
        _team(
            p,
            [(ward_user, "Project lead", False), (partner, "Co-lead from lived experience", True)],
        )
        d1 = Driver.objects.create(
            project=p, kind="primary", text="People lead their own plan", order=1
        )
        d1a = Driver.objects.create(
            project=p,
            parent=d1,
            kind="secondary",
            text="Time set aside to write plans together",
            order=1,
        )
        d1b = Driver.objects.create(
            project=p,
            parent=d1,
            kind="secondary",
            text="Plans in a form the person understands",
            order=2,
        )
        d2 = Driver.objects.create(
            project=p, kind="primary", text="Staff confidence and habits", order=2
        )
        d2a = Driver.objects.create(
            project=p,
            parent=d2,
            kind="secondary",
            text="Training delivered with lived experience partners",
            order=1,
        )
        tea = ChangeIdea.objects.create(
            project=p,
            driver=d1a,
            title="Plan review over a cup of tea, at a time the person picks",
            description="Instead of reviewing the plan in the ward round, a named nurse sits with "
            "the person somewhere quiet, at a time they choose, and writes the changes in "
            "their words.",
            source="patient",
            co_produced=True,
        )
        c1 = _cycle(
            tea,
            1,
            _week(shift_day, -10),
            None,
            "adapt",
            objective="Try a tea-time review with two people on one day shift",
            prediction="Both will add something in their own words to their plan.",
            happened="One person took part; the other was asleep at the agreed time.",
            results="Half of the prediction met. Fixed times did not suit people.",
            notes="Let people pick any time over two days.",
            measures=[wms.get(("Willow Ward", "care_plan"))],
            people=[partner],
            others=2,
        )
        _cycle(
            tea,
            2,
            _week(shift_day, -5),
            c1,
            "adopt",
            objective="Offer a tea-time review to everyone, any time over two days",
            prediction="At least 6 of 10 people will take part and add their words.",
            happened="8 of 10 took part. Night staff helped two people who prefer evenings.",
            results="Better than predicted. The care plan measure began to rise.",
            notes="Made it the standard way to review plans on Willow Ward.",
            measures=[wms.get(("Willow Ward", "care_plan"))],
            people=[partner],
            others=3,
        )
        easy = ChangeIdea.objects.create(
            project=p,
            driver=d1b,
            title="Easy read care plan template",
            description="A template with pictures and short sentences, designed with people with "
            "a learning disability who have been in hospital.",
            source="partner",
            co_produced=True,
        )
        _cycle(
            easy,
            1,
            _week(shift_day, 4),
            None,
            "adopt",
            objective="Use the easy read template with three people who asked for it",
            prediction="All three will say the plan is easier to read.",
            happened="All three used it; one asked for bigger print.",
            results="All three found it easier. Print size added to the template.",
            notes="Offered to everyone from now on.",
            measures=[wms.get(("Willow Ward", "care_plan"))],
            people=[partner],
            others=3,
        )
        training = ChangeIdea.objects.create(
            project=p,
            driver=d2a,
            title="Co-delivered training on writing plans together",
            description="A one-hour session run by a lived experience partner and a senior nurse.",
            source="staff",
            co_produced=False,
        )
        open_cycle = _cycle(
            training,
            1,
            today - timedelta(days=10),
            None,
            "",
            objective="Run the session for the Tuesday day shift",
            prediction="Staff will rate their confidence higher afterwards.",
            measures=[wms.get(("Willow Ward", "care_plan"))],
            people=[partner],
        )
        PDSATask.objects.create(
            cycle=open_cycle, text="Book the room", owner="Sam", done=True, order=0
        )
        PDSATask.objects.create(
            cycle=open_cycle, text="Agree the session plan together", owner="Jo and Sam", order=1
        )
        wm = wms.get(("Willow Ward", "care_plan"))
        if wm:
            PhaseBreak.objects.create(
                ward_measure=wm,
                starts_on=shift_day,
                reason="Tea-time plan reviews adopted as the standard way of working",
            )
        for weeks_ago, score, note in (
            (30, "1.5", "Team formed, aim agreed with partners."),
            (16, "2.5", "First tests done, no change yet."),
            (4, "3.5", "Care plans co-written rising after adoption."),
        ):
            ProgressScore.objects.create(
                project=p,
                score=Decimal(score),
                note=note,
                recorded_on=today - timedelta(weeks=weeks_ago),
                recorded_by=ward_user,
            )

    # Birch Ward: less restraint.
    birch = wards.get("Birch Ward")
    if birch:
        p = Project.objects.create(
            provider=birch.provider,
            ward=birch,
            title="Calmer conversations, less restraint",
            problem="Restraint on the ward is used more often with Black men than with others, "
            "and people say staff talk at them, not with them, when things escalate.",
            aim_what="Fewer restraints",
            aim_for_whom="everyone on Birch Ward, Black men first",
            aim_how_much="by a third",
            aim_by_when=today + timedelta(days=240),
            focus_groups=["ethnically_diverse"],
            mha_principles=["least_restriction", "therapeutic_benefit"],
            shared_to_library=True,
        )
        _team(p, [(partner, "Co-lead from lived experience", True)])
        d1 = Driver.objects.create(
            project=p, kind="primary", text="Early, calm conversations", order=1
        )
        Driver.objects.create(
            project=p, parent=d1, kind="secondary", text="Knowing what helps each person", order=1
        )
        sensory = ChangeIdea.objects.create(
            project=p,
            driver=d1,
            title="Personal calm plans with a sensory box",
            description="Each person writes what helps them calm down, and chooses items "
            "for a box.",
            source="patient",
            co_produced=True,
        )
        _cycle(
            sensory,
            1,
            today - timedelta(weeks=14),
            None,
            "adapt",
            objective="Offer calm plans to four people on admission",
            prediction="Fewer restraints for those four in their first fortnight.",
            happened="Three made a plan; staff on nights did not know where the boxes were.",
            results="Too early to tell for restraint; staff knowledge was the gap.",
            notes="Add the plan to the handover sheet and test again.",
            measures=[wms.get(("Birch Ward", "restraint"))],
            people=[partner],
            others=4,
        )
        clothes = ChangeIdea.objects.create(
            project=p,
            driver=d1,
            title="Music of the person's choice in the de-escalation room",
            description="People choose a playlist when they are calm, for use when they are not.",
            source="carer",
            co_produced=False,
        )
        _cycle(
            clothes,
            1,
            today - timedelta(weeks=20),
            None,
            "abandon",
            objective="Offer playlists to everyone for a fortnight",
            prediction="People will use the room sooner and restraint will fall.",
            happened="Two people made playlists; the speaker kept failing.",
            results="Not enough use to learn anything; people preferred the sensory boxes.",
            notes="Stopped, and effort moved to the calm plans.",
            measures=[wms.get(("Birch Ward", "restraint"))],
            people=[],
            others=2,
        )

    # Thames Ward: rights explained again by a peer.
    thames = wards.get("Thames Ward")
    if thames:
        p = Project.objects.create(
            provider=thames.provider,
            ward=thames,
            title="Rights people understand",
            problem="People were read their rights once, on the day they were detained, often "
            "in English only, when they were least able to take it in.",
            aim_what="People who understand their rights",
            aim_for_whom="everyone detained on Thames Ward",
            aim_how_much="from 60% to 90%",
            aim_by_when=today + timedelta(days=120),
            focus_groups=["ethnically_diverse", "learning_disability"],
            mha_principles=["choice_autonomy", "person_individual"],
            shared_to_library=True,
        )
        _team(p, [(thames_user, "Project lead", False)])
        d1 = Driver.objects.create(
            project=p, kind="primary", text="Rights explained more than once", order=1
        )
        peer = ChangeIdea.objects.create(
            project=p,
            driver=d1,
            title="Rights explained again at 72 hours by a peer worker",
            description="A peer worker with lived experience of detention goes through rights "
            "again after three days, in the person's chosen language or format.",
            source="partner",
            co_produced=True,
        )
        _cycle(
            peer,
            1,
            _week(shift_day, -3),
            None,
            "adopt",
            objective="A peer worker revisits rights with everyone admitted this fortnight",
            prediction="Most people will say they understand their rights after the second talk.",
            happened="11 of 12 people had the second talk; interpreters booked for three.",
            results="10 of 11 said they understood. The measure shifted up.",
            notes="Adopted; the peer worker's time is now in the rota.",
            measures=[wms.get(("Thames Ward", "rights"))],
            people=[],
            others=2,
        )


def _team(project, people):
    for user, note, lived in people:
        if user is not None:
            ProjectMember.objects.create(
                project=project, user=user, role_note=note, lived_experience=lived
            )


def _cycle(
    idea,
    number,
    start,
    previous,
    act,
    *,
    objective,
    prediction,
    happened="",
    results="",
    notes="",
    measures=(),
    people=(),
    others=0,
):
    cycle = PDSACycle.objects.create(
        change_idea=idea,
        number=number,
        previous=previous,
        objective=objective,
        question="Will this help people have more say?",
        prediction=prediction,
        plan_who="Named nurse with a lived experience partner",
        plan_where=idea.project.ward.name,
        plan_when="Over two weeks",
        start_date=start,
        end_date=start + timedelta(weeks=2) if act else None,
        what_happened=happened,
        study_results=results,
        act=act,
        act_notes=notes,
        other_lived_experience_count=others,
    )
    cycle.measures.set([m for m in measures if m is not None])
    cycle.lived_experience_people.set([u for u in people if u is not None])
    if act:
        idea.status = {"adopt": "adopted", "adapt": "testing", "abandon": "abandoned"}[act]
    elif idea.status == "not_tested":
        idea.status = "testing"
    idea.save(update_fields=["status"])
    return cycle
