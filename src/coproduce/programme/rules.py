"""What a phase plan may say. Every rule about the programme's own figures lives here, once."""

from datetime import date
from decimal import Decimal

#: Planned coaching a provider's executives can take in a month, and a ward in a week.
MAX_EXECUTIVE_HOURS_PER_MONTH = Decimal("40")
MAX_WARD_HOURS_PER_WEEK = Decimal("40")
#: Phases of this programme start and end within these years.
EARLIEST_PHASE = date(2020, 1, 1)
LATEST_PHASE = date(2040, 12, 31)


def hours_problem(value: Decimal | None, limit: Decimal, what: str) -> str | None:
    if value is None:
        return None
    if value < 0 or value > limit:
        return f"The {what} must be between 0 and {limit:g} hours"
    return None


def phase_dates_problems(starts_on: date | None, ends_on: date | None) -> dict[str, str]:
    problems = {}
    for name, day, what in (("starts_on", starts_on, "start"), ("ends_on", ends_on, "end")):
        if day is not None and not EARLIEST_PHASE <= day <= LATEST_PHASE:
            problems[name] = (
                f"The {what} date must be between {EARLIEST_PHASE.year} and {LATEST_PHASE.year}"
            )
    if not problems and starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = "The end date must be on or after the start date"
    return problems
