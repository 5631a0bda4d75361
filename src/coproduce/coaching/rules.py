"""What a coaching record may say. Every rule about coaching figures lives here, once.

The session form, the services and any import call these; each returns the plain-words
message a person sees, or ``None`` when the value is fine.
"""

from datetime import date, timedelta

#: No coaching session has more people than this in the room (bounds every typed number).
MAX_PEOPLE = 200
#: The programme's pilot began in 2023: earlier sessions are typing mistakes.
EARLIEST_SESSION = date(2023, 1, 1)
#: How far ahead an action may be due.
LONGEST_ACTION = timedelta(days=2 * 366)


def session_date_problem(day: date | None, today: date) -> str | None:
    """A session is logged after it happened, and not before the programme began."""
    if day is None:
        return None
    if day > today:
        return "The date of the session must be today or in the past"
    if day < EARLIEST_SESSION:
        return f"The date of the session must be after {EARLIEST_SESSION:%-d %B %Y}"
    return None


def attendance_problems(staff, partners, others) -> dict[str, str]:
    """Each count is a whole number from 0 to MAX_PEOPLE; at least one person took part."""
    problems = {}
    for name, value, who in (
        ("staff_attending", staff, "staff"),
        ("partners_attending", partners, "lived experience partners"),
        ("others_attending", others, "other people"),
    ):
        if value is None:
            continue
        if value < 0 or value > MAX_PEOPLE:
            problems[name] = f"The number of {who} must be between 0 and {MAX_PEOPLE}"
    counts = (staff, partners, others)
    if not problems and all(v is not None for v in counts) and sum(counts) == 0:
        problems["staff_attending"] = "Enter how many people took part: at least 1"
    return problems


def action_due_problem(due_on: date | None, held_on: date | None) -> str | None:
    """An action is due on or after its session, and within two years."""
    if due_on is None or held_on is None:
        return None
    if due_on < held_on:
        return "The due date must be on or after the date of the session"
    if due_on > held_on + LONGEST_ACTION:
        return "The due date must be within 2 years of the session"
    return None


def same_day_sessions(provider, ward, day, exclude_pk=None):
    """Sessions already logged for the same place on the same day (a likely duplicate)."""
    from .models import CoachingSession

    sessions = CoachingSession.objects.filter(provider=provider, ward=ward, held_on=day)
    if exclude_pk is not None:
        sessions = sessions.exclude(pk=exclude_pk)
    return sessions
