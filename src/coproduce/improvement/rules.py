"""What a figure may be. The entry form, the CSV upload and any later API ask these rules
and nothing else.

Every rule raises :class:`FigureError` with a sentence a ward team can act on; callers add
the line or the field. Numbers are read by :func:`parse_number`, dates by
:func:`parse_date`, periods checked by :func:`check_period` and the figure itself by
:func:`check_figure`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from .models import Frequency, period_label, period_start_for

MAX_NUMBER = Decimal("1000000000")
EARLIEST = date(2000, 1, 1)
PLACES = Decimal("0.0001")

# How a measure's figures behave, worked out from what the measure already says.
PROPORTION = "proportion"  # a share of a whole: numerator <= denominator, value 0 to 100%
RATE = "rate"  # so many per so many (per 1,000 bed days): not negative
PERCENTAGE = "percentage"  # a percentage entered as the value: 0 to 100
COUNT = "count"  # things counted: whole and not negative
AMOUNT = "amount"  # days, hours, averages, scores: not negative, decimals allowed

AMOUNT_WORDS = (
    "day",
    "hour",
    "minute",
    "week",
    "month",
    "year",
    "average",
    "mean",
    "median",
    "score",
    "ratio",
    "rate",
    "per ",
    "£",
)

_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_UK = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]+)")


class FigureError(ValueError):
    """A figure, number or period that cannot be stored, with the reason in plain words."""


def _words(n: Decimal) -> str:
    n = n.normalize()
    if n == n.to_integral_value():
        return f"{int(n):,}"
    return format(n, "f")


# --------------------------------------------------------------------------- numbers


def parse_number(text: str | None) -> Decimal | None:
    """A number as typed: ``12``, ``12.5``, ``1,000``, ``12,345.5``. Empty gives None.

    A comma only separates thousands, in groups of three digits; ``1,5`` is refused with a
    message to use a full stop for decimals.
    """
    text = (text or "").strip()
    if text == "":
        return None
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    elif "," in text:
        raise FigureError(
            "has a comma in the wrong place: use a full stop for decimals, like 1.5, and a "
            "comma only between groups of three digits, like 1,000"
        )
    elif not _PLAIN.fullmatch(text):
        raise FigureError("is not a number")
    value = Decimal(text)
    _check_bounds(value)
    return value


def _check_bounds(value: Decimal) -> None:
    if not value.is_finite():
        raise FigureError("is not a number")
    if abs(value) > MAX_NUMBER:
        raise FigureError(f"is too large: figures can be up to {_words(MAX_NUMBER)}")


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


# --------------------------------------------------------------------------- dates and periods


def parse_date(text: str | None) -> date:
    """A date written ``2026-11-16`` or ``16/11/2026`` (day first, the year in full)."""
    text = (text or "").strip()
    if not text:
        raise FigureError("the period is missing")
    iso, uk = _ISO.fullmatch(text), _UK.fullmatch(text)
    if uk and len(uk.group(3)) != 4:
        raise FigureError(f"write the year of “{text}” in full, like 16/11/2026")
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif uk:
        day, month, year = (int(g) for g in uk.groups())
    else:
        raise FigureError(f"the period “{text}” is not a date like 2026-11-16 or 16/11/2026"[:200])
    try:
        return date(year, month, day)
    except ValueError:
        raise FigureError(f"the period “{text}” is not a real date") from None


def period_end(frequency: str, start: date) -> date:
    """The first day after the period starting ``start``."""
    if frequency == Frequency.MONTHLY:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7)


def check_period(frequency: str, day: date, *, today: date | None = None, exact: bool) -> date:
    """The period start for ``day``, if a figure may be entered for it.

    ``exact``: the day must itself be the period start (a CSV file); otherwise any day in
    the period will do (the entry form). Periods before 2000, in the future or not over
    yet are refused; the message says when the current period can be entered.
    """
    today = today or date.today()
    start = period_start_for(frequency, day)
    if exact and start != day:
        if frequency == Frequency.WEEKLY:
            raise FigureError(
                f"{day.isoformat()} is not a Monday: weekly figures use the Monday the week "
                f"starts ({start.isoformat()})"
            )
        raise FigureError(
            f"{day.isoformat()} is not the 1st of a month: monthly figures use the first day "
            f"of the month ({start.isoformat()})"
        )
    if start < EARLIEST:
        raise FigureError(f"the {period_label(frequency, start)} is before 2000: check the year")
    if day > today:
        raise FigureError(f"{day.isoformat()} is in the future")
    end = period_end(frequency, start)
    if end > today:
        raise FigureError(
            f"the {period_label(frequency, start)} is not over yet: you can enter its figure "
            f"from {end:%A %-d %B %Y}"
        )
    return start


# --------------------------------------------------------------------------- figures


def kind_of(measure) -> str:
    """How the measure's figures behave (see the constants above)."""
    unit = (measure.unit or "").strip().lower()
    percent = "%" in unit or "percent" in unit or "per cent" in unit
    if measure.is_rate:
        return PROPORTION if percent or measure.multiplier == 100 else RATE
    if percent:
        return PERCENTAGE
    if any(word in unit + " " for word in AMOUNT_WORDS):
        return AMOUNT
    return COUNT


@dataclass(frozen=True)
class Figure:
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None


def _label(text: str, fallback: str) -> str:
    return (text or "").strip() or fallback


def check_figure(measure, value, numerator=None, denominator=None) -> Figure:
    """The figure to store for ``measure``, or :class:`FigureError` saying what is wrong.

    Proportions and rates may be given as a numerator and a denominator (the value is then
    worked out, and a value given too must agree); any measure may be given as its value.
    """
    for given in (value, numerator, denominator):
        if given is not None:
            _check_bounds(given)
    if (numerator is None) != (denominator is None):
        raise FigureError("give both the numerator and the denominator, or neither")
    kind = kind_of(measure)
    if numerator is not None:
        if not measure.is_rate:
            raise FigureError(f"{measure.name} is not a rate: give the value only")
        top = _label(measure.numerator_label, "the numerator")
        bottom = _label(measure.denominator_label, "the denominator")
        if numerator < 0:
            raise FigureError("the numerator cannot be negative")
        if not _whole(numerator):
            raise FigureError(f"the numerator counts {top}: give a whole number")
        if denominator <= 0:
            raise FigureError("the denominator must be more than 0")
        if kind == PROPORTION:
            if not _whole(denominator):
                raise FigureError(f"the denominator counts {bottom}: give a whole number")
            if numerator > denominator:
                raise FigureError(
                    f"the numerator ({_words(numerator)}) is more than the denominator "
                    f"({_words(denominator)}): {top} cannot be more than {bottom}"
                )
        worked = measure.value_from(numerator, denominator)
        if abs(worked) > MAX_NUMBER:
            raise FigureError(
                f"the numerator and denominator give {_words(worked)}, which is too large: "
                "check the denominator"
            )
        if value is not None and abs(value - worked) > max(Decimal("0.01"), abs(worked) / 1000):
            raise FigureError(
                f"the value {_words(value)} does not match the numerator and denominator, "
                f"which give {_words(worked)}"
            )
        value = worked
    if value is None:
        raise FigureError("the value is missing")
    if value < 0:
        raise FigureError("the value cannot be negative")
    if kind == COUNT and not _whole(value):
        raise FigureError(f"{measure.name} counts {measure.unit}: give a whole number")
    if kind in (PROPORTION, PERCENTAGE) and value > 100:
        raise FigureError(f"the value {_words(value)}% is more than 100%")

    def stored(n):
        if n is None:
            return None
        try:
            return n.quantize(PLACES)
        except InvalidOperation:  # pragma: no cover - bounds are checked above
            raise FigureError("is too large") from None

    return Figure(stored(value), stored(numerator), stored(denominator))
