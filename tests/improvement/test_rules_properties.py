"""Random text and numbers thrown at the figure rules, the entry form and the CSV upload:
nothing invalid is stored and no exception escapes."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.core.csv_writer import csv_text
from coproduce.improvement import forms, rules, services
from coproduce.improvement.models import DataPoint, Measure, previous_period

from .builders import catalogue_measure, ward_measure

PURE_SETTINGS = settings(max_examples=200, deadline=None)
DB_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

number_text = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A[-+]?[0-9,]{0,12}(\.[0-9]{0,6})?\Z"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.sampled_from(["", " ", "1e3", "NaN", "-0", "1,000", "1,5", "١٢", "0x10", "1_000"]),
)
day = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
date_text = st.one_of(
    day.map(date.isoformat),
    day.map(lambda d: f"{d:%d/%m/%Y}"),
    day.map(lambda d: f"{d:%d/%m/%y}"),
    st.text(max_size=12),
)


def _measures():
    return [
        Measure(name="Share", unit="%", is_rate=True, multiplier=Decimal(100)),
        Measure(name="Per bed days", unit="per 1,000 bed days", is_rate=True, multiplier=1000),
        Measure(name="Percent", unit="%", is_rate=False),
        Measure(name="Episodes", unit="episodes", is_rate=False),
        Measure(name="Days", unit="days", is_rate=False),
    ]


def assert_valid(measure, value, numerator, denominator):
    """What may be stored for ``measure``, whatever came in."""
    kind = rules.kind_of(measure)
    for n in (value, numerator, denominator):
        if n is not None:
            assert n.is_finite() and n.as_tuple().exponent >= -4
            assert 0 <= n <= rules.MAX_NUMBER
    assert value is not None
    if kind == rules.COUNT:
        assert value == value.to_integral_value()
    if kind in (rules.PROPORTION, rules.PERCENTAGE):
        assert value <= 100
    assert (numerator is None) == (denominator is None)
    if numerator is not None:
        assert measure.is_rate and denominator > 0
        assert numerator == numerator.to_integral_value()
        if kind == rules.PROPORTION:
            assert numerator <= denominator
        assert value == measure.value_from(numerator, denominator)


@PURE_SETTINGS
@given(text=number_text)
def test_reading_a_number_gives_a_bounded_number_or_a_plain_refusal(text):
    try:
        n = rules.parse_number(text)
    except rules.FigureError as exc:
        assert str(exc)
        return
    assert n is None or (n.is_finite() and abs(n) <= rules.MAX_NUMBER)


@PURE_SETTINGS
@given(
    which=st.integers(min_value=0, max_value=4),
    value=st.one_of(st.none(), st.decimals(allow_nan=True, allow_infinity=True)),
    numerator=st.one_of(st.none(), st.decimals(allow_nan=True, allow_infinity=True)),
    denominator=st.one_of(st.none(), st.decimals(allow_nan=True, allow_infinity=True)),
)
def test_a_checked_figure_is_always_one_that_may_be_stored(which, value, numerator, denominator):
    measure = _measures()[which]
    try:
        figure = rules.check_figure(measure, value, numerator, denominator)
    except rules.FigureError as exc:
        assert str(exc)
        return
    assert_valid(measure, figure.value, figure.numerator, figure.denominator)


@PURE_SETTINGS
@given(frequency=st.sampled_from(["weekly", "monthly"]), when=day, exact=st.booleans())
def test_a_period_that_passes_is_over_and_not_before_2000(frequency, when, exact):
    try:
        start = rules.check_period(frequency, when, exact=exact)
    except rules.FigureError as exc:
        assert str(exc)
        return
    assert start >= rules.EARLIEST and rules.period_end(frequency, start) <= date.today()


def _ward_measures(world):
    return [
        ward_measure(world.ward_a1),
        ward_measure(
            world.ward_a1,
            catalogue_measure(
                "Restraint per 1,000 bed days (fictional)",
                unit="per 1,000 bed days",
                multiplier=Decimal(1000),
            ),
        ),
        ward_measure(
            world.ward_a1,
            catalogue_measure(
                "Seclusion episodes (fictional)",
                is_rate=False,
                unit="episodes",
                numerator_label="",
                denominator_label="",
                multiplier=None,
            ),
        ),
        ward_measure(
            world.ward_a1,
            catalogue_measure(
                "Days to review (fictional)",
                is_rate=False,
                unit="days",
                frequency="monthly",
                numerator_label="",
                denominator_label="",
                multiplier=None,
            ),
        ),
    ]


def _all_stored_are_valid():
    for p in DataPoint.objects.select_related("ward_measure__measure"):
        measure = p.ward_measure.measure
        assert_valid(measure, p.value, p.numerator, p.denominator)
        assert rules.check_period(measure.frequency, p.period_start, exact=True)


@DB_SETTINGS
@given(
    period=st.one_of(date_text, st.just(previous_period("weekly", date.today()).isoformat())),
    cells=st.lists(number_text, min_size=6, max_size=6),
)
def test_the_entry_form_stores_nothing_invalid(world, period, cells):
    wms = _ward_measures(world) if not hasattr(world, "_wms") else world._wms
    world._wms = wms
    data = {"period": period}
    names = [
        f"m{wms[0].pk}_numerator",
        f"m{wms[0].pk}_denominator",
        f"m{wms[1].pk}_numerator",
        f"m{wms[1].pk}_denominator",
        f"m{wms[2].pk}_value",
        f"m{wms[3].pk}_value",
    ]
    data.update(zip(names, cells, strict=True))
    form = forms.DataEntryForm(data, ward_measures=wms)
    if form.is_valid():
        services.save_rows(form.to_save, replace=True, source="a property test")
    _all_stored_are_valid()


@DB_SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "Care plans co-written (fictional)",
                    "Restraint per 1,000 bed days (fictional)",
                    "Seclusion episodes (fictional)",
                    "Days to review (fictional)",
                    "Unknown",
                ]
            ),
            st.one_of(date_text, st.just(previous_period("weekly", date.today()).isoformat())),
            number_text,
            number_text,
            number_text,
        ),
        max_size=6,
    ),
    raw_tail=st.text(max_size=30),
)
def test_the_csv_upload_stores_nothing_invalid(world, rows, raw_tail):
    if not hasattr(world, "_wms"):
        world._wms = _ward_measures(world)
    text = csv_text(services.REQUIRED_COLUMNS + services.OPTIONAL_COLUMNS, rows) + raw_tail
    parsed = services.parse_csv(text, world.ward_a1)
    if parsed.rows and not parsed.errors:
        services.save_rows(parsed.rows, replace=True, source="a property test")
    for line, reason in parsed.errors:
        assert isinstance(line, int) and reason
    _all_stored_are_valid()


def test_the_properties_can_fail_an_invalid_figure():
    """The check above is not empty: it rejects what the rules refuse."""
    share = _measures()[0]
    try:
        assert_valid(share, Decimal(200), Decimal(20), Decimal(10))
    except AssertionError:
        return
    raise AssertionError("a numerator above its denominator passed the property check")


def test_period_end_is_the_next_period_start():
    assert rules.period_end("monthly", date(2026, 12, 1)) == date(2027, 1, 1)
    assert rules.period_end("weekly", date(2026, 11, 16)) == date(2026, 11, 16) + timedelta(7)
