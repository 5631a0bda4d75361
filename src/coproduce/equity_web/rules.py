"""The rules for figures by group and for showing breakdowns of people, each stated once.

The entry form, the CSV import and :meth:`GroupFigure.clean` all call these functions, so
a figure refused in one place is refused in every place. The functions take plain values
(numbers, dates), not forms or files, so they do not depend on how a file is read.

Each function returns ``None`` when the value is fine, or a plain sentence saying what is
wrong and what to do, starting with a capital letter and without a full stop, so it can
be shown as an error message or put after "Line 4:" in a list of problems.
"""

from __future__ import annotations

from datetime import date

from coproduce.improvement.models import period_label, period_start_for

#: No figure by group is for a period starting before this day.
EARLIEST_PERIOD = date(2000, 1, 1)

#: A breakdown of people (partners, participants, respondents) is shown only when at least
#: this many people are in it; below it, even zeros say something about one person.
MIN_PEOPLE_FOR_BREAKDOWN = 10


def _for(label: str | None) -> str:
    return f" for {label}" if label else ""


def count_problem(count: int | None, label: str | None = None) -> str | None:
    """A count is a whole number, 0 or more."""
    if count is None:
        return f"Enter the count{_for(label)}"
    if not isinstance(count, int) or isinstance(count, bool):
        return f"Enter the count{_for(label)} as a whole number, like 12"
    if count < 0:
        return f"The count{_for(label)} cannot be less than 0: enter 0 if it did not happen"
    return None


def denominator_problem(denominator: int | None, label: str | None = None) -> str | None:
    """A denominator is a whole number, 1 or more."""
    if denominator is None:
        return f"Enter the denominator{_for(label)}"
    if not isinstance(denominator, int) or isinstance(denominator, bool):
        return f"Enter the denominator{_for(label)} as a whole number, like 40"
    if denominator < 1:
        return (
            f"The denominator{_for(label)} must be 1 or more: it is how many people "
            "(or bed days) the count comes from"
        )
    return None


def count_within_denominator(count: int, denominator: int, label: str | None = None) -> str | None:
    """A count cannot be more than the denominator it comes from."""
    if count > denominator:
        return (
            f"The count{_for(label)} ({count:,}) is more than its denominator "
            f"({denominator:,}): check both figures, the count cannot be more than the "
            "people or bed days it comes from"
        )
    return None


def period_problem(frequency: str, day: date | None, today: date | None = None) -> str | None:
    """A period starts on the measure's boundary, not before 2000 and not in the future."""
    if day is None:
        return "Enter the date the period starts, like 2025-01-01"
    today = today or date.today()
    if day < EARLIEST_PERIOD:
        return (
            f"The period cannot start before {EARLIEST_PERIOD:%-d %B %Y}: "
            "check the year of the date"
        )
    if day > period_start_for(frequency, today):
        return (
            f"The period starting {day:%-d %B %Y} has not started yet: "
            "enter figures for a period that has started"
        )
    start = period_start_for(frequency, day)
    if start != day:
        what = "the first day of a month" if frequency == "monthly" else "a Monday"
        return (
            f"{day:%-d %B %Y} is not {what}; this measure is {frequency}, "
            f"so use {start:%Y-%m-%d} for {period_label(frequency, start)}"
        )
    return None


def figure_problems(
    *,
    frequency: str,
    period_start: date | None,
    count: int | None,
    denominator: int | None,
    label: str | None = None,
    today: date | None = None,
) -> list[str]:
    """Every rule for one figure by group; an empty list when it may be saved."""
    problems = [
        p
        for p in (
            period_problem(frequency, period_start, today),
            count_problem(count, label),
            denominator_problem(denominator, label),
        )
        if p
    ]
    if count_problem(count) is None and denominator_problem(denominator) is None:
        within = count_within_denominator(count, denominator, label)
        if within:
            problems.append(within)
    return problems


def enough_people(total: int) -> bool:
    """May a breakdown of this many people be shown group by group?"""
    return total >= MIN_PEOPLE_FOR_BREAKDOWN


def too_few_people(who: str, what: str) -> str:
    """The sentence shown instead of a breakdown of too few people."""
    return (
        f"Fewer than {MIN_PEOPLE_FOR_BREAKDOWN} {who} have shared their {what}, so their "
        "answers are not shown group by group: with so few people, even a group with none "
        "could tell you something about one person."
    )
