"""Names of dimensions and groups, and how a set of dimensions (a breakdown) is described."""

from coproduce.equity.categories import (
    AGE_BANDS,
    AUTISM,
    DEPRIVATION_DECILES,
    ETHNICITY_BROAD,
    ETHNICITY_DETAILED,
    GENDER,
    LEARNING_DISABILITY,
)

DIMENSION_LABELS = {
    "ethnicity": "Ethnic group",
    "ethnicity_detailed": "Ethnic category (detailed)",
    "learning_disability": "Learning disability",
    "autism": "Autism",
    "gender": "Gender",
    "age_band": "Age band",
    "deprivation_decile": "Deprivation decile",
}

SHORT_GENDER = {
    "1": "Male",
    "2": "Female",
    "3": "Non-binary",
    "4": "Other gender",
    "X": "Gender not known",
    "Z": "Gender not stated",
}

#: value -> label for each dimension, in the published order.
VALUES: dict[str, dict] = {
    "ethnicity": dict(ETHNICITY_BROAD),
    "ethnicity_detailed": dict(ETHNICITY_DETAILED),
    "learning_disability": dict(LEARNING_DISABILITY),
    "autism": dict(AUTISM),
    "gender": dict(GENDER),
    "age_band": {label: label for label, _lo, _hi in AGE_BANDS},
    "deprivation_decile": dict(DEPRIVATION_DECILES),
}

_YES_NO_WORDS = {
    "learning_disability": {
        "yes": "with a learning disability",
        "no": "without a learning disability",
        "not_known": "learning disability not known",
    },
    "autism": {"yes": "autistic", "no": "not autistic", "not_known": "autism not known"},
}


def value_label(dimension: str, value) -> str:
    """A group's value in words, as it reads inside a longer label."""
    if value is None:
        return "All"
    if dimension in _YES_NO_WORDS:
        return _YES_NO_WORDS[dimension].get(value, str(value))
    if dimension == "gender":
        return SHORT_GENDER.get(value, str(value))
    if dimension == "deprivation_decile":
        return f"Deprivation decile {DEPRIVATION_DECILES.get(int(value), value)}"
    if dimension == "age_band":
        return f"Aged {value[0].lower()}{value[1:]}" if value[0].isalpha() else f"Aged {value}"
    return VALUES[dimension].get(value, str(value))


def group_label(values: dict) -> str:
    """All of a group's values in words: "Black or Black British, autistic, Male"."""
    parts = [value_label(d, v) for d, v in values.items() if v is not None]
    return ", ".join(parts) if parts else "Everyone"


def breakdown_label(dimensions) -> str:
    if not dimensions:
        return "Everyone"
    return " by ".join(DIMENSION_LABELS[d].lower() for d in dimensions).capitalize()


def breakdown_key(dimensions) -> str:
    return "+".join(dimensions)


def parse_breakdown(text: str | None):
    """A breakdown key from a query string, or ``None`` if it names unknown dimensions."""
    if not text:
        return None
    parts = tuple(p for p in text.split("+") if p)
    if not parts or any(p not in DIMENSION_LABELS for p in parts) or len(set(parts)) != len(parts):
        return None
    return parts


def value_order(dimension: str, value) -> int:
    keys = list(VALUES[dimension])
    try:
        return keys.index(value)
    except ValueError:
        return len(keys)
