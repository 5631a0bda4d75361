"""Funnel plots: comparing units (wards, providers) against the pooled rate.

Exact binomial (proportions) or Poisson (rates) control limits at 95% and 99.8%,
after Spiegelhalter (2005), "Funnel plots for comparing institutional
performance", with his adjustment for overdispersion from winsorised z-scores:
an additive random-effects variance ``tau2`` (the default, as the NHS's hospital
mortality indicator does) or a multiplicative factor ``phi``. See
docs/adr/140-spc-chart-family.md.

numpy and the standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "FUNNEL_KINDS",
    "FUNNEL_METHODS",
    "FunnelResult",
    "FunnelUnit",
    "funnel",
]

FUNNEL_KINDS = ("proportion", "rate")
#: How overdispersion is allowed for: ``random_effects`` (additive tau2, the
#: default) or ``multiplicative`` (phi).
FUNNEL_METHODS = ("random_effects", "multiplicative")
#: The two-sided levels of the limits and their tail probabilities.
LEVELS = {"95": 0.025, "99.8": 0.001}
#: z-scores are winsorised at these quantiles before phi is estimated.
WINSOR = (0.10, 0.90)
#: Normal quantiles for the two levels (1 - 0.025 and 1 - 0.001).
_Z = {"95": 1.959963984540054, "99.8": 3.090232306167813}
#: How many points the plotted limit curves have.
CURVE_POINTS = 120


@dataclass(frozen=True)
class FunnelUnit:
    """One unit on a funnel plot. ``outside_95``/``outside_998``: "high", "low" or None."""

    label: str
    numerator: float
    denominator: float
    value: float
    z: float
    outside_95: str | None
    outside_998: str | None
    lower_95: float
    upper_95: float
    lower_998: float
    upper_998: float

    def __getitem__(self, key: str) -> Any:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)


@dataclass(frozen=True)
class FunnelResult:
    """A funnel plot's numbers.

    ``target`` is the pooled rate (times ``multiplier``). ``phi`` (at least 1; the
    raw ``phi_estimate`` may be below) and ``tau2`` (at least 0) are both
    estimated; ``adjustment`` says which one the limits and z-scores use
    (``"none"`` when overdispersion was not asked for or not found). ``curve``
    holds the limit lines over a range of denominators, for drawing.
    """

    kind: str
    multiplier: float
    target: float
    phi: float
    phi_estimate: float
    tau2: float
    adjustment: str
    overdispersed: bool
    units: tuple[FunnelUnit, ...]
    curve_denominators: np.ndarray
    curve_lower_95: np.ndarray
    curve_upper_95: np.ndarray
    curve_lower_998: np.ndarray
    curve_upper_998: np.ndarray

    def __len__(self) -> int:
        return len(self.units)

    @property
    def values(self) -> np.ndarray:
        return np.array([u.value for u in self.units])

    @property
    def z(self) -> np.ndarray:
        return np.array([u.z for u in self.units])


# --------------------------------------------------------------------------- exact limits


def _binomial_limit(n: float, p: float, q: float) -> float:
    """The proportion below which a share q of Binomial(n, p) lies, interpolated."""
    n = int(round(n))
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    sd = math.sqrt(n * p * (1 - p))
    lo = max(0, int(n * p - 12 * sd - 20))
    hi = min(n, int(math.ceil(n * p + 12 * sd + 20)))
    k = np.arange(lo, hi + 1, dtype=np.float64)
    log_first = (
        math.lgamma(n + 1)
        - math.lgamma(lo + 1)
        - math.lgamma(n - lo + 1)
        + lo * math.log(p)
        + (n - lo) * math.log1p(-p)
    )
    steps = np.log((n - k[1:] + 1) / k[1:]) + math.log(p) - math.log1p(-p)
    log_pmf = np.concatenate([[log_first], log_first + np.cumsum(steps)])
    return _interpolated(k, np.cumsum(np.exp(log_pmf)), q) / n


def _poisson_limit(n: float, rate: float, q: float) -> float:
    """The rate below which a share q of Poisson(n * rate) lies, interpolated."""
    mu = n * rate
    if mu <= 0:
        return 0.0
    sd = math.sqrt(mu)
    lo = max(0, int(mu - 12 * sd - 20))
    hi = int(math.ceil(mu + 12 * sd + 20))
    k = np.arange(lo, hi + 1, dtype=np.float64)
    log_first = -mu + lo * math.log(mu) - math.lgamma(lo + 1)
    log_pmf = np.concatenate([[log_first], log_first + np.cumsum(np.log(mu / k[1:]))])
    return _interpolated(k, np.cumsum(np.exp(log_pmf)), q) / n


def _interpolated(k: np.ndarray, cdf: np.ndarray, q: float) -> float:
    # Spiegelhalter (2005), appendix: r is the q quantile; interpolate between r - 1
    # and r by how far the cumulative probability at r overshoots q.
    r = int(np.searchsorted(cdf, q, side="left"))
    r = min(r, len(cdf) - 1)
    below = cdf[r - 1] if r > 0 else 0.0
    step = cdf[r] - below
    alpha = (cdf[r] - q) / step if step > 0 else 0.0
    return float(k[r] - alpha)


def _exact(kind: str, n: float, target: float, q: float) -> float:
    if kind == "proportion":
        return _binomial_limit(n, target, q)
    return _poisson_limit(n, target, q)


# --------------------------------------------------------------------------- overdispersion


def _winsorised(z: np.ndarray) -> np.ndarray:
    low, high = np.quantile(z, WINSOR)
    return np.clip(z, low, high)


def _spread(kind: str, target: float, n: np.ndarray) -> np.ndarray:
    """Each unit's standard error under the target (no overdispersion)."""
    if kind == "proportion":
        return np.sqrt(target * (1 - target) / n)
    return np.sqrt(target / n)


# --------------------------------------------------------------------------- public


def funnel(
    numerators: Sequence[float] | np.ndarray,
    denominators: Sequence[float] | np.ndarray,
    kind: str = "proportion",
    multiplier: float = 1,
    labels: Sequence[Any] | None = None,
    overdispersion: bool = True,
    method: str = "random_effects",
) -> FunnelResult:
    """Compare units' proportions (or rates) with their pooled value.

    ``kind`` is ``"proportion"`` (numerators out of denominators: binomial limits)
    or ``"rate"`` (events over exposure: Poisson limits). Values, the target and
    limits are multiplied by ``multiplier`` (100 for percentages). With
    ``overdispersion`` (the default) and more spread between units than chance
    allows, the limits widen by ``method``: ``"random_effects"`` (additive tau2,
    the default) or ``"multiplicative"`` (phi).

    Raises ``ValueError`` in plain words for bad input.
    """
    if kind not in FUNNEL_KINDS:
        raise ValueError(f"kind must be 'proportion' or 'rate', not {kind!r}")
    if method not in FUNNEL_METHODS:
        raise ValueError(f"method must be 'random_effects' or 'multiplicative', not {method!r}")
    try:
        y = np.asarray(numerators, dtype=np.float64)
        n = np.asarray(denominators, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("numerators and denominators must be numbers") from None
    if y.ndim != 1 or n.ndim != 1:
        raise ValueError("numerators and denominators must be lists of numbers")
    if len(y) != len(n):
        raise ValueError(f"there are {len(y)} numerators but {len(n)} denominators")
    if len(y) < 2:
        raise ValueError("a funnel plot needs at least 2 units")
    if not np.isfinite(y).all():
        i = int(np.argmax(~np.isfinite(y)))
        raise ValueError(f"numerators must all be numbers: unit {i + 1} has none")
    if not (np.isfinite(n) & (n > 0)).all():
        i = int(np.argmax(~(np.isfinite(n) & (n > 0))))
        raise ValueError(f"denominators must all be more than 0: unit {i + 1} is {n[i]:g}")
    if (y < 0).any():
        i = int(np.argmax(y < 0))
        raise ValueError(f"numerators cannot be negative: unit {i + 1} is {y[i]:g}")
    if kind == "proportion" and (y > n).any():
        i = int(np.argmax(y > n))
        raise ValueError(
            f"a numerator cannot be more than its denominator: unit {i + 1} is "
            f"{y[i]:g} out of {n[i]:g}"
        )
    try:
        mult = float(multiplier)
    except (TypeError, ValueError):
        raise ValueError(f"multiplier must be a positive number, not {multiplier!r}") from None
    if not (math.isfinite(mult) and mult > 0):
        raise ValueError(f"multiplier must be a positive number, not {multiplier!r}")
    if labels is None:
        names = [f"Unit {i + 1}" for i in range(len(y))]
    else:
        names = [str(v) for v in labels]
        if len(names) != len(y):
            raise ValueError(f"labels has {len(names)} entries for {len(y)} units")

    target = float(y.sum() / n.sum())
    p = y / n
    se = _spread(kind, target, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (p - target) / se, 0.0)

    # Overdispersion (Spiegelhalter 2005, section 3.3): phi from winsorised z-scores,
    # and tau2 from phi, DerSimonian-Laird style.
    units = len(y)
    zw = _winsorised(z)
    phi_estimate = float(np.mean(zw**2))
    overdispersed = phi_estimate > 1 and target > 0.0 and (kind == "rate" or target < 1.0)
    # Less spread than chance allows is read as none: phi is at least 1, tau2 at least 0.
    phi = max(1.0, phi_estimate)
    with np.errstate(divide="ignore"):
        w = np.where(se > 0, 1 / se**2, 0.0)
    spread = float(w.sum() - (w**2).sum() / w.sum()) if w.sum() > 0 else 0.0
    tau2 = (units * phi - (units - 1)) / spread if overdispersed and spread > 0 else 0.0
    adjustment = method if overdispersion and overdispersed else "none"

    def limits(at: np.ndarray) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        s = _spread(kind, target, at)
        for level, q in LEVELS.items():
            if adjustment == "none":
                low = np.array([_exact(kind, d, target, q) for d in at])
                high = np.array([_exact(kind, d, target, 1 - q) for d in at])
            else:
                width = np.sqrt(phi) * s if adjustment == "multiplicative" else np.sqrt(s**2 + tau2)
                low = target - _Z[level] * width
                high = target + _Z[level] * width
            low = np.maximum(low, 0.0)
            if kind == "proportion":
                high = np.minimum(high, 1.0)
            out[level] = (low, high)
        return out

    own = limits(n)
    if adjustment == "multiplicative":
        z_out = z / math.sqrt(phi)
    elif adjustment == "random_effects":
        z_out = np.where(se > 0, (p - target) / np.sqrt(se**2 + tau2), 0.0)
    else:
        z_out = z

    def side(level: str, i: int) -> str | None:
        low, high = own[level]
        if p[i] > high[i]:
            return "high"
        if p[i] < low[i]:
            return "low"
        return None

    rows = tuple(
        FunnelUnit(
            label=names[i],
            numerator=float(y[i]),
            denominator=float(n[i]),
            value=float(p[i] * mult),
            z=float(z_out[i]),
            outside_95=side("95", i),
            outside_998=side("99.8", i),
            lower_95=float(own["95"][0][i] * mult),
            upper_95=float(own["95"][1][i] * mult),
            lower_998=float(own["99.8"][0][i] * mult),
            upper_998=float(own["99.8"][1][i] * mult),
        )
        for i in range(units)
    )

    grid = np.geomspace(max(n.min() * 0.5, 1.0), n.max() * 1.1, CURVE_POINTS)
    if kind == "proportion":
        grid = np.unique(np.round(grid))
    curve = limits(grid)
    return FunnelResult(
        kind=kind,
        multiplier=mult,
        target=target * mult,
        phi=phi,
        phi_estimate=phi_estimate,
        tau2=tau2,
        adjustment=adjustment,
        overdispersed=bool(overdispersed),
        units=rows,
        curve_denominators=grid,
        curve_lower_95=curve["95"][0] * mult,
        curve_upper_95=curve["95"][1] * mult,
        curve_lower_998=curve["99.8"][0] * mult,
        curve_upper_998=curve["99.8"][1] * mult,
    )
