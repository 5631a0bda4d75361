"""Inline SVG for the ladder chart, the easy-read rung symbols and the QR code."""

import io
from html import escape

import segno

from .instrument import Domain, Rung
from .scoring import EVERYONE, LIVED, STAFF, Results

TEXT = "#212b32"
MUTED = "#4c6272"
GRID = "#d8dde0"
AS_IS = "#005eb8"
TO_BE = "#007f3b"
STAFF_MARK = "#7c2855"
LIVED_MARK = "#ae2573"


def ladder_chart(results: Results, chart_id: str, title: str) -> str:
    """Per domain: everyone's 'as is' (filled circle) and 'to be' (ring), joined by the gap,
    with staff and lived experience 'as is' (square and diamond) beside them."""
    left, top, step, col = 150, 48, 40, 96
    width = left + col * len(Domain.values) + 10
    height = top + step * 6 + 60

    def y(v):
        return top + (7 - v) * step

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="app-ladder-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Median place on the ladder of co-production for each domain: '
        "today (as is) and where it should be (to be). The table below gives the same figures."
        "</desc>",
    ]
    for r in Rung:
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y(r.value)}" y2="{y(r.value)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y(r.value) + 5}" text-anchor="end" font-size="14" '
            f'fill="{TEXT}">{escape(r.label)}</text>'
        )
    legend = [
        ("circle", AS_IS, "As is (everyone)"),
        ("ring", TO_BE, "To be (everyone)"),
        ("square", STAFF_MARK, "As is: staff and leaders"),
        ("diamond", LIVED_MARK, "As is: lived experience"),
    ]
    lx = 10
    for shape, colour, label in legend:
        parts.append(_mark(shape, colour, lx + 6, 18))
        parts.append(
            f'<text x="{lx + 16}" y="23" font-size="13" fill="{TEXT}">{escape(label)}</text>'
        )
        lx += 16 + len(label) * 7 + 18
    for i, (domain, label) in enumerate(Domain.choices):
        cx = left + col * i + col / 2
        parts.append(
            f'<text x="{cx}" y="{height - 28}" text-anchor="middle" font-size="14" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
        cell = results.cells[domain][EVERYONE]
        if not cell.shown:
            parts.append(
                f'<text x="{cx}" y="{y(4)}" text-anchor="middle" font-size="12" '
                f'fill="{MUTED}">Not shown</text>'
            )
            continue
        parts.append(
            f'<line x1="{cx}" x2="{cx}" y1="{y(cell.as_is)}" y2="{y(cell.to_be)}" '
            f'stroke="{MUTED}" stroke-width="3"/>'
        )
        parts.append(_mark("circle", AS_IS, cx, y(cell.as_is)))
        parts.append(_mark("ring", TO_BE, cx, y(cell.to_be)))
        staff, lived = results.cells[domain][STAFF], results.cells[domain][LIVED]
        if staff.shown:
            parts.append(_mark("square", STAFF_MARK, cx - 22, y(staff.as_is)))
        if lived.shown:
            parts.append(_mark("diamond", LIVED_MARK, cx + 22, y(lived.as_is)))
    parts.append("</svg>")
    return "".join(parts)


def _mark(shape: str, colour: str, x: float, y: float) -> str:
    if shape == "circle":
        return f'<circle cx="{x}" cy="{y}" r="7" fill="{colour}"/>'
    if shape == "ring":
        return (
            f'<circle cx="{x}" cy="{y}" r="7" fill="#ffffff" stroke="{colour}" stroke-width="3"/>'
        )
    if shape == "square":
        return f'<rect x="{x - 6}" y="{y - 6}" width="12" height="12" fill="{colour}"/>'
    return f'<polygon points="{x},{y - 8} {x + 8},{y} {x},{y + 8} {x - 8},{y}" fill="{colour}"/>'


def rung_symbol(rung: int) -> str:
    """A small ladder with the rungs up to ``rung`` drawn strong: higher means more together.

    Decorative (the words beside it say the same), so hidden from screen readers.
    """
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 64" width="40" height="64" '
        'aria-hidden="true" focusable="false" class="app-rung-symbol">',
        f'<line x1="8" y1="2" x2="8" y2="62" stroke="{TEXT}" stroke-width="3"/>',
        f'<line x1="32" y1="2" x2="32" y2="62" stroke="{TEXT}" stroke-width="3"/>',
    ]
    for n in range(1, 8):
        yy = 62 - n * 8 + 2
        strong = n <= rung
        parts.append(
            f'<line x1="8" y1="{yy}" x2="32" y2="{yy}" stroke="{AS_IS if strong else GRID}" '
            f'stroke-width="{5 if strong else 2}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def qr_svg(url: str, title: str) -> str:
    """The QR code for a link, as inline SVG with a text alternative."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=5, border=2, title=title)
    return svg.replace("<svg ", '<svg role="img" aria-label="' + escape(title) + '" ', 1)


def qr_poster_svg(url: str, heading: str) -> bytes:
    """A downloadable SVG of the QR code, big enough to print on a poster."""
    qr = segno.make(url, error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=12, border=4, title=heading, desc=url)
    return out.getvalue()
