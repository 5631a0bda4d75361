"""What a figure may be: the rules in ``improvement.rules``, through the CSV upload and the
entry form, which must both refuse what the rules refuse."""

import html
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from coproduce.improvement import services
from coproduce.improvement.models import DataPoint, period_start_for, previous_period

from .builders import catalogue_measure, ward_measure

HEADER = "measure,period,value,numerator,denominator\n"
LAST_WEEK = previous_period("weekly", date.today())
LAST_MONTH = previous_period("monthly", date.today())


def _measures(world):
    percent = ward_measure(world.ward_a1)  # "Care plans co-written (fictional)", %, of 100
    count = ward_measure(
        world.ward_a1,
        catalogue_measure(
            "Seclusion episodes (fictional)",
            is_rate=False,
            unit="episodes",
            numerator_label="",
            denominator_label="",
            multiplier=None,
        ),
    )
    rate = ward_measure(
        world.ward_a1,
        catalogue_measure(
            "Restraint per 1,000 occupied bed days (fictional)",
            unit="per 1,000 bed days",
            numerator_label="restraint episodes",
            denominator_label="occupied bed days",
            multiplier=Decimal(1000),
        ),
    )
    days = ward_measure(
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
    )
    return {"percent": percent, "count": count, "rate": rate, "days": days}


def _one(world, line, *, expect_ok=False):
    """Parse a one-row file; give the stored value or the reason it was refused."""
    parsed = services.parse_csv(HEADER + line + "\n", world.ward_a1)
    if expect_ok:
        assert parsed.errors == [], parsed.errors
        return parsed.rows[0]
    assert parsed.rows == [], [(r.value, r.period) for r in parsed.rows]
    assert [line for line, _ in parsed.errors] == [2]
    return parsed.errors[0][1]


# --------------------------------------------------------------------------- figures


def test_a_numerator_above_its_denominator_is_refused_not_stored_as_200_percent(world):
    _measures(world)
    reason = _one(world, f"Care plans co-written (fictional),{LAST_WEEK},,20,10")
    assert "the numerator (20) is more than the denominator (10)" in reason
    assert "people with a co-written plan cannot be more than people on the ward" in reason


def test_a_rate_may_have_more_events_than_its_denominator_but_is_never_negative(world):
    _measures(world)
    name = "Restraint per 1,000 occupied bed days (fictional)"
    row = _one(world, f'"{name}",{LAST_WEEK},,3,2', expect_ok=True)
    assert row.value == Decimal("1500.0000")
    assert "cannot be negative" in _one(world, f'"{name}",{LAST_WEEK},-4,,')
    assert "cannot be negative" in _one(world, f'"{name}",{LAST_WEEK},,-1,20')


@pytest.mark.parametrize(
    ("value", "words"),
    [("2.5", "give a whole number"), ("-1", "cannot be negative")],
)
def test_counts_are_whole_and_not_negative(world, value, words):
    _measures(world)
    assert words in _one(world, f"Seclusion episodes (fictional),{LAST_WEEK},{value},,")


def test_a_numerator_is_whole(world):
    _measures(world)
    reason = _one(world, f"Care plans co-written (fictional),{LAST_WEEK},,2.5,10")
    assert "give a whole number" in reason


def test_a_percentage_above_100_is_refused(world):
    _measures(world)
    reason = _one(world, f"Care plans co-written (fictional),{LAST_WEEK},150,,")
    assert "more than 100%" in reason


def test_every_number_has_a_plausible_maximum(world):
    _measures(world)
    reason = _one(world, f"Days to review (fictional),{LAST_MONTH},5000000000,,")
    assert "too large" in reason and "1,000,000,000" in reason
    tiny = _one(
        world, f'"Restraint per 1,000 occupied bed days (fictional)",{LAST_WEEK},,900000000,0.01'
    )
    assert "too large" in tiny


def test_a_comma_separates_thousands_only_in_groups_of_three(world):
    _measures(world)
    row = _one(world, f'Days to review (fictional),{LAST_MONTH},"1,000",,', expect_ok=True)
    assert row.value == Decimal("1000")
    row = _one(world, f'Days to review (fictional),{LAST_MONTH},"12,345.5",,', expect_ok=True)
    assert row.value == Decimal("12345.5")
    reason = _one(world, f'Days to review (fictional),{LAST_MONTH},"1,5",,')
    assert "use a full stop for decimals" in reason


# --------------------------------------------------------------------------- periods


def test_the_current_week_is_refused_until_it_is_over(world):
    _measures(world)
    this_week = period_start_for("weekly", date.today())
    reason = _one(world, f"Seclusion episodes (fictional),{this_week},2,,")
    assert "is not over yet" in reason
    next_monday = this_week + timedelta(days=7)
    assert f"from Monday {next_monday.day} {next_monday:%B %Y}" in reason


def test_the_current_month_is_refused_until_it_is_over(world):
    _measures(world)
    this_month = period_start_for("monthly", date.today())
    reason = _one(world, f"Days to review (fictional),{this_month},2,,")
    assert "is not over yet" in reason and "1 " in reason


def test_dates_before_2000_are_refused(world):
    _measures(world)
    assert "before 2000" in _one(world, "Seclusion episodes (fictional),1999-01-04,2,,")


def test_uk_dates_are_read_day_first_and_two_figure_years_are_refused(world):
    _measures(world)
    uk = f"{LAST_WEEK:%d/%m/%Y}"
    row = _one(world, f"Seclusion episodes (fictional),{uk},2,,", expect_ok=True)
    assert row.period == LAST_WEEK
    short = f"{LAST_WEEK:%d/%m/%y}"
    assert "in full" in _one(world, f"Seclusion episodes (fictional),{short},2,,")
    assert "not a real date" in _one(world, "Seclusion episodes (fictional),31/02/2025,2,,")


# --------------------------------------------------------------------------- the file itself


def _upload(client, ward, data: bytes, name="figures.csv"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("improvement:upload", args=[ward.pk]), {"file": f})


def test_a_semicolon_file_is_told_what_to_do(client, world):
    _measures(world)
    client.force_login(world.users["ward_member"])
    body = _upload(
        client, world.ward_a1, f"measure;period;value\nSeclusion episodes;{LAST_WEEK};2\n".encode()
    ).content.decode()
    assert "separated by semicolons" in body and "CSV UTF-8" in body
    assert not DataPoint.objects.exists()


def test_a_file_not_saved_as_utf8_is_refused_plainly(client, world):
    _measures(world)
    client.force_login(world.users["ward_member"])
    text = f"measure,period,value\nSeclusion épisodes,{LAST_WEEK},2\n"
    body = _upload(client, world.ward_a1, text.encode("cp1252")).content.decode()
    assert "not saved as UTF-8 text" in body


def test_an_unquoted_comma_is_named_with_the_line(world):
    _measures(world)
    parsed = services.parse_csv(
        HEADER + f"Restraint per 1,000 occupied bed days (fictional),{LAST_WEEK},,3,20\n",
        world.ward_a1,
    )
    assert parsed.errors[0][0] == 2 and "double quotes" in parsed.errors[0][1]


def test_too_many_rows_is_a_plain_message(world, monkeypatch):
    _measures(world)
    monkeypatch.setattr(services, "MAX_UPLOAD_ROWS", 3)
    rows = "".join(f"Seclusion episodes (fictional),{LAST_WEEK},2,,\n" for _ in range(4))
    parsed = services.parse_csv(HEADER + rows, world.ward_a1)
    assert parsed.rows == [] and "more than 3 rows" in parsed.errors[0][1]


def test_the_upload_pages_own_example_uploads_cleanly(client, world):
    measures = _measures(world)
    client.force_login(world.users["ward_member"])
    page = client.get(reverse("improvement:upload", args=[world.ward_a1.pk])).content.decode()
    example = html.unescape(re.search(r"<pre[^>]*>(.*?)</pre>", page, re.S).group(1))
    assert "Restraint per 1,000" in example or "Days to review" in example
    response = _upload(client, world.ward_a1, example.encode(), name="example.csv")
    preview_url = reverse("improvement:upload-preview", args=[world.ward_a1.pk])
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == preview_url
    done = client.post(preview_url, {})
    assert done.status_code == 302, done.content.decode()[-3000:]
    assert DataPoint.objects.filter(ward_measure__in=measures.values()).count() == len(
        [line for line in example.splitlines()[1:] if line.strip()]
    )


def test_the_preview_keeps_checked_rows_not_the_file(client, world):
    from coproduce.core.models import PendingUpload

    _measures(world)
    client.force_login(world.users["ward_member"])
    text = HEADER + f"Seclusion episodes (fictional),{LAST_WEEK},2,,\n"
    _upload(client, world.ward_a1, text.encode())
    pending = PendingUpload.objects.get()
    assert pending.rows[0][2:4] == [LAST_WEEK.isoformat(), "2.0000"]
    assert "Seclusion" not in str(pending.rows)  # ids and figures, not the file's text
    assert not [k for k, _ in client.session.items() if k.startswith("improvement-upload")]


# --------------------------------------------------------------------------- the entry form


def test_the_entry_form_applies_the_same_rules(client, world):
    m = _measures(world)
    client.force_login(world.users["ward_member"])
    url = reverse("improvement:data-entry", args=[world.ward_a1.pk])
    body = client.post(
        url,
        {
            "period": LAST_WEEK.isoformat(),
            f"m{m['percent'].pk}_numerator": "20",
            f"m{m['percent'].pk}_denominator": "10",
            f"m{m['count'].pk}_value": "1,5",
        },
    ).content.decode()
    assert "is more than the denominator" in body
    assert "use a full stop for decimals" in body
    assert not DataPoint.objects.exists()


def test_the_entry_form_refuses_a_month_that_is_not_over(client, world):
    m = _measures(world)
    client.force_login(world.users["ward_member"])
    url = reverse("improvement:data-entry", args=[world.ward_a1.pk])
    today = date.today()
    body = client.post(
        url, {"period": today.isoformat(), f"m{m['days'].pk}_value": "3"}
    ).content.decode()
    assert "is not over yet" in body
    assert not DataPoint.objects.exists()
