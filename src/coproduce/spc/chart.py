"""SVG charts of SPC results, built as text: safe to embed inline in HTML.

All text is escaped and kept as SVG text. The chart is ``role="img"`` and
labelled by its own ``<title>`` and ``<desc>``; every id starts with the given
prefix so several charts can share a page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import numpy as np

from coproduce.spc.engine import SPCResult
from coproduce.spc.text import (
    ASSURANCE_WORDS,
    VARIATION_WORDS,
    describe,
    format_number,
    point_labels,
    point_words,
)

__all__ = ["COLOURS", "render_svg"]

#: Making Data Count colours.
COLOURS = {
    "improvement": "#289de0",
    "concern": "#fab428",
    "neutral": "#361475",
    "common": "#7b7d7d",
    "mean": "#231f20",
    "limit": "#7b7d7d",
    "target": "#de1b1b",
    "grid": "#e8edee",
    "text": "#231f20",
    "phase": "#425563",
    "annotation": "#425563",
}
_POINT_COLOUR = {
    "common_cause": COLOURS["common"],
    "special_cause_improvement": COLOURS["improvement"],
    "special_cause_concern": COLOURS["concern"],
    "special_cause_neutral_high": COLOURS["neutral"],
    "special_cause_neutral_low": COLOURS["neutral"],
}
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def _n(value: float) -> str:
    """A coordinate, short and stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attrs(attrs: dict[str, Any]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = _n(value)
        parts.append(f' {key.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"')
    return "".join(parts)


class _Svg:
    """A tiny SVG writer: elements in order, text always escaped."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def open(self, tag: str, **attrs: Any) -> None:
        self.parts.append(f"<{tag}{_attrs(attrs)}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def empty(self, tag: str, **attrs: Any) -> None:
        self.parts.append(f"<{tag}{_attrs(attrs)}/>")

    def text(self, tag: str, content: str, **attrs: Any) -> None:
        self.parts.append(f"<{tag}{_attrs(attrs)}>{escape(content, quote=False)}</{tag}>")

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: Any) -> None:
        self.empty("line", x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), **attrs)

    def polyline(self, points: Iterable[tuple[float, float]], **attrs: Any) -> None:
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        self.empty("polyline", points=coords, fill="none", **attrs)

    def render(self) -> str:
        return "\n".join(self.parts) + "\n"


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    # A range lost in floating-point rounding (a flat series) is widened, so steps advance.
    if not high - low > 1e-9 * max(1.0, abs(low), abs(high)):
        half = max(abs(high) * 0.05, 1.0)
        low, high = low - half, high + half
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    steps = int(math.floor((high - first) / step + 1e-9))  # counted, never accumulated
    values = (first + i * step for i in range(steps + 1))
    return [round(v, 10) for v in values if v >= low - step * 1e-9]


def _icon(
    svg: _Svg, x: float, y: float, colour: str, letter: str, label: str, arrow: int = 0
) -> None:
    """A round icon with a letter (and an arrow for high or low), its words to the left."""
    svg.open("g", class_="spc-icon")
    svg.empty("circle", cx=x, cy=y, r=16.0, fill="#ffffff", stroke=colour, stroke_width=3)
    svg.text(
        "text",
        letter,
        x=x,
        y=y + 5.0,
        text_anchor="middle",
        font_size=14,
        font_weight="bold",
        fill=colour,
    )
    if arrow:
        tip = y - 12.0 if arrow > 0 else y + 12.0
        base = y - 6.0 if arrow > 0 else y + 6.0
        svg.empty(
            "polygon",
            points=f"{_n(x + 10)},{_n(tip)} {_n(x + 6)},{_n(base)} {_n(x + 14)},{_n(base)}",
            fill=colour,
        )
    svg.text("text", label, x=x - 24.0, y=y + 4.0, text_anchor="end", font_size=11, fill="#231f20")
    svg.close("g")


def render_svg(
    result: SPCResult,
    *,
    labels: Sequence[Any] | None = None,
    title: str = "Statistical process control chart",
    annotations: Sequence[tuple[int, str]] = (),
    id_prefix: str = "spc",
    width: int = 760,
    height: int = 420,
    y_label: str | None = None,
) -> str:
    """Render a result as an SVG chart (a string, ready to embed inline in HTML).

    ``labels`` names each point on the x axis (dates or text); ``annotations`` is a
    list of ``(index, label)`` pairs, for example PDSA cycles; ``id_prefix`` makes
    the chart's ids unique on a page.
    """
    if not _ID.match(id_prefix):
        raise ValueError(
            "id_prefix must start with a letter and hold only letters, digits, - and _"
        )
    names = point_labels(result, labels)
    n = len(result.values)
    for index, _text in annotations:
        if not 0 <= int(index) < n:
            raise ValueError(f"annotation index {index} is out of range for {n} points")

    left, right, top, bottom = 64.0, 24.0, 92.0, 96.0
    plot_w = width - left - right
    plot_h = height - top - bottom
    values = result.values
    lines = [values, result.mean, result.lower, result.upper]
    finite = np.concatenate([a[np.isfinite(a)] for a in lines])
    if result.target is not None:
        finite = np.append(finite, result.target)
    low, high = float(finite.min()), float(finite.max())
    spread = high - low
    flat = not spread > 1e-9 * max(1.0, abs(high))
    pad = max(abs(high) * 0.05, 1.0) if flat else spread * 0.05
    ticks = _nice_ticks(low - pad, high + pad, 6)
    y_min, y_max = min(ticks[0], low - pad), max(ticks[-1], high + pad)

    def px(i: float) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / (y_max - y_min))

    p = escape(id_prefix, quote=True)
    svg = _Svg()
    svg.open(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_labelledby=f"{p}-title {p}-desc",
        class_="spc-chart",
        font_family="Arial, sans-serif",
    )
    svg.text("title", title, id=f"{p}-title")
    svg.text("desc", describe(result, labels), id=f"{p}-desc")
    # The icons' words sit top right: keep the visible title clear of them (the full title
    # stays in <title> for screen readers).
    room = max(12, int((width - left - 300) / 8.5))
    shown = title if len(title) <= room else title[: room - 1].rstrip() + "…"
    svg.text("text", shown, x=left, y=24.0, font_size=16, font_weight="bold", fill=COLOURS["text"])

    # Icons: variation always, assurance when there is one.
    variation = result.variation
    kind, _, side = variation.partition("_")
    colour = {
        "common": COLOURS["common"],
        "improvement": COLOURS["improvement"],
        "concern": COLOURS["concern"],
        "neutral": COLOURS["neutral"],
    }[kind]
    letter = {"high": "H", "low": "L"}.get(side, "~")
    arrow = {"high": 1, "low": -1}.get(side, 0)
    icons_x = width - right - 18.0
    svg.open("g", id=f"{p}-variation")
    _icon(svg, icons_x, 28.0, colour, letter, VARIATION_WORDS[variation], arrow)
    svg.close("g")
    if result.assurance is not None:
        a_colour, a_letter = {
            "consistent_pass": (COLOURS["improvement"], "P"),
            "consistent_fail": (COLOURS["concern"], "F"),
            "inconsistent": (COLOURS["common"], "?"),
        }[result.assurance]
        svg.open("g", id=f"{p}-assurance")
        _icon(svg, icons_x, 66.0, a_colour, a_letter, ASSURANCE_WORDS[result.assurance])
        svg.close("g")

    # Axes and grid.
    svg.open("g", class_="spc-axes", font_size=11, fill=COLOURS["text"])
    for tick in ticks:
        y = py(tick)
        svg.line(left, y, left + plot_w, y, stroke=COLOURS["grid"])
        svg.text("text", format_number(tick), x=left - 6.0, y=y + 4.0, text_anchor="end")
    svg.line(left, top + plot_h, left + plot_w, top + plot_h, stroke=COLOURS["text"])
    most = max(1, int(plot_w // 64))
    step = max(1, math.ceil(n / most))
    for i in range(0, n, step):
        svg.text(
            "text", names[i], x=px(i), y=top + plot_h + 18.0, text_anchor="middle", font_size=10
        )
    if y_label:
        svg.text(
            "text",
            y_label,
            x=14.0,
            y=top + plot_h / 2,
            text_anchor="middle",
            transform=f"rotate(-90 14 {_n(top + plot_h / 2)})",
        )
    svg.close("g")

    # Phases: limits, mean and near lines per phase, with a break between phases.
    starts = [*result.phase_starts, n]
    svg.open("g", class_="spc-limits")
    for k, (a, b) in enumerate(zip(starts[:-1], starts[1:], strict=True)):
        x0, x1 = px(a - 0.5), px(b - 0.5)
        mean = float(result.mean[a])
        svg.line(x0, py(mean), x1, py(mean), stroke=COLOURS["mean"], stroke_width=1.5)
        for v in (float(result.lower[a]), float(result.upper[a])):
            if math.isfinite(v):
                svg.line(x0, py(v), x1, py(v), stroke=COLOURS["limit"], stroke_dasharray="6 4")
        if k > 0:
            svg.line(
                x0,
                top,
                x0,
                top + plot_h,
                stroke=COLOURS["phase"],
                stroke_dasharray="2 3",
                class_="spc-phase-break",
            )
            svg.text(
                "text",
                f"New phase from {names[a]}",
                x=x0 + 4.0,
                y=top + plot_h - 6.0,
                font_size=10,
                fill=COLOURS["phase"],
            )
    last = result.phase_starts[-1]
    if result.trial_limits and math.isfinite(float(result.upper[last])):
        svg.text(
            "text",
            "Trial limits",
            x=px(n - 1) + 6.0 if n > 1 else left + plot_w,
            y=py(float(result.upper[last])) - 6.0,
            text_anchor="end",
            font_size=10,
            font_style="italic",
            fill=COLOURS["text"],
        )
    svg.close("g")

    if result.target is not None:
        y = py(result.target)
        svg.line(
            left,
            y,
            left + plot_w,
            y,
            stroke=COLOURS["target"],
            stroke_dasharray="3 3",
            class_="spc-target",
        )
        svg.text(
            "text",
            f"Target {format_number(result.target)}",
            x=left + 4.0,
            y=y - 4.0,
            font_size=10,
            fill=COLOURS["target"],
        )

    # Annotations: a marker line and its words above the plot.
    if annotations:
        svg.open("g", class_="spc-annotations", font_size=10, fill=COLOURS["annotation"])
        for index, text in annotations:
            x = px(int(index))
            svg.line(x, top - 4.0, x, py(float(values[index])) - 6.0, stroke=COLOURS["annotation"])
            svg.text("text", str(text), x=x + 3.0, y=top - 6.0)
        svg.close("g")

    # The data line, then the points over it.
    svg.open("g", class_="spc-data")
    for a, b in zip(starts[:-1], starts[1:], strict=True):
        svg.polyline(
            ((px(i), py(float(values[i]))) for i in range(a, b)),
            stroke=COLOURS["common"],
            stroke_width=1.5,
        )
    for i in range(n):
        special = result.point_type[i] != "common_cause"
        svg.open("g")
        svg.text(
            "title", f"{names[i]}: {format_number(float(values[i]))}. {point_words(result, i)}"
        )
        svg.empty(
            "circle",
            cx=px(i),
            cy=py(float(values[i])),
            r=4.5 if special else 3.5,
            fill=_POINT_COLOUR[result.point_type[i]],
        )
        svg.close("g")
    svg.close("g")

    # Legend.
    present = set(result.point_type)
    entries = [
        (t, _POINT_COLOUR[t], label)
        for t, label in (
            ("special_cause_improvement", "Improvement"),
            ("special_cause_concern", "Concern"),
            ("special_cause_neutral_high", "Special cause"),
            ("common_cause", "Common cause"),
        )
        if t in present
        or (t == "special_cause_neutral_high" and "special_cause_neutral_low" in present)
    ]
    svg.open("g", class_="spc-legend", font_size=10, fill=COLOURS["text"])
    x = left
    y = height - 24.0
    for _t, fill, label in entries:
        svg.empty("circle", cx=x + 5.0, cy=y - 4.0, r=4.5, fill=fill)
        svg.text("text", label, x=x + 14.0, y=y)
        x += 24.0 + 6.5 * len(label)
    svg.line(x, y - 4.0, x + 18.0, y - 4.0, stroke=COLOURS["mean"], stroke_width=1.5)
    svg.text("text", "Mean", x=x + 22.0, y=y)
    x += 60.0
    svg.line(x, y - 4.0, x + 18.0, y - 4.0, stroke=COLOURS["limit"], stroke_dasharray="6 4")
    svg.text("text", "Process limits", x=x + 22.0, y=y)
    x += 110.0
    if result.target is not None:
        svg.line(x, y - 4.0, x + 18.0, y - 4.0, stroke=COLOURS["target"], stroke_dasharray="3 3")
        svg.text("text", "Target", x=x + 22.0, y=y)
    svg.close("g")
    svg.close("svg")
    return svg.render()
