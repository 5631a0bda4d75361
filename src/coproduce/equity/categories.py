"""Demographic categories used for equity breakdowns, as plain data.

Ethnicity follows the NHS data dictionary "ethnic category" (2001 census based) codes A to
Z, grouped into the five broad groups used in the national Mental Health Act statistics
plus "Not stated / not known". Dictionaries keep the published order.
"""

from __future__ import annotations

__all__ = [
    "AGE_BANDS",
    "AUTISM",
    "DEPRIVATION_DECILES",
    "ESP2013_AGE_BANDS",
    "ESP2013_WEIGHTS",
    "ETHNICITY_BROAD",
    "ETHNICITY_DETAILED",
    "ETHNICITY_DETAILED_TO_BROAD",
    "GENDER",
    "LEARNING_DISABILITY",
    "NOT_STATED",
    "age_band",
    "broad_ethnicity",
]

NOT_STATED = "not_stated"

#: Broad ethnic groups: key -> label.
ETHNICITY_BROAD: dict[str, str] = {
    "white": "White",
    "mixed": "Mixed",
    "asian": "Asian or Asian British",
    "black": "Black or Black British",
    "other": "Other ethnic groups",
    NOT_STATED: "Not stated / not known",
}

#: Detailed ethnic categories: NHS data dictionary code -> label.
ETHNICITY_DETAILED: dict[str, str] = {
    "A": "British",
    "B": "Irish",
    "C": "Any other White background",
    "D": "White and Black Caribbean",
    "E": "White and Black African",
    "F": "White and Asian",
    "G": "Any other mixed background",
    "H": "Indian",
    "J": "Pakistani",
    "K": "Bangladeshi",
    "L": "Any other Asian background",
    "M": "Caribbean",
    "N": "African",
    "P": "Any other Black background",
    "R": "Chinese",
    "S": "Any other ethnic group",
    "Z": "Not stated",
}

#: Detailed code -> broad group key.
ETHNICITY_DETAILED_TO_BROAD: dict[str, str] = {
    **dict.fromkeys("ABC", "white"),
    **dict.fromkeys("DEFG", "mixed"),
    **dict.fromkeys("HJKL", "asian"),
    **dict.fromkeys("MNP", "black"),
    **dict.fromkeys("RS", "other"),
    "Z": NOT_STATED,
}


def broad_ethnicity(code: str | None) -> str:
    """The broad group key for a detailed code; blank, ``99`` or unknown codes are
    "not stated / not known"."""
    if code is None:
        return NOT_STATED
    return ETHNICITY_DETAILED_TO_BROAD.get(code.strip().upper(), NOT_STATED)


#: Learning disability recorded: key -> label.
LEARNING_DISABILITY: dict[str, str] = {"yes": "Yes", "no": "No", "not_known": "Not known"}

#: Autism recorded: key -> label.
AUTISM: dict[str, str] = {"yes": "Yes", "no": "No", "not_known": "Not known"}

#: Gender (NHS data dictionary "gender identity code") -> label.
GENDER: dict[str, str] = {
    "1": "Male (including trans man)",
    "2": "Female (including trans woman)",
    "3": "Non-binary",
    "4": "Other (not listed)",
    "X": "Not known (not recorded)",
    "Z": "Not stated (person asked but declined to provide a response)",
}

#: Age bands used in the national MHA statistics: (label, lowest age, highest age or None).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Under 18", 0, 17),
    ("18 to 34", 18, 34),
    ("35 to 49", 35, 49),
    ("50 to 64", 50, 64),
    ("65 and over", 65, None),
)

#: Five-year bands of the 2013 European Standard Population.
ESP2013_AGE_BANDS: tuple[tuple[str, int, int | None], ...] = tuple(
    (f"{lo} to {lo + 4}", lo, lo + 4) for lo in range(0, 90, 5)
) + (("90 and over", 90, None),)

#: 2013 European Standard Population weights for :data:`ESP2013_AGE_BANDS` (sum 100,000).
ESP2013_WEIGHTS: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip


def age_band(age: int, bands: tuple[tuple[str, int, int | None], ...] = AGE_BANDS) -> str:
    """The label of the band containing ``age`` (whole years)."""
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise ValueError(f"age must be a whole number of years, 0 or more, not {age!r}")
    for label, lo, hi in bands:
        if age >= lo and (hi is None or age <= hi):
            return label
    raise ValueError(f"age {age} is not in any band")


#: Index of Multiple Deprivation deciles: 1 is the most deprived tenth of areas.
DEPRIVATION_DECILES: dict[int, str] = {
    d: f"{d} (most deprived)" if d == 1 else f"{d} (least deprived)" if d == 10 else str(d)
    for d in range(1, 11)
}
