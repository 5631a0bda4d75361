"""CSV import, saving figures, SPC readings and driver diagrams."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coproduce.core.models import AuditEvent
from coproduce.improvement import diagram, services
from coproduce.improvement.models import (
    DataPoint,
    Driver,
    PhaseBreak,
    period_label,
    period_start_for,
    previous_period,
    validate_score,
)

from .builders import MONDAY, catalogue_measure, cycle, full, idea, project, ward_measure


def test_periods_start_on_monday_or_the_first_of_the_month():
    assert period_start_for("weekly", date(2025, 3, 6)) == date(2025, 3, 3)
    assert period_start_for("monthly", date(2025, 3, 6)) == date(2025, 3, 1)
    assert previous_period("weekly", date(2025, 3, 6)) == date(2025, 2, 24)
    assert previous_period("monthly", date(2025, 1, 15)) == date(2024, 12, 1)
    assert period_label("weekly", date(2025, 3, 3)) == "week starting 3 March 2025"


@pytest.mark.parametrize("score", ["0.5", "3.0", "5.0"])
def test_progress_scores_in_half_steps_are_accepted(score):
    validate_score(Decimal(score))


@pytest.mark.parametrize("score", ["0", "0.7", "5.5"])
def test_progress_scores_off_the_scale_are_refused(score):
    with pytest.raises(ValidationError):
        validate_score(Decimal(score))


def _wards_measures(world):
    rate = ward_measure(world.ward_a1)  # care plans, a percentage from numerator/denominator
    count = ward_measure(
        world.ward_a1,
        catalogue_measure(
            "Seclusion episodes (fictional)",
            is_rate=False,
            unit="episodes",
            improvement="decrease",
            numerator_label="",
            denominator_label="",
            multiplier=None,
        ),
    )
    return rate, count


def test_a_clean_file_is_parsed_with_values_worked_out(world):
    rate, count = _wards_measures(world)
    text = (
        "measure,period,value,numerator,denominator\n"
        "care plans co-written (fictional),2025-01-06,,6,12\n"
        "Seclusion episodes (fictional),2025-01-06,3,,\n"
    )
    parsed = services.parse_csv(text, world.ward_a1)
    assert parsed.errors == []
    assert [(r.line, r.ward_measure, r.value) for r in parsed.rows] == [
        (2, rate, Decimal("50.0000")),
        (3, count, Decimal("3.0000")),
    ]


def test_every_bad_row_is_named_with_its_line_and_reason(world):
    _wards_measures(world)
    future = period_start_for("weekly", date.today() + timedelta(days=14)).isoformat()
    text = (
        "measure,period,value,numerator,denominator\n"
        "Seclusion episodes (fictional),2025-01-06,3,,\n"  # 2 fine
        "Unknown measure,2025-01-06,3,,\n"  # 3
        "Seclusion episodes (fictional),2025-01-07,3,,\n"  # 4 not a Monday
        "Seclusion episodes (fictional),06/01/25,3,,\n"  # 5 a two-figure year
        "Seclusion episodes (fictional),2025-01-13,three,,\n"  # 6 not a number
        "Seclusion episodes (fictional),2025-01-06,4,,\n"  # 7 twice in the file
        "Care plans co-written (fictional),2025-01-06,90,6,12\n"  # 8 value does not match
        "Care plans co-written (fictional),2025-01-13,,6,\n"  # 9 half a rate
        f"Seclusion episodes (fictional),{future},1,,\n"  # 10 future
        "Care plans co-written (fictional),2025-01-20,,6,0\n"  # 11 zero denominator
    )
    parsed = services.parse_csv(text, world.ward_a1)
    lines = dict(parsed.errors)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "not a measure this ward has adopted" in lines[3]
    assert "is not a Monday" in lines[4] and "2025-01-06" in lines[4]
    assert "in full" in lines[5]
    assert "“three” is not a number" in lines[6]
    assert "already on line 2" in lines[7]
    assert "does not match" in lines[8]
    assert "both the numerator and the denominator" in lines[9]
    assert "in the future" in lines[10]
    assert "more than 0" in lines[11]


def test_a_file_with_the_wrong_columns_is_refused_on_line_1(world):
    parsed = services.parse_csv("name,date,amount\nx,2025-01-06,1\n", world.ward_a1)
    assert parsed.rows == []
    assert parsed.errors[0][0] == 1
    assert "missing columns: measure, period, value" in parsed.errors[0][1]


def test_saving_refuses_existing_periods_unless_replacing_and_never_doubles(world):
    rate, count = _wards_measures(world)
    DataPoint.objects.create(ward_measure=count, period_start=MONDAY, value=Decimal(7))
    text = (
        "measure,period,value\nSeclusion episodes (fictional),2025-01-06,2\n"
        "Seclusion episodes (fictional),2025-01-13,5\n"
    )
    rows = services.parse_csv(text, world.ward_a1).rows
    with pytest.raises(ValueError, match="already have values"):
        services.save_rows(rows, replace=False, source="test.csv")
    assert DataPoint.objects.filter(ward_measure=count).count() == 1
    added, replaced = services.save_rows(rows, replace=True, source="test.csv")
    assert (added, replaced) == (1, 1)
    values = list(DataPoint.objects.filter(ward_measure=count).values_list("value", flat=True))
    assert values == [Decimal(2), Decimal(5)]
    event = AuditEvent.objects.filter(object_type="improvement.WardMeasure").first()
    assert "test.csv" in event.note


def test_readings_rebase_at_phase_breaks_and_see_improvement_after_a_date(world):
    wm = ward_measure(
        world.ward_a1, values=[40, 41, 39, 40, 42, 41, 40, 60, 61, 62, 59, 60, 61, 62, 60]
    )
    reading = services.readings_for([wm])[0]
    assert reading.variation == "improvement_high"
    assert reading.improvement_after(MONDAY + timedelta(weeks=7))
    PhaseBreak.objects.create(ward_measure=wm, starts_on=MONDAY + timedelta(weeks=7), reason="x")
    rebased = services.readings_for([wm])[0]
    assert rebased.result.phase_starts == (0, 7)
    assert not rebased.has_signal


def test_a_measure_without_enough_data_has_no_reading_but_does_not_fail(world):
    empty = ward_measure(world.ward_a1, values=[5])
    reading = services.readings_for([empty])[0]
    assert reading.result is None
    assert reading.variation_tag[1] == "Not enough data"


def test_evidence_shows_improvement_in_a_linked_measure_after_the_cycle_started(world):
    records = full(world)
    ev = services.evidence_for([records["idea"]])[records["idea"].id]
    assert len(ev) == 1 and ev[0]["since"] == MONDAY
    assert ev[0]["improved"] is False  # the phase break absorbs the shift
    PhaseBreak.objects.all().delete()
    ev = services.evidence_for([records["idea"]])[records["idea"].id]
    assert ev[0]["improved"] is True


def test_driver_diagram_tree_and_svg_escape_text(world):
    p = project(world.ward_a1)
    primary = Driver.objects.create(project=p, kind="primary", text="Staff <script>")
    secondary = Driver.objects.create(project=p, parent=primary, kind="secondary", text="Time")
    i = idea(p, driver=secondary)
    loose = idea(p, title="Not linked")
    root, unlinked = diagram.build_tree(p, [primary, secondary], [i, loose])
    assert [c.text for c in root.children] == ["Staff <script>"]
    assert root.children[0].children[0].children[0].obj == i
    assert [n.obj for n in unlinked] == [loose]
    svg = diagram.render_svg(root, "Driver diagram")
    assert "<script>" not in svg and "Staff &lt;script&gt;" in svg
    assert 'role="img"' in svg


def test_cycle_numbers_follow_on(world):
    i = idea(project(world.ward_a1))
    assert services.next_cycle_number(i) == 1
    cycle(i, number=1)
    assert services.next_cycle_number(i) == 2
