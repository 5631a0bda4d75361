"""Reading Mental Health Act statistics CSV files."""

import io

import pytest

from coproduce.equity import COLUMNS, parse_mha_stats, read_mha_stats
from coproduce.equity.mha_stats import sample_path

HEADER = ",".join(COLUMNS)


def _line(**overrides):
    values = {
        "Year": "2023-24",
        "Measure": "Detentions",
        "MeasureSubcategory": "All detentions",
        "Demographic": "Ethnicity (broad)",
        "DemographicBreakdown": "White",
        "OrganisationBreakdown": "Provider",
        "Datasource": "Fictional sample",
        "OrgID": "XQA01",
        "OrgName": "Fictional Northvale NHS Trust",
        "MHSDS_Count": "410",
        "Acute_Count": "0",
        "Total_Count": "410",
        "CrudeRate": "NULL",
        "StdRate": "NULL",
        "Confidence_interval": "NULL",
    }
    values.update(overrides)
    return ",".join(values[c] for c in COLUMNS)


def test_sample_file_reads_and_is_marked_fictional():
    path = sample_path()
    assert path.read_text(encoding="utf-8").splitlines()[0] == HEADER
    rows = read_mha_stats(path)
    assert len(rows) >= 30
    assert {r.datasource for r in rows} == {"Fictional sample"}
    assert all("fictional" in r.org_name.lower() for r in rows)
    assert {r.organisation_breakdown for r in rows} == {"England", "Region", "Provider"}
    assert any(r.suppressed for r in rows)
    assert any("std_rate" in r.missing for r in rows)


def test_values_are_typed():
    rows = parse_mha_stats(
        HEADER
        + "\n"
        + _line(
            MHSDS_Count='"1,234"',
            Total_Count="1240",
            CrudeRate="262.4",
            Confidence_interval="240.1 - 285.3",
        )
        + "\n"
    )
    (row,) = rows
    assert row.line == 2
    assert row.mhsds_count == 1234 and row.acute_count == 0 and row.total_count == 1240
    assert row.crude_rate == 262.4 and row.std_rate is None
    assert row.confidence_interval == "240.1 - 285.3"
    assert row.confidence_limits == (240.1, 285.3)
    assert row.missing == {"std_rate"} and not row.suppressed
    assert row.as_dict()["org_name"] == "Fictional Northvale NHS Trust"


def test_star_is_suppressed_and_null_is_missing():
    text = HEADER + "\n" + _line(MHSDS_Count="*", Total_Count="*", CrudeRate="*") + "\n"
    (row,) = parse_mha_stats(text)
    assert row.mhsds_count is None and row.total_count is None and row.crude_rate is None
    assert row.suppressed == {"mhsds_count", "total_count", "crude_rate"}
    assert row.is_suppressed("total_count")
    assert "std_rate" in row.missing and "total_count" not in row.missing


def test_missing_and_unexpected_columns_are_named():
    header = HEADER.replace("StdRate", "Std_Rate").replace(",Confidence_interval", "")
    with pytest.raises(ValueError) as err:
        parse_mha_stats(header + "\n")
    message = str(err.value)
    assert "missing columns: StdRate, Confidence_interval" in message
    assert "unexpected columns: 'Std_Rate'" in message


def test_repeated_column_is_named():
    with pytest.raises(ValueError, match="repeated columns: Year"):
        parse_mha_stats(HEADER + ",Year\n")


def test_empty_file():
    with pytest.raises(ValueError, match="empty"):
        parse_mha_stats("")


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("Total_Count", "12x"),
        ("MHSDS_Count", "12.5"),
        ("CrudeRate", "about 4"),
        ("Acute_Count", "-3"),
    ],
)
def test_bad_number_names_line_and_column(column, bad):
    text = "\n".join([HEADER, _line(), _line(**{column: bad}), _line()]) + "\n"
    with pytest.raises(ValueError) as err:
        parse_mha_stats(text)
    assert "line 3" in str(err.value) and column in str(err.value)


def test_wrong_number_of_values_names_the_line():
    text = HEADER + "\n" + _line() + "\n" + "2023-24,Detentions\n"
    with pytest.raises(ValueError, match="line 3: expected 15 values but found 2"):
        parse_mha_stats(text)


def test_column_order_does_not_matter_and_blank_lines_are_skipped():
    reordered = list(reversed(COLUMNS))
    row = _line().split(",")
    values = dict(zip(COLUMNS, row, strict=True))
    text = ",".join(reordered) + "\n\n" + ",".join(values[c] for c in reordered) + "\n"
    (parsed,) = parse_mha_stats(text)
    assert parsed.total_count == 410 and parsed.line == 3


def test_byte_order_mark_and_file_objects(tmp_path):
    text = "\ufeff" + HEADER + "\n" + _line() + "\n"
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8")
    assert read_mha_stats(path)[0].year == "2023-24"
    assert read_mha_stats(str(path))[0].year == "2023-24"
    assert read_mha_stats(io.StringIO(text))[0].year == "2023-24"


def test_unrecognised_interval_text_is_kept():
    (row,) = parse_mha_stats(HEADER + "\n" + _line(Confidence_interval="wide") + "\n")
    assert row.confidence_interval == "wide" and row.confidence_limits is None
