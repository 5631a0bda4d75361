"""XmR (individuals) statistical process control, vectorised with numpy.

The rules are those of NHS England's "Making Data Count" as implemented by the
NHS-R community's reference package: see docs/adr/010-spc-engine.md and the
"Measurement for improvement" section of the product description.

Everything is computed on a two-dimensional array (one row per series, NaN
padding after the end of each series) with whole-array operations. There is no
Python loop over points or over series; a single series is a batch of one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "ASSURANCES",
    "DIRECTIONS",
    "LIMIT_FACTOR",
    "MIN_FIX_POINTS",
    "NEAR_FACTOR",
    "POINT_TYPES",
    "RUN_LENGTH",
    "SCREEN_FACTOR",
    "SIGNALS",
    "TREND_LENGTH",
    "TRIAL_BELOW",
    "VARIATIONS",
    "SPCBatch",
    "SPCResult",
    "analyse",
    "analyse_many",
]

#: Process limits sit this many average moving ranges from the mean (3 sigma).
LIMIT_FACTOR = 2.66
#: The "near the limit" band starts two thirds of the way out (2 sigma).
NEAR_FACTOR = 2 * (LIMIT_FACTOR / 3)
#: Moving ranges this many times the average or more are screened out once.
SCREEN_FACTOR = 3.267
#: Points in a row on one side of the mean that make a run.
RUN_LENGTH = 7
#: Points in a row each above (or below) the one before that make a trend.
TREND_LENGTH = 7
#: A phase with fewer points than this has trial limits.
TRIAL_BELOW = 13
#: The smallest baseline that limits may be fixed on.
MIN_FIX_POINTS = 12

DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}

#: Point type names, indexed by the codes in :attr:`SPCBatch.point_code`.
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
#: Which rule labelled a point, indexed by :attr:`SPCBatch.signal_code` (precedence order).
SIGNALS = (None, "outside_limits", "trend", "two_of_three", "run")
#: Variation icon names, indexed by :attr:`SPCBatch.variation_code`.
VARIATIONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
#: Assurance icon names, indexed by :attr:`SPCBatch.assurance_code`.
ASSURANCES = (None, "consistent_pass", "consistent_fail", "inconsistent")

_DIRECTION_NAMES = {1: "increase", -1: "decrease", 0: "neutral"}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, eq=False)
class SPCResult:
    """The analysis of one series.

    ``mean``, ``lower`` and ``upper`` (and the near-limit lines) hold one value per
    point; each phase has its own. ``point_type`` and ``signal`` hold one entry per
    point; ``signal`` names the rule that labelled the point (``None`` for common
    cause) using the precedence outside limits > trend > two of three > run.
    """

    values: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    near_lower: np.ndarray
    near_upper: np.ndarray
    point_type: list[str]
    signal: list[str | None]
    variation: str
    assurance: str | None
    trial_limits: bool
    improvement: str
    target: float | None
    phase: np.ndarray
    phase_starts: tuple[int, ...]
    fix_after_n_points: int | None = None
    screen_outliers: bool = True
    _extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def n_phases(self) -> int:
        return len(self.phase_starts)

    @property
    def latest_phase(self) -> slice:
        """The points of the latest phase, as a slice."""
        return slice(self.phase_starts[-1], len(self.values))


@dataclass(frozen=True, eq=False)
class SPCBatch:
    """The analysis of many series at once, held as arrays.

    Per point arrays have shape ``(n_series, max_length)``; cells after the end of
    a series are padding (``values`` NaN, ``point_code`` and ``signal_code`` -1).
    Per phase arrays (``phase_*``) have one entry per phase, phases of all series
    in order. ``batch[i]`` gives the :class:`SPCResult` for series ``i``, identical
    to what :func:`analyse` returns for that series alone.
    """

    values: np.ndarray
    lengths: np.ndarray
    direction: np.ndarray
    target: np.ndarray
    fix_after_n_points: np.ndarray
    screen_outliers: np.ndarray
    phase_row: np.ndarray
    phase_start: np.ndarray
    phase_length: np.ndarray
    phase_mean: np.ndarray
    phase_lower: np.ndarray
    phase_upper: np.ndarray
    phase_near_lower: np.ndarray
    phase_near_upper: np.ndarray
    phase_first: np.ndarray
    point_code: np.ndarray
    signal_code: np.ndarray
    variation_code: np.ndarray
    assurance_code: np.ndarray
    trial_limits: np.ndarray
    _phase_index: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return self.values.shape[0]

    def __iter__(self) -> Iterator[SPCResult]:
        for i in range(len(self)):
            yield self[i]

    # Per point lines, expanded from the per phase values on request.
    def _expand(self, per_phase: np.ndarray) -> np.ndarray:
        if self._phase_index is None:
            out = np.repeat(per_phase[:, None], self.values.shape[1], axis=1)
        else:
            out = per_phase[self._phase_index]
        out[self.point_code < 0] = np.nan
        return out

    @property
    def mean(self) -> np.ndarray:
        return self._expand(self.phase_mean)

    @property
    def lower(self) -> np.ndarray:
        return self._expand(self.phase_lower)

    @property
    def upper(self) -> np.ndarray:
        return self._expand(self.phase_upper)

    @property
    def variation(self) -> list[str]:
        return [VARIATIONS[c] for c in self.variation_code.tolist()]

    @property
    def assurance(self) -> list[str | None]:
        return [ASSURANCES[c] for c in self.assurance_code.tolist()]

    def results(self) -> list[SPCResult]:
        return list(self)

    def __getitem__(self, i: int) -> SPCResult:
        n_series = len(self)
        if not -n_series <= i < n_series:
            raise IndexError(f"series index {i} is out of range for {n_series} series")
        i %= n_series
        n = int(self.lengths[i])
        first, last = int(self.phase_first[i]), int(self.phase_first[i + 1])
        lengths = self.phase_length[first:last]

        def line(per_phase: np.ndarray) -> np.ndarray:
            return np.repeat(per_phase[first:last], lengths)

        codes = self.point_code[i, :n].tolist()
        signals = self.signal_code[i, :n].tolist()
        target = float(self.target[i])
        fix = int(self.fix_after_n_points[i])
        return SPCResult(
            values=self.values[i, :n].copy(),
            mean=line(self.phase_mean),
            lower=line(self.phase_lower),
            upper=line(self.phase_upper),
            near_lower=line(self.phase_near_lower),
            near_upper=line(self.phase_near_upper),
            point_type=[POINT_TYPES[c] for c in codes],
            signal=[SIGNALS[c] for c in signals],
            variation=VARIATIONS[int(self.variation_code[i])],
            assurance=ASSURANCES[int(self.assurance_code[i])],
            trial_limits=bool(self.trial_limits[i]),
            improvement=_DIRECTION_NAMES[int(self.direction[i])],
            target=None if np.isnan(target) else target,
            phase=np.repeat(np.arange(last - first), lengths),
            phase_starts=tuple(int(s) for s in self.phase_start[first:last]),
            fix_after_n_points=fix or None,
            screen_outliers=bool(self.screen_outliers[i]),
        )


# --------------------------------------------------------------------------- public API


def analyse(
    values: Sequence[float] | np.ndarray,
    improvement: str = "increase",
    target: float | None = None,
    rebase_at: Sequence[int] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
) -> SPCResult:
    """Analyse one series of values in time order.

    ``improvement`` is ``"increase"``, ``"decrease"`` or ``"neutral"``. ``target``
    (optional) gives the assurance icon. ``rebase_at`` lists the indices where a new
    phase starts (0 is allowed and changes nothing). ``fix_after_n_points`` (12 or
    more) computes each phase's limits from its first n points only.
    ``screen_outliers`` drops moving ranges of 3.267 times the average or more
    once before the limits are computed.

    Raises ``ValueError`` for fewer than 2 points, non-finite values, an unknown
    direction, a rebase index out of range or a bad baseline length.
    """
    arr = _as_series(values)
    direction = _direction(improvement)
    tgt = _target(target)
    starts = _rebase_indices(rebase_at, len(arr))
    fix = _fix(fix_after_n_points)
    mask = None
    if starts:
        mask = np.zeros((1, len(arr)), dtype=bool)
        mask[0, starts] = True
    batch = _compute(
        arr[None, :],
        np.array([len(arr)]),
        np.array([direction], dtype=np.int8),
        np.array([tgt]),
        mask,
        np.array([fix]),
        np.array([bool(screen_outliers)]),
    )
    return batch[0]


def analyse_many(
    values: np.ndarray | Sequence[Sequence[float]],
    improvement: str | Sequence[str] = "increase",
    target: float | None | Sequence[float | None] = None,
    rebase_at: Sequence[Sequence[int]] | np.ndarray | None = None,
    fix_after_n_points: int | None | Sequence[int | None] = None,
    screen_outliers: bool | Sequence[bool] = True,
) -> SPCBatch:
    """Analyse many series at once; each gives exactly what :func:`analyse` gives.

    ``values`` is either a 2-D array with one series per row, each row's values
    first and NaN padding after them (a row may not have a gap), or a sequence of
    1-D sequences of any lengths (padded for you).

    Every other argument is either one value for all series or a sequence with one
    entry per series:

    - ``improvement``: ``"increase"``, ``"decrease"`` or ``"neutral"``;
    - ``target``: a number, or ``None``/NaN for no target;
    - ``rebase_at``: for each series, the indices where its new phases start; or a
      boolean array shaped like ``values`` that is True at those points;
    - ``fix_after_n_points``: ``None``/0 or a baseline length of 12 or more;
    - ``screen_outliers``: True or False.

    Returns an :class:`SPCBatch` holding arrays for all series (cheap to build and
    keep); ``batch[i]`` or ``list(batch)`` gives per series :class:`SPCResult`.
    Raises ``ValueError`` naming the series for any input that :func:`analyse`
    would refuse.
    """
    matrix, lengths = _as_matrix(values)
    n_series = matrix.shape[0]
    direction = _per_series_direction(improvement, n_series)
    targets = _per_series_target(target, n_series)
    mask = _per_series_rebase(rebase_at, lengths, matrix.shape)
    fix = _per_series_fix(fix_after_n_points, n_series)
    screen = _per_series(screen_outliers, n_series, "screen_outliers").astype(bool)
    return _compute(matrix, lengths, direction, targets, mask, fix, screen)


# --------------------------------------------------------------------------- validation


def _as_series(values: Any) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"values must be numbers: {exc}") from None
    if arr.ndim != 1:
        raise ValueError(f"values must be a one-dimensional sequence, not {arr.ndim}-D")
    if arr.size < 2:
        raise ValueError(f"values must have at least 2 points (got {arr.size})")
    bad = ~np.isfinite(arr)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"values must all be finite numbers: index {i} is {arr[i]}")
    return np.ascontiguousarray(arr)


def _direction(improvement: Any) -> int:
    if not isinstance(improvement, str) or improvement not in DIRECTIONS:
        raise ValueError(
            f"improvement must be 'increase', 'decrease' or 'neutral', not {improvement!r}"
        )
    return DIRECTIONS[improvement]


def _target(target: Any) -> float:
    if target is None:
        return np.nan
    try:
        value = float(target)
    except (TypeError, ValueError):
        raise ValueError(f"target must be a number or None, not {target!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"target must be a finite number, not {target!r}")
    return value


def _is_whole(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def _rebase_indices(rebase_at: Any, n: int) -> list[int]:
    if rebase_at is None:
        return []
    if _is_whole(rebase_at):
        rebase_at = [rebase_at]
    out = []
    for index in rebase_at:
        if not _is_whole(index):
            raise ValueError(f"rebase_at must hold whole-number indices, not {index!r}")
        if not 0 <= index < n:
            raise ValueError(
                f"rebase_at index {index} is out of range for {n} points (0 to {n - 1})"
            )
        out.append(int(index))
    return sorted(set(out))


def _fix(fix: Any) -> int:
    if fix is None or (_is_whole(fix) and fix == 0):
        return 0
    if not _is_whole(fix) or fix < MIN_FIX_POINTS:
        raise ValueError(
            f"fix_after_n_points must be None or a whole number of {MIN_FIX_POINTS} "
            f"or more, not {fix!r}"
        )
    return int(fix)


def _as_matrix(values: Any) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(values, np.ndarray) and values.ndim == 2 and values.dtype != object:
        try:
            matrix = np.ascontiguousarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"values must be numbers: {exc}") from None
        if matrix.shape[0] == 0:
            raise ValueError("values holds no series")
        finite = np.isfinite(matrix)
        if finite.all():
            lengths = np.full(matrix.shape[0], matrix.shape[1], dtype=np.int64)
            gaps = None
        else:
            lengths = finite.sum(axis=1)
            if np.isinf(matrix).any():
                row = int(np.argmax(np.isinf(matrix).any(axis=1)))
                raise ValueError(f"series {row}: values must all be finite numbers")
            prefix = np.arange(matrix.shape[1]) < lengths[:, None]
            gaps = (finite != prefix).any(axis=1)
        if gaps is not None and gaps.any():
            row = int(np.argmax(gaps))
            col = int(np.argmax(~finite[row]))
            raise ValueError(
                f"series {row}: values must all be finite numbers: index {col} is nan "
                "(NaN is only allowed as padding after the last value)"
            )
    else:
        if isinstance(values, str | bytes):
            raise ValueError("values must be a 2-D array or a sequence of sequences")
        rows = []
        for r, row in enumerate(values):
            try:
                arr = np.asarray(row, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"series {r}: values must be numbers: {exc}") from None
            if arr.ndim != 1:
                raise ValueError(f"series {r}: values must be one-dimensional")
            rows.append(arr)
        if not rows:
            raise ValueError("values holds no series")
        lengths = np.array([len(a) for a in rows], dtype=np.int64)
        flat = np.concatenate(rows)
        bad = ~np.isfinite(flat)
        if bad.any():
            pos = int(np.argmax(bad))
            row = int(np.searchsorted(np.cumsum(lengths), pos, side="right"))
            col = pos - int(lengths[:row].sum())
            raise ValueError(
                f"series {row}: values must all be finite numbers: index {col} is {flat[pos]}"
            )
        matrix = np.full((len(rows), max(int(lengths.max()), 1)), np.nan)
        matrix[np.arange(matrix.shape[1]) < lengths[:, None]] = flat
    short = lengths < 2
    if short.any():
        row = int(np.argmax(short))
        raise ValueError(
            f"series {row}: values must have at least 2 points (got {int(lengths[row])})"
        )
    return matrix, lengths.astype(np.int64)


def _per_series(value: Any, n_series: int, name: str) -> np.ndarray:
    if isinstance(value, str | bytes) or np.ndim(value) == 0:
        return np.full(n_series, value, dtype=object)
    arr = np.empty(n_series, dtype=object)
    items = list(value)
    if len(items) != n_series:
        raise ValueError(f"{name} has {len(items)} entries for {n_series} series")
    arr[:] = items
    return arr


def _per_series_direction(improvement: Any, n_series: int) -> np.ndarray:
    if isinstance(improvement, str):
        return np.full(n_series, _direction(improvement), dtype=np.int8)
    items = np.asarray(improvement)
    if items.shape != (n_series,):
        raise ValueError(f"improvement has {items.size} entries for {n_series} series")
    if items.dtype.kind != "U":
        for r, item in enumerate(items):
            if not isinstance(item, str):
                raise ValueError(f"series {r}: improvement must be a string, not {item!r}")
        items = items.astype(str)
    out = np.zeros(n_series, dtype=np.int8)
    known = np.zeros(n_series, dtype=bool)
    for name, code in DIRECTIONS.items():
        match = items == name
        out[match] = code
        known |= match
    if not known.all():
        row = int(np.argmax(~known))
        raise ValueError(
            f"series {row}: improvement must be 'increase', 'decrease' or 'neutral', "
            f"not {str(items[row])!r}"
        )
    return out


def _per_series_target(target: Any, n_series: int) -> np.ndarray:
    if target is None:
        return np.full(n_series, np.nan)
    if np.ndim(target) == 0:
        value = _target(target)
        return np.full(n_series, value)
    try:
        out = np.asarray(target, dtype=np.float64)
    except (TypeError, ValueError):
        items = _per_series(target, n_series, "target")
        try:
            out = np.array([np.nan if t is None else t for t in items], dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("target must hold numbers or None") from None
    if out.shape != (n_series,):
        raise ValueError(f"target has {out.size} entries for {n_series} series")
    if np.isinf(out).any():
        row = int(np.argmax(np.isinf(out)))
        raise ValueError(f"series {row}: target must be a finite number")
    return out


def _per_series_fix(fix: Any, n_series: int) -> np.ndarray:
    if fix is None or np.ndim(fix) == 0:
        return np.full(n_series, _fix(fix), dtype=np.int64)
    items = _per_series(fix, n_series, "fix_after_n_points")
    out = np.zeros(n_series, dtype=np.int64)
    for r, item in enumerate(items):
        try:
            out[r] = _fix(item)
        except ValueError as exc:
            raise ValueError(f"series {r}: {exc}") from None
    return out


def _per_series_rebase(rebase_at: Any, lengths: np.ndarray, shape: tuple[int, int]):
    if rebase_at is None:
        return None
    n_series, width = shape
    if isinstance(rebase_at, np.ndarray) and rebase_at.dtype == bool:
        if rebase_at.shape != shape:
            raise ValueError(f"rebase_at mask has shape {rebase_at.shape}, values {shape}")
        beyond = rebase_at & (np.arange(width) >= lengths[:, None])
        if beyond.any():
            row, col = (int(v) for v in np.argwhere(beyond)[0])
            raise ValueError(
                f"series {row}: rebase_at index {col} is out of range for "
                f"{int(lengths[row])} points (0 to {int(lengths[row]) - 1})"
            )
        return rebase_at if rebase_at.any() else None
    items = list(rebase_at)
    if len(items) != n_series:
        raise ValueError(f"rebase_at has {len(items)} entries for {n_series} series")
    rows: list[int] = []
    cols: list[int] = []
    for r, starts in enumerate(items):
        try:
            idx = _rebase_indices(starts, int(lengths[r]))
        except ValueError as exc:
            raise ValueError(f"series {r}: {exc}") from None
        rows.extend([r] * len(idx))
        cols.extend(idx)
    if not rows:
        return None
    mask = np.zeros(shape, dtype=bool)
    mask[rows, cols] = True
    return mask


# --------------------------------------------------------------------------- shifts


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """out[:, j] = a[:, j - k]; False where j < k."""
    out = np.empty_like(a)
    out[:, :k] = False
    out[:, k:] = a[:, :-k]
    return out


def _and_back(a: np.ndarray, k: int) -> np.ndarray:
    """out[:, j] = a[:, j] & a[:, j - k]; False where j < k."""
    out = np.empty_like(a)
    out[:, :k] = False
    np.logical_and(a[:, k:], a[:, :-k], out=out[:, k:])
    return out


def _or_fwd(a: np.ndarray, k: int) -> np.ndarray:
    """out[:, i] = a[:, i] | a[:, i + k]; a[:, i] where i + k is past the end."""
    out = np.empty_like(a)
    out[:, -k:] = a[:, -k:]
    np.logical_or(a[:, :-k], a[:, k:], out=out[:, :-k])
    return out


def _chain_of_7_ends(links: np.ndarray) -> np.ndarray:
    """True at j when links j-5..j all hold, so points j-6..j form a chain of 7.

    ``links[:, j]`` says point j continues the chain from point j - 1.
    """
    two = _and_back(links, 1)
    return _and_back(two, 2) & _shift(two, 4)


def _part_of_7(ends: np.ndarray) -> np.ndarray:
    """True at i when a chain of 7 ends at any of i..i+6 (so i belongs to it)."""
    two = _or_fwd(ends, 1)
    four = _or_fwd(two, 2)
    return _or_fwd(four, 3)


# --------------------------------------------------------------------------- engine


def _compute(
    matrix: np.ndarray,
    lengths: np.ndarray,
    direction: np.ndarray,
    target: np.ndarray,
    rebase_mask: np.ndarray | None,
    fix: np.ndarray,
    screen: np.ndarray,
) -> SPCBatch:
    n_series, width = matrix.shape
    row_offset = np.arange(n_series, dtype=np.int64) * width
    flat = matrix.reshape(-1)
    padded = bool((lengths < width).any())

    # Phases: where each starts, how long it is, and which phase every point is in.
    if rebase_mask is None:
        starts = None
        phase_row = np.arange(n_series, dtype=np.int64)
        phase_col = np.zeros(n_series, dtype=np.int64)
        phase_length = lengths.copy()
        phase_first = np.arange(n_series + 1, dtype=np.int64)
        phase_index = None
    else:
        starts = rebase_mask.copy()
        starts[:, 0] = True
        phase_row, phase_col = (a.astype(np.int64) for a in np.nonzero(starts))
        following = np.empty_like(phase_col)
        following[:-1] = phase_col[1:]
        last_in_row = np.ones(len(phase_col), dtype=bool)
        last_in_row[:-1] = phase_row[1:] != phase_row[:-1]
        phase_end = np.where(last_in_row, lengths[phase_row], following)
        phase_length = phase_end - phase_col
        phase_first = np.zeros(n_series + 1, dtype=np.int64)
        np.cumsum(np.bincount(phase_row, minlength=n_series), out=phase_first[1:])
        phase_index = np.cumsum(starts, axis=1, dtype=np.int64) - 1
        phase_index += phase_first[:-1, None]
    n_phases = len(phase_row)

    def per_point(per_phase: np.ndarray) -> np.ndarray:
        if phase_index is None:
            return per_phase[:, None]
        return per_phase[phase_index]

    # The points each phase's limits come from: all of them, or the first n.
    fix_of_phase = fix[phase_row]
    baseline = np.where(
        (fix_of_phase > 0) & (fix_of_phase < phase_length), fix_of_phase, phase_length
    )
    phase_start = row_offset[phase_row] + phase_col
    bounds = [phase_start]
    cut = baseline < phase_length
    if cut.any():
        bounds.append(phase_start[cut] + baseline[cut])
    if padded:
        short = lengths < width
        bounds.append(row_offset[short] + lengths[short])
    if len(bounds) == 1:
        segment_start = phase_start
        phase_segment = np.arange(n_phases)
    else:
        segment_start = np.sort(np.concatenate(bounds))
        phase_segment = np.searchsorted(segment_start, phase_start)

    def baseline_sum(a: np.ndarray) -> np.ndarray:
        # Each segment is summed on its own, so a series gives the same sums in
        # any batch.
        return np.add.reduceat(a.reshape(-1), segment_start)[phase_segment]

    with np.errstate(invalid="ignore", divide="ignore"):
        mean = baseline_sum(flat) / baseline

        moving = np.empty_like(matrix)
        moving[:, 0] = 0.0
        np.subtract(matrix[:, 1:], matrix[:, :-1], out=moving[:, 1:])
        np.abs(moving, out=moving)
        if starts is not None:
            moving[starts] = 0.0
        n_ranges = baseline - 1
        amr = baseline_sum(moving) / n_ranges

        screen_phase = screen[phase_row]
        if screen_phase.any():
            keep = moving < per_point(SCREEN_FACTOR * amr)
            keep[:, 0] = False
            if starts is not None:
                keep &= ~starts
            # Padding cells may be NaN; they are in segments of their own.
            kept_sum = baseline_sum(np.multiply(moving, keep, out=moving))
            kept_count = np.add.reduceat(keep.reshape(-1), segment_start, dtype=np.int64)[
                phase_segment
            ]
            # All moving ranges zero: nothing is kept, and the average stays zero.
            screened = np.where(kept_count > 0, kept_sum / kept_count, np.where(amr == 0, 0, amr))
            amr = np.where(screen_phase, screened, amr)

    upper = mean + LIMIT_FACTOR * amr
    lower = mean - LIMIT_FACTOR * amr
    near_upper = mean + NEAR_FACTOR * amr
    near_lower = mean - NEAR_FACTOR * amr

    # Where each point sits. Padding is NaN, so every comparison is False there.
    x = matrix
    above = x > per_point(mean)
    below = x < per_point(mean)
    out_high = x > per_point(upper)
    outside = out_high | (x < per_point(lower))
    near = ((x > per_point(near_upper)) | (x < per_point(near_lower))) & ~outside

    # links[:, j]: point j continues the chain from point j - 1 (same phase).
    same_side = _and_back(above, 1) | _and_back(below, 1)
    rising = np.zeros_like(above)
    np.greater(x[:, 1:], x[:, :-1], out=rising[:, 1:])
    falling = np.zeros_like(above)
    np.less(x[:, 1:], x[:, :-1], out=falling[:, 1:])
    if starts is not None:
        same_side &= ~starts
        rising &= ~starts
        falling &= ~starts

    # Run: 7 or more points in a row strictly on one side of the mean.
    run = _part_of_7(_chain_of_7_ends(same_side))

    # Trend: 7 or more points each strictly above (or below) the one before.
    trend = _part_of_7(_chain_of_7_ends(rising) | _chain_of_7_ends(falling))
    # A trend point's direction is the step to the next point when that point is
    # in a trend too, otherwise the step from the previous point.
    next_in_trend = np.zeros_like(trend)
    np.logical_and(trend[:, :-1], trend[:, 1:], out=next_in_trend[:, :-1])
    if starts is not None:
        next_in_trend[:, :-1] &= ~starts[:, 1:]
    rising_next = np.zeros_like(rising)
    rising_next[:, :-1] = rising[:, 1:]
    trend_up = np.where(next_in_trend, rising_next, rising)

    # Two of three: in 3 points in a row, all on one side of the mean, at least 2
    # are near the limit on that side; only the near points are flagged.
    pair = _and_back(near, 1)
    two_near = pair | _shift(pair, 1) | _and_back(near, 2)
    window = two_near & _and_back(same_side, 1)
    two_of_three = near & _or_fwd(_or_fwd(window, 1), 1)

    # Label each point by the first rule that holds, in precedence order.
    signal = np.zeros(x.shape, dtype=np.int8)
    np.copyto(signal, np.int8(4), where=run)
    np.copyto(signal, np.int8(3), where=two_of_three)
    np.copyto(signal, np.int8(2), where=trend)
    np.copyto(signal, np.int8(1), where=outside)
    # The side a signal is on: a trend's direction, otherwise the side of the mean.
    high = np.where(trend & ~outside, trend_up, above)
    flagged = signal > 0
    high_code = np.choose(direction + 1, [2, 3, 1]).astype(np.int8)[:, None]
    low_code = np.choose(direction + 1, [1, 4, 2]).astype(np.int8)[:, None]
    point = np.zeros(x.shape, dtype=np.int8)
    np.copyto(point, high_code, where=flagged & high)
    np.copyto(point, low_code, where=flagged & ~high)
    if padded:
        pad = np.arange(width) >= lengths[:, None]
        point[pad] = -1
        signal[pad] = -1

    # Icons come from the last point and the latest phase.
    rows = np.arange(n_series)
    last = point[rows, lengths - 1]
    variation = np.zeros(n_series, dtype=np.int8)
    variation[last == 1] = np.where(direction[last == 1] > 0, 1, 2)
    variation[last == 2] = np.where(direction[last == 2] > 0, 4, 3)
    variation[last == 3] = 5
    variation[last == 4] = 6

    latest = phase_first[1:] - 1
    increase = direction > 0
    passes = np.where(increase, lower[latest] > target, upper[latest] < target)
    fails = np.where(increase, upper[latest] < target, lower[latest] > target)
    assurance = np.where(passes, 1, np.where(fails, 2, 3)).astype(np.int8)
    assurance[np.isnan(target) | (direction == 0)] = 0
    trial = phase_length[latest] < TRIAL_BELOW

    return SPCBatch(
        values=matrix,
        lengths=lengths,
        direction=direction,
        target=target,
        fix_after_n_points=fix,
        screen_outliers=screen,
        phase_row=phase_row,
        phase_start=phase_col,
        phase_length=phase_length,
        phase_mean=mean,
        phase_lower=lower,
        phase_upper=upper,
        phase_near_lower=near_lower,
        phase_near_upper=near_upper,
        phase_first=phase_first,
        point_code=point,
        signal_code=signal,
        variation_code=variation,
        assurance_code=assurance,
        trial_limits=trial,
        _phase_index=phase_index,
    )
