"""The equity view through the pages: hand-checked figures, disclosure control, CSV, audit."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.equity_web import analysis

from .helpers import catalogue_measure, figure, hand_checked, months, ward_measure


def _rows(response):
    return response.content.decode()


@pytest.fixture
def wm(world):
    return ward_measure(world.ward_a1)


def test_rates_intervals_and_ratio_are_the_hand_checked_figures(client, world, wm):
    hand_checked(wm)
    client.force_login(world.users["ward_member"])
    response = client.get(reverse("equity_web:ward-measure", args=[wm.pk]))
    assert response.status_code == 200
    view = response.context["view"]
    table = {row["group"]: row for row in view.table}
    assert table["White"] == {
        "group": "White",
        "count": "20",
        "rate": "20.0",
        "interval": "12.2 to 30.9",
        "ratio": "Comparison group",
        "note": "",
    }
    assert table["Black or Black British"]["rate"] == "60.0"
    assert table["Black or Black British"]["interval"] == "33.6 to 99.0"
    assert table["Black or Black British"]["ratio"] == "3.0 (1.5 to 5.9)"
    html = _rows(response)
    assert "The Black or Black British rate was higher than the White rate" in html
    assert "3.0 times, 95% interval 1.5 to 5.9" in html
    assert 'role="img"' in html  # the dot-and-interval chart


def test_small_counts_are_hidden_and_rates_come_from_the_rounded_counts(client, world, wm):
    hand_checked(wm)
    client.force_login(world.users["lead"])
    response = client.get(reverse("equity_web:ward-measure", args=[wm.pk]))
    table = {row["group"]: row for row in response.context["view"].table}
    # Asian (3) is hidden, with its rate.
    asian = table["Asian or Asian British"]
    assert asian["count"] == "*"
    assert asian["rate"] == "" and asian["interval"] == "" and asian["ratio"] == ""
    # Mixed (6) is published as 5, and its rate and interval are those of 5 in 12, not
    # of 6 in 12 (50.0, 18.3 to 109), so they do not give the 6 back.
    mixed = table["Mixed"]
    assert mixed["count"] == "5"
    assert (mixed["rate"], mixed["interval"]) == ("41.7", "13.4 to 97.2")
    # The total is rounded on its own (44 -> 45), not added up from rounded parts (40).
    assert response.context["view"].total_text == "45"
    html = _rows(response)
    assert "44" not in html.split("All groups")[1][:200]
    for denominator in ("100", "25", "12", "10"):
        assert f'cell">{denominator}</td>' not in html
    assert "Asian or Asian British: not shown, to protect small numbers" in html


def test_counts_are_rounded_to_the_nearest_5(client, world, wm):
    figure(wm, 13, 90, ethnicity="white")
    figure(wm, 22, 40, ethnicity="black")
    client.force_login(world.users["lead"])
    view = client.get(reverse("equity_web:ward-measure", args=[wm.pk])).context["view"]
    assert [r["count"] for r in view.table] == ["15", "20"]
    assert view.total_text == "35"


def test_csv_export_holds_only_what_the_page_shows(client, world, wm):
    hand_checked(wm)
    client.force_login(world.users["observer"])
    response = client.get(reverse("equity_web:ward-measure", args=[wm.pk]), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_group = {r[0]: r for r in rows[1:]}
    assert by_group["Mixed"][1:4] == ["5", "41.7", "13.4 to 97.2"]
    assert by_group["Asian or Asian British"][1:5] == ["*", "", "", ""]
    assert by_group["White"][1:4] == ["20", "20.0", "12.2 to 30.9"]
    assert by_group["All groups"][1] == "45"
    body = response.content.decode()
    assert ",6," not in body and ",3," not in body and "44" not in body
    assert AuditEvent.objects.filter(action="view", note__contains="CSV").exists()


def test_a_crossing_is_disclosed_as_a_two_way_table(client, world, wm):
    # Every cell and every total is rounded on its own; Black autistic (2) is hidden.
    cells = {("white", "yes"): 8, ("white", "no"): 40, ("black", "yes"): 2, ("black", "no"): 20}
    for (group, autistic), count in cells.items():
        figure(wm, count, 50, ethnicity=group, autism=autistic)
    client.force_login(world.users["lead"])
    response = client.get(
        reverse("equity_web:ward-measure", args=[wm.pk]), {"breakdown": "ethnicity+autism"}
    )
    view = response.context["view"]
    assert view.breakdown == ("ethnicity", "autism")
    table = {r["group"]: r for r in view.table}
    assert table["Black or Black British, autistic"]["count"] == "*"
    assert table["Black or Black British, autistic"]["rate"] == ""
    assert table["White, autistic"]["count"] == "10"
    # The rate of White autistic people is that of 10 in 50, not of the true 8 in 50.
    assert table["White, autistic"]["rate"] == "20.0"
    assert table["Black or Black British, not autistic"]["count"] == "20"
    assert table["White, not autistic"]["count"] == "40"
    cross = view.cross
    assert cross.rows[1]["cells"] == ["*", "20"]
    # 48, 22; 10, 60; 70: each rounded from its exact value.
    assert [r["total"] for r in cross.rows] == ["50", "20"]
    assert cross.column_totals == ["10", "60"] and cross.total == "70"
    html = _rows(response)
    assert "Counts in each crossing" in html


def test_the_reference_group_can_be_chosen(client, world, wm):
    hand_checked(wm)
    client.force_login(world.users["lead"])
    view = client.get(
        reverse("equity_web:ward-measure", args=[wm.pk]), {"reference": "black"}
    ).context["view"]
    table = {r["group"]: r for r in view.table}
    assert table["Black or Black British"]["ratio"] == "Comparison group"
    assert table["White"]["ratio"].startswith("0.33")


def test_nonsense_choices_fall_back_to_the_defaults(client, world, wm):
    hand_checked(wm)
    client.force_login(world.users["lead"])
    response = client.get(
        reverse("equity_web:ward-measure", args=[wm.pk]),
        {"breakdown": "shoe_size", "reference": "nobody", "window": "99", "kind": "x"},
    )
    assert response.status_code == 200
    assert response.context["view"].reference.label == "White"


def test_not_enough_data_is_said_rather_than_a_ratio_over_time(client, world, wm):
    hand_checked(wm)
    client.force_login(world.users["lead"])
    html = _rows(client.get(reverse("equity_web:ward-measure", args=[wm.pk])))
    assert "There is not enough data to chart the ratio over time" in html


def test_the_ratio_over_time_is_an_spc_chart_when_there_are_enough_periods(client, world, wm):
    for i, period in enumerate(months(14)):
        figure(wm, 20 + i % 3, 100, period=period, ethnicity="white")
        figure(wm, 12 + i % 4, 25, period=period, ethnicity="black")
    client.force_login(world.users["lead"])
    response = client.get(reverse("equity_web:ward-measure", args=[wm.pk]))
    over_time = response.context["view"].over_time
    assert over_time.enough
    assert len(over_time.points) == 14
    # From the published counts of the first period (12 -> 10, 20 -> 20), not the exact
    # ones (which would give 2.4): (10/25) / (20/100).
    assert over_time.points[0]["value"] == "2.0"
    assert "Ratio of the Black or Black British rate to the White rate" in over_time.svg
    # The rates table adds up the latest 12 periods only, unless all are asked for.
    assert len(response.context["view"].periods) == 12
    everything = client.get(reverse("equity_web:ward-measure", args=[wm.pk]), {"window": "all"})
    assert len(everything.context["view"].periods) == 14


def test_periods_with_hidden_counts_are_left_out_of_the_chart_over_time(world):
    wm = ward_measure(world.ward_a1)
    rows = []
    for i, period in enumerate(months(10)):
        black = 3 if i < 3 else 10  # hidden in the first three months
        rows += [
            {
                "period_start": period,
                "count": 20,
                "denominator": 100,
                "denominator_kind": "caseload",
                "ethnicity": "white",
            },
            {
                "period_start": period,
                "count": black,
                "denominator": 25,
                "denominator_kind": "caseload",
                "ethnicity": "black",
            },
        ]
    for r in rows:
        for d in (
            "ethnicity_detailed",
            "learning_disability",
            "autism",
            "gender",
            "age_band",
            "deprivation_decile",
        ):
            r.setdefault(d, None)
    view = analysis.build(rows)
    assert view.over_time.left_out == 3
    assert not view.over_time.enough
    assert "only 7" in view.over_time.message
    assert wm.pk  # the rows stand alone; the ward measure only anchors the world


def test_no_figures_gives_an_empty_state_with_a_way_to_enter_them(client, world, wm):
    client.force_login(world.users["ward_member"])
    html = _rows(client.get(reverse("equity_web:ward-measure", args=[wm.pk])))
    assert "There are no figures by group for this measure yet." in html
    assert reverse("equity_web:entry", args=[wm.pk]) in html
    client.force_login(world.users["observer"])
    html = _rows(client.get(reverse("equity_web:ward-measure", args=[wm.pk])))
    assert reverse("equity_web:entry", args=[wm.pk]) not in html


def test_viewing_group_figures_is_recorded_in_the_audit_log(client, world, wm):
    hand_checked(wm)
    client.force_login(world.users["coach"])
    client.get(reverse("equity_web:ward-measure", args=[wm.pk]))
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert event.actor == world.users["coach"]
    assert event.object_type == "improvement.WardMeasure"
    assert "ethnic group" in event.note


def test_provider_and_programme_views_add_wards_together(client, world):
    measure = catalogue_measure()
    wm1, wm2 = ward_measure(world.ward_a1, measure), ward_measure(world.ward_a2, measure)
    wm_b = ward_measure(world.ward_b1, measure)
    for wm in (wm1, wm2):
        figure(wm, 10, 50, ethnicity="white")
        figure(wm, 10, 20, ethnicity="black")
    figure(wm_b, 500, 1000, ethnicity="white")
    figure(wm_b, 5, 1000, ethnicity="black")
    client.force_login(world.users["lead"])
    view = client.get(
        reverse("equity_web:provider-measure", args=[world.provider_a.pk, measure.pk])
    ).context["view"]
    table = {r["group"]: r for r in view.table}
    assert table["White"]["count"] == "20" and table["White"]["rate"] == "20.0"
    assert table["Black or Black British"]["rate"] == "50.0"
    assert table["Black or Black British"]["ratio"].startswith("2.5")
    # The programme view only adds up the wards this person can see.
    programme = client.get(reverse("equity_web:programme-measure", args=[measure.pk]))
    assert {r["group"]: r["count"] for r in programme.context["view"].table}["White"] == "20"
    client.force_login(world.users["admin"])
    programme = client.get(reverse("equity_web:programme-measure", args=[measure.pk]))
    assert {r["group"]: r["count"] for r in programme.context["view"].table}["White"] == "520"


def test_a_ward_member_sees_only_their_ward_in_the_provider_view(client, world):
    measure = catalogue_measure()
    figure(ward_measure(world.ward_a1, measure), 10, 50, ethnicity="white")
    figure(ward_measure(world.ward_a2, measure), 30, 50, ethnicity="white")
    client.force_login(world.users["ward_member"])
    view = client.get(
        reverse("equity_web:provider-measure", args=[world.provider_a.pk, measure.pk])
    ).context["view"]
    assert view.table[0]["count"] == "10"
    response = client.get(
        reverse("equity_web:ward-measure", args=[ward_measure(world.ward_a2, measure).pk])
    )
    assert response.status_code == 404


def test_overview_pages_do_not_run_a_query_per_measure(
    client, world, django_assert_max_num_queries
):
    for i in range(5):
        measure = catalogue_measure(name=f"Fictional measure {i}")
        for ward in (world.ward_a1, world.ward_a2):
            wm = ward_measure(ward, measure)
            figure(wm, 10, 50, ethnicity="white")
            figure(wm, 8, 20, ethnicity="black", period=date(2025, 2, 1))
    client.force_login(world.users["lead"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("equity_web:index"))
    assert response.content.decode().count("Fictional measure") == 5
    with django_assert_max_num_queries(16):
        response = client.get(reverse("equity_web:provider", args=[world.provider_a.pk]))
    assert response.content.decode().count("Fictional measure") == 5
    with django_assert_max_num_queries(14):
        response = client.get(reverse("equity_web:ward", args=[world.ward_a1.pk]))
    assert response.content.decode().count("Fictional measure") == 5


def test_a_ratio_that_never_changes_is_said_in_words_not_charted(client, world, wm):
    for period in months(10):
        figure(wm, 25, 120, period=period, autism="no")
        figure(wm, 6, 20, period=period, autism="yes")
    client.force_login(world.users["lead"])
    over_time = (
        client.get(reverse("equity_web:ward-measure", args=[wm.pk])).context["view"].over_time
    )
    assert not over_time.enough
    # From the published counts (25 and 6 -> 5): (5/20) / (25/120).
    assert over_time.message.startswith("The ratio was 1.2 in every one of the 10 periods")


def test_a_provider_figure_that_would_pin_down_its_wards_is_hidden(client, world):
    # Each ward has 4 Black patients restrained (a star on each ward's page). Published as
    # "10" (8 to 12), the provider's 8 would leave only 4 and 4 for the two stars.
    measure = catalogue_measure()
    for ward in (world.ward_a1, world.ward_a2):
        wm = ward_measure(ward, measure)
        figure(wm, 4, 20, ethnicity="black")
        figure(wm, 30, 100, ethnicity="white")
    client.force_login(world.users["lead"])
    view = client.get(
        reverse("equity_web:provider-measure", args=[world.provider_a.pk, measure.pk])
    ).context["view"]
    table = {r["group"]: r for r in view.table}
    assert table["Black or Black British"]["count"] == "*"
    assert table["Black or Black British"]["rate"] == ""
    assert table["White"]["count"] == "60"
    # The same figures on one ward alone hide nothing more than the star.
    ward_view = client.get(
        reverse("equity_web:ward-measure", args=[ward_measure(world.ward_a1, measure).pk])
    ).context["view"]
    assert {r["group"]: r["count"] for r in ward_view.table} == {
        "White": "30",
        "Black or Black British": "*",
    }
