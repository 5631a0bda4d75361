"""The shared upload reader and the shared CSV writer."""

import ast
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coproduce.core import uploads
from coproduce.core.csv_writer import csv_cell, csv_text, rows_to_lines, safe_file_name

SRC = Path(__file__).resolve().parents[2] / "src" / "coproduce"


def _problems(call):
    with pytest.raises(uploads.UploadProblems) as caught:
        call()
    return caught.value.problems


# --------------------------------------------------------------------------- decoding


def test_utf8_with_or_without_a_byte_order_mark_reads_the_same():
    text = "name,count\nZoë,1\n"
    assert uploads.decode(text.encode()) == text
    assert uploads.decode(b"\xef\xbb\xbf" + text.encode()) == text


def test_other_encodings_get_a_plain_message():
    [(line, reason)] = _problems(lambda: uploads.decode("Zoë".encode("cp1252")))
    assert line is None and "not saved as UTF-8 text" in reason and "CSV UTF-8" in reason


def test_a_binary_file_is_not_a_csv_file():
    assert "not a CSV file" in _problems(lambda: uploads.decode(b"PK\x03\x04\x00\x00"))[0][1]


class _Upload(io.BytesIO):
    def __init__(self, data, name="figures.csv"):
        super().__init__(data)
        self.name, self.size = name, len(data)


def test_size_and_name_are_checked_before_reading():
    big = _Upload(b"x" * 3000)
    assert "larger than 2 KB" in _problems(lambda: uploads.read_upload(big, max_bytes=2048))[0][1]
    other = _Upload(b"a,b\n", name="figures.xlsx")
    assert (
        "must be a CSV file" in _problems(lambda: uploads.read_upload(other, max_bytes=2048))[0][1]
    )
    assert uploads.read_upload(_Upload(b"a,b\n"), max_bytes=2048) == "a,b\n"


# --------------------------------------------------------------------------- reading


def test_rows_carry_the_line_they_start_on_and_blank_lines_are_skipped():
    text = 'Name,Count\n"Ward A",1\n\n"Ward\nB",2\nWard C,3\n'
    table = uploads.read_csv(text, columns=("name", "count"), required=("name",))
    assert [(r.line, r["name"], r["count"]) for r in table.rows] == [
        (2, "Ward A", "1"),
        (4, "Ward\nB", "2"),
        (6, "Ward C", "3"),
    ]


@pytest.mark.parametrize(("mark", "words"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_is_told_what_to_do(mark, words):
    text = f"name{mark}count\nWard A{mark}1\n"
    [(line, reason)] = _problems(lambda: uploads.read_csv(text, columns=("name", "count")))
    assert line == 1 and f"separated by {words}" in reason and "comma delimited" in reason


def test_the_header_names_what_is_missing_unexpected_and_repeated():
    [(line, reason)] = _problems(
        lambda: uploads.read_csv(
            "name,shoe,shoe\n", columns=("name", "count"), required=("name", "count")
        )
    )
    assert line == 1
    assert "missing columns: count" in reason
    assert "unexpected columns: 'shoe'" in reason and "repeated columns: shoe" in reason


def test_an_empty_file_names_the_columns_it_needs():
    assert "name, count" in _problems(lambda: uploads.read_csv("", columns=("name", "count")))[0][1]


def test_too_many_values_suggests_quotes_and_the_row_limit_is_plain():
    table = uploads.read_csv("name,count\nRestraint per 1,000,3\n", columns=("name", "count"))
    assert table.rows == [] and table.problems[0][0] == 2
    assert "double quotes" in table.problems[0][1]
    many = "name\n" + "x\n" * 4
    reason = _problems(lambda: uploads.read_csv(many, columns=("name",), max_rows=3))[0][1]
    assert "more than 3 rows" in reason


def test_exact_width_names_short_rows_and_long_cells_are_refused():
    table = uploads.read_csv("a,b\n1\n", columns=("a", "b"), exact_width=True)
    assert table.problems == [(2, "expected 2 values but found 1")]
    long = uploads.read_csv("a\n" + "x" * 1001 + "\n", columns=("a",))
    assert "longer than 1,000 characters" in long.problems[0][1]


def test_pending_uploads_are_kept_per_person_and_replaced(db, world):
    user, other = world.users["ward_member"], world.users["lead"]
    uploads.keep_pending(user, "kind", "ward:1", "a.csv", [[1]])
    uploads.keep_pending(user, "kind", "ward:1", "b.csv", [[2]])
    assert uploads.pending_for(user, "kind", "ward:1").file_name == "b.csv"
    assert uploads.pending_for(other, "kind", "ward:1") is None
    assert uploads.pending_for(user, "kind", "ward:2") is None
    uploads.discard_pending(user, "kind", "ward:1")
    assert uploads.pending_for(user, "kind", "ward:1") is None


# --------------------------------------------------------------------------- writing


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44", "'+44"),
        ("-1 thing", "'-1 thing"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Willow Ward", "Willow Ward"),
        (Decimal("64.0000"), "64"),
        (-3, "-3"),
        (date(2026, 11, 16), "2026-11-16"),
        (True, "Yes"),
        (None, ""),
    ],
)
def test_cells_are_plain_and_never_a_formula(value, text):
    assert csv_cell(value) == text


def test_text_has_a_byte_order_mark_and_commas_are_quoted():
    out = csv_text(["measure", "value"], [["Restraint per 1,000 bed days", 3]])
    assert out == '\ufeffmeasure,value\r\n"Restraint per 1,000 bed days",3\r\n'
    assert next(rows_to_lines(None, [])) == "\ufeff"


def test_file_names_are_safe_in_a_header():
    assert safe_file_name('Willow "Ward"/../x') == "willow-ward-x"


def test_every_csv_download_uses_the_shared_writer():
    """No module writes CSV with ``csv.writer`` itself, except the shared writer."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "csv_writer.py" and path.parent.name == "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"writer", "DictWriter"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
