"""Rates, rate ratios and directly standardised rates with 95% intervals.

Every function accepts plain numbers or numpy arrays. Scalars in give Python floats in the
returned :class:`Estimate`; arrays in give numpy arrays of the same shape.

Methods
-------
Crude rate
    Byar's approximation to the exact Poisson limits on the count ``O``::

        lower = O * (1 - 1/(9O) - z/(3*sqrt(O)))**3          (0 when O is 0)
        upper = (O+1) * (1 - 1/(9(O+1)) + z/(3*sqrt(O+1)))**3

    divided by the population and multiplied by ``per``.
Rate ratio
    ``exp(ln RR +/- z * sqrt(1/a + 1/b))``. A zero count on either side means the ratio
    cannot be estimated: the estimate is NaN in all three fields and ``reason`` says why.
Directly standardised rate
    Weights are normalised to sum to 1. The interval is Dobson's: Byar limits on the total
    count ``O`` are scaled by ``sqrt(var(DSR) / var(O))`` where
    ``var(DSR) = sum(w_i**2 * O_i / n_i**2)`` and ``var(O) = O``. With no events in any
    stratum the rate cannot be estimated (NaN with a reason). The lower limit is clipped at
    zero in the rare case the formula gives a negative number. Intervals from fewer than 10
    events are unreliable; callers should say so rather than rely on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Z95",
    "Estimate",
    "byar_limits",
    "crude_rate",
    "rate_ratio",
    "standardised_rate",
]

#: Two-sided 95% standard normal quantile.
Z95 = 1.959964

ZERO_COUNT = "cannot be estimated: the count is zero"
ZERO_REFERENCE = "cannot be estimated: the reference count is zero"
ZERO_BOTH = "cannot be estimated: both counts are zero"
NO_EVENTS = "cannot be estimated: there are no events in any stratum"


@dataclass(frozen=True, eq=False)
class Estimate:
    """A point estimate with the lower and upper limits of its 95% interval.

    Iterating gives ``(value, lower, upper)`` so an estimate unpacks like a tuple.

    When the estimate cannot be made (for example a rate ratio with a zero count) all three
    fields are NaN, :attr:`estimable` is false and :attr:`reason` holds a plain sentence.
    For arrays, :attr:`reason` is an object array of the same shape holding a sentence or
    ``None`` for each element, and :attr:`estimable` is a boolean array.
    """

    value: Any
    lower: Any
    upper: Any
    reason: Any = None

    @property
    def estimable(self) -> Any:
        ok = ~np.isnan(np.asarray(self.value, dtype=float))
        return bool(ok) if ok.ndim == 0 else ok

    def __iter__(self) -> Iterator[Any]:
        yield self.value
        yield self.lower
        yield self.upper


# ---------------------------------------------------------------------------------------
# Input checks


def _numeric(x: Any, name: str) -> np.ndarray:
    raw = np.asarray(x)
    if raw.dtype.kind in "biufO":
        if raw.dtype.kind == "b":
            raise ValueError(f"{name} must be numbers, not true/false values")
        if raw.dtype.kind == "O" and any(isinstance(v, str | bytes) for v in raw.flat):
            raise ValueError(f"{name} must be numbers, not text")
        try:
            arr = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numbers") from None
    else:
        raise ValueError(f"{name} must be numbers")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains a missing value (NaN)")
    if np.isinf(arr).any():
        raise ValueError(f"{name} must be finite")
    return arr


def _counts(x: Any, name: str) -> np.ndarray:
    arr = _numeric(x, name)
    if (arr < 0).any():
        raise ValueError(f"{name} must not be negative")
    if (arr != np.floor(arr)).any():
        raise ValueError(f"{name} must be whole numbers")
    return arr


def _populations(x: Any, name: str) -> np.ndarray:
    arr = _numeric(x, name)
    if (arr <= 0).any():
        raise ValueError(f"{name} must be greater than zero")
    return arr


def _per(per: Any) -> float:
    arr = _numeric(per, "per")
    if arr.ndim != 0 or arr <= 0:
        raise ValueError("per must be a single number greater than zero")
    return float(arr)


def _same_shape(named: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Broadcast scalars against arrays; arrays must have identical shapes."""
    shapes = {name: a.shape for name, a in named.items() if a.ndim > 0}
    if len(set(shapes.values())) > 1:
        detail = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(f"inputs have different lengths or shapes: {detail}")
    return tuple(np.broadcast_arrays(*named.values()))


def _out(arr: np.ndarray, scalar: bool) -> Any:
    return float(arr) if scalar else arr


def _reasons(messages: np.ndarray, scalar: bool) -> Any:
    """Object array of sentences (``None`` where estimable), or a single value."""
    if scalar:
        return messages.item()
    return messages


# ---------------------------------------------------------------------------------------
# Byar limits


def _byar(observed: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    safe = np.where(observed > 0, observed, 1.0)
    lower = safe * (1.0 - 1.0 / (9.0 * safe) - z / (3.0 * np.sqrt(safe))) ** 3
    lower = np.where(observed > 0, lower, 0.0)
    o1 = observed + 1.0
    upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
    return lower, upper


def byar_limits(count: Any) -> tuple[Any, Any]:
    """Byar's approximate 95% limits on a Poisson count, as ``(lower, upper)``."""
    observed = _counts(count, "count")
    lower, upper = _byar(observed)
    scalar = observed.ndim == 0
    return _out(lower, scalar), _out(upper, scalar)


# ---------------------------------------------------------------------------------------
# Crude rate


def crude_rate(count: Any, population: Any, per: float = 100_000) -> Estimate:
    """Crude rate per ``per`` people with Byar's 95% interval.

    ``count`` must be whole and not negative; ``population`` must be greater than zero.
    """
    observed = _counts(count, "count")
    pop = _populations(population, "population")
    scale = _per(per)
    observed, pop = _same_shape({"count": observed, "population": pop})
    scalar = observed.ndim == 0
    lower, upper = _byar(observed)
    factor = scale / pop
    return Estimate(
        value=_out(observed * factor, scalar),
        lower=_out(lower * factor, scalar),
        upper=_out(upper * factor, scalar),
        reason=_reasons(np.full(observed.shape, None, dtype=object), scalar),
    )


# ---------------------------------------------------------------------------------------
# Rate ratio


def rate_ratio(count: Any, population: Any, ref_count: Any, ref_population: Any) -> Estimate:
    """Ratio of the rate ``count/population`` to ``ref_count/ref_population``.

    The 95% interval is ``exp(ln RR +/- z * sqrt(1/a + 1/b))``. Where either count is zero
    the ratio cannot be estimated: value, lower and upper are NaN and ``reason`` says why.
    """
    a = _counts(count, "count")
    pa = _populations(population, "population")
    b = _counts(ref_count, "ref_count")
    pb = _populations(ref_population, "ref_population")
    a, pa, b, pb = _same_shape({"count": a, "population": pa, "ref_count": b, "ref_population": pb})
    scalar = a.ndim == 0
    ok = (a > 0) & (b > 0)
    sa = np.where(ok, a, 1.0)
    sb = np.where(ok, b, 1.0)
    log_rr = np.log(sa / pa) - np.log(sb / pb)
    half = Z95 * np.sqrt(1.0 / sa + 1.0 / sb)
    nan = np.full(a.shape, np.nan)
    value = np.where(ok, np.exp(log_rr), nan)
    lower = np.where(ok, np.exp(log_rr - half), nan)
    upper = np.where(ok, np.exp(log_rr + half), nan)
    reasons = np.full(a.shape, None, dtype=object)
    reasons[(a == 0) & (b > 0)] = ZERO_COUNT
    reasons[(a > 0) & (b == 0)] = ZERO_REFERENCE
    reasons[(a == 0) & (b == 0)] = ZERO_BOTH
    return Estimate(
        value=_out(value, scalar),
        lower=_out(lower, scalar),
        upper=_out(upper, scalar),
        reason=_reasons(reasons, scalar),
    )


# ---------------------------------------------------------------------------------------
# Directly standardised rate


def standardised_rate(
    counts: Any, populations: Any, standard_weights: Any, per: float = 100_000
) -> Estimate:
    """Directly standardised rate with Dobson's 95% interval.

    ``counts`` and ``populations`` hold one value per stratum (for example age band) along
    their last axis; ``standard_weights`` is a 1-D sequence with one weight per stratum (a
    standard population or proportions; they are normalised to sum to 1). With 1-D inputs
    the result holds floats; with 2-D inputs (groups by strata) it holds one value per group.
    """
    observed = _counts(counts, "counts")
    pop = _populations(populations, "populations")
    weights = _numeric(standard_weights, "standard_weights")
    scale = _per(per)
    if observed.ndim == 0 or pop.ndim == 0:
        raise ValueError("counts and populations must be sequences with one value per stratum")
    if observed.shape != pop.shape:
        raise ValueError(
            f"counts and populations have different shapes: {observed.shape} and {pop.shape}"
        )
    if weights.ndim != 1 or weights.shape[0] != observed.shape[-1]:
        raise ValueError(
            f"standard_weights must have one value per stratum: {observed.shape[-1]} strata"
            f" but weights of shape {weights.shape}"
        )
    if (weights < 0).any():
        raise ValueError("standard_weights must not be negative")
    if weights.sum() <= 0:
        raise ValueError("standard_weights must not all be zero")
    w = weights / weights.sum()

    dsr = (w * observed / pop).sum(axis=-1)
    var_dsr = (w**2 * observed / pop**2).sum(axis=-1)
    total = observed.sum(axis=-1)
    ok = total > 0
    safe_total = np.where(ok, total, 1.0)
    o_lower, o_upper = _byar(total)
    spread = np.sqrt(var_dsr / safe_total)
    nan = np.full(total.shape, np.nan)
    value = np.where(ok, dsr * scale, nan)
    # Dobson's lower limit can fall below zero when the weights are very uneven; a rate
    # cannot, so it is clipped at zero.
    lower = np.where(ok, np.maximum(dsr + spread * (o_lower - total), 0.0) * scale, nan)
    upper = np.where(ok, (dsr + spread * (o_upper - total)) * scale, nan)
    reasons = np.full(total.shape, None, dtype=object)
    reasons[~ok] = NO_EVENTS
    scalar = total.ndim == 0
    return Estimate(
        value=_out(value, scalar),
        lower=_out(lower, scalar),
        upper=_out(upper, scalar),
        reason=_reasons(reasons, scalar),
    )
