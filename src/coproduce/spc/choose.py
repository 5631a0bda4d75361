"""Helping people choose: which chart suits a measure, and when a phase break may fit.

These only suggest; they never change a chart (the product asks a person first).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coproduce.spc.engine import SPCResult, analyse

__all__ = [
    "CHART_CHOICES",
    "MEASURE_KINDS",
    "MIN_POINTS_FOR_LIMITS",
    "OVERDISPERSED_SIGMA_Z",
    "RebaseSuggestion",
    "suggest_chart",
    "suggest_rebase",
]

#: (code, plain name, when to use it), for the product's chart choice.
CHART_CHOICES = (
    ("xmr", "XmR chart", "Any measured value, one a period: the usual choice."),
    ("run", "Run chart", "Fewer than 12 points, or to look for shifts without limits."),
    ("p", "P chart", "A proportion: how many of a known number, such as patients told rights."),
    (
        "pp",
        "P prime chart",
        "A proportion with large or very different denominators that a P chart makes too tight.",
    ),
    ("u", "U chart", "A rate: events per unit of time or exposure, such as per 1,000 bed days."),
    (
        "up",
        "U prime chart",
        "A rate with large or very different exposures that a U chart makes too tight.",
    ),
    ("c", "C chart", "A count of events in equal periods, such as incidents a month."),
    ("g", "G chart", "Rare events: the number of cases or admissions between them."),
    ("t", "T chart", "Rare events: the days (or time) between them."),
)

#: Measure types :func:`suggest_chart` knows; anything else gets an XmR chart.
MEASURE_KINDS = ("proportion", "rate", "count", "days_between", "cases_between")
#: Fewer points than this: a run chart is suggested (limits would move too much).
MIN_POINTS_FOR_LIMITS = 12
#: sigma_z above this suggests a Laney prime chart: the points spread more than
#: half as much again as their denominators explain (see ADR 140).
OVERDISPERSED_SIGMA_Z = 1.5


def suggest_chart(
    kind: str, values: Sequence[float], n: Sequence[float] | None = None
) -> tuple[str, str]:
    """The chart code that suits a measure and a one-line reason, in plain words."""
    count = len(values)
    if count < MIN_POINTS_FOR_LIMITS:
        return (
            "run",
            f"There are {count} points: a run chart until there are "
            f"{MIN_POINTS_FOR_LIMITS}, when limits become useful.",
        )
    if kind in ("proportion", "rate"):
        if n is None:
            raise ValueError(f"a {kind} needs its denominators (n) to suggest a chart")
        plain, prime = ("p", "pp") if kind == "proportion" else ("u", "up")
        sigma_z = analyse(values, chart=prime, n=n).sigma_z[-1]
        if math.isfinite(sigma_z) and sigma_z > OVERDISPERSED_SIGMA_Z:
            return (
                prime,
                f"The points vary {sigma_z:.1f} times as much as their denominators explain, "
                f"so a {'P' if kind == 'proportion' else 'U'} chart's limits would be too tight.",
            )
        what = "proportion" if kind == "proportion" else "rate"
        return plain, f"A {what} with denominators that explain its variation."
    if kind == "count":
        return "c", "A count of events in equal periods."
    if kind == "days_between":
        return "t", "Time between rare events."
    if kind == "cases_between":
        return "g", "Cases between rare events."
    return "xmr", "A measured value: an XmR chart suits most measures."


@dataclass(frozen=True)
class RebaseSuggestion:
    """Whether a sustained shift followed a point, and where it starts."""

    suggest: bool
    start: int | None
    length: int
    side: str | None
    reason: str


def suggest_rebase(result: SPCResult, after_index: int, run_length: int = 7) -> RebaseSuggestion:
    """Whether ``run_length`` or more points in a row sit on one side of the centre line
    from ``after_index`` on (for example the first point after a change was made).

    A point on the centre line breaks a run, and a run never spans a phase break.
    The product may offer a new phase at ``start``; this never makes one.
    """
    count = len(result.values)
    if not isinstance(after_index, int | np.integer) or not 0 <= after_index < count:
        raise ValueError(f"after_index must be a point of the chart (0 to {count - 1})")
    values = np.asarray(result.values, dtype=float)
    side = np.sign(values - result.mean).astype(int)
    best = (0, None, 0)
    length, begin = 0, None
    for i in range(int(after_index), count):
        continues = (i > after_index and side[i] != 0 and side[i] == side[i - 1]) and result.phase[
            i
        ] == result.phase[i - 1]
        if continues:
            length += 1
        elif side[i] != 0:
            length, begin = 1, i
        else:
            length, begin = 0, None
        if length > best[0]:
            best = (length, begin, int(side[i]))
    longest, start, sign = best
    centre = "median" if result.chart in ("run", "g") else "mean"
    if longest >= run_length:
        where = "above" if sign > 0 else "below"
        return RebaseSuggestion(
            True,
            start,
            longest,
            where,
            f"{longest} points in a row {where} the {centre} from point {start + 1}: "
            "the process may have shifted, so a new phase from there may fit.",
        )
    return RebaseSuggestion(
        False,
        None,
        longest,
        None,
        f"No run of {run_length} or more on one side of the {centre} since point "
        f"{after_index + 1}: keep the current limits.",
    )
