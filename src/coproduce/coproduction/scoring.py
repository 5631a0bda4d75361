"""Scoring the 'as is' / 'to be' self-assessment. Pure Python: no database, no Django models.

Each answer places the organisation on the ladder of co-production (rungs 1 to 7) today
('as is') and where it should be ('to be'). For each domain and each group of respondents
we take the median of all their answers in that domain; the gap is 'to be' minus 'as is'.

A group with fewer than ``MIN_RESPONDENTS`` people is never shown on its own, so nobody can
be recognised from their answers. Its people still count in the larger groups they belong
to (everyone, lived experience, staff and leaders) when those groups are big enough.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .instrument import (
    LIVED_SIDE,
    STAFF_SIDE,
    STATEMENTS_BY_KEY,
    Domain,
    Perspective,
    rung_words,
)

MIN_RESPONDENTS = 5
EVERYONE = "everyone"
LIVED = "lived"
STAFF = "staff"
GROUP_LABELS = {
    EVERYONE: "Everyone",
    LIVED: "All lived experience perspectives",
    STAFF: "Ward staff and leaders",
    **dict(Perspective.choices),
}
GROUP_ORDER = [EVERYONE, LIVED, STAFF, *Perspective.values]


@dataclass(frozen=True)
class ResponseData:
    perspective: str
    answers: Sequence[tuple[str, int, int]]  # (statement key, as is, to be)


@dataclass
class Cell:
    respondents: int
    as_is: float | None = None
    to_be: float | None = None

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_RESPONDENTS and self.as_is is not None

    @property
    def gap(self) -> float | None:
        if not self.shown:
            return None
        return self.to_be - self.as_is


@dataclass
class Results:
    respondents: dict[str, int]
    cells: dict[str, dict[str, Cell]]  # domain -> group -> cell
    perception_gap: dict[str, float | None]
    change: dict[str, float | None] = field(default_factory=dict)
    hidden_groups: list[str] = field(default_factory=list)

    def cell(self, domain: str, group: str) -> Cell:
        return self.cells[domain][group]


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _groups_of(perspective: str) -> list[str]:
    side = LIVED if perspective in LIVED_SIDE else STAFF if perspective in STAFF_SIDE else None
    return [EVERYONE, perspective] + ([side] if side else [])


def score(
    responses: Iterable[ResponseData], previous: Iterable[ResponseData] | None = None
) -> Results:
    """Medians per domain and group, the perception gap, and the change since ``previous``."""
    responses = list(responses)
    respondents = dict.fromkeys(GROUP_ORDER, 0)
    pooled = {d: {g: ([], []) for g in GROUP_ORDER} for d in Domain.values}
    for response in responses:
        groups = _groups_of(response.perspective)
        for g in groups:
            respondents[g] += 1
        for key, as_is, to_be in response.answers:
            statement = STATEMENTS_BY_KEY.get(key)
            if statement is None:
                continue
            for g in groups:
                pooled[statement.domain][g][0].append(as_is)
                pooled[statement.domain][g][1].append(to_be)
    cells = {
        d: {
            g: Cell(respondents[g], _median(pooled[d][g][0]), _median(pooled[d][g][1]))
            for g in GROUP_ORDER
        }
        for d in Domain.values
    }
    perception = {}
    for d in Domain.values:
        staff, lived = cells[d][STAFF], cells[d][LIVED]
        perception[d] = staff.as_is - lived.as_is if staff.shown and lived.shown else None
    hidden = [g for g in GROUP_ORDER if 0 < respondents[g] < MIN_RESPONDENTS]
    results = Results(respondents, cells, perception, hidden_groups=hidden)
    if previous is not None:
        before = score(previous)
        for d in Domain.values:
            now, then = cells[d][EVERYONE], before.cells[d][EVERYONE]
            results.change[d] = now.as_is - then.as_is if now.shown and then.shown else None
    return results


def fmt(value: float | None) -> str:
    """A median for people to read: '4' or '4.5', with the rung words."""
    if value is None:
        return "Not shown"
    number = f"{value:g}"
    return f"{rung_words(value)} ({number})"


def fmt_diff(value: float | None, unit: str = "rung") -> str:
    if value is None:
        return "Not shown"
    if value == 0:
        return "No difference"
    size = abs(value)
    plural = "" if size == 1 else "s"
    return f"{'+' if value > 0 else '−'}{size:g} {unit}{plural}"


def summary(results: Results) -> list[str]:
    """Plain-words sentences describing the results."""
    everyone = {d: results.cells[d][EVERYONE] for d in Domain.values}
    if not any(c.shown for c in everyone.values()):
        total = results.respondents[EVERYONE]
        return [
            f"{total} {'person has' if total == 1 else 'people have'} answered so far. Results "
            f"are shown once at least {MIN_RESPONDENTS} people have answered, so nobody can be "
            "recognised."
        ]
    labels = dict(Domain.choices)
    shown = {d: c for d, c in everyone.items() if c.shown}
    lowest = min(shown, key=lambda d: (shown[d].as_is, d))
    biggest = max(shown, key=lambda d: (shown[d].gap, d))
    lines = [
        f"{results.respondents[EVERYONE]} people answered. Today, {labels[lowest]} is placed "
        f"lowest on the ladder: {rung_words(shown[lowest].as_is)}.",
        f"The biggest gap between today and where people want to be is in {labels[biggest]}: "
        f"from {rung_words(shown[biggest].as_is)} to {rung_words(shown[biggest].to_be)}.",
    ]
    gaps = {d: g for d, g in results.perception_gap.items() if g is not None}
    if gaps:
        higher = [d for d, g in gaps.items() if g > 0]
        widest = max(gaps, key=lambda d: (abs(gaps[d]), d))
        if higher:
            lines.append(
                f"Staff and leaders place the organisation higher than people with lived "
                f"experience do in {len(higher)} of {len(gaps)} domains. The widest difference "
                f"is in {labels[widest]} ({abs(gaps[widest]):g} rungs)."
            )
        else:
            lines.append(
                "Staff and leaders do not place the organisation higher than people with lived "
                "experience do in any domain."
            )
    else:
        lines.append(
            "The difference between staff and lived experience views is not shown, because one "
            f"side had fewer than {MIN_RESPONDENTS} people."
        )
    changes = {d: c for d, c in results.change.items() if c is not None}
    if changes:
        up = [labels[d] for d, c in changes.items() if c > 0]
        down = [labels[d] for d, c in changes.items() if c < 0]
        parts = []
        if up:
            parts.append(f"moved up the ladder in {', '.join(up)}")
        if down:
            parts.append(f"moved down in {', '.join(down)}")
        lines.append(
            "Since the previous round, 'as is' has " + " and ".join(parts) + "."
            if parts
            else "Since the previous round, 'as is' has not changed in any domain."
        )
    for group in results.hidden_groups:
        lines.append(
            f"{GROUP_LABELS[group]}: fewer than {MIN_RESPONDENTS} people answered, so their "
            "answers are not shown on their own. They are counted in the totals."
        )
    return lines
