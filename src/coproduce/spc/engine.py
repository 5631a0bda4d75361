"""Statistical process control charts (XmR and its family), vectorised with numpy.

The rules are those of NHS England's "Making Data Count" as implemented by the
NHS-R community's reference package: see docs/adr/010-spc-engine.md and the
"Measurement for improvement" section of the product description. The other
charts (run, p, p', u, u', c, g and t) compute their centre lines and limits as
qicharts2 and Montgomery do, then read them with the same rules, and every chart
carries the Anhoej runs analysis: see docs/adr/140-spc-chart-family.md.

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
    "CHARTS",
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
    "RunsAnalysis",
    "SPCBatch",
    "SPCResult",
    "analyse",
    "analyse_many",
    "crossings_min",
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

#: Chart codes, indexed by :attr:`SPCBatch.chart_code`.
CHARTS = ("xmr", "run", "p", "pp", "u", "up", "c", "g", "t")
#: Charts whose values are numerators over denominators ``n``.
RATIO_CHARTS = frozenset({"p", "pp", "u", "up"})
#: Charts of proportions: their limits stay within 0 and 1 (before the multiplier).
PROPORTION_CHARTS = frozenset({"p", "pp"})
#: Charts whose limits differ from point to point (with the denominator).
VARYING_LIMIT_CHARTS = RATIO_CHARTS
#: Moving ranges over this give sigma (d2 for subgroups of two).
D2 = 1.128
#: The power that makes times between events near normal (t charts).
T_POWER = 3.6

#: Point type names, indexed by the codes in :attr:`SPCBatch.point_code`.
POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
#: Which rule labelled a point, indexed by :attr:`SPCBatch.signal_code` (precedence order).
#: ``long_run`` is the run chart's rule: a run longer than the runs analysis expects.
SIGNALS = (None, "outside_limits", "trend", "two_of_three", "run", "long_run")
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


@dataclass(frozen=True)
class RunsAnalysis:
    """The Anhoej runs analysis of one phase against its centre line.

    Read it as attributes (``runs.longest_run``) or as keys (``runs["longest_run"]``).
    ``useful`` counts the points not on the centre line; ``signal`` is True when the
    longest run is longer than ``longest_run_max`` or there are fewer crossings of
    the centre line than ``crossings_min``.
    """

    start: int
    useful: int
    longest_run: int
    longest_run_max: int
    crossings: int
    crossings_min: int
    signal: bool

    def __getitem__(self, key: str) -> Any:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)

    def keys(self) -> tuple[str, ...]:
        return tuple(self.__dataclass_fields__)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self.__dataclass_fields__ else default

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


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
    chart: str = "xmr"
    runs: tuple[RunsAnalysis, ...] = ()
    multiplier: float = 1.0
    denominators: np.ndarray | None = None
    sigma_z: tuple[float, ...] | None = None

    def __len__(self) -> int:
        return len(self.values)

    @property
    def value(self) -> np.ndarray:
        """The plotted values (``values``)."""
        return self.values

    @property
    def has_limits(self) -> bool:
        """False for run charts, which have a median and no limits."""
        return self.chart != "run"

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
    chart_code: np.ndarray | None = None
    multiplier: np.ndarray | None = None
    denominators: np.ndarray | None = None
    point_lower: np.ndarray | None = field(default=None, repr=False)
    point_upper: np.ndarray | None = field(default=None, repr=False)
    point_near_lower: np.ndarray | None = field(default=None, repr=False)
    point_near_upper: np.ndarray | None = field(default=None, repr=False)
    phase_useful: np.ndarray | None = None
    phase_longest_run: np.ndarray | None = None
    phase_longest_run_max: np.ndarray | None = None
    phase_crossings: np.ndarray | None = None
    phase_crossings_min: np.ndarray | None = None
    phase_sigma_z: np.ndarray | None = None

    @property
    def chart(self) -> list[str]:
        codes = self.chart_code
        if codes is None:
            return ["xmr"] * len(self)
        return [CHARTS[c] for c in codes.tolist()]

    @property
    def phase_runs_signal(self) -> np.ndarray:
        return (self.phase_longest_run > self.phase_longest_run_max) | (
            self.phase_crossings < self.phase_crossings_min
        )

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

    def _point_line(self, per_point: np.ndarray | None, per_phase: np.ndarray) -> np.ndarray:
        if per_point is None:
            return self._expand(per_phase)
        out = per_point.copy()
        out[self.point_code < 0] = np.nan
        return out

    @property
    def mean(self) -> np.ndarray:
        return self._expand(self.phase_mean)

    @property
    def lower(self) -> np.ndarray:
        return self._point_line(self.point_lower, self.phase_lower)

    @property
    def upper(self) -> np.ndarray:
        return self._point_line(self.point_upper, self.phase_upper)

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

        def line(per_phase: np.ndarray, per_point: np.ndarray | None = None) -> np.ndarray:
            if per_point is not None:
                return per_point[i, :n].copy()
            return np.repeat(per_phase[first:last], lengths)

        codes = self.point_code[i, :n].tolist()
        signals = self.signal_code[i, :n].tolist()
        target = float(self.target[i])
        fix = int(self.fix_after_n_points[i])
        chart = CHARTS[int(self.chart_code[i])] if self.chart_code is not None else "xmr"
        runs: tuple[RunsAnalysis, ...] = ()
        if self.phase_useful is not None:
            signal = self.phase_runs_signal
            runs = tuple(
                RunsAnalysis(
                    start=int(self.phase_start[k]),
                    useful=int(self.phase_useful[k]),
                    longest_run=int(self.phase_longest_run[k]),
                    longest_run_max=int(self.phase_longest_run_max[k]),
                    crossings=int(self.phase_crossings[k]),
                    crossings_min=int(self.phase_crossings_min[k]),
                    signal=bool(signal[k]),
                )
                for k in range(first, last)
            )
        sigma_z = None
        if self.phase_sigma_z is not None and chart in ("pp", "up"):
            sigma_z = tuple(float(v) for v in self.phase_sigma_z[first:last])
        return SPCResult(
            values=self.values[i, :n].copy(),
            mean=line(self.phase_mean),
            lower=line(self.phase_lower, self.point_lower),
            upper=line(self.phase_upper, self.point_upper),
            near_lower=line(self.phase_near_lower, self.point_near_lower),
            near_upper=line(self.phase_near_upper, self.point_near_upper),
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
            chart=chart,
            runs=runs,
            multiplier=float(self.multiplier[i]) if self.multiplier is not None else 1.0,
            denominators=(
                self.denominators[i, :n].copy()
                if self.denominators is not None and chart in RATIO_CHARTS
                else None
            ),
            sigma_z=sigma_z,
        )


# --------------------------------------------------------------------------- public API


def analyse(
    values: Sequence[float] | np.ndarray,
    chart: str = "xmr",
    n: Sequence[float] | np.ndarray | None = None,
    multiplier: float = 1,
    improvement: str = "increase",
    target: float | None = None,
    rebase_at: Sequence[int] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
) -> SPCResult:
    """Analyse one series of values in time order.

    ``chart`` is one of :data:`CHARTS`: ``"xmr"`` (the default), ``"run"``, ``"p"``,
    ``"pp"`` (Laney p'), ``"u"``, ``"up"`` (Laney u'), ``"c"``, ``"g"`` or ``"t"``.
    For p, p', u and u' charts ``values`` are numerators and ``n`` their
    denominators; the plotted value is ``values / n * multiplier``. Other charts
    plot ``values * multiplier``. g charts take cases between events (0 or more),
    t charts times between events (more than 0).

    ``improvement`` is ``"increase"``, ``"decrease"`` or ``"neutral"``. ``target``
    (optional, in plotted units) gives the assurance icon. ``rebase_at`` lists the
    indices where a new phase starts (0 is allowed and changes nothing).
    ``fix_after_n_points`` (12 or more) computes each phase's centre and limits
    from its first n points only. ``screen_outliers`` drops moving ranges of 3.267
    times the average or more once before the limits are computed (XmR, t, p', u').

    Raises ``ValueError`` in plain words for bad input: fewer than 2 points,
    non-finite values, an unknown chart or direction, missing or non-positive
    denominators, a numerator above its denominator on a p chart, negative counts,
    a t chart time of 0 or less, a rebase index out of range or a bad baseline.
    """
    if isinstance(chart, str) and chart in DIRECTIONS:
        # An older positional call: analyse(values, "decrease", ...).
        improvement, chart = chart, "xmr"
    code = _chart_code(chart)
    arr = _as_series(values)
    direction = _direction(improvement)
    tgt = _target(target)
    starts = _rebase_indices(rebase_at, len(arr))
    fix = _fix(fix_after_n_points)
    mult = _multiplier(multiplier)
    denom = None
    if CHARTS[code] in RATIO_CHARTS:
        denom = _as_denominators(n, len(arr))
    _check_chart_values(CHARTS[code], arr, denom)
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
        chart=CHARTS[code],
        denom=None if denom is None else denom[None, :],
        multiplier=np.array([mult]),
    )
    return batch[0]


def analyse_many(
    values: np.ndarray | Sequence[Sequence[float]],
    chart: str | Sequence[str] = "xmr",
    n: np.ndarray | Sequence[Sequence[float] | None] | None = None,
    multiplier: float | Sequence[float] = 1,
    improvement: str | Sequence[str] = "increase",
    target: float | None | Sequence[float | None] = None,
    rebase_at: Sequence[Sequence[int]] | np.ndarray | None = None,
    fix_after_n_points: int | None | Sequence[int | None] = None,
    screen_outliers: bool | Sequence[bool] = True,
) -> SPCBatch:
    """Analyse many series at once; each gives exactly what :func:`analyse` gives.

    ``values`` is either a 2-D array with one series per row, each row's values
    first and NaN padding after them (a row may not have a gap), or a sequence of
    1-D sequences of any lengths (padded for you). ``n`` (needed when any series is
    a p, p', u or u' chart) is shaped like ``values``: a 2-D array, or one sequence
    per series (``None`` for series that need none).

    Every other argument is either one value for all series or a sequence with one
    entry per series:

    - ``chart``: one of :data:`CHARTS`;
    - ``multiplier``: a positive number the plotted values are multiplied by;
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
    if isinstance(chart, str) and chart in DIRECTIONS:
        improvement, chart = chart, "xmr"
    matrix, lengths = _as_matrix(values)
    n_series = matrix.shape[0]
    charts = _per_series_chart(chart, n_series)
    mult = _per_series_multiplier(multiplier, n_series)
    direction = _per_series_direction(improvement, n_series)
    targets = _per_series_target(target, n_series)
    mask = _per_series_rebase(rebase_at, lengths, matrix.shape)
    fix = _per_series_fix(fix_after_n_points, n_series)
    screen = _per_series(screen_outliers, n_series, "screen_outliers").astype(bool)
    ratio = np.isin(charts, [CHARTS.index(c) for c in RATIO_CHARTS])
    denom = _per_series_denominators(n, lengths, matrix.shape, ratio)
    _check_many(matrix, lengths, charts, denom)
    present = np.unique(charts)
    if len(present) == 1:
        return _compute(
            matrix,
            lengths,
            direction,
            targets,
            mask,
            fix,
            screen,
            chart=CHARTS[int(present[0])],
            denom=denom,
            multiplier=mult,
        )
    parts = []
    for code in present.tolist():
        rows = np.flatnonzero(charts == code)
        own_denom = None if denom is None or CHARTS[code] not in RATIO_CHARTS else denom[rows]
        parts.append(
            (
                rows,
                _compute(
                    matrix[rows],
                    lengths[rows],
                    direction[rows],
                    targets[rows],
                    None if mask is None else mask[rows],
                    fix[rows],
                    screen[rows],
                    chart=CHARTS[code],
                    denom=own_denom,
                    multiplier=mult[rows],
                ),
            )
        )
    return _merge(parts, n_series, matrix, denom)


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


def _chart_code(chart: Any) -> int:
    if not isinstance(chart, str) or chart not in CHARTS:
        listed = ", ".join(repr(c) for c in CHARTS)
        raise ValueError(f"chart must be one of {listed}, not {chart!r}")
    return CHARTS.index(chart)


def _multiplier(multiplier: Any) -> float:
    try:
        value = float(multiplier)
    except (TypeError, ValueError):
        raise ValueError(f"multiplier must be a positive number, not {multiplier!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"multiplier must be a positive number, not {multiplier!r}")
    return value


def _as_denominators(n: Any, length: int) -> np.ndarray:
    if n is None:
        raise ValueError("this chart needs denominators: give n, one for each value")
    try:
        arr = np.asarray(n, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("denominators (n) must be numbers") from None
    if arr.ndim == 0:
        arr = np.full(length, float(arr))
    if arr.shape != (length,):
        raise ValueError(f"n has {arr.size} denominators for {length} values")
    return np.ascontiguousarray(arr)


def _bad_chart_values(chart: str, y: np.ndarray, d: np.ndarray | None) -> str | None:
    """The first problem with one series' values for its chart, in words, or None."""

    def first(bad: np.ndarray) -> int:
        return int(np.argmax(bad))

    if chart in RATIO_CHARTS:
        bad = ~(np.isfinite(d) & (d > 0))
        if bad.any():
            i = first(bad)
            return f"denominators (n) must all be more than 0: index {i} is {format(d[i], 'g')}"
        if (y < 0).any():
            i = first(y < 0)
            return f"numerators cannot be negative: index {i} is {format(y[i], 'g')}"
        if chart in PROPORTION_CHARTS and (y > d).any():
            i = first(y > d)
            return (
                f"a numerator cannot be more than its denominator: index {i} is "
                f"{format(y[i], 'g')} out of {format(d[i], 'g')}"
            )
    elif chart == "c" and (y < 0).any():
        i = first(y < 0)
        return f"counts cannot be negative: index {i} is {format(y[i], 'g')}"
    elif chart == "g" and (y < 0).any():
        i = first(y < 0)
        return f"cases between events cannot be negative: index {i} is {format(y[i], 'g')}"
    elif chart == "t" and (y <= 0).any():
        i = first(y <= 0)
        return f"times between events must be more than 0: index {i} is {format(y[i], 'g')}"
    return None


def _check_chart_values(chart: str, y: np.ndarray, d: np.ndarray | None) -> None:
    problem = _bad_chart_values(chart, y, d)
    if problem:
        raise ValueError(problem)


def _check_many(
    matrix: np.ndarray, lengths: np.ndarray, charts: np.ndarray, denom: np.ndarray | None
) -> None:
    plain = (charts == 0) | (charts == 1)
    if plain.all():
        return
    width = matrix.shape[1]
    valid = np.arange(width) < lengths[:, None]
    bad = np.zeros(matrix.shape[0], dtype=bool)
    for code in np.unique(charts[~plain]).tolist():
        rows = charts == code
        name = CHARTS[code]
        y = matrix[rows]
        ok = valid[rows]
        if name in RATIO_CHARTS:
            d = denom[rows]
            wrong = ~(np.isfinite(d) & (d > 0)) | (y < 0)
            if name in PROPORTION_CHARTS:
                wrong |= y > d
        elif name == "t":
            wrong = y <= 0
        else:
            wrong = y < 0
        bad[rows] = (wrong & ok).any(axis=1)
    if bad.any():
        r = int(np.argmax(bad))
        k = int(lengths[r])
        d = denom[r, :k] if denom is not None and CHARTS[int(charts[r])] in RATIO_CHARTS else None
        problem = _bad_chart_values(CHARTS[int(charts[r])], matrix[r, :k], d)
        raise ValueError(f"series {r}: {problem}")


def _per_series_chart(chart: Any, n_series: int) -> np.ndarray:
    if isinstance(chart, str):
        return np.full(n_series, _chart_code(chart), dtype=np.int8)
    items = list(chart)
    if len(items) != n_series:
        raise ValueError(f"chart has {len(items)} entries for {n_series} series")
    out = np.zeros(n_series, dtype=np.int8)
    lookup = {c: k for k, c in enumerate(CHARTS)}
    for r, item in enumerate(items):
        code = lookup.get(item) if isinstance(item, str) else None
        if code is None:
            try:
                _chart_code(item)
            except ValueError as exc:
                raise ValueError(f"series {r}: {exc}") from None
        out[r] = code
    return out


def _per_series_multiplier(multiplier: Any, n_series: int) -> np.ndarray:
    if np.ndim(multiplier) == 0:
        return np.full(n_series, _multiplier(multiplier))
    items = list(multiplier)
    if len(items) != n_series:
        raise ValueError(f"multiplier has {len(items)} entries for {n_series} series")
    out = np.empty(n_series)
    for r, item in enumerate(items):
        try:
            out[r] = _multiplier(item)
        except ValueError as exc:
            raise ValueError(f"series {r}: {exc}") from None
    return out


def _per_series_denominators(
    n: Any, lengths: np.ndarray, shape: tuple[int, int], needed: np.ndarray
) -> np.ndarray | None:
    if n is None:
        if needed.any():
            r = int(np.argmax(needed))
            raise ValueError(
                f"series {r}: this chart needs denominators: give n, one for each value"
            )
        return None
    if isinstance(n, np.ndarray) and n.ndim == 2 and n.dtype != object:
        if n.shape != shape:
            raise ValueError(f"n has shape {n.shape}, values {shape}")
        try:
            return np.ascontiguousarray(n, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("denominators (n) must be numbers") from None
    if isinstance(n, str | bytes) or not hasattr(n, "__iter__"):
        raise ValueError("n must hold one sequence of denominators per series")
    items = list(n)
    if len(items) != shape[0]:
        raise ValueError(f"n has {len(items)} entries for {shape[0]} series")
    out = np.full(shape, np.nan)
    for r, item in enumerate(items):
        k = int(lengths[r])
        if item is None:
            if needed[r]:
                raise ValueError(
                    f"series {r}: this chart needs denominators: give n, one for each value"
                )
            continue
        try:
            out[r, :k] = _as_denominators(item, k)
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


# --------------------------------------------------------------------------- runs analysis

_CROSSINGS_MIN = np.zeros(0, dtype=np.int64)


def _crossings_min_table(upto: int) -> np.ndarray:
    """crossings_min for 0..upto useful points, computed exactly and kept."""
    global _CROSSINGS_MIN
    have = len(_CROSSINGS_MIN)
    if upto < have:
        return _CROSSINGS_MIN
    new = [_binomial_5_percent(useful - 1) for useful in range(have, max(upto + 1, 2 * have))]
    _CROSSINGS_MIN = np.concatenate([_CROSSINGS_MIN, np.array(new, dtype=np.int64)])
    return _CROSSINGS_MIN


def _binomial_5_percent(trials: int) -> int:
    """The 5% quantile of Binomial(trials, 1/2): the smallest x with P(X <= x) >= 0.05.

    Exact, in whole numbers: P(X <= x) >= 1/20 exactly when 20 * sum(C(m, k)) >= 2^m.
    """
    if trials <= 0:
        return 0
    need = 1 << trials
    total = 0
    term = 1  # C(trials, k)
    for k in range(trials + 1):
        total += term
        if 20 * total >= need:
            return k
        term = term * (trials - k) // (k + 1)
    return trials


def crossings_min(useful: int) -> int:
    """Fewest crossings of the centre line expected by chance with ``useful`` points."""
    if useful < 0:
        raise ValueError("useful must be 0 or more")
    return int(_crossings_min_table(useful)[useful])


def _longest_run_max(useful: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        out = np.round(np.log2(np.maximum(useful, 1))) + 3
    return np.where(useful > 0, out, 0).astype(np.int64)


# --------------------------------------------------------------------------- engine


def _compute(
    matrix: np.ndarray,
    lengths: np.ndarray,
    direction: np.ndarray,
    target: np.ndarray,
    rebase_mask: np.ndarray | None,
    fix: np.ndarray,
    screen: np.ndarray,
    chart: str = "xmr",
    denom: np.ndarray | None = None,
    multiplier: np.ndarray | None = None,
) -> SPCBatch:
    n_series, width = matrix.shape
    row_offset = np.arange(n_series, dtype=np.int64) * width
    padded = bool((lengths < width).any())
    if rebase_mask is not None and not rebase_mask.any():
        rebase_mask = None

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

    # The points each phase's centre and limits come from: all of them, or the first n.
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

    def baseline_sum(a: np.ndarray, dtype: Any = None) -> np.ndarray:
        # Each segment is summed on its own, so a series gives the same sums in
        # any batch.
        return np.add.reduceat(a.reshape(-1), segment_start, dtype=dtype)[phase_segment]

    def baseline_mean(a: np.ndarray) -> np.ndarray:
        # As R computes a mean, so that a target exactly on a limit reads as it does
        # in the reference: m = sum / n, then a correction pass m += sum(x - m) / n in
        # extended precision, where each x - m is exact.
        m = (baseline_sum(a) / baseline).astype(np.longdouble)
        m += baseline_sum(a - per_point(m)) / baseline
        return m.astype(np.float64)

    def screened_amr(a: np.ndarray) -> np.ndarray:
        moving = np.empty_like(a)
        moving[:, 0] = 0.0
        np.subtract(a[:, 1:], a[:, :-1], out=moving[:, 1:])
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
        return amr

    def baseline_median(a: np.ndarray) -> np.ndarray:
        cols = np.arange(width)
        if phase_index is None:
            inside = cols < baseline[:, None]
            ordered = np.sort(np.where(inside, a, np.nan), axis=1)
            lo = ((baseline - 1) // 2)[:, None]
            hi = (baseline // 2)[:, None]
            low = np.take_along_axis(ordered, lo, axis=1)[:, 0]
            high = np.take_along_axis(ordered, hi, axis=1)[:, 0]
        else:
            offset = cols - phase_col[phase_index]
            inside = (offset < baseline[phase_index]) & (cols < lengths[:, None])
            keys = phase_index[inside]
            vals = a[inside]
            ordered = vals[np.lexsort((vals, keys))]
            first = np.zeros(n_phases, dtype=np.int64)
            np.cumsum(baseline[:-1], out=first[1:])
            low = ordered[first + (baseline - 1) // 2]
            high = ordered[first + baseline // 2]
        return (low + high) / 2

    point_lines = None
    sigma_z = None
    nan_phase = np.full(n_phases, np.nan)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        values = matrix / denom if chart in RATIO_CHARTS else matrix
        if chart == "xmr":
            mean = baseline_mean(values)
            amr = screened_amr(values)
            upper = mean + LIMIT_FACTOR * amr
            lower = mean - LIMIT_FACTOR * amr
            near_upper = mean + NEAR_FACTOR * amr
            near_lower = mean - NEAR_FACTOR * amr
        elif chart == "t":
            power = values ** (1 / T_POWER)
            centre = baseline_mean(power)
            sigma = screened_amr(power) / D2
            mean = centre**T_POWER
            upper = (centre + 3 * sigma) ** T_POWER
            near_upper = (centre + 2 * sigma) ** T_POWER
            low3, low2 = centre - 3 * sigma, centre - 2 * sigma
            # Below 0 the back-transformed limit is undefined: it becomes 0.
            lower = np.where(low3 > 0, np.abs(low3) ** T_POWER, np.where(np.isnan(low3), low3, 0))
            near_lower = np.where(
                low2 > 0, np.abs(low2) ** T_POWER, np.where(np.isnan(low2), low2, 0)
            )
        elif chart == "c":
            mean = baseline_mean(values)
            sigma = np.sqrt(mean)
            upper, near_upper = mean + 3 * sigma, mean + 2 * sigma
            lower = np.maximum(mean - 3 * sigma, 0)
            near_lower = np.maximum(mean - 2 * sigma, 0)
        elif chart == "g":
            gbar = baseline_mean(values)
            sigma = np.sqrt(gbar * (gbar + 1))
            upper, near_upper = gbar + 3 * sigma, gbar + 2 * sigma
            lower = np.maximum(gbar - 3 * sigma, 0)
            near_lower = np.maximum(gbar - 2 * sigma, 0)
            mean = baseline_median(values)
        elif chart == "run":
            mean = baseline_median(values)
            upper = lower = near_upper = near_lower = nan_phase
        else:  # p, p', u, u': limits from each point's denominator
            mean = baseline_sum(matrix) / baseline_sum(denom)
            centre = per_point(mean)
            if chart in PROPORTION_CHARTS:
                sigma = np.sqrt(centre * (1 - centre) / denom)
            else:
                sigma = np.sqrt(centre / denom)
            if chart in ("pp", "up"):
                z = (values - centre) / sigma
                # A centre of 0 (or 1) leaves no spread: those points sit on it.
                z[sigma == 0] = 0.0
                sigma_z = screened_amr(z) / D2
                sigma = sigma * per_point(sigma_z)
            pu, pl = centre + 3 * sigma, np.maximum(centre - 3 * sigma, 0)
            nu, nl = centre + 2 * sigma, np.maximum(centre - 2 * sigma, 0)
            if chart in PROPORTION_CHARTS:
                pu, nu = np.minimum(pu, 1), np.minimum(nu, 1)
            point_lines = [pl, pu, nl, nu]
            upper = lower = near_upper = near_lower = nan_phase

    # The multiplier scales values and lines alike (after the limits are clipped).
    if multiplier is not None and (multiplier != 1).any():
        row_factor = multiplier[:, None]
        phase_factor = multiplier[phase_row]
        values = values * row_factor
        mean = mean * phase_factor
        if point_lines is None:
            upper, lower = upper * phase_factor, lower * phase_factor
            near_upper, near_lower = near_upper * phase_factor, near_lower * phase_factor
        else:
            point_lines = [p * row_factor for p in point_lines]

    if point_lines is None:
        line_lower, line_upper = per_point(lower), per_point(upper)
        line_near_lower, line_near_upper = per_point(near_lower), per_point(near_upper)
    else:
        line_lower, line_upper, line_near_lower, line_near_upper = point_lines

    # Where each point sits. Padding is NaN, so every comparison is False there.
    x = values
    centre_line = per_point(mean)
    above = x > centre_line
    below = x < centre_line

    # links[:, j]: point j continues the chain from point j - 1 (same phase).
    same_side = _and_back(above, 1) | _and_back(below, 1)
    if starts is not None:
        same_side &= ~starts

    # The runs analysis (Anhoej) of each whole phase against its centre line, on the
    # useful points (those off the line) taken in order. Phases are contiguous in
    # that order, so each one's useful points are a slice.
    useful_at = above | below
    flat_useful = np.flatnonzero(useful_at)
    side = above.reshape(-1)[flat_useful]
    total = len(flat_useful)
    bounds = np.searchsorted(flat_useful, phase_start)
    useful = np.diff(np.append(bounds, total)).astype(np.int64)
    new_run = np.ones(total, dtype=bool)
    np.not_equal(side[1:], side[:-1], out=new_run[1:])
    new_run[bounds[useful > 0]] = True
    run_start = np.flatnonzero(new_run)
    run_length = np.diff(np.append(run_start, total))
    first_run = np.searchsorted(run_start, bounds)
    n_runs = np.diff(np.append(first_run, len(run_start)))
    crossings = np.maximum(n_runs - 1, 0).astype(np.int64)
    longest = np.zeros(n_phases, dtype=np.int64)
    has_runs = useful > 0
    if has_runs.any():
        longest[has_runs] = np.maximum.reduceat(run_length, first_run[has_runs])
    longest_max = _longest_run_max(useful)
    fewest = _crossings_min_table(int(useful.max(initial=0)))[useful]

    signal = np.zeros(x.shape, dtype=np.int8)
    if chart == "run":
        # Run charts: points in a run longer than the runs analysis expects.
        run_phase = np.repeat(np.arange(n_phases), n_runs)
        too_long = np.repeat(run_length > longest_max[run_phase], run_length)
        flagged_cells = np.zeros(x.size, dtype=bool)
        flagged_cells[flat_useful[too_long]] = True
        np.copyto(signal, np.int8(5), where=flagged_cells.reshape(x.shape))
        high = above
    else:
        out_high = x > line_upper
        outside = out_high | (x < line_lower)
        near = ((x > line_near_upper) | (x < line_near_lower)) & ~outside

        rising = np.zeros_like(above)
        np.greater(x[:, 1:], x[:, :-1], out=rising[:, 1:])
        falling = np.zeros_like(above)
        np.less(x[:, 1:], x[:, :-1], out=falling[:, 1:])
        if starts is not None:
            rising &= ~starts
            falling &= ~starts

        # Run: 7 or more points in a row strictly on one side of the centre line.
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

        # Two of three: in 3 points in a row, all on one side of the centre line, at
        # least 2 are near the limit on that side; only the near points are flagged.
        pair = _and_back(near, 1)
        two_near = pair | _shift(pair, 1) | _and_back(near, 2)
        window = two_near & _and_back(same_side, 1)
        two_of_three = near & _or_fwd(_or_fwd(window, 1), 1)

        # Label each point by the first rule that holds, in precedence order.
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

    # Icons come from the last point and its limits.
    rows = np.arange(n_series)
    last = point[rows, lengths - 1]
    variation = np.zeros(n_series, dtype=np.int8)
    variation[last == 1] = np.where(direction[last == 1] > 0, 1, 2)
    variation[last == 2] = np.where(direction[last == 2] > 0, 4, 3)
    variation[last == 3] = 5
    variation[last == 4] = 6

    latest = phase_first[1:] - 1
    if point_lines is None:
        last_lower, last_upper = lower[latest], upper[latest]
    else:
        last_lower = line_lower[rows, lengths - 1]
        last_upper = line_upper[rows, lengths - 1]
    increase = direction > 0
    passes = np.where(increase, last_lower > target, last_upper < target)
    fails = np.where(increase, last_upper < target, last_lower > target)
    assurance = np.where(passes, 1, np.where(fails, 2, 3)).astype(np.int8)
    assurance[np.isnan(target) | (direction == 0)] = 0
    if chart == "run":
        assurance[:] = 0
    trial = phase_length[latest] < TRIAL_BELOW

    return SPCBatch(
        values=x,
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
        chart_code=np.full(n_series, CHARTS.index(chart), dtype=np.int8),
        multiplier=multiplier if multiplier is not None else np.ones(n_series),
        denominators=denom if chart in RATIO_CHARTS else None,
        point_lower=point_lines[0] if point_lines is not None else None,
        point_upper=point_lines[1] if point_lines is not None else None,
        point_near_lower=point_lines[2] if point_lines is not None else None,
        point_near_upper=point_lines[3] if point_lines is not None else None,
        phase_useful=useful,
        phase_longest_run=longest,
        phase_longest_run_max=longest_max,
        phase_crossings=crossings,
        phase_crossings_min=fewest,
        phase_sigma_z=sigma_z,
    )


def _merge(
    parts: list[tuple[np.ndarray, SPCBatch]],
    n_series: int,
    matrix: np.ndarray,
    denom: np.ndarray | None,
) -> SPCBatch:
    """One batch from batches of different charts, series back in their given order."""
    width = matrix.shape[1]

    def per_series(name: str, dtype: Any) -> np.ndarray:
        out = np.empty(n_series, dtype=dtype)
        for rows, batch in parts:
            out[rows] = getattr(batch, name)
        return out

    def per_point(name: str, fill: Any, dtype: Any) -> np.ndarray:
        out = np.full((n_series, width), fill, dtype=dtype)
        for rows, batch in parts:
            out[rows] = getattr(batch, name)
        return out

    # Phases of all parts, ordered by series (a series' phases stay in order).
    rows_of_phase = np.concatenate([rows[batch.phase_row] for rows, batch in parts])
    order = np.argsort(rows_of_phase, kind="stable")
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))

    def per_phase(name: str, fill: float = np.nan) -> np.ndarray:
        arrays = []
        for _rows, batch in parts:
            value = getattr(batch, name)
            if value is None:
                value = np.full(len(batch.phase_row), fill)
            arrays.append(value)
        return np.concatenate(arrays)[order]

    phase_first = np.zeros(n_series + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows_of_phase, minlength=n_series), out=phase_first[1:])
    phase_index = np.empty((n_series, width), dtype=np.int64)
    offset = 0
    for rows, batch in parts:
        if batch._phase_index is None:
            local = np.repeat(batch.phase_first[:-1, None], width, axis=1)
        else:
            local = batch._phase_index
        phase_index[rows] = inverse[local + offset]
        offset += len(batch.phase_row)

    varying = any(batch.point_lower is not None for _rows, batch in parts)
    lines: dict[str, np.ndarray | None] = {}
    for name, phase_name in (
        ("point_lower", "phase_lower"),
        ("point_upper", "phase_upper"),
        ("point_near_lower", "phase_near_lower"),
        ("point_near_upper", "phase_near_upper"),
    ):
        if not varying:
            lines[name] = None
            continue
        out = np.full((n_series, width), np.nan)
        for rows, batch in parts:
            own = getattr(batch, name)
            out[rows] = own if own is not None else batch._expand(getattr(batch, phase_name))
        lines[name] = out

    return SPCBatch(
        values=per_point("values", np.nan, np.float64),
        lengths=per_series("lengths", np.int64),
        direction=per_series("direction", np.int8),
        target=per_series("target", np.float64),
        fix_after_n_points=per_series("fix_after_n_points", np.int64),
        screen_outliers=per_series("screen_outliers", bool),
        phase_row=rows_of_phase[order],
        phase_start=per_phase("phase_start").astype(np.int64),
        phase_length=per_phase("phase_length").astype(np.int64),
        phase_mean=per_phase("phase_mean"),
        phase_lower=per_phase("phase_lower"),
        phase_upper=per_phase("phase_upper"),
        phase_near_lower=per_phase("phase_near_lower"),
        phase_near_upper=per_phase("phase_near_upper"),
        phase_first=phase_first,
        point_code=per_point("point_code", -1, np.int8),
        signal_code=per_point("signal_code", -1, np.int8),
        variation_code=per_series("variation_code", np.int8),
        assurance_code=per_series("assurance_code", np.int8),
        trial_limits=per_series("trial_limits", bool),
        _phase_index=phase_index,
        chart_code=per_series("chart_code", np.int8),
        multiplier=per_series("multiplier", np.float64),
        denominators=denom,
        phase_useful=per_phase("phase_useful").astype(np.int64),
        phase_longest_run=per_phase("phase_longest_run").astype(np.int64),
        phase_longest_run_max=per_phase("phase_longest_run_max").astype(np.int64),
        phase_crossings=per_phase("phase_crossings").astype(np.int64),
        phase_crossings_min=per_phase("phase_crossings_min").astype(np.int64),
        phase_sigma_z=per_phase("phase_sigma_z"),
        **lines,
    )
