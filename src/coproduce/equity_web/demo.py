"""Fictional figures by group for the demo, and the fictional national benchmark file.

Every figure here is made up. The restraint figures show a real-looking gap: Black patients
are restrained more often than White patients on the demo wards, with small groups hidden
on the equity pages.
"""

import random
from datetime import date
from importlib import resources
from pathlib import Path

from django.db import transaction

from coproduce.improvement.models import Measure, WardMeasure

from . import services
from .models import DenominatorKind, GroupFigure

SAMPLE_FILE = "mha_stats_fictional_demo.csv"

#: Demo wards with restraint figures by group: ward name -> (caseload by group, rate per 100).
WARDS = {
    "Willow Ward": 1.0,
    "Birch Ward": 0.8,
    "Thames Ward": 1.2,
    "Cedar Ward": 0.9,
}
#: Typical monthly caseload by broad ethnic group on an adult acute ward (fictional).
CASELOAD = {"white": 30, "black": 12, "asian": 5, "mixed": 3, "other": 2, "not_stated": 2}
#: Restraints per 100 people cared for, a month (fictional), by ethnic group.
RATE = {"white": 18, "black": 48, "asian": 22, "mixed": 30, "other": 20, "not_stated": 25}
#: Share of people with a learning disability / autistic, and their rates (fictional).
LD_SHARE, LD_RATE, NOT_LD_RATE = 0.08, 40, 22
AUTISTIC_SHARE, AUTISTIC_RATE, NOT_AUTISTIC_RATE = 0.12, 45, 21
MONTHS = 18


def sample_path() -> Path:
    return Path(str(resources.files("coproduce.equity_web") / "data" / SAMPLE_FILE))


def _months(n: int, last: date) -> list[date]:
    out, y, m = [], last.year, last.month
    for _ in range(n):
        out.append(date(y, m, 1))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return sorted(out)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by counting exponential gaps (small means only)."""
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


def _restraint_measure():
    measure = Measure.objects.filter(provider__isnull=True, name__icontains="restrain").first()
    if measure is None:
        measure = Measure.objects.filter(provider__isnull=True, name__icontains="restrict").first()
    if measure is None:
        measure = Measure.objects.create(
            name="Physical restraint (fictional demo)",
            definition="Times a person was physically restrained, per 100 people cared for on "
            "the ward in the month. Fictional demo measure.",
            measure_type="outcome",
            unit="per 100 people",
            improvement="decrease",
            frequency="monthly",
            is_rate=True,
            numerator_label="times a person was restrained",
            denominator_label="people cared for on the ward",
            multiplier=100,
        )
    return measure


def _figure(wm, period, count, caseload, **dims):
    return GroupFigure(
        ward_measure=wm,
        period_start=period,
        count=count,
        denominator=caseload,
        denominator_kind=DenominatorKind.CASELOAD,
        **dims,
    )


@transaction.atomic
def load(context: dict) -> None:
    wards = context.get("wards", {})
    measure = _restraint_measure()
    rng = random.Random(2025)
    months = _months(MONTHS, date(2025, 6, 1))
    figures = []
    ward_measures = {}
    for name, scale in WARDS.items():
        ward = wards.get(name)
        if ward is None:
            continue
        wm, _ = WardMeasure.objects.get_or_create(
            ward=ward, measure=measure, defaults={"adopted_on": months[0]}
        )
        ward_measures[name] = wm
        for i, period in enumerate(months):
            people = {g: max(1, round(n * rng.uniform(0.8, 1.2))) for g, n in CASELOAD.items()}
            # The gap narrows a little in the last six months, after a co-produced change.
            easing = 0.8 if i >= MONTHS - 6 else 1.0
            for group, caseload in people.items():
                rate = RATE[group] * scale * (easing if group == "black" else 1.0)
                count = _poisson(rng, caseload * rate / 100)
                figures.append(_figure(wm, period, count, caseload, ethnicity=group))
            everyone = sum(people.values())
            ld = max(1, round(everyone * LD_SHARE))
            autistic = max(1, round(everyone * AUTISTIC_SHARE))
            for value, caseload, rate in (
                ("yes", ld, LD_RATE),
                ("no", everyone - ld, NOT_LD_RATE),
            ):
                count = _poisson(rng, caseload * rate * scale / 100)
                figures.append(_figure(wm, period, count, caseload, learning_disability=value))
            for value, caseload, rate in (
                ("yes", autistic, AUTISTIC_RATE),
                ("no", everyone - autistic, NOT_AUTISTIC_RATE),
            ):
                count = _poisson(rng, caseload * rate * scale / 100)
                figures.append(_figure(wm, period, count, caseload, autism=value))
            if name == "Willow Ward":
                # A crossing: ethnic group by autism, for the two largest groups.
                for group in ("white", "black"):
                    aut = max(1, round(people[group] * AUTISTIC_SHARE))
                    for value, caseload in (("yes", aut), ("no", people[group] - aut)):
                        rate = RATE[group] * (1.6 if value == "yes" else 1.0)
                        count = _poisson(rng, caseload * rate / 100)
                        figures.append(
                            _figure(wm, period, count, caseload, ethnicity=group, autism=value)
                        )
    GroupFigure.objects.bulk_create(figures)
    services.import_national_file(sample_path(), SAMPLE_FILE)
    context["equity_ward_measures"] = ward_measures
