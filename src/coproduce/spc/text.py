"""Plain-words readings of an SPC result: a summary, a description and table rows."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from coproduce.spc.engine import TRIAL_BELOW, SPCResult

__all__ = [
    "ASSURANCE_WORDS",
    "CHART_NAMES",
    "POINT_TYPE_WORDS",
    "VARIATION_WORDS",
    "TableRow",
    "centre_name",
    "describe",
    "format_number",
    "format_value",
    "point_labels",
    "point_reason",
    "runs_words",
    "summary",
    "table_rows",
]

#: What each chart is called in words.
CHART_NAMES = {
    "xmr": "XmR chart",
    "run": "Run chart",
    "p": "P chart",
    "pp": "P prime chart",
    "u": "U chart",
    "up": "U prime chart",
    "c": "C chart",
    "g": "G chart",
    "t": "T chart",
}

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


_RULE = {
    ("outside_limits", True): "outside the limits (above the upper limit)",
    ("outside_limits", False): "outside the limits (below the lower limit)",
    ("trend", True): "trend of 7 rising",
    ("trend", False): "trend of 7 falling",
    ("two_of_three", True): "2 of 3 near the upper limit",
    ("two_of_three", False): "2 of 3 near the lower limit",
    ("run", True): "run of 7 above the mean",
    ("run", False): "run of 7 below the mean",
    ("long_run", True): "run longer than expected (run chart), above the median",
    ("long_run", False): "run longer than expected (run chart), below the median",
}


class TableRow(NamedTuple):
    """One point of a chart as a table row; ``reason`` names the rule that flagged it."""

    label: str
    value: float
    mean: float
    lower: float | None
    upper: float | None
    point_type: str
    reason: str = ""


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


def centre_name(result: SPCResult) -> str:
    """What the centre line is: the median on run and g charts, otherwise the mean."""
    return "median" if getattr(result, "chart", "xmr") in ("run", "g") else "mean"


def _centred(result: SPCResult, text: str) -> str:
    centre = centre_name(result)
    return text if centre == "mean" else text.replace("the mean", f"the {centre}")


def _percent(result: SPCResult) -> bool:
    return getattr(result, "chart", "xmr") in ("p", "pp") and result.multiplier == 100


def format_value(result: SPCResult, value: float | None) -> str:
    """A value of this chart for people: a percentage on p charts per 100."""
    text = format_number(value)
    if _percent(result) and text != "none":
        return f"{text}%"
    return text


def point_reason(result: SPCResult, i: int) -> str:
    """Why point i is coloured, naming the rule; empty for common cause."""
    signal = result.signal[i]
    if signal is None:
        return ""
    return _centred(result, _RULE[signal, _is_high(result, i)])


def runs_words(result: SPCResult) -> str:
    """The runs analysis of the latest phase in words."""
    runs = result.runs[-1] if result.runs else None
    if runs is None:
        return ""
    centre = centre_name(result)
    if not runs.signal:
        return "the runs and crossings are as expected"
    parts = []
    if runs.longest_run > runs.longest_run_max:
        parts.append(
            f"the longest run is {runs.longest_run} points on one side of the {centre} "
            f"(more than {runs.longest_run_max} is unusual)"
        )
    if runs.crossings < runs.crossings_min:
        parts.append(
            f"the line crosses the {centre} {runs.crossings} "
            f"time{'s' if runs.crossings != 1 else ''} "
            f"(fewer than {runs.crossings_min} is unusual)"
        )
    return " and ".join(parts)


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
    if signal == "long_run":
        return f"{words} ({point_reason(result, i)})"
    return f"{words} ({_centred(result, _REASON[signal, _is_high(result, i)])})"


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
    if signal == "long_run":
        detail = (
            f"{count} points in a row {'above' if high else 'below'} the median, a longer run "
            "than chance would give"
        )
    elif signal == "outside_limits" and count == 1:
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
    return _centred(result, f"{head}{since}: {detail}.")


def summary(result: SPCResult, labels: Sequence[Any] | None = None) -> str:
    """What the chart says, in plain words: the signal, the target, trial limits."""
    names = point_labels(result, labels)
    chart = getattr(result, "chart", "xmr")
    if result.point_type[-1] != "common_cause":
        parts = [_latest_signal(result, names)]
    elif chart == "run":
        runs = result.runs[-1]
        if runs.signal:
            parts = [f"A signal in the runs analysis: {runs_words(result)}."]
        else:
            parts = ["No signal yet: the runs and crossings are as expected."]
        if len(result.runs) > 1:
            parts[0] = parts[0][:-1] + " in the latest phase."
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
        target = format_value(result, result.target)
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
    if result.trial_limits and chart != "run":
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
    chart = getattr(result, "chart", "xmr")
    span = f" from {names[0]} to {names[-1]}" if labels is not None else ""
    latest = result.latest_phase.start
    at = latest if chart not in ("p", "pp", "u", "up") else n - 1
    lower, upper = result.lower[at], result.upper[at]
    limits = (
        f"process limits {format_value(result, lower)} to {format_value(result, upper)}"
        if not math.isnan(upper)
        else "no process limits"
    )
    if at != latest and not math.isnan(upper):
        limits += " at the latest point (they change with its denominator)"
    phase = ""
    if result.n_phases > 1:
        phase = f" There are {result.n_phases} phases; the latest began at {names[latest]}."
    direction = {
        "increase": "Higher values are better.",
        "decrease": "Lower values are better.",
        "neutral": "Neither direction is better.",
    }[result.improvement]
    where = " in the latest phase" if result.n_phases > 1 else ""
    what = "Statistical process control chart" if chart == "xmr" else CHART_NAMES[chart]
    centre = centre_name(result).capitalize()
    return (
        f"{what} of {n} points{span}.{phase} {direction} "
        f"{centre} {format_value(result, result.mean[latest])}, {limits}{where}. "
        f"{summary(result, labels)}"
    )


def table_rows(result: SPCResult, labels: Sequence[Any] | None = None) -> list[TableRow]:
    """The chart's data as rows: label, value, mean, lower, upper, point type, reason."""
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
            reason=point_reason(result, i),
        )
        for i in range(len(result.values))
    ]
