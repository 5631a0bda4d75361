"""Entering figures by group: the form, the CSV import (all or nothing) and deleting."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.equity_web.models import GroupFigure

from .helpers import figure, ward_measure


@pytest.fixture
def wm(world):
    return ward_measure(world.ward_a1)


def _post_breakdown(client, wm, data, dimension="ethnicity"):
    url = reverse("equity_web:entry", args=[wm.pk]) + f"?dimension={dimension}"
    return client.post(url, data)


def test_the_form_saves_one_period_for_every_group_given(client, world, wm):
    client.force_login(world.users["ward_member"])
    response = _post_breakdown(
        client,
        wm,
        {
            "period_start": "2025-03-01",
            "denominator_kind": "caseload",
            "count_0": "12",
            "denominator_0": "60",  # White
            "count_3": "9",
            "denominator_3": "20",  # Black
        },
    )
    assert response.status_code == 302
    saved = {f.ethnicity: (f.count, f.denominator) for f in GroupFigure.objects.all()}
    assert saved == {"white": (12, 60), "black": (9, 20)}
    assert GroupFigure.objects.get(ethnicity="white").entered_by == world.users["ward_member"]
    assert (
        AuditEvent.objects.filter(action="create", object_type="equity_web.GroupFigure").count()
        == 2
    )


def test_the_form_names_each_problem(client, world, wm):
    client.force_login(world.users["ward_member"])
    response = _post_breakdown(
        client,
        wm,
        {
            "period_start": "2025-03-15",
            "denominator_kind": "",
            "count_0": "12",
            "denominator_0": "",
            "count_3": "x",
            "denominator_3": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "15 March 2025 is not the first day of a month" in html
    assert "Choose what the denominator counts" in html
    assert "Enter the denominator for White, or clear its count" in html
    assert "Enter the count for Black or Black British as a whole number" in html
    assert "The denominator for Black or Black British must be 1 or more" in html
    assert not GroupFigure.objects.exists()


def test_an_empty_form_asks_for_at_least_one_group(client, world, wm):
    client.force_login(world.users["ward_member"])
    html = _post_breakdown(
        client,
        wm,
        {
            "period_start": "2025-03-01",
            "denominator_kind": "caseload",
        },
    ).content.decode()
    assert "Enter a count and a denominator for at least one group" in html


def test_saving_the_same_period_again_replaces_rather_than_duplicates(client, world, wm):
    figure(wm, 5, 50, period=date(2025, 3, 1), ethnicity="white")
    client.force_login(world.users["ward_member"])
    _post_breakdown(
        client,
        wm,
        {
            "period_start": "2025-03-01",
            "denominator_kind": "caseload",
            "count_0": "7",
            "denominator_0": "55",
        },
    )
    assert list(GroupFigure.objects.values_list("count", "denominator")) == [(7, 55)]


def test_the_entry_page_first_asks_which_groups(client, world, wm):
    client.force_login(world.users["ward_member"])
    html = client.get(reverse("equity_web:entry", args=[wm.pk])).content.decode()
    assert "Which groups are you entering figures for?" in html
    assert "?dimension=autism" in html


def _upload(client, wm, text, name="figures.csv"):
    return client.post(
        reverse("equity_web:import", args=[wm.pk]),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


GOOD = (
    "period_start,ethnicity,autism,gender,count,denominator,denominator_kind\n"
    "2025-01-01,White,,,12,140,caseload\n"
    "2025-01-01,black,,,9,40,caseload\n"
    "2025-01-01,Black or Black British,yes,male,3,8,caseload\n"
)


def test_a_good_csv_file_is_imported_with_crossings(client, world, wm):
    client.force_login(world.users["ward_member"])
    response = _upload(client, wm, GOOD)
    assert response.status_code == 302
    crossing = GroupFigure.objects.get(autism="yes")
    assert (crossing.ethnicity, crossing.gender, crossing.count) == ("black", "1", 3)
    assert crossing.group_label == "Black or Black British, autistic, Male"
    # Importing the same file again changes nothing and adds nothing.
    _upload(client, wm, GOOD)
    assert GroupFigure.objects.count() == 3


def test_a_csv_file_with_bad_lines_saves_nothing_and_names_each_line(client, world, wm):
    bad = GOOD + (
        "2025-01-15,white,,,1,10,caseload\n"
        "2025-02-01,purple,,,1,10,caseload\n"
        "2025-02-01,white,,,-1,0,caseload\n"
        "2025-02-01,white,,,1,10,people\n"
        "2025-01-01,white,,,4,140,caseload\n"
        "2025-02-01,white,,\n"
    )
    client.force_login(world.users["ward_member"])
    html = _upload(client, wm, bad).content.decode()
    assert "Nothing was saved" in html
    assert "Line 5: 15 January 2025 is not the first day of a month" in html
    assert "Line 6: ethnicity &#39;purple&#39; is not a value we know" in html
    assert (
        "Line 7: The count cannot be less than 0: enter 0 if it did not happen; "
        "The denominator must be 1 or more" in html
    )
    assert "Line 8: denominator_kind should be one of population, caseload, bed_days" in html
    assert "Line 9: repeats the group and period on line 2" in html
    assert "Line 10: expected 7 values but found 4" in html
    assert not GroupFigure.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Choose a CSV file to upload"),
        (
            "colour,count\nred,1\n",
            "missing columns: period_start, denominator, denominator_kind",
        ),
        (
            "period_start,count,denominator,denominator_kind,shoe\n",
            "unexpected columns: &#39;shoe&#39;",
        ),
        (
            "period_start,count,denominator,denominator_kind\n",
            "The file has a header but no figures",
        ),
        (
            "period_start,ethnicity,ethnicity_detailed,count,denominator,denominator_kind\n"
            "2025-01-01,black,M,3,9,caseload\n",
            "give the broad ethnic group or the detailed category",
        ),
    ],
)
def test_malformed_csv_files_are_explained(client, world, wm, text, message):
    client.force_login(world.users["ward_member"])
    response = (
        client.post(reverse("equity_web:import", args=[wm.pk]), {})
        if not text
        else _upload(client, wm, text)
    )
    assert message in response.content.decode()
    assert not GroupFigure.objects.exists()


def test_a_file_that_is_not_text_is_refused(client, world, wm):
    client.force_login(world.users["ward_member"])
    response = client.post(
        reverse("equity_web:import", args=[wm.pk]),
        {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv")},
    )
    assert "saved as UTF-8 text" in response.content.decode()


def test_observers_cannot_enter_or_import(client, world, wm):
    client.force_login(world.users["observer"])
    assert _upload(client, wm, GOOD).status_code == 403
    assert _post_breakdown(client, wm, {}).status_code == 403
    assert not GroupFigure.objects.exists()


def test_deleting_asks_first_then_deletes(client, world, wm):
    f = figure(wm, 7, 30, ethnicity="black")
    client.force_login(world.users["ward_member"])
    url = reverse("equity_web:figure-delete", args=[f.pk])
    html = client.get(url).content.decode()
    assert "Delete this figure?" in html and "Black or Black British, January 2025" in html
    assert GroupFigure.objects.exists()
    assert client.post(url).status_code == 302
    assert not GroupFigure.objects.exists()


def test_another_provider_cannot_delete(client, world, wm):
    f = figure(wm, 7, 30, ethnicity="black")
    client.force_login(world.users["other_lead"])
    assert client.post(reverse("equity_web:figure-delete", args=[f.pk])).status_code == 404
    assert GroupFigure.objects.filter(pk=f.pk).exists()


def test_the_figures_page_shows_exact_figures_to_people_who_enter_them(client, world, wm):
    figure(wm, 3, 30, ethnicity="black")
    client.force_login(world.users["ward_member"])
    html = client.get(reverse("equity_web:data", args=[wm.pk])).content.decode()
    assert 'cell">3</td>' in html
    assert AuditEvent.objects.filter(action="view", note="Group figures as entered").exists()
