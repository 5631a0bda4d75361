"""Plain words for every form error, whatever produced it.

Most forms give their own NHS-style messages. Anything Django says by default ("This field
is required.", "Ensure this value has at most 300 characters (it has 10000).", "Select a
valid choice…") is turned here into a sentence that says what to do, using the field's own
label. Forms are rendered through ``coproduce.core.forms``, which calls :func:`plain`, so no
default message reaches a person.
"""

import re

from django import forms


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _kind_of(field) -> str:
    widget = getattr(field, "widget", None)
    if isinstance(field, forms.BooleanField):
        return "tick"
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.Select)):
        return "choose"
    return "enter"


def _label(field, name) -> str:
    label = getattr(field, "label", None) or (name or "this").replace("_", " ")
    return str(label).strip().rstrip(":?")


# (pattern of Django's default wording, builder taking (Label, label, kind, match))
_RULES = [
    (r"^This field is required\.$|^This field cannot be (blank|null)\.$", "required"),
    (r"^Select a valid choice\.|^Enter a list of values\.$|is not a valid value\.$", "choice"),
    (r"^Value .* is not a valid choice\.$|instance with .* is not a valid choice\.$", "choice"),
    (r"^Enter a whole number\.$|value must be an integer\.$", "whole"),
    (r"^Enter a number\.$|value must be a (decimal number|float)\.$", "number"),
    (r"^Enter a valid date\.$|invalid date format|but it is an invalid date\.$", "date"),
    (r"^Enter a valid (date/time|time|duration)\.$|has an invalid format", "date"),
    (r"^Enter a valid email address\.$", "email"),
    (r"^Enter a valid URL\.$", "url"),
    (r"^Ensure this value has at most (?P<n>\d+) characters?", "max_length"),
    (r"^Ensure this value has at least (?P<n>\d+) characters?", "min_length"),
    (r"^Ensure this value is less than or equal to (?P<n>[-\d.,]+)\.$", "max_value"),
    (r"^Ensure this value is greater than or equal to (?P<n>[-\d.,]+)\.$", "min_value"),
    (r"^Ensure that there are no more than (?P<n>\d+) digits?", "digits"),
    (r"^Ensure that there are no more than (?P<n>\d+) decimal places?", "decimals"),
    (r"multiple of step size", "number"),
    (r"^(?P<what>.+) with this .+ already exists\.$", "unique"),
    (r"must be unique for", "unique"),
    (r"^Constraint .* is violated\.$", "constraint"),
    (r"^The submitted file is empty\.$", "empty_file"),
    (r"^No file was submitted", "file"),
    (r"^Please either submit a file or check the clear checkbox", "file_clear"),
    (r"^Upload a valid image", "file"),
    (r"^File extension .* is not allowed", "extension"),
    (r"^Null characters are not allowed\.$", "nul"),
    (r"^Enter a complete value\.$", "required"),
    (r"^Enter a valid ", "format"),
    (r"^Ensure this value ", "format"),
]
_COMPILED = [(re.compile(p), kind) for p, kind in _RULES]

#: Django's own English wording, for tests that check none of it reaches a page.
DJANGO_DEFAULT_PHRASES = (
    "This field is required.",
    "This field cannot be",
    "Select a valid choice",
    "Ensure this value",
    "Ensure that there are no more than",
    "Enter a valid",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a list of values.",
    "already exists.",
    "is not a valid value.",
    "Constraint “",
    "The submitted file is empty.",
    "No file was submitted",
    "Null characters are not allowed.",
)


def is_django_default(message: str) -> bool:
    return any(p.search(str(message)) for p, _ in _COMPILED)


def plain(message, field=None, name=None) -> str:
    """The message as a person should read it: Django's defaults become plain sentences."""
    text = str(message)
    for pattern, kind in _COMPILED:
        match = pattern.search(text)
        if match:
            return _say(kind, match, field, name)
    return text


def _say(kind, match, field, name) -> str:
    label = _label(field, name) if (field is not None or name) else "this answer"
    low = _lower_first(label)
    cap = label[:1].upper() + label[1:]
    n = match.groupdict().get("n") if match else None
    how = _kind_of(field) if field is not None else "enter"
    if kind == "required":
        return {
            "tick": f"Select the box to confirm: {low}",
            "file": f"Select a file for {low}",
            "choose": f"Select {low}",
        }.get(how, f"Enter {low}")
    words = {
        "choice": f"Select {low} from the list",  # noqa: S608 - words, not SQL
        "whole": f"{cap} must be a whole number, like 4",
        "number": f"{cap} must be a number, like 2 or 2.5",
        "date": f"{cap} must be a real date",
        "email": "Enter an email address in the correct format, like name@example.org",
        "url": "Enter a web address in the correct format, like https://www.example.org",
        "max_length": f"{cap} must be {n} characters or fewer",
        "min_length": f"{cap} must be {n} characters or more",
        "max_value": f"{cap} must be {n} or less",
        "min_value": f"{cap} must be {n} or more",
        "digits": f"{cap} is too large: use a smaller number",
        "decimals": f"{cap} can have up to {n} decimal places",
        "unique": f"{cap} is already used: choose a different one"
        if field is not None
        else "A record like this already exists: change the details or go back to it",
        "constraint": "These details do not fit together: check them and try again",
        "empty_file": "The selected file is empty: choose the file again",
        "file": f"Select a file for {low}",
        "file_clear": "Either choose a new file or remove the old one, not both",
        "extension": "The selected file must be one of the types listed",
        "nul": f"Remove the hidden characters from {low}",
        "format": f"Check {low}: it is not in the right format",
    }
    return words[kind]


def one_message(errors, field=None, name=None) -> str:
    """The one message to show for a field: the form's own words first, else a plain default."""
    texts = [str(e) for e in errors]
    own = [text for text in texts if not is_django_default(text)]
    return own[0] if own else plain(texts[0], field, name)
