"""Disclosure control for published counts, following the national MHA statistics.

Rules
-----
* ``0`` is shown as ``"0"``.
* Counts from 1 to 4 are hidden and shown as ``"*"`` (primary suppression).
* Every other count is rounded to the nearest 5. Only whole numbers come in, and a whole
  number is never exactly half-way between two multiples of 5, so no tie rule is needed;
  the arithmetic used, ``(n + 2) // 5 * 5``, is "round half up" (12 -> 10, 13 -> 15,
  5 -> 5, 8 -> 10).

Complementary (secondary) suppression in :func:`suppress_table`
-----------------------------------------------------------------
A table of counts is published with its totals: one total for a 1-D list of groups, or
row totals, column totals and a grand total for a 2-D crossing. Each row and each column,
together with its total, is a *line* (the row totals with the grand total and the column
totals with the grand total are lines too). A hidden value can be worked out by
subtraction (or addition) when it is the only hidden value in its line. So:

1. hide every value from 1 to 4, cells and totals alike;
2. for every line with exactly one hidden value, hide the smallest non-zero value still
   shown among the cells of that line (the first in order if two are equal), or the
   line's total if no such cell exists;
3. repeat step 2 until no line changes.

Zero cells are never used for secondary suppression, because a hidden zero gives no
protection once a reader knows a group is empty. The rule stops single-step subtraction;
it does not audit every linear combination of a large 2-D table, and rounding the shown
counts to the nearest 5 adds further uncertainty for anyone trying.

Rates computed from a hidden count must be hidden too; :meth:`SuppressedTable.mask` does
this for any values laid out like the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from coproduce.equity.rates import _counts

__all__ = ["SUPPRESSED", "SuppressedTable", "disclose", "suppress_table"]

#: The text shown in place of a hidden count.
SUPPRESSED = "*"

PRIMARY = "primary"
SECONDARY = "secondary"


def _disclose_one(n: int, grouping: bool) -> str:
    if n == 0:
        return "0"
    if n < 5:
        return SUPPRESSED
    rounded = (n + 2) // 5 * 5
    return f"{rounded:,}" if grouping else str(rounded)


def disclose(count: Any, *, grouping: bool = False) -> Any:
    """The publishable text for a count: ``"0"``, ``"*"`` for 1 to 4, else nearest 5.

    A single count gives a ``str``; a list or array gives a list of ``str`` (nested for
    2-D input). ``grouping=True`` adds thousands separators ("1,235" rather than "1235").
    Negative, non-whole or missing counts raise ``ValueError``.
    """
    arr = _counts(count, "count").astype(np.int64)
    if arr.ndim == 0:
        return _disclose_one(int(arr), grouping)
    return _nested(arr, lambda n: _disclose_one(int(n), grouping))


def _nested(arr: np.ndarray, fn: Any) -> list[Any]:
    if arr.ndim == 1:
        return [fn(v) for v in arr]
    return [_nested(sub, fn) for sub in arr]


@dataclass(frozen=True, eq=False)
class SuppressedTable:
    """The outcome of :func:`suppress_table`.

    ``shown`` is a boolean array shaped like the counts. ``cells`` holds the publishable
    text for each cell and ``reasons`` says why a cell is hidden (``"primary"``,
    ``"secondary"``) or ``""`` if shown; both are lists (nested for 2-D). ``total`` is the
    grand total's text; ``row_totals`` and ``column_totals`` are given for 2-D tables only.
    Totals are ``None`` when the table was built with ``totals=False``.
    """

    shown: np.ndarray
    cells: list[Any]
    reasons: list[Any]
    total: str | None
    row_totals: list[str] | None
    column_totals: list[str] | None

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


def _secondary(values: np.ndarray, hidden: np.ndarray, lines: Sequence[Any]) -> np.ndarray:
    """Apply step 2 of the rule until stable; returns which positions were added."""
    added = np.zeros_like(hidden)
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            if sum(bool(hidden[p]) for p in [*cells, total]) != 1:
                continue
            candidates = [p for p in cells if not hidden[p] and values[p] > 0]
            if candidates:
                pick = min(candidates, key=lambda p: (values[p], p))
            elif not hidden[total]:
                pick = total
            else:  # pragma: no cover - a hidden total implies a non-zero shown cell
                continue
            hidden[pick] = True
            added[pick] = True
            changed = True
    return added


def suppress_table(counts: Any, *, totals: bool = True) -> SuppressedTable:
    """Primary and complementary suppression for a 1-D or 2-D table of counts.

    ``counts`` is a list of group counts or a list of rows. With ``totals=True`` (the
    default) the totals are taken to be published and secondary suppression is applied so
    no hidden count can be worked out from them; with ``totals=False`` only primary
    suppression is applied and no totals are returned.
    """
    arr = _counts(counts, "counts").astype(np.int64)
    if arr.ndim not in (1, 2) or arr.size == 0:
        raise ValueError("counts must be a non-empty list of counts or a list of rows")

    if arr.ndim == 1:
        n = arr.shape[0]
        full = np.append(arr, arr.sum()) if totals else arr.copy()
        lines = _lines_1d(n) if totals else []
    else:
        rows, cols = arr.shape
        if totals:
            grid = np.zeros((rows + 1, cols + 1), dtype=np.int64)
            grid[:rows, :cols] = arr
            grid[:rows, cols] = arr.sum(axis=1)
            grid[rows, :cols] = arr.sum(axis=0)
            grid[rows, cols] = arr.sum()
            full = grid.ravel()
            lines = _lines_2d(rows, cols)
        else:
            full = arr.ravel().copy()
            lines = []

    hidden = (full >= 1) & (full <= 4)
    primary = hidden.copy()
    secondary = _secondary(full, hidden, lines)

    def text(p: int) -> str:
        return SUPPRESSED if hidden[p] else _disclose_one(int(full[p]), False)

    def why(p: int) -> str:
        return PRIMARY if primary[p] else SECONDARY if secondary[p] else ""

    if arr.ndim == 1:
        n = arr.shape[0]
        return SuppressedTable(
            shown=~hidden[:n],
            cells=[text(p) for p in range(n)],
            reasons=[why(p) for p in range(n)],
            total=text(n) if totals else None,
            row_totals=None,
            column_totals=None,
        )

    rows, cols = arr.shape
    width = cols + 1 if totals else cols
    grid_hidden = hidden.reshape(-1, width)
    return SuppressedTable(
        shown=~grid_hidden[:rows, :cols],
        cells=[[text(i * width + j) for j in range(cols)] for i in range(rows)],
        reasons=[[why(i * width + j) for j in range(cols)] for i in range(rows)],
        total=text(rows * width + cols) if totals else None,
        row_totals=[text(i * width + cols) for i in range(rows)] if totals else None,
        column_totals=[text(rows * width + j) for j in range(cols)] if totals else None,
    )
