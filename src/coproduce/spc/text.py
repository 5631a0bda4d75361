"""Plain-words readings of an SPC result: a summary, a description and table rows."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from coproduce.spc.engine import TRIAL_BELOW, SPCResult

__all__ = [
    "ASSURANCE_WORDS",
    "POINT_TYPE_WORDS",
    "VARIATION_WORDS",
    "TableRow",
    "describe",
    "format_number",
    "point_labels",
    "summary",
    "table_rows",
]

POINT_TYPE_WORDS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause improvement",
    "special_cause_concern": "Special cause concern",
    "special_cause_neutral_high": "Special cause, high",
    "special_cause_neutral_low": "Special cause, low",
}
VARIATION_WORDS = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause improvement, higher values",
    "improvement_low": "Special cause improvement, lower values",
    "concern_high": "Special cause concern, higher values",
    "concern_low": "Special cause concern, lower values",
    "neutral_high": "Special cause variation, higher values",
    "neutral_low": "Special cause variation, lower values",
}
ASSURANCE_WORDS = {
    "consistent_pass": "Consistently passes the target",
    "consistent_fail": "Consistently fails the target",
    "inconsistent": "Hits and misses the target",
}
_REASON = {
    ("outside_limits", True): "above the upper limit",
    ("outside_limits", False): "below the lower limit",
    ("trend", True): "part of a rising trend",
    ("trend", False): "part of a falling trend",
    ("two_of_three", True): "2 of 3 points near the upper limit",
    ("two_of_three", False): "2 of 3 points near the lower limit",
    ("run", True): "part of a run above the mean",
    ("run", False): "part of a run below the mean",
}


class TableRow(NamedTuple):
    """One point of a chart as a table row."""

    label: str
    value: float
    mean: float
    lower: float | None
    upper: float | None
    point_type: str


def format_number(value: float | None, decimals: int | None = None) -> str:
    """A number for people: thousands separated, no needless decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "none"
    if decimals is None:
        magnitude = abs(value)
        decimals = 0 if magnitude >= 1000 else 1 if magnitude >= 100 else 2
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def point_labels(result: SPCResult, labels: Sequence[Any] | None = None) -> list[str]:
    """Labels for each point: given ones (dates become ISO dates) or 1, 2, 3..."""
    n = len(result.values)
    if labels is None:
        return [str(i + 1) for i in range(n)]
    out = [_label(v) for v in labels]
    if len(out) != n:
        raise ValueError(f"labels has {len(out)} entries for {n} points")
    return out


def _label(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _is_high(result: SPCResult, i: int) -> bool:
    kind = result.point_type[i]
    if kind.endswith("_high"):
        return True
    if kind.endswith("_low"):
        return False
    up = result.improvement == "increase"
    return up if kind == "special_cause_improvement" else not up


def point_words(result: SPCResult, i: int) -> str:
    """The type of point i in words, with the rule that made it special."""
    words = POINT_TYPE_WORDS[result.point_type[i]]
    signal = result.signal[i]
    if signal is None:
        return words
    return f"{words} ({_REASON[signal, _is_high(result, i)]})"


def _latest_signal(result: SPCResult, labels: list[str]) -> str:
    types = result.point_type
    last = len(types) - 1
    kind = types[last]
    start = last
    while start > 0 and types[start - 1] == kind and result.phase[start - 1] == result.phase[last]:
        start -= 1
    count = last - start + 1
    high = _is_high(result, last)
    signal = result.signal[last]
    if signal == "outside_limits" and count == 1:
        detail = f"the latest point is {_REASON[signal, high]}"
    elif signal == "two_of_three":
        detail = f"2 of the last 3 points are near the {'upper' if high else 'lower'} limit"
    elif signal == "trend":
        detail = f"{count} points in a row {'rising' if high else 'falling'}"
    elif signal == "run" or all(s == "run" for s in result.signal[start:]):
        detail = f"{count} points in a row {'above' if high else 'below'} the mean"
    else:
        detail = f"{count} special cause points in a row, the latest {_REASON[signal, high]}"
    if kind in ("special_cause_improvement", "special_cause_concern"):
        head = POINT_TYPE_WORDS[kind]
    else:
        head = "Special cause variation"
    since = f" since {labels[start]}" if count > 1 else ""
    return f"{head}{since}: {detail}."


def summary(result: SPCResult, labels: Sequence[Any] | None = None) -> str:
    """What the chart says, in plain words: the signal, the target, trial limits."""
    names = point_labels(result, labels)
    if result.point_type[-1] != "common_cause":
        parts = [_latest_signal(result, names)]
    else:
        earlier = sum(t != "common_cause" for t in result.point_type)
        if earlier:
            parts = [
                "No signal at the latest point — common cause variation. "
                f"Earlier, {earlier} point{'s' if earlier != 1 else ''} showed special cause "
                "variation."
            ]
        else:
            parts = ["No signal yet — common cause variation."]
    if result.target is not None and result.assurance is not None:
        target = format_number(result.target)
        parts.append(
            {
                "consistent_pass": f"The process will consistently meet the target of {target}.",
                "consistent_fail": (
                    f"The process will consistently miss the target of {target} "
                    "unless something changes."
                ),
                "inconsistent": (
                    f"The process will sometimes meet and sometimes miss the target of {target}."
                ),
            }[result.assurance]
        )
    if result.trial_limits:
        size = len(result.values) - result.phase_starts[-1]
        parts.append(
            f"These are trial limits: the latest phase has {size} "
            f"point{'s' if size != 1 else ''} ({TRIAL_BELOW} or more are needed)."
        )
    return " ".join(parts)


def describe(result: SPCResult, labels: Sequence[Any] | None = None) -> str:
    """A full description of a chart for people who cannot see it."""
    names = point_labels(result, labels)
    n = len(result.values)
    span = f" from {names[0]} to {names[-1]}" if labels is not None else ""
    latest = result.latest_phase.start
    lower, upper = result.lower[latest], result.upper[latest]
    limits = (
        f"process limits {format_number(lower)} to {format_number(upper)}"
        if not math.isnan(upper)
        else "no process limits"
    )
    phase = ""
    if result.n_phases > 1:
        phase = f" There are {result.n_phases} phases; the latest began at {names[latest]}."
    direction = {
        "increase": "Higher values are better.",
        "decrease": "Lower values are better.",
        "neutral": "Neither direction is better.",
    }[result.improvement]
    where = " in the latest phase" if result.n_phases > 1 else ""
    return (
        f"Statistical process control chart of {n} points{span}.{phase} {direction} "
        f"Mean {format_number(result.mean[latest])}, {limits}{where}. {summary(result, labels)}"
    )


def table_rows(result: SPCResult, labels: Sequence[Any] | None = None) -> list[TableRow]:
    """The chart's data as rows: label, value, mean, lower, upper, point type in words."""
    names = point_labels(result, labels)

    def number(v: float) -> float | None:
        return None if math.isnan(v) else float(v)

    return [
        TableRow(
            label=names[i],
            value=float(result.values[i]),
            mean=float(result.mean[i]),
            lower=number(result.lower[i]),
            upper=number(result.upper[i]),
            point_type=point_words(result, i),
        )
        for i in range(len(result.values))
    ]
