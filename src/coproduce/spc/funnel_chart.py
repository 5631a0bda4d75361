"""Funnel plots drawn as accessible SVG text, and their data as table rows."""

from __future__ import annotations

import math
from html import escape
from typing import NamedTuple

import numpy as np

from coproduce.spc.chart import _ID, COLOURS, _nice_ticks, _Svg, _text_width
from coproduce.spc.funnel import FunnelResult, FunnelUnit
from coproduce.spc.text import format_number

__all__ = ["FunnelRow", "funnel_status", "funnel_table_rows", "render_funnel_svg"]

_ADJUSTMENT_WORDS = {
    "none": "exact limits, no allowance for overdispersion",
    "random_effects": "limits widened for overdispersion (random effects)",
    "multiplicative": "limits widened for overdispersion (multiplicative)",
}


class FunnelRow(NamedTuple):
    """One unit of a funnel plot as a table row."""

    label: str
    numerator: float
    denominator: float
    value: float
    z: float
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float
    status: str


def _fmt(result: FunnelResult, value: float) -> str:
    text = format_number(value)
    if result.kind == "proportion" and result.multiplier == 100:
        return f"{text}%"
    return text


def funnel_status(unit: FunnelUnit) -> str:
    """Where a unit sits against the limits, in words."""
    if unit.outside_998:
        return f"{'Above' if unit.outside_998 == 'high' else 'Below'} the 99.8% limits"
    if unit.outside_95:
        return f"{'Above' if unit.outside_95 == 'high' else 'Below'} the 95% limits"
    return "Within the limits"


def funnel_table_rows(result: FunnelResult) -> list[FunnelRow]:
    """Each unit's numbers and where it sits, for a data table beside the plot."""
    return [
        FunnelRow(
            u.label,
            u.numerator,
            u.denominator,
            u.value,
            u.z,
            u.lower_95,
            u.upper_95,
            u.lower_998,
            u.upper_998,
            funnel_status(u),
        )
        for u in result.units
    ]


def _describe(result: FunnelResult, unit_label: str) -> str:
    units = result.units
    what = "proportion" if result.kind == "proportion" else "rate"
    plural = f"{unit_label}s" if len(units) != 1 else unit_label
    parts = [
        f"Funnel plot of {len(units)} {plural} against the pooled {what} of "
        f"{_fmt(result, result.target)}, with 95% and 99.8% limits "
        f"({_ADJUSTMENT_WORDS[result.adjustment]})."
    ]
    for side, word in (("high", "Above"), ("low", "Below")):
        beyond = [u.label for u in units if u.outside_998 == side]
        if beyond:
            parts.append(f"{word} the 99.8% limits: {', '.join(beyond)}.")
        near = [u.label for u in units if u.outside_95 == side and u.outside_998 is None]
        if near:
            parts.append(f"{word} the 95% limits only: {', '.join(near)}.")
    if all(u.outside_95 is None for u in units):
        parts.append(f"Every {unit_label} is within the limits.")
    return " ".join(parts)


def render_funnel_svg(
    result: FunnelResult,
    *,
    title: str = "Funnel plot",
    unit_label: str = "unit",
    x_label: str = "Denominator",
    id_prefix: str = "funnel",
    compact: bool = False,
) -> str:
    """A funnel plot as an SVG string: points, the target and the two sets of limits.

    Each point's ``<title>`` names the unit, its value and whether it is outside the
    limits. ``compact`` lays it out 343 wide with text of 12 or more for phones.
    """
    if not _ID.match(id_prefix):
        raise ValueError(
            "id_prefix must start with a letter and hold only letters, digits, - and _"
        )
    width, height = (343.0, 400.0) if compact else (760.0, 440.0)
    left, right, top, bottom = (46.0, 10.0, 56.0, 84.0) if compact else (70.0, 24.0, 48.0, 84.0)
    small = 12 if compact else 11
    plot_w, plot_h = width - left - right, height - top - bottom
    den = result.curve_denominators
    curves = [
        result.curve_lower_95,
        result.curve_upper_95,
        result.curve_lower_998,
        result.curve_upper_998,
    ]
    values = np.array([u.value for u in result.units])
    span = np.concatenate([values, *curves, [result.target]])
    low, high = float(np.nanmin(span)), float(np.nanmax(span))
    pad = (high - low) * 0.05 or 1.0
    ticks = _nice_ticks(low - pad, high + pad, 4 if compact else 6)
    y_min, y_max = min(ticks[0], low - pad), max(ticks[-1], high + pad)
    x_ticks = _nice_ticks(0.0, float(den.max()), 3 if compact else 6)
    x_max = max(x_ticks[-1], float(den.max()))

    def px(d: float) -> float:
        return left + plot_w * d / x_max

    def py(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / (y_max - y_min))

    p = escape(id_prefix, quote=True)
    svg = _Svg()
    svg.open(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {int(width)} {int(height)}",
        width=int(width),
        height=int(height),
        role="img",
        aria_labelledby=f"{p}-title {p}-desc",
        class_="spc-funnel",
        font_family="Arial, sans-serif",
    )
    svg.text("title", title, id=f"{p}-title")
    svg.text("desc", _describe(result, unit_label), id=f"{p}-desc")
    room = int((width - 16) / (0.56 * 15))
    shown = title if len(title) <= room else title[: room - 1].rstrip() + "…"
    svg.text("text", shown, x=8.0, y=24.0, font_size=15, font_weight="bold", fill=COLOURS["text"])

    svg.open("g", class_="spc-axes", font_size=small, fill=COLOURS["text"])
    for tick in ticks:
        y = py(tick)
        svg.line(left, y, left + plot_w, y, stroke=COLOURS["grid"])
        svg.text("text", _fmt(result, tick), x=left - 6.0, y=y + 4.0, text_anchor="end")
    svg.line(left, top + plot_h, left + plot_w, top + plot_h, stroke=COLOURS["text"])
    for tick in x_ticks:
        svg.text(
            "text",
            format_number(tick),
            x=px(tick),
            y=top + plot_h + 18.0,
            text_anchor="middle",
        )
    svg.text("text", x_label, x=left + plot_w / 2, y=top + plot_h + 36.0, text_anchor="middle")
    svg.close("g")

    svg.open("g", class_="spc-funnel-limits")
    for line, dash in zip(curves, ["6 4", "6 4", None, None], strict=True):
        svg.polyline(
            ((px(d), py(v)) for d, v in zip(den, line, strict=True) if math.isfinite(v)),
            stroke=COLOURS["limit"],
            stroke_dasharray=dash,
        )
    y = py(result.target)
    svg.line(left, y, left + plot_w, y, stroke=COLOURS["mean"], stroke_width=1.5)
    label = f"Pooled {_fmt(result, result.target)}"
    svg.text(
        "text",
        label,
        x=left + plot_w - 3.0,
        y=y - 4.0,
        text_anchor="end",
        font_size=small,
        fill=COLOURS["mean"],
    )
    svg.close("g")

    svg.open("g", class_="spc-data")
    for u in result.units:
        status = funnel_status(u)
        colour = (
            COLOURS["neutral"] if u.outside_998 else COLOURS["concern"] if u.outside_95 else None
        )
        svg.open("g")
        svg.text(
            "title",
            f"{u.label}: {_fmt(result, u.value)} ({format_number(u.numerator)} of "
            f"{format_number(u.denominator)}). {status}.",
        )
        svg.empty(
            "circle",
            cx=px(u.denominator),
            cy=py(u.value),
            r=5.0 if colour else 4.0,
            fill=colour or COLOURS["common"],
        )
        svg.close("g")
    svg.close("g")

    entries = [
        ("dot", COLOURS["common"], "Within the limits"),
        ("dot", COLOURS["concern"], "Outside 95%"),
        ("dot", COLOURS["neutral"], "Outside 99.8%"),
        ("line", "6 4", "95% limits"),
        ("line", None, "99.8% limits"),
    ]
    svg.open("g", class_="spc-legend", font_size=small, fill=COLOURS["text"])
    x, y = 8.0, height - 30.0
    for shape, style, text in entries:
        w = 22.0 + _text_width(text, small) + 8.0
        if x + w > width - 4:
            x, y = 8.0, y + small + 8.0
        if shape == "dot":
            svg.empty("circle", cx=x + 5.0, cy=y - 4.0, r=4.5, fill=style)
            svg.text("text", text, x=x + 14.0, y=y)
        else:
            svg.line(x, y - 4.0, x + 18.0, y - 4.0, stroke=COLOURS["limit"], stroke_dasharray=style)
            svg.text("text", text, x=x + 22.0, y=y)
        x += w
    svg.close("g")
    svg.close("svg")
    return svg.render()
