"""Driver diagrams: the tree (aim, primary and secondary drivers, change ideas) and an SVG.

The SVG is a picture for people who can see it; pages always show the same tree as a
nested list, which is what screen readers read.
"""

import textwrap
from dataclasses import dataclass, field
from html import escape

from .models import DriverKind

COLUMNS = ["Aim", "Primary drivers", "Secondary drivers", "Change ideas"]
BOX_W, BOX_H, GAP_X, ROW_H, TOP = 210, 52, 34, 64, 40
FILL = {0: "#005eb8", 1: "#e8edee", 2: "#f0f4f5", 3: "#ffffff"}
TEXT = {0: "#ffffff", 1: "#212b32", 2: "#212b32", 3: "#212b32"}


@dataclass
class Node:
    text: str
    level: int
    obj: object = None
    children: list = field(default_factory=list)


def build_tree(project, drivers, ideas) -> Node:
    """Aim → primary drivers → secondary drivers → change ideas."""
    root = Node(project.aim_what, 0, project)
    primaries = {d.id: Node(d.text, 1, d) for d in drivers if d.kind == DriverKind.PRIMARY}
    secondaries = {}
    for d in drivers:
        if d.kind == DriverKind.SECONDARY and d.parent_id in primaries:
            node = Node(d.text, 2, d)
            secondaries[d.id] = node
            primaries[d.parent_id].children.append(node)
    root.children = list(primaries.values())
    loose = []
    for idea in ideas:
        node = Node(idea.title, 3, idea)
        if idea.driver_id in secondaries:
            secondaries[idea.driver_id].children.append(node)
        elif idea.driver_id in primaries:
            primaries[idea.driver_id].children.append(node)
        else:
            loose.append(node)
    return root, loose


def _rows(node: Node) -> int:
    if not node.children:
        return 1
    return sum(_rows(c) for c in node.children)


def _lines(text: str) -> list[str]:
    lines = textwrap.wrap(text, 30) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), 30, placeholder="…")]
    return lines


def render_svg(root: Node, title: str) -> str:
    """Draw the tree left to right, one column per level."""
    total_rows = max(_rows(root), 1)
    width = 4 * BOX_W + 3 * GAP_X + 20
    height = TOP + total_rows * ROW_H + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="dd-title" '
        f'class="app-driver-diagram" font-family="Arial, sans-serif">',
        f'<title id="dd-title">{escape(title)}</title>',
    ]
    for i, name in enumerate(COLUMNS):
        x = 10 + i * (BOX_W + GAP_X)
        parts.append(
            f'<text x="{x}" y="20" font-size="14" font-weight="bold" fill="#212b32">'
            f"{escape(name)}</text>"
        )

    def _centre(first_row, rows):
        return TOP + (first_row + rows / 2) * ROW_H

    _place_impl(root, 0, parts, _centre)
    parts.append("</svg>")
    return "\n".join(parts)


def _place_impl(node: Node, first_row: int, parts: list, centre_of) -> float:
    rows = _rows(node)
    centre = centre_of(first_row, rows)
    row = first_row
    x = 10 + node.level * (BOX_W + GAP_X)
    for child in node.children:
        child_centre = _place_impl(child, row, parts, centre_of)
        row += _rows(child)
        x1 = x + BOX_W
        x2 = 10 + child.level * (BOX_W + GAP_X)
        mid = x1 + (x2 - x1) / 2 if child.level - node.level > 1 else x1 + GAP_X / 2
        parts.append(
            f'<path d="M{x1} {centre:.1f} H{mid:.1f} V{child_centre:.1f} H{x2}" '
            f'fill="none" stroke="#768692" stroke-width="1.5"/>'
        )
    parts.append(
        f'<rect x="{x}" y="{centre - BOX_H / 2:.1f}" width="{BOX_W}" height="{BOX_H}" rx="4" '
        f'fill="{FILL[node.level]}" stroke="#425563"/>'
    )
    lines = _lines(node.text)
    for j, line in enumerate(lines):
        ty = centre + (j - (len(lines) - 1) / 2) * 15 + 4
        parts.append(
            f'<text x="{x + 8}" y="{ty:.1f}" font-size="12.5" fill="{TEXT[node.level]}">'
            f"{escape(line)}</text>"
        )
    return centre
