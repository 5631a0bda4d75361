"""SVG charts of SPC results, built as text: safe to embed inline in HTML.

All text is escaped and kept as SVG text. The chart is ``role="img"`` and
labelled by its own ``<title>`` and ``<desc>``; every id starts with the given
prefix so several charts can share a page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from coproduce.spc.engine import SPCResult
from coproduce.spc.text import (
    ASSURANCE_WORDS,
    POINT_TYPE_WORDS,
    VARIATION_WORDS,
    centre_name,
    describe,
    format_value,
    point_labels,
    point_reason,
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
    svg: _Svg,
    x: float,
    y: float,
    colour: str,
    letter: str,
    label: str,
    arrow: int = 0,
    compact: bool = False,
) -> None:
    """A round icon with a letter (and an arrow for high or low), its words beside it.

    The words sit to the left of the icon, or to its right on a compact chart.
    """
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
    if compact:
        svg.text("text", label, x=x + 24.0, y=y + 4.0, font_size=12, fill="#231f20")
    else:
        svg.text(
            "text", label, x=x - 24.0, y=y + 4.0, text_anchor="end", font_size=11, fill="#231f20"
        )
    svg.close("g")


@dataclass(frozen=True)
class _Layout:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    title: float  # font sizes, in viewBox units
    axis: float
    small: float
    compact: bool


def _layout(compact: bool, width: int | None, height: int | None) -> _Layout:
    if compact:
        # Drawn 343 wide on a 375 px phone, one viewBox unit is one pixel: every
        # text is 12 or more.
        return _Layout(
            float(width or 343), float(height or 440), 46.0, 10.0, 136.0, 92.0, 15, 12, 12, True
        )
    return _Layout(
        float(width or 760), float(height or 420), 64.0, 24.0, 92.0, 96.0, 16, 11, 10, False
    )


def _text_width(text: str, size: float) -> float:
    """A generous estimate of the width of text in Arial."""
    return 0.56 * size * len(text)


def _wrap(text: str, size: float, room: float, lines: int) -> list[str]:
    """Words in lines of at most ``room`` wide; the last line shortened with an ellipsis."""
    most = max(4, int(room / (0.56 * size)))
    out: list[str] = []
    current = ""
    words = text.split()
    for k, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if len(trial) <= most:
            current = trial
            continue
        if current:
            out.append(current)
        current = word
        if len(out) == lines - 1:
            rest = " ".join([current, *words[k + 1 :]])
            current = rest if len(rest) <= most else rest[: most - 1].rstrip() + "…"
            break
    out.append(current if len(current) <= most else current[: most - 1].rstrip() + "…")
    return out[:lines]


def _nudge(labels: list[dict[str, Any]], low: float, high: float) -> None:
    """Move labels apart vertically so that none overlaps another (in place)."""
    placed: list[dict[str, Any]] = []
    for label in sorted(labels, key=lambda item: item["y"]):
        for _ in range(len(labels) + 1):
            clash = [
                p
                for p in placed
                if p["x0"] < label["x1"]
                and label["x0"] < p["x1"]
                and abs(p["y"] - label["y"]) < (p["size"] + label["size"]) / 2 + 1
            ]
            if not clash:
                break
            label["y"] = max(p["y"] for p in clash) + (label["size"] + clash[0]["size"]) / 2 + 1
        label["y"] = min(max(label["y"], low + label["size"]), high)
        placed.append(label)


def render_svg(
    result: SPCResult,
    *,
    labels: Sequence[Any] | None = None,
    title: str = "Statistical process control chart",
    annotations: Sequence[tuple[int, str]] = (),
    id_prefix: str = "spc",
    width: int | None = None,
    height: int | None = None,
    y_label: str | None = None,
    compact: bool = False,
) -> str:
    """Render a result as an SVG chart (a string, ready to embed inline in HTML).

    ``labels`` names each point on the x axis (dates or text); ``annotations`` is a
    list of ``(index, label)`` pairs, for example PDSA cycles; ``id_prefix`` makes
    the chart's ids unique on a page. ``compact`` lays the chart out for a phone:
    343 wide with text of 12 or more, so it reads at 12 px or more when drawn
    343 px wide (the SVG scales to the width it is given).
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

    lay = _layout(compact, width, height)
    width_, height_ = lay.width, lay.height
    left, right, top, bottom = lay.left, lay.right, lay.top, lay.bottom
    plot_w = width_ - left - right
    plot_h = height_ - top - bottom
    chart = result.chart
    varying = chart in ("p", "pp", "u", "up")
    values = result.values
    lines = [values, result.mean, result.lower, result.upper]
    finite = np.concatenate([a[np.isfinite(a)] for a in lines])
    if result.target is not None:
        finite = np.append(finite, result.target)
    low, high = float(finite.min()), float(finite.max())
    spread = high - low
    flat = not spread > 1e-9 * max(1.0, abs(high))
    pad = max(abs(high) * 0.05, 1.0) if flat else spread * 0.05
    ticks = _nice_ticks(low - pad, high + pad, 4 if lay.compact else 6)
    y_min, y_max = min(ticks[0], low - pad), max(ticks[-1], high + pad)

    def px(i: float) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / (y_max - y_min))

    def fv(v: float) -> str:
        return format_value(result, v)

    p = escape(id_prefix, quote=True)
    svg = _Svg()
    svg.open(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {_n(width_)} {_n(height_)}",
        width=_n(width_),
        height=_n(height_),
        role="img",
        aria_labelledby=f"{p}-title {p}-desc",
        class_="spc-chart spc-compact" if lay.compact else "spc-chart",
        font_family="Arial, sans-serif",
    )
    svg.text("title", title, id=f"{p}-title")
    svg.text("desc", describe(result, labels), id=f"{p}-desc")

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
    assurance = None
    if result.assurance is not None:
        assurance = {
            "consistent_pass": (COLOURS["improvement"], "P"),
            "consistent_fail": (COLOURS["concern"], "F"),
            "inconsistent": (COLOURS["common"], "?"),
        }[result.assurance]
    if lay.compact:
        # Title on up to two lines across the top, the icons and their words below it.
        for k, line_text in enumerate(_wrap(title, lay.title, width_ - 16, 2)):
            svg.text(
                "text",
                line_text,
                x=8.0,
                y=20.0 + k * (lay.title + 3),
                font_size=lay.title,
                font_weight="bold",
                fill=COLOURS["text"],
            )
        svg.open("g", id=f"{p}-variation")
        _icon(svg, 24.0, 64.0, colour, letter, VARIATION_WORDS[variation], arrow, compact=True)
        svg.close("g")
        if assurance is not None:
            svg.open("g", id=f"{p}-assurance")
            _icon(svg, 24.0, 98.0, *assurance, ASSURANCE_WORDS[result.assurance], compact=True)
            svg.close("g")
    else:
        # The icons' words sit top right: keep the visible title clear of them (the full
        # title stays in <title> for screen readers).
        room = max(12, int((width_ - left - 300) / 8.5))
        shown = title if len(title) <= room else title[: room - 1].rstrip() + "…"
        svg.text(
            "text",
            shown,
            x=left,
            y=24.0,
            font_size=lay.title,
            font_weight="bold",
            fill=COLOURS["text"],
        )
        icons_x = width_ - right - 18.0
        svg.open("g", id=f"{p}-variation")
        _icon(svg, icons_x, 28.0, colour, letter, VARIATION_WORDS[variation], arrow)
        svg.close("g")
        if assurance is not None:
            svg.open("g", id=f"{p}-assurance")
            _icon(svg, icons_x, 66.0, *assurance, ASSURANCE_WORDS[result.assurance])
            svg.close("g")

    # Axes and grid.
    svg.open("g", class_="spc-axes", font_size=lay.axis, fill=COLOURS["text"])
    for tick in ticks:
        y = py(tick)
        svg.line(left, y, left + plot_w, y, stroke=COLOURS["grid"])
        svg.text("text", fv(tick), x=left - 6.0, y=y + 4.0, text_anchor="end")
    svg.line(left, top + plot_h, left + plot_w, top + plot_h, stroke=COLOURS["text"])
    widest = max(_text_width(name, lay.small) for name in names) + 8
    most = max(1, int(plot_w // max(64.0 if not lay.compact else 0.0, widest)))
    step = max(1, math.ceil(n / most))
    for i in range(0, n, step):
        svg.text(
            "text",
            names[i],
            x=px(i),
            y=top + plot_h + 18.0,
            text_anchor="middle",
            font_size=lay.small,
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

    # Phases: centre line and limits per phase, with a break between phases; each
    # phase's lines are labelled with their values at its end.
    starts = [*result.phase_starts, n]
    centre_word = "Median" if centre_name(result) == "median" else "Mean"
    tags: list[dict[str, Any]] = []

    def tag(text: str, x: float, y: float, anchor: str, fill: str, **extra: Any) -> None:
        w = _text_width(text, lay.small)
        x0 = x - w if anchor == "end" else x
        tags.append(
            {"text": text, "x": x, "y": y, "x0": x0, "x1": x0 + w, "size": lay.small}
            | {"anchor": anchor, "fill": fill, "extra": extra}
        )

    svg.open("g", class_="spc-limits")
    for k, (a, b) in enumerate(zip(starts[:-1], starts[1:], strict=True)):
        x0, x1 = px(a - 0.5), px(b - 0.5)
        mean = float(result.mean[a])
        svg.line(x0, py(mean), x1, py(mean), stroke=COLOURS["mean"], stroke_width=1.5)
        tag(f"{centre_word} {fv(mean)}", x1 - 3.0, py(mean) - 4.0, "end", COLOURS["mean"])
        for word, line in (("Upper", result.upper), ("Lower", result.lower)):
            if varying:
                steps = [
                    (px(i + d), py(float(line[i])))
                    for i in range(a, b)
                    if math.isfinite(float(line[i]))
                    for d in (-0.5, 0.5)
                ]
                if steps:
                    svg.polyline(steps, stroke=COLOURS["limit"], stroke_dasharray="6 4")
            else:
                v = float(line[a])
                if math.isfinite(v):
                    svg.line(x0, py(v), x1, py(v), stroke=COLOURS["limit"], stroke_dasharray="6 4")
            end = float(line[b - 1])
            if math.isfinite(end):
                tag(f"{word} {fv(end)}", x1 - 3.0, py(end) - 4.0, "end", COLOURS["text"])
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
                font_size=lay.small,
                fill=COLOURS["phase"],
            )
    if result.trial_limits and result.has_limits and math.isfinite(float(result.upper[n - 1])):
        tag(
            "Trial limits",
            left + plot_w - 3.0,
            py(float(result.upper[n - 1])) - 6.0 - lay.small,
            "end",
            COLOURS["text"],
            font_style="italic",
        )
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
        tag(f"Target {fv(result.target)}", left + 4.0, y - 4.0, "start", COLOURS["target"])
    _nudge(tags, top, top + plot_h - 2.0)
    svg.open("g", class_="spc-labels", font_size=lay.small)
    for t in tags:
        svg.text(
            "text",
            t["text"],
            x=t["x"],
            y=t["y"],
            text_anchor=t["anchor"] if t["anchor"] != "start" else None,
            fill=t["fill"],
            **t["extra"],
        )
    svg.close("g")
    svg.close("g")

    # Annotations: a marker line and its words above the plot.
    if annotations:
        svg.open("g", class_="spc-annotations", font_size=lay.small, fill=COLOURS["annotation"])
        for index, text in annotations:
            x = px(int(index))
            svg.line(x, top - 4.0, x, py(float(values[index])) - 6.0, stroke=COLOURS["annotation"])
            shown = _wrap(str(text), lay.small, left + plot_w - x, 1)[0]
            svg.text("text", shown, x=x + 3.0, y=top - 6.0)
        svg.close("g")

    # The data line, then the points over it; each point says why it is coloured.
    svg.open("g", class_="spc-data")
    for a, b in zip(starts[:-1], starts[1:], strict=True):
        svg.polyline(
            ((px(i), py(float(values[i]))) for i in range(a, b)),
            stroke=COLOURS["common"],
            stroke_width=1.5,
        )
    for i in range(n):
        special = result.point_type[i] != "common_cause"
        reason = point_reason(result, i)
        words = POINT_TYPE_WORDS[result.point_type[i]] + (f": {reason}" if reason else "")
        svg.open("g")
        svg.text("title", f"{names[i]}: {fv(float(values[i]))}. {words}.")
        svg.empty(
            "circle",
            cx=px(i),
            cy=py(float(values[i])),
            r=4.5 if special else 3.5,
            fill=_POINT_COLOUR[result.point_type[i]],
        )
        svg.close("g")
    svg.close("g")

    # Legend, wrapping onto a new line when it reaches the edge.
    present = set(result.point_type)
    entries: list[tuple[str, str, str]] = [
        ("dot", _POINT_COLOUR[t], label)
        for t, label in (
            ("special_cause_improvement", "Improvement"),
            ("special_cause_concern", "Concern"),
            ("special_cause_neutral_high", "Special cause"),
            ("common_cause", "Common cause"),
        )
        if t in present
        or (t == "special_cause_neutral_high" and "special_cause_neutral_low" in present)
    ]
    entries.append(("mean", COLOURS["mean"], centre_word))
    if result.has_limits:
        entries.append(("limit", COLOURS["limit"], "Process limits"))
    if result.target is not None:
        entries.append(("target", COLOURS["target"], "Target"))
    size = lay.small
    svg.open("g", class_="spc-legend", font_size=size, fill=COLOURS["text"])
    x = left if not lay.compact else 8.0
    y = height_ - (24.0 if not lay.compact else 44.0)
    for shape, fill, label in entries:
        w = (14.0 if shape == "dot" else 22.0) + _text_width(label, size) + 10.0
        if x + w > width_ - 4 and x > left:
            x = left if not lay.compact else 8.0
            y += size + 8.0
        if shape == "dot":
            svg.empty("circle", cx=x + 5.0, cy=y - 4.0, r=4.5, fill=fill)
            svg.text("text", label, x=x + 14.0, y=y)
        else:
            dash = {"mean": None, "limit": "6 4", "target": "3 3"}[shape]
            svg.line(
                x,
                y - 4.0,
                x + 18.0,
                y - 4.0,
                stroke=fill,
                stroke_width=1.5 if shape == "mean" else None,
                stroke_dasharray=dash,
            )
            svg.text("text", label, x=x + 22.0, y=y)
        x += w
    svg.close("g")
    svg.close("svg")
    return svg.render()
