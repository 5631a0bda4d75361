"""Fictional measures and figures by group for the equity page tests."""

from datetime import date

from coproduce.equity_web.models import DenominatorKind, GroupFigure
from coproduce.improvement.models import Measure, WardMeasure


def catalogue_measure(name="Restraint (fictional)", frequency="monthly"):
    return Measure.objects.create(
        name=name,
        definition="Times a person was restrained (fictional test measure).",
        measure_type="outcome",
        unit="per 100 people",
        improvement="decrease",
        frequency=frequency,
        is_rate=True,
        numerator_label="restraints",
        denominator_label="people cared for",
        multiplier=100,
    )


def ward_measure(ward, measure=None):
    measure = (
        measure or Measure.objects.filter(provider__isnull=True).first() or catalogue_measure()
    )
    wm, _ = WardMeasure.objects.get_or_create(ward=ward, measure=measure)
    return wm


def figure(wm, count, denominator, period=date(2025, 1, 1), kind=DenominatorKind.CASELOAD, **dims):
    return GroupFigure.objects.create(
        ward_measure=wm,
        period_start=period,
        count=count,
        denominator=denominator,
        denominator_kind=kind,
        **dims,
    )


#: A hand-checked table (rates per 100 people cared for):
#: White 20/100 = 20.0, Byar 95% 12.2 to 30.9;
#: Black 15/25 = 60.0, Byar 95% 33.6 to 99.0; ratio 3.0, log method 1.5 to 5.9;
#: Mixed 6/12 is published as 5, its rate worked out from 5: 41.7, 13.4 to 97.2;
#: Asian 3/10 is hidden (1 to 4). Total 44 is shown as 45.
HAND_CHECKED = [
    ("white", 20, 100),
    ("mixed", 6, 12),
    ("asian", 3, 10),
    ("black", 15, 25),
]


def hand_checked(wm, period=date(2025, 1, 1)):
    for group, count, caseload in HAND_CHECKED:
        figure(wm, count, caseload, period=period, ethnicity=group)


def months(n, start=date(2024, 1, 1)):
    out, y, m = [], start.year, start.month
    for _ in range(n):
        out.append(date(y, m, 1))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out
