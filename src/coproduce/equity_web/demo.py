"""Fictional figures by group for the demo, and the fictional national benchmark file.

Every figure here is made up. The restraint figures show a real-looking gap: Black patients
are restrained more often than White patients on the demo wards, with small groups hidden
on the equity pages.
"""

import random
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from django.db import transaction

from coproduce.core import audit
from coproduce.improvement.models import (
    Measure,
    WardMeasure,
    period_start_for,
    previous_period,
)

from . import services
from .models import RATE_BASIS, DenominatorKind, GroupFigure

SAMPLE_FILE = "mha_stats_fictional_demo.csv"

#: Demo wards with restraint figures by group, and how restrictive each is (fictional).
WARDS = {
    "Willow Ward": 1.0,
    "Birch Ward": 0.8,
    "Thames Ward": 1.2,
    "Cedar Ward": 0.9,
}
#: Share of the ward's people (or bed days) by broad ethnic group (fictional).
SHARE = {
    "white": 0.55, "black": 0.22, "asian": 0.09, "mixed": 0.06, "other": 0.04, "not_stated": 0.04,
}  # fmt: skip
#: Restraint rate of each group relative to the White rate (fictional).
RELATIVE = {"white": 1.0, "black": 2.6, "asian": 1.2, "mixed": 1.6, "other": 1.1, "not_stated": 1.3}
#: Share with a learning disability / autistic, and their rates relative to the others.
LD_SHARE, LD_RELATIVE = 0.08, 1.8
AUTISTIC_SHARE, AUTISTIC_RELATIVE = 0.12, 2.0
#: White rate in the measure's unit, and the size of each period's denominator per bed.
BASE = {
    DenominatorKind.BED_DAYS: (40.0, {"weekly": 6.5, "monthly": 28.0}),
    DenominatorKind.CASELOAD: (18.0, {"weekly": 1.2, "monthly": 3.0}),
}
PERIODS = {"weekly": 40, "monthly": 18}


def sample_path() -> Path:
    return Path(str(resources.files("coproduce.equity_web") / "data" / SAMPLE_FILE))


def _periods(frequency: str, count: int) -> list[date]:
    """The ``count`` complete periods up to last period, oldest first."""
    last = previous_period(frequency, date.today())
    out = [last]
    while len(out) < count:
        out.append(period_start_for(frequency, out[-1] - timedelta(days=1)))
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


def _figure(wm, period, count, denominator, kind, **dims):
    return GroupFigure(
        ward_measure=wm,
        period_start=period,
        count=count,
        denominator=denominator,
        denominator_kind=kind,
        **dims,
    )


def _split(total: int, shares: dict) -> dict:
    return {g: max(1, round(total * share)) for g, share in shares.items()}


@transaction.atomic
def load(context: dict) -> None:
    wards = context.get("wards", {})
    measure = _restraint_measure()
    kind = (
        DenominatorKind.BED_DAYS
        if "bed day" in (measure.denominator_label or "").lower()
        else DenominatorKind.CASELOAD
    )
    per = RATE_BASIS[kind][0]
    base_rate, size = BASE[kind]
    periods = _periods(measure.frequency, PERIODS.get(measure.frequency, 18))
    rng = random.Random(2025)
    figures = []
    ward_measures = {}

    def add(wm, period, denominator, relative, scale, **dims):
        count = _poisson(rng, denominator * base_rate * relative * scale / per)
        figures.append(_figure(wm, period, count, denominator, kind, **dims))

    for name, scale in WARDS.items():
        ward = wards.get(name)
        if ward is None:
            continue
        wm, _ = WardMeasure.objects.get_or_create(
            ward=ward, measure=measure, defaults={"adopted_on": periods[0]}
        )
        ward_measures[name] = wm
        beds = ward.beds or 14
        for i, period in enumerate(periods):
            total = round(beds * size[measure.frequency] * rng.uniform(0.85, 1.0))
            # The gap narrows in the latest quarter, after a co-produced change.
            easing = 0.75 if i >= len(periods) * 3 // 4 else 1.0
            for group, denominator in _split(total, SHARE).items():
                relative = RELATIVE[group] * (easing if group == "black" else 1.0)
                add(wm, period, denominator, relative, scale, ethnicity=group)
            ld = _split(total, {"yes": LD_SHARE, "no": 1 - LD_SHARE})
            for value, denominator in ld.items():
                relative = LD_RELATIVE if value == "yes" else 1.0
                add(wm, period, denominator, relative, scale, learning_disability=value)
            autistic = _split(total, {"yes": AUTISTIC_SHARE, "no": 1 - AUTISTIC_SHARE})
            for value, denominator in autistic.items():
                relative = AUTISTIC_RELATIVE if value == "yes" else 1.0
                add(wm, period, denominator, relative, scale, autism=value)
            if name == "Willow Ward":
                # A crossing: ethnic group by autism, for the two largest groups.
                for group in ("white", "black"):
                    people = _split(
                        round(total * SHARE[group]),
                        {"yes": AUTISTIC_SHARE, "no": 1 - AUTISTIC_SHARE},
                    )
                    for value, denominator in people.items():
                        relative = RELATIVE[group] * (AUTISTIC_RELATIVE if value == "yes" else 1)
                        add(wm, period, denominator, relative, scale, ethnicity=group, autism=value)
    GroupFigure.objects.bulk_create(figures, batch_size=2000)
    for wm in ward_measures.values():
        audit.record("create", wm, note="Fictional demo figures by group loaded in one batch")
    services.import_national_file(sample_path(), SAMPLE_FILE, replace=True)
    context["equity_ward_measures"] = ward_measures
