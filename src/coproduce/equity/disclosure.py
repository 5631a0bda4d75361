"""Disclosure control for published counts, following the national MHA statistics.

Rules (ADR 120)
---------------
* Counts under 5, zero included, are hidden and shown as ``"*"`` (primary suppression).
  Breakdowns of people that are only shown above a threshold may show zeros
  (``show_zero=True``); then a star is 1 to 4.
* Every other count is rounded to the nearest 5. Only whole numbers come in, and a whole
  number is never exactly half-way between two multiples of 5, so no tie rule is needed;
  the arithmetic used, ``(n + 2) // 5 * 5``, is "round half up" (12 -> 10, 13 -> 15,
  5 -> 5, 8 -> 10).
* Every published count is disclosed this way on its own, totals and subtotals included:
  a total is rounded from its exact value, never added up from rounded parts. A difference
  of published counts is then always a multiple of 5, so subtracting the visible parts
  from a total can never give a hidden count of 1 to 4, nor the exact value of a rounded
  count.
* Anything worked out from a count (a rate, its interval, a ratio) must be worked out
  from the published count (:attr:`SuppressedTable.values`), and not given where the count
  is hidden: :meth:`SuppressedTable.mask` does the hiding.

The bounds check in :func:`suppress_table`
------------------------------------------
Rounding alone still lets a reader narrow a count: a published ``"*"`` is 1 to 4, ``"5"``
is 5 to 7 and ``"10"`` is 8 to 12, and the parts of a line (a row or column with its
total) must add up. Two stars with a total of ``"10"`` can only be 4 and 4. So each table
is checked the way such a reader would: every published value becomes the range it
stands for, the ranges are narrowed line by line until nothing changes, and wherever a
range shrinks to a single value although the count was not published exactly, the total
of a line holding it is hidden too (``"*"``, reason ``"secondary"``; a hidden total stands
for any number). Repeated until no count can be pinned down. Figures of the same groups
published elsewhere (the wards making up a provider, say) can be given as ``parts``: they
are added to the check as lines of their own, so the table hides what they would give away
together.

Zero is hidden with 1 to 4. Shown zeros give a reader exact parts and every star a lower
bound of 1, and together they pin small counts down across levels: a provider with
``*, *, *`` (total ``*``) whose wards show ``0, 0, *`` and ``*, *, *`` can only have 1, 1
and 2. With a star meaning 0 to 4 no such reasoning gets a count above zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coproduce.equity.rates import _counts

__all__ = [
    "SUPPRESSED",
    "SuppressedTable",
    "disclose",
    "narrow",
    "published_count",
    "suppress_table",
]

#: The text shown in place of a hidden count.
SUPPRESSED = "*"

PRIMARY = "primary"
SECONDARY = "secondary"


#: Stands for "any number" in the bounds check (a hidden total).
_ANY = 10**15
#: Enough passes of the bounds check for any table a page shows; stopping sooner could
#: only leave the ranges wider than a reader could make them, never wrong.
_MAX_PASSES = 200


def published_count(n: int, *, show_zero: bool = False) -> int | None:
    """The number published for a count: ``None`` (hidden) under 5, else the nearest 5.

    ``show_zero=True`` publishes 0 as 0 (for breakdowns of people that are only shown
    when there are enough people in them); otherwise 0 is hidden with 1 to 4.
    """
    n = int(n)
    if n < 0:
        raise ValueError("count must not be negative")
    if n == 0 and show_zero:
        return 0
    if n < 5:
        return None
    return (n + 2) // 5 * 5


def _text(value: int | None, grouping: bool = False) -> str:
    if value is None:
        return SUPPRESSED
    return f"{value:,}" if grouping else str(value)


def _disclose_one(n: int, grouping: bool, show_zero: bool = False) -> str:
    return _text(published_count(n, show_zero=show_zero), grouping)


def disclose(count: Any, *, grouping: bool = False, show_zero: bool = False) -> Any:
    """The publishable text for a count: ``"*"`` under 5, else the nearest 5.

    A single count gives a ``str``; a list or array gives a list of ``str`` (nested for
    2-D input). ``grouping=True`` adds thousands separators ("1,235" rather than "1235");
    ``show_zero=True`` gives ``"0"`` for 0. Negative, non-whole or missing counts raise
    ``ValueError``.
    """
    arr = _counts(count, "count").astype(np.int64)
    if arr.ndim == 0:
        return _disclose_one(int(arr), grouping, show_zero)
    return _nested(arr, lambda n: _disclose_one(int(n), grouping, show_zero))


def _nested(arr: np.ndarray, fn: Any) -> list[Any]:
    if arr.ndim == 1:
        return [fn(v) for v in arr]
    return [_nested(sub, fn) for sub in arr]


@dataclass(frozen=True, eq=False)
class SuppressedTable:
    """The outcome of :func:`suppress_table`.

    ``shown`` is a boolean array shaped like the counts. ``values`` holds the published
    number of each cell (``None`` where hidden): rates and ratios must be worked out from
    these, never from the exact counts. ``cells`` holds the publishable text for each cell
    and ``reasons`` says why a cell is hidden (``"primary"``, ``"secondary"``) or ``""``
    if shown; all three are lists (nested for 2-D). ``total`` is the grand total's text;
    ``row_totals`` and ``column_totals`` are given for 2-D tables only. Totals are
    ``None`` when the table was built with ``totals=False``.
    """

    shown: np.ndarray
    cells: list[Any]
    reasons: list[Any]
    total: str | None
    row_totals: list[str] | None
    column_totals: list[str] | None
    values: list[Any] | None = None

    def mask(self, values: Any) -> list[Any]:
        """``values`` laid out like the counts, with ``None`` wherever the count is hidden.

        Use it for rates, intervals or anything else derived from the counts.
        """
        if isinstance(values, np.ndarray):
            items = values.tolist() if values.dtype != object else list(values)
        else:
            items = values
        if self.shown.ndim == 1:
            seq = list(items)
            if len(seq) != self.shown.shape[0]:
                raise ValueError(
                    f"values have length {len(seq)} but the table has {self.shown.shape[0]} cells"
                )
            return [v if ok else None for v, ok in zip(seq, self.shown, strict=True)]
        rows = [list(r) for r in items]
        if len(rows) != self.shown.shape[0] or any(len(r) != self.shown.shape[1] for r in rows):
            raise ValueError(f"values must have the table's shape {self.shown.shape}")
        return [
            [v if ok else None for v, ok in zip(r, okr, strict=True)]
            for r, okr in zip(rows, self.shown, strict=True)
        ]


def _lines_1d(n: int) -> list[tuple[list[int], int]]:
    return [(list(range(n)), n)]


def _lines_2d(rows: int, cols: int) -> list[tuple[list[int], int]]:
    width = cols + 1

    def at(i: int, j: int) -> int:
        return i * width + j

    lines = [([at(i, j) for j in range(cols)], at(i, cols)) for i in range(rows + 1)]
    lines += [([at(i, j) for i in range(rows)], at(rows, j)) for j in range(cols + 1)]
    return lines


def _laid_out(arr: np.ndarray, totals: bool) -> tuple[np.ndarray, list]:
    """The counts with their totals as one flat array, and the lines through it."""
    if arr.ndim == 1:
        if not totals:
            return arr.copy(), []
        return np.append(arr, arr.sum()), _lines_1d(arr.shape[0])
    rows, cols = arr.shape
    if not totals:
        return arr.ravel().copy(), []
    grid = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    grid[:rows, :cols] = arr
    grid[:rows, cols] = arr.sum(axis=1)
    grid[rows, :cols] = arr.sum(axis=0)
    grid[rows, cols] = arr.sum()
    return grid.ravel(), _lines_2d(rows, cols)


def _range(value: int | None, reason: str, star_low: int) -> tuple[int, int]:
    """What a reader knows of a count from what is published for it."""
    if reason == SECONDARY:
        return 0, _ANY
    if value is None:
        return star_low, 4
    if value == 0:
        return 0, 0
    if value == 5:
        return 5, 7
    return value - 2, value + 2


def narrow(
    published: Sequence[int | None],
    reasons: Sequence[str],
    lines: Sequence[Any],
    *,
    show_zero: bool = False,
) -> tuple[list[int], list[int]]:
    """The range each value must lie in, given what is published and that lines add up.

    ``lines`` are ``(parts, total)`` pairs of positions. Each line narrows its total to the
    sum of its parts' ranges and each part to the total's range less the others', over and
    over until nothing changes. This is what a reader can work out by adding and
    subtracting published figures; the true counts always lie inside the ranges.
    """
    star_low = 1 if show_zero else 0  # a star is 1 to 4 where zeros are shown, else 0 to 4
    ranges = [_range(v, r, star_low) for v, r in zip(published, reasons, strict=True)]
    lo = [r[0] for r in ranges]
    hi = [r[1] for r in ranges]
    changed, passes = True, 0
    while changed and passes < _MAX_PASSES:
        changed, passes = False, passes + 1
        for parts, total in lines:
            s_lo = sum(lo[p] for p in parts)
            s_hi = sum(hi[p] for p in parts)
            new = (max(lo[total], s_lo), min(hi[total], s_hi))
            if new != (lo[total], hi[total]):
                lo[total], hi[total] = new
                changed = True
            for p in parts:
                p_lo = max(lo[p], lo[total] - (s_hi - hi[p]))
                p_hi = min(hi[p], hi[total] - (s_lo - lo[p]))
                if (p_lo, p_hi) != (lo[p], hi[p]):
                    lo[p], hi[p] = p_lo, p_hi
                    s_lo = sum(lo[q] for q in parts)
                    s_hi = sum(hi[q] for q in parts)
                    changed = True
    return lo, hi


def _pinned(published, reasons, lo, hi) -> list[int]:
    """Positions whose count a reader can pin down although it was not published exactly."""
    return [
        p
        for p in range(len(published))
        if lo[p] == hi[p] and not (published[p] == 0 and reasons[p] == "")
    ]


def _protect(full: np.ndarray, lines, hideable: set[int], extra=None, show_zero=False):
    """Independent rounding, then the bounds check; returns (published, reasons).

    ``extra`` is ``(published, reasons, lines)`` for figures published elsewhere: they take
    part in the check but are never changed here.
    """
    own = len(full)
    published: list[int | None] = [published_count(int(n), show_zero=show_zero) for n in full]
    reasons = [PRIMARY if v is None else "" for v in published]
    all_lines = list(lines)
    if extra is not None:
        published += extra[0]
        reasons += extra[1]
        all_lines += extra[2]
    while True:
        lo, hi = narrow(published, reasons, all_lines, show_zero=show_zero)
        choice = None
        for p in _pinned(published, reasons, lo, hi):
            candidates = [
                total
                for parts, total in all_lines
                if (p == total or p in parts) and total in hideable and reasons[total] != SECONDARY
            ]
            if p in hideable and reasons[p] != SECONDARY:
                candidates.append(p)
            if candidates:
                choice = min(candidates, key=lambda t: (full[t], t))
                break
        if choice is None:
            return published[:own], reasons[:own]
        published[choice] = None
        reasons[choice] = SECONDARY


def _as_published(table: SuppressedTable, arr: np.ndarray) -> tuple[list, list]:
    """A table's published values and reasons, cells and totals, laid out flat."""

    def value(text: str) -> int | None:
        return None if text == SUPPRESSED else int(text)

    def reason(text: str, n: int) -> str:
        if text != SUPPRESSED:
            return ""
        return PRIMARY if n <= 4 else SECONDARY

    full, _lines = _laid_out(arr, True)
    if arr.ndim == 1:
        texts = [*table.cells, table.total]
    else:
        texts = []
        for i, row in enumerate(table.cells):
            texts += [*row, table.row_totals[i]]
        texts += [*table.column_totals, table.total]
    return [value(t) for t in texts], [reason(t, int(n)) for t, n in zip(texts, full, strict=True)]


def suppress_table(
    counts: Any, *, totals: bool = True, parts: Sequence[Any] = (), show_zero: bool = False
) -> SuppressedTable:
    """Disclosure control for a 1-D or 2-D table of counts, with its totals.

    ``counts`` is a list of group counts or a list of rows. Every cell and, with
    ``totals=True`` (the default), every total is rounded on its own; then the bounds
    check hides any total through which a count could be pinned down. With
    ``totals=False`` only the cells are disclosed and no totals are returned.

    ``parts`` are families of tables shaped like ``counts`` that add up to it and are
    published elsewhere (for a provider: one table per ward), each family a list of
    tables. The check then also stops a count of the parts, or of this table, from being
    pinned down by setting one against the other; only this table's figures are hidden.

    ``show_zero=True`` publishes zeros as ``"0"`` (see :func:`published_count`).
    """
    arr = _counts(counts, "counts").astype(np.int64)
    if arr.ndim not in (1, 2) or arr.size == 0:
        raise ValueError("counts must be a non-empty list of counts or a list of rows")
    full, lines = _laid_out(arr, totals)
    hideable = set(range(arr.size, len(full))) if arr.ndim == 1 else set()
    if arr.ndim == 2 and totals:
        rows, cols = arr.shape
        width = cols + 1
        hideable = {i * width + cols for i in range(rows + 1)}
        hideable |= {rows * width + j for j in range(cols)}
    extra = None
    if parts and totals:
        extra_values: list[int | None] = []
        extra_reasons: list[str] = []
        extra_lines: list[tuple[list[int], int]] = []
        hideable = set(range(len(full)))
        for family in parts:
            family_at = []
            summed = np.zeros_like(arr)
            for table in family:
                sub = _counts(table, "parts").astype(np.int64)
                if sub.shape != arr.shape:
                    raise ValueError("each part must have the shape of the counts")
                summed += sub
                _sub_full, sub_lines = _laid_out(sub, True)
                # As the part's own page publishes it, after its own bounds check.
                sub_published, sub_reasons = _as_published(
                    suppress_table(sub, show_zero=show_zero), sub
                )
                base = len(full) + len(extra_values)
                extra_values += sub_published
                extra_reasons += sub_reasons
                extra_lines += [([base + p for p in ps], base + t) for ps, t in sub_lines]
                family_at.append(base)
            if not np.array_equal(summed, arr):
                raise ValueError("the parts do not add up to the counts")
            for i in range(len(full)):
                extra_lines.append(([base + i for base in family_at], i))
        extra = (extra_values, extra_reasons, extra_lines)
    published, reasons = _protect(full, lines, hideable, extra, show_zero)

    def text(p: int) -> str:
        return _text(published[p])

    if arr.ndim == 1:
        n = arr.shape[0]
        return SuppressedTable(
            shown=np.array([published[p] is not None for p in range(n)]),
            cells=[text(p) for p in range(n)],
            reasons=[reasons[p] for p in range(n)],
            total=text(n) if totals else None,
            row_totals=None,
            column_totals=None,
            values=[published[p] for p in range(n)],
        )

    rows, cols = arr.shape
    width = cols + 1 if totals else cols

    def at(i: int, j: int) -> int:
        return i * width + j

    return SuppressedTable(
        shown=np.array(
            [[published[at(i, j)] is not None for j in range(cols)] for i in range(rows)]
        ),
        cells=[[text(at(i, j)) for j in range(cols)] for i in range(rows)],
        reasons=[[reasons[at(i, j)] for j in range(cols)] for i in range(rows)],
        total=text(at(rows, cols)) if totals else None,
        row_totals=[text(at(i, cols)) for i in range(rows)] if totals else None,
        column_totals=[text(at(rows, j)) for j in range(cols)] if totals else None,
        values=[[published[at(i, j)] for j in range(cols)] for i in range(rows)],
    )
