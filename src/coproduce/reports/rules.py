"""The rules of reports and dashboards, each stated once.

- **The period.** Every section of a board report or dashboard covers one period, both
  days included. It starts on or after 1 January 2000, ends no later than today and does
  not end before it starts; anything else is refused with a plain message (never replaced
  by another period). "The last report" is the previous period of the same length, ending
  the day before this one starts.
- **Not started and stalled wards.** A ward has *not started* when it has no improvement
  project and has never had a figure. It has *stalled* when it has started but has had no
  figures and no coaching for ``stalled_weeks()`` weeks (the ``COPRODUCE_STALLED_WEEKS``
  setting, 4 by default) before the day the page is read as at. Stalled wards are ranked
  by how long they have been quiet, then by how many of their measures have no recent
  figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

EARLIEST = date(2000, 1, 1)  # no figures before this; earlier dates are typing mistakes
DEFAULT_STALLED_WEEKS = 4


class PeriodError(ValueError):
    """A period that cannot be reported on; ``messages`` say why in plain words, by field."""

    def __init__(self, messages: dict[str, str]):
        super().__init__(" ".join(messages.values()))
        self.messages = messages


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included."""

    starts_on: date
    ends_on: date

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def __contains__(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        ends_on = self.starts_on - timedelta(days=1)
        return Period(ends_on - timedelta(days=self.days - 1), ends_on)

    def query(self) -> str:
        return f"from={self.starts_on.isoformat()}&to={self.ends_on.isoformat()}"


def year_to(ends_on: date) -> Period:
    """The twelve months to ``ends_on``: from the day after the same date a year before."""
    try:
        year_before = ends_on.replace(year=ends_on.year - 1)
    except ValueError:  # 29 February
        year_before = ends_on.replace(year=ends_on.year - 1, day=28)
    return Period(year_before + timedelta(days=1), ends_on)


def check_period(starts_on: date, ends_on: date, today: date) -> Period:
    """The period if it may be reported on; otherwise ``PeriodError`` with plain messages."""
    errors = {}
    if ends_on > today:
        errors["to"] = "The end of the period must be today or in the past."
    elif ends_on < EARLIEST:
        errors["to"] = "The end of the period must be on or after 1 January 2000."
    if starts_on < EARLIEST:
        errors["from"] = "The start of the period must be on or after 1 January 2000."
    elif starts_on > ends_on and "to" not in errors:
        errors["from"] = "The start of the period must be before its end."
    if errors:
        raise PeriodError(errors)
    return Period(starts_on, ends_on)


def _parse(text: str, field: str, example: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        which = "start" if field == "from" else "end"
        raise PeriodError(
            {field: f"Enter the {which} of the period as a real date, like {example}."}
        ) from None


def period_from(params, today: date, default: Period | None = None) -> Period:
    """The period chosen in a query string (``from`` and ``to``, ISO dates).

    A missing end is today; a missing start is a year before the end (or ``default``
    when neither is given). Raises ``PeriodError`` for anything that is not a period."""
    start_text, end_text = params.get("from", "") or "", params.get("to", "") or ""
    if not start_text.strip() and not end_text.strip():
        return default or year_to(today)
    errors = {}
    ends_on = starts_on = None
    try:
        ends_on = _parse(end_text, "to", "2026-03-31") if end_text else today
    except PeriodError as exc:
        errors |= exc.messages
    try:
        starts_on = _parse(start_text, "from", "2025-04-01") if start_text else None
    except PeriodError as exc:
        errors |= exc.messages
    if errors:
        raise PeriodError(errors)
    if starts_on is None:
        starts_on = year_to(ends_on).starts_on if ends_on >= EARLIEST else ends_on
    return check_period(starts_on, ends_on, today)


# ------------------------------------------------------------------ stalled wards


def stalled_weeks() -> int:
    """How many quiet weeks make a ward stalled: the ``COPRODUCE_STALLED_WEEKS`` setting."""
    weeks = getattr(settings, "COPRODUCE_STALLED_WEEKS", DEFAULT_STALLED_WEEKS)
    return min(max(int(weeks), 1), 52)


NOT_STARTED = "not_started"
STALLED = "stalled"


@dataclass(frozen=True)
class WardActivity:
    """What is known about one ward's work up to the day a page is read as at."""

    has_project: bool
    last_figure: date | None
    last_coached: date | None
    measures: int = 0
    measures_without_recent_figures: int = 0


def ward_status(activity: WardActivity, as_at: date, weeks: int) -> str | None:
    """``NOT_STARTED``, ``STALLED`` or ``None`` (under way) for one ward."""
    if not activity.has_project and activity.last_figure is None:
        return NOT_STARTED
    since = as_at - timedelta(weeks=weeks)
    quiet = all(d is None or d < since for d in (activity.last_figure, activity.last_coached))
    return STALLED if quiet else None


def quiet_days(activity: WardActivity, as_at: date) -> int | None:
    """Days since the last figure or coaching, whichever was later (``None``: neither, ever)."""
    days = [d for d in (activity.last_figure, activity.last_coached) if d is not None]
    return (as_at - max(days)).days if days else None


def stalled_rank(activity: WardActivity, as_at: date) -> tuple:
    """Sort key: the longest quiet first (never active first), then the most missing."""
    quiet = quiet_days(activity, as_at)
    return (quiet is not None, -(quiet or 0), -activity.measures_without_recent_figures)
