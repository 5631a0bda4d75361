"""Numbers in words as people read them: one rule for plurals, amounts and empty values.

Templates reach these as filters (`{{ n | counted("week") }}`, `{{ h | hours }}`,
`{{ value | or_none("No target set") }}`), Python code imports them.
"""

from __future__ import annotations

from decimal import Decimal

# Plurals that do not just add an "s".
_IRREGULAR = {
    "person": "people",
    "child": "children",
    "series": "series",
    "is": "are",
    "was": "were",
    "has": "have",
    "this": "these",
    "entry": "entries",
    "activity": "activities",
    "reply": "replies",
    "category": "categories",
    "day": "days",
}


def plural(word: str, n: float | int | Decimal | None) -> str:
    """The word for `n` of it: plural(\"week\", 1) -> \"week\", plural(\"week\", 2) -> \"weeks\".

    Only the last word of a phrase changes: plural(\"lived experience partner\", 3).
    """
    if n is not None and abs(n) == 1:
        return word
    head, _, last = word.rpartition(" ")
    if last in _IRREGULAR:
        last = _IRREGULAR[last]
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}" if head else last


def number(n: float | int | Decimal, places: int = 1) -> str:
    """A figure with thousands separators and no needless decimals: 1,250 / 2.5 / 3."""
    if isinstance(n, int) or float(n).is_integer():
        return f"{int(n):,}"
    text = f"{float(n):,.{places}f}".rstrip("0").rstrip(".")
    return text


def counted(
    n: float | int | Decimal | None, word: str, plural_word: str | None = None, places: int = 1
) -> str:
    """\"1 week\", \"3 weeks\", \"0 lived experience partners\", \"1.5 hours\"."""
    if n is None:
        n = 0
    shown = number(n, places)
    if abs(n) == 1:
        return f"{shown} {word}"
    return f"{shown} {plural_word or plural(word, n)}"


def hours(n: float | int | Decimal | None) -> str:
    """Hours as people say them: \"1 hour\", \"1.5 hours\", \"0 hours\"."""
    return counted(n, "hour", places=2)


def or_none(value, text: str = "None") -> str | object:
    """`value`, or a plain phrase when it is empty (never \"None\" or a blank cell)."""
    if value is None or value == "" or value == []:
        return text
    return value
