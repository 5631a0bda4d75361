"""Pages: projects, PDSA cycles, figures, uploads, summaries, the library and home panels."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEvent
from coproduce.core.scoping import access_for
from coproduce.improvement.home import panels
from coproduce.improvement.models import (
    ChangeIdea,
    DataPoint,
    Driver,
    PDSACycle,
    Project,
    ProjectMember,
    WardMeasure,
    period_start_for,
    previous_period,
)

from .builders import MONDAY, catalogue_measure, cycle, full, idea, project, ward_measure

IGNORE = "ignore::django.utils.deprecation.RemovedInDjango60Warning"


def _login(client, world, who="ward_member"):
    client.force_login(world.users[who])


def test_ward_member_starts_a_project_and_errors_read_plainly(client, world):
    _login(client, world)
    url = reverse("improvement:project-create")
    bad = client.post(url, {"ward": world.ward_a1.pk, "title": "", "aim_by_when": "2020-01-01"})
    body = bad.content.decode()
    assert "There is a problem" in body and "<title>Error:" in body
    assert "Enter a title for the project" in body
    assert "Choose at least one group the project is for" in body
    assert "today or later" in body
    assert not Project.objects.exists()
    good = client.post(
        url,
        {
            "ward": world.ward_a1.pk,
            "title": "Rights people understand",
            "problem": "Read once.",
            "aim_what": "Rights understood",
            "aim_for_whom": "everyone detained",
            "aim_how_much": "from 60% to 90%",
            "aim_by_when": "2099-01-01",
            "focus_groups": ["autistic", "ethnically_diverse"],
            "mha_principles": ["choice_autonomy"],
            "shared_to_library": "on",
        },
    )
    project_ = Project.objects.get()
    assert good.status_code == 302 and good["Location"].endswith(f"/projects/{project_.pk}/")
    assert project_.provider == world.provider_a
    assert project_.focus_groups == ["autistic", "ethnically_diverse"]
    assert list(project_.members.values_list("user__email", flat=True)) == [
        "ward_member@example.org"
    ]
    assert AuditEvent.objects.filter(object_type="improvement.Project", action="create").exists()


def test_a_ward_member_cannot_start_a_project_on_a_ward_they_do_not_edit(client, world):
    _login(client, world)
    response = client.post(reverse("improvement:project-create"), {"ward": world.ward_a2.pk})
    page = response.content.decode()
    assert "from the list" in page and "Select a valid choice" not in page
    assert not Project.objects.filter(ward=world.ward_a2).exists()


def test_observers_get_403_and_other_providers_404_and_nothing_changes(client, world):
    records = full(world)
    url = reverse("improvement:project-edit", args=[records["project"].pk])
    for who, status in (("observer", 403), ("other_lead", 404)):
        _login(client, world, who)
        assert client.post(url, {"title": "Hijacked"}).status_code == status
    records["project"].refresh_from_db()
    assert records["project"].title != "Hijacked"


def test_driver_diagram_forms_check_the_tree(client, world):
    p = project(world.ward_a1)
    _login(client, world, "partner")
    url = reverse("improvement:driver-create", args=[p.pk])
    bad = client.post(url, {"kind": "secondary", "text": "Time to talk"})
    assert "Choose the primary driver this one belongs to" in bad.content.decode()
    client.post(url, {"kind": "primary", "text": "People lead their plan"})
    primary = Driver.objects.get()
    client.post(url, {"kind": "secondary", "parent": primary.pk, "text": "Time to talk"})
    page = client.get(reverse("improvement:project-detail", args=[p.pk])).content.decode()
    assert "People lead their plan" in page and "Time to talk" in page
    assert 'class="app-driver-diagram"' in page


def test_a_pdsa_cycle_is_planned_done_studied_and_decided(client, world):
    p = project(world.ward_a1)
    wm = ward_measure(world.ward_a1, values=[40, 42, 41, 43, 40, 41])
    _login(client, world, "partner")
    response = client.post(
        reverse("improvement:idea-create", args=[p.pk]),
        {
            "title": "Plan review over tea",
            "source": "patient",
            "co_produced": "on",
            "status": "not_tested",
        },
    )
    i = ChangeIdea.objects.get()
    assert response.status_code == 302 and i.co_produced
    plan = {
        "objective": "Try it with two people",
        "question": "Do they feel heard?",
        "prediction": "Both will add their own words",
        "start_date": MONDAY.isoformat(),
        "measures": [wm.pk],
        "lived_experience_people": [world.users["partner"].pk],
        "other_lived_experience_count": "2",
        "tasks-TOTAL_FORMS": "3",
        "tasks-INITIAL_FORMS": "0",
        "tasks-0-text": "Book a quiet room",
        "tasks-0-owner": "Sam",
        "tasks-1-text": "",
        "tasks-1-owner": "",
        "tasks-2-text": "",
        "tasks-2-owner": "",
    }
    client.post(reverse("improvement:cycle-create", args=[i.pk]), plan)
    c = PDSACycle.objects.get()
    assert c.number == 1 and c.tasks.get().owner == "Sam"
    assert list(c.lived_experience_people.all()) == [world.users["partner"]]
    i.refresh_from_db()
    assert i.status == "testing"
    bad = client.post(reverse("improvement:cycle-do", args=[c.pk]), {"what_happened": " "})
    assert "Describe what happened" in bad.content.decode()
    client.post(
        reverse("improvement:cycle-do", args=[c.pk]),
        {"what_happened": "One took part", "task_done": [c.tasks.get().pk]},
    )
    client.post(
        reverse("improvement:cycle-study", args=[c.pk]),
        {"study_results": "Half met", "measures": [wm.pk]},
    )
    early = client.post(
        reverse("improvement:cycle-act", args=[c.pk]),
        {"act": "adapt", "end_date": (MONDAY - timedelta(days=1)).isoformat()},
    )
    assert "on or after the start date" in early.content.decode()
    client.post(
        reverse("improvement:cycle-act", args=[c.pk]),
        {"act": "adapt", "act_notes": "Any time", "end_date": MONDAY.isoformat()},
    )
    c.refresh_from_db()
    assert (c.act, c.what_happened, c.tasks.get().done) == ("adapt", "One took part", True)
    chart = client.get(reverse("improvement:ward-measure-detail", args=[wm.pk])).content.decode()
    assert "PDSA 1" in chart and "Plan review over tea" in chart


def _entry_measures(world):
    percent = ward_measure(world.ward_a1)
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
    monthly = ward_measure(
        world.ward_a1,
        catalogue_measure(
            "Days to review (fictional)",
            is_rate=False,
            unit="days",
            frequency="monthly",
            improvement="decrease",
            numerator_label="",
            denominator_label="",
            multiplier=None,
        ),
    )
    return percent, count, monthly


def test_three_measures_are_entered_in_one_form_and_resaving_does_not_double(client, world):
    percent, count, monthly = _entry_measures(world)
    _login(client, world)
    url = reverse("improvement:data-entry", args=[world.ward_a1.pk])
    page = client.get(url + "?period=2025-03-05")
    assert page.status_code == 200 and "Week starting 3 March 2025" in page.content.decode()
    data = {
        "period": "2025-03-05",
        f"m{percent.pk}_numerator": "9",
        f"m{percent.pk}_denominator": "12",
        f"m{count.pk}_value": "2",
        f"m{monthly.pk}_value": "31.5",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = {p.ward_measure_id: p for p in DataPoint.objects.all()}
    assert saved[percent.pk].value == Decimal("75") and saved[percent.pk].denominator == 12
    assert saved[count.pk].period_start.isoformat() == "2025-03-03"
    assert saved[monthly.pk].period_start.isoformat() == "2025-03-01"
    data[f"m{count.pk}_value"] = "3"
    client.post(url, data)
    assert DataPoint.objects.count() == 3
    assert DataPoint.objects.get(ward_measure=count).value == 3
    prefilled = client.get(url + "?period=2025-03-03").content.decode()
    assert "Already entered: 3 episodes" in prefilled


def test_bad_figures_in_the_form_are_explained(client, world):
    percent, count, _ = _entry_measures(world)
    _login(client, world)
    url = reverse("improvement:data-entry", args=[world.ward_a1.pk])
    response = client.post(
        url, {"period": "2025-03-03", f"m{count.pk}_value": "two", f"m{percent.pk}_numerator": "3"}
    )
    body = response.content.decode()
    assert "is not a number" in body
    assert "Give both the numerator and the denominator" in body
    assert not DataPoint.objects.exists()
    empty = client.post(url, {"period": "2025-03-03"})
    assert "Enter at least one figure" in empty.content.decode()


def _upload(client, ward, text, name="figures.csv"):
    f = io.BytesIO(text.encode())
    f.name = name
    return client.post(reverse("improvement:upload", args=[ward.pk]), {"file": f})


def test_upload_with_a_bad_row_saves_nothing_then_the_fixed_file_is_confirmed(client, world):
    _, count, _ = _entry_measures(world)
    DataPoint.objects.create(ward_measure=count, period_start=MONDAY, value=Decimal(9))
    _login(client, world)
    bad = _upload(
        client,
        world.ward_a1,
        "measure,period,value\n"
        "Seclusion episodes (fictional),2025-01-06,2\n"
        "Seclusion episodes (fictional),2025-01-14,3\n",
    )
    body = bad.content.decode()
    assert bad.status_code == 200 and "Line 3: 2025-01-14 is not a Monday" in body
    assert "Nothing has been saved" in body
    assert DataPoint.objects.count() == 1
    good = _upload(
        client,
        world.ward_a1,
        "measure,period,value\n"
        "Seclusion episodes (fictional),2025-01-06,2\n"
        "Seclusion episodes (fictional),2025-01-13,3\n",
    )
    preview_url = reverse("improvement:upload-preview", args=[world.ward_a1.pk])
    assert good.status_code == 302 and good["Location"] == preview_url
    preview = client.get(preview_url).content.decode()
    assert "1 period already has a value" in preview
    refused = client.post(preview_url, {})
    assert "Tick the box to replace them" in refused.content.decode()
    assert DataPoint.objects.count() == 1
    done = client.post(preview_url, {"replace": "on"})
    assert done.status_code == 302
    assert list(DataPoint.objects.order_by("period_start").values_list("value", flat=True)) == [
        Decimal(2),
        Decimal(3),
    ]
    again = client.get(preview_url)
    assert again.status_code == 302  # the file is gone from the session once saved


def test_a_large_or_non_csv_upload_is_refused_with_a_clear_message(client, world):
    _login(client, world)
    big = _upload(client, world.ward_a1, "measure,period,value\n" + "x,2025-01-06,1\n" * 20000)
    assert "larger than 200 KB" in big.content.decode()
    other = _upload(client, world.ward_a1, "hello", name="figures.xlsx")
    assert "must be a CSV file" in other.content.decode()


def test_chart_page_and_csv_download(client, world):
    records = full(world)
    _login(client, world, "observer")
    page = client.get(reverse("improvement:ward-measure-detail", args=[records["wm"].pk]))
    body = page.content.decode()
    assert "What the chart says:" in body and "<svg" in body
    assert "New plan format adopted" in body
    assert "Mark a new phase" not in body  # observers read only
    csv_response = client.get(reverse("improvement:ward-measure-csv", args=[records["wm"].pk]))
    text = csv_response.content.decode()
    assert text.startswith("\ufeff")  # the byte order mark spreadsheets look for
    lines = text.removeprefix("\ufeff").splitlines()
    assert lines[0].startswith("measure,ward,period,value")
    assert len(lines) == 11 and lines[1].split(",")[2] == "2025-01-06"


def test_a_phase_needs_a_reason_and_a_date_inside_the_data(client, world):
    records = full(world)
    _login(client, world)
    url = reverse("improvement:phase-create", args=[records["wm"].pk])
    response = client.post(url, {"starts_on": "2030-01-06", "reason": ""})
    body = response.content.decode()
    assert "a new phase needs a real reason" in body
    assert "on or before the latest one" in body


@pytest.mark.parametrize("url_name", ["improvement:programme-summary", "improvement:ward-summary"])
def test_summary_pages_run_the_same_queries_however_many_measures(
    client, world, django_assert_max_num_queries, url_name
):
    def add(n):
        for i in range(n):
            ward_measure(
                world.ward_a1,
                catalogue_measure(f"Measure {WardMeasure.objects.count()}-{i}"),
                values=[10 + (j % 3) for j in range(20)],
                target=11,
            )

    kwargs = {"ward_pk": world.ward_a1.pk} if url_name.endswith("ward-summary") else {}
    url = reverse(url_name, kwargs=kwargs)
    _login(client, world, "lead")
    add(3)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Measure ") >= 43


def test_project_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(15):
        p = project(world.ward_a1, title=f"Project {n}")
        idea(p)
    _login(client, world, "lead")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("improvement:project-list"))
    assert response.content.decode().count("Project ") >= 15


def test_library_shows_shared_summaries_and_hides_unshared_work(client, world):
    shared = project(
        world.ward_b1, title="Beta shared", shared_to_library=True, focus_groups=["autistic"]
    )
    hidden = project(world.ward_b1, title="Beta private")
    i_shared = idea(shared, title="Shared idea")
    cycle(i_shared, act="adopt")
    i_hidden = idea(hidden, title="Hidden idea")
    own = idea(project(world.ward_a1), title="Our own idea", co_produced=False)
    _login(client, world)
    page = client.get(reverse("improvement:library")).content.decode()
    assert "Shared idea" in page and "Our own idea" in page and "Hidden idea" not in page
    detail = client.get(reverse("improvement:library-detail", args=[i_shared.pk]))
    assert detail.status_code == 200
    assert "Open the change idea in its project" not in detail.content.decode()
    assert client.get(reverse("improvement:idea-detail", args=[i_shared.pk])).status_code == 404
    assert client.get(reverse("improvement:library-detail", args=[i_hidden.pk])).status_code == 404
    filtered = client.get(
        reverse("improvement:library"), {"focus_group": "autistic", "outcome": "adopt"}
    ).content.decode()
    assert "Shared idea" in filtered and "Our own idea" not in filtered
    co = client.get(reverse("improvement:library"), {"co_produced": "on"}).content.decode()
    assert "Shared idea" in co and own.title not in co


def test_home_panel_shows_figures_due_open_cycles_and_signals(rf, world):
    wm = ward_measure(world.ward_a1, values=[40, 41, 39, 40, 42, 41, 40, 60, 61, 62, 59, 60])
    c = cycle(idea(project(world.ward_a1)))
    request = rf.get("/home/")
    request.user = world.users["ward_member"]
    result = panels(request, access_for(request.user))
    assert len(result) == 1
    panel = result[0]
    assert panel["template"] == "improvement/home_panel.html"
    assert panel["due"] == [wm] and panel["cycles"] == [c]
    assert [r.ward_measure for r in panel["signals"]] == [wm]
    request.user = world.users["observer"]
    assert panels(request, access_for(request.user)) == []


def test_home_page_renders_the_panel(client, world):
    wm = ward_measure(world.ward_a1)
    last = previous_period("weekly", __import__("datetime").date.today())
    DataPoint.objects.create(ward_measure=wm, period_start=last, value=Decimal(50))
    _login(client, world, "partner")
    body = client.get(reverse("core:home")).content.decode()
    assert "Alpha One: this week" in body
    assert "All figures are in for the last complete period" in body


def test_team_member_removal_asks_first(client, world):
    records = full(world)
    _login(client, world)
    url = reverse("improvement:member-remove", args=[records["member"].pk])
    assert "Yes, delete" in client.get(url).content.decode()
    assert ProjectMember.objects.filter(pk=records["member"].pk).exists()
    client.post(url)
    assert not ProjectMember.objects.filter(pk=records["member"].pk).exists()


def test_demo_loads_quickly_with_signals(db):
    import time

    from coproduce.improvement import demo, services
    from coproduce.programme import demo as programme_demo

    context = {}
    programme_demo.load(context)
    started = time.perf_counter()
    demo.load(context)
    assert time.perf_counter() - started < 10
    readings = services.readings_for(WardMeasure.objects.select_related("measure", "ward"))
    assert len(readings) >= 30
    assert any(r.has_signal for r in readings)
    assert all(len(r.values) in (24, 104) for r in readings)
    assert PDSACycle.objects.filter(act="adopt").exists()
    assert period_start_for("weekly", readings[0].periods[0]) == readings[0].periods[0]


def test_editing_a_cycle_keeps_its_linked_measures_and_people(client, world):
    records = full(world)
    c = records["cycle"]
    c.lived_experience_people.add(world.users["partner"])
    _login(client, world)
    body = client.get(reverse("improvement:cycle-study", args=[c.pk])).content.decode()
    assert f'value="{records["wm"].pk}" checked' in body
    client.post(
        reverse("improvement:cycle-study", args=[c.pk]),
        {"study_results": "As predicted", "measures": [records["wm"].pk]},
    )
    plan = client.get(reverse("improvement:cycle-plan", args=[c.pk])).content.decode()
    assert f'value="{world.users["partner"].pk}" checked' in plan
    assert list(c.measures.all()) == [records["wm"]]


def test_cycles_of_different_ideas_get_distinct_labels_on_one_chart(client, world):
    records = full(world)
    other = cycle(
        idea(records["project"], title="Easy read plans"), start=MONDAY + timedelta(weeks=2)
    )
    other.measures.add(records["wm"])
    _login(client, world)
    body = client.get(reverse("improvement:ward-measure-detail", args=[records["wm"].pk]))
    text = body.content.decode()
    assert "<strong>A1</strong>" in text and "<strong>B1</strong>" in text
    assert ">A1</text>" in text or "A1" in text.split("<svg", 1)[1].split("</svg>", 1)[0]
