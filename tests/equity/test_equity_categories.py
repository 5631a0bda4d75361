"""Category lists and mappings."""

import pytest

from coproduce.equity import categories as c


def test_ethnicity_lists():
    assert len(c.ETHNICITY_DETAILED) == 17
    assert list(c.ETHNICITY_BROAD.values()) == [
        "White",
        "Mixed",
        "Asian or Asian British",
        "Black or Black British",
        "Other ethnic groups",
        "Not stated / not known",
    ]
    assert set(c.ETHNICITY_DETAILED_TO_BROAD) == set(c.ETHNICITY_DETAILED)
    assert set(c.ETHNICITY_DETAILED_TO_BROAD.values()) == set(c.ETHNICITY_BROAD)


@pytest.mark.parametrize(
    ("code", "broad"),
    [
        ("A", "white"),
        ("C", "white"),
        ("D", "mixed"),
        ("G", "mixed"),
        ("K", "asian"),
        ("M", "black"),
        ("N", "black"),
        ("R", "other"),
        ("s", "other"),
        ("Z", "not_stated"),
        ("99", "not_stated"),
        ("", "not_stated"),
        (None, "not_stated"),
    ],
)
def test_broad_ethnicity(code, broad):
    assert c.broad_ethnicity(code) == broad


def test_yes_no_not_known():
    assert list(c.LEARNING_DISABILITY) == ["yes", "no", "not_known"]
    assert list(c.AUTISM) == ["yes", "no", "not_known"]


def test_age_bands():
    assert c.age_band(17) == "Under 18"
    assert c.age_band(18) == "18 to 34"
    assert c.age_band(64) == "50 to 64"
    assert c.age_band(101) == "65 and over"
    assert c.age_band(92, c.ESP2013_AGE_BANDS) == "90 and over"
    assert c.age_band(0, c.ESP2013_AGE_BANDS) == "0 to 4"
    with pytest.raises(ValueError):
        c.age_band(-1)
    with pytest.raises(ValueError):
        c.age_band(30.5)


def test_european_standard_population():
    assert len(c.ESP2013_WEIGHTS) == len(c.ESP2013_AGE_BANDS) == 19
    assert sum(c.ESP2013_WEIGHTS) == 100_000


def test_deprivation_deciles():
    assert list(c.DEPRIVATION_DECILES) == list(range(1, 11))
    assert c.DEPRIVATION_DECILES[1] == "1 (most deprived)"
    assert c.DEPRIVATION_DECILES[10] == "10 (least deprived)"


def test_gender_has_not_known_and_not_stated():
    assert {"X", "Z"} <= set(c.GENDER)
