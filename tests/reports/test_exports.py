"""Exports: content against fixtures, scoping, formula guard, Excel, filters and query counts."""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.coproduction.models import AssessmentResponse, AssessmentRound, InvolvementPartner
from coproduce.core.models import AuditEvent
from coproduce.improvement.models import PDSACycle
from coproduce.programme.models import Role
from coproduce.reports import exports
from coproduce.reports.exports import EXPORTS, ExportFilter, csv_cell

from ..coaching.factories import CoachingActionFactory, CoachingSessionFactory
from ..coproduction.routes import make_involvement
from ..factories import EnrolmentFactory, MembershipFactory, PhaseFactory, UserFactory
from ..improvement import builders

INJECTED = '=HYPERLINK("http://example.org","click")'


@dataclass
class Data:
    world: object
    improvement: dict
    a1_session: object


def _session(ward=None, provider=None, **fields):
    provider = provider or ward.provider
    return CoachingSessionFactory(ward=ward, provider=provider, **fields)


def _response(round_obj, key, perspective="lived_experience", submitted=date(2024, 11, 1)):
    return AssessmentResponse.objects.create(
        round=round_obj,
        perspective=perspective,
        draft_key_hash=f"{key:064d}",
        submitted_on=submitted,
    )


def build_data(w) -> Data:
    """A phase (1 July 2024 to 31 March 2025) of fictional work in providers A and B."""
    for ward in (w.ward_a1, w.ward_a2, w.ward_b1):
        EnrolmentFactory(ward=ward, phase=w.phase)
    coach = w.users["coach"]
    a1 = _session(
        w.ward_a1,
        coach=coach,
        held_on=date(2024, 8, 1),
        duration_minutes=60,
        staff_attending=3,
        partners_attending=1,
        topics=INJECTED,
    )
    CoachingActionFactory(
        session=a1,
        description="Share the leaflet",
        owner="Sam",
        due_on=date(2024, 8, 15),
        done_on=date(2024, 8, 14),
    )
    CoachingActionFactory(
        session=a1, description="+Book the day", owner="Priya", due_on=date(2024, 9, 1)
    )
    _session(
        provider=w.provider_a,
        coach=coach,
        kind="executive_coaching",
        held_on=date(2024, 9, 1),
        duration_minutes=90,
        staff_attending=1,
        partners_attending=0,
    )
    _session(
        w.ward_a2,
        coach=coach,
        kind="improvement_day",
        held_on=date(2024, 10, 1),
        duration_minutes=360,
        staff_attending=6,
        partners_attending=2,
    )
    _session(
        provider=w.provider_a,
        coach=coach,
        kind="learning_event",
        held_on=date(2024, 11, 1),
        duration_minutes=120,
        staff_attending=4,
        partners_attending=1,
    )
    _session(
        w.ward_b1,
        coach=coach,
        held_on=date(2024, 8, 2),
        duration_minutes=45,
        staff_attending=2,
        partners_attending=0,
        topics="Beta topics",
    )
    _session(
        w.ward_a1,
        coach=coach,
        held_on=date(2025, 5, 1),
        duration_minutes=60,
        topics="After the phase",
    )  # outside the phase

    improvement = builders.full(w)  # project on A1: one open cycle, ten weekly figures
    idea = improvement["idea"]
    builders.cycle(idea, number=2, act="adopt", what_happened="Went well")
    builders.cycle(idea, number=3, act="abandon")
    builders.cycle(idea, number=4, start=date(2025, 6, 2), act="adapt")  # after the phase
    beta_idea = builders.idea(
        builders.project(w.ward_b1, title="Beta project (fictional)"), title="Beta idea"
    )
    builders.cycle(beta_idea, act="adapt")
    builders.ward_measure(w.ward_b1, builders.catalogue_measure("Beta measure"), values=[5, 6])

    involvement = make_involvement(w)  # A1, 15 January 2025, the partner named
    involvement.lived_experience_count = 4
    involvement.title = "-2 ideas (fictional)"
    involvement.save()
    second = UserFactory(full_name="Second Partner Fictional")
    InvolvementPartner.objects.create(involvement=involvement, user=second)
    beta = make_involvement(w)
    beta.provider, beta.ward, beta.lived_experience_count = w.provider_b, w.ward_b1, 3
    beta.title = "Beta workshop (fictional)"
    beta.save()
    beta.partners.all().delete()

    round_a = AssessmentRound.objects.create(
        provider=w.provider_a,
        ward=w.ward_a1,
        kind="baseline",
        opens_on=date(2024, 10, 1),
        closes_on=date(2024, 11, 30),
    )
    _response(round_a, 1)
    _response(round_a, 2)
    _response(round_a, 3, perspective="ward_staff")
    _response(round_a, 4, submitted=None)  # never sent
    return Data(w, improvement, a1)


@pytest.fixture
def data(world):
    return build_data(world)


def download(client, user, name, fmt="csv", **params):
    client.force_login(user)
    return client.get(reverse("reports:export", kwargs={"name": name, "fmt": fmt}), params)


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "CSV starts with a byte order mark for Excel"
    return list(csv.reader(io.StringIO(body[1:])))


def data_rows(rows):
    """Rows before the blank line that starts the notes."""
    return rows[1 : rows.index([])] if [] in rows else rows[1:]


# --------------------------------------------------------------------------- content


def test_coaching_log_lists_sessions_in_the_phase_with_hours_and_actions(client, data):
    w = data.world
    response = download(client, w.users["admin"], "coaching-log", phase=w.phase.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="coproduce-coaching-log-2024-07-01-to-2025-03-31.csv"'
    )
    rows = csv_rows(response)
    assert rows[0][:3] == ["Date", "Type of session", "Provider"]
    body = data_rows(rows)
    assert [r[0] for r in body] == [
        "2024-08-01",
        "2024-08-02",
        "2024-09-01",
        "2024-10-01",
        "2024-11-01",
    ]
    first = dict(zip(rows[0], body[0], strict=True))
    assert first["Ward"] == "Alpha One"
    assert first["Hours"] == "1" and first["Minutes"] == "60"
    assert first["Actions agreed"] == "2" and first["Actions still open"] == "1"
    assert first["Topics"] == "'" + INJECTED
    executive = dict(zip(rows[0], body[2], strict=True))
    assert executive["Type of session"] == "Executive coaching"
    assert executive["Ward"] == "Whole provider" and executive["Hours"] == "1.5"
    assert "After the phase" not in str(rows)


def test_coaching_actions_say_done_open_or_overdue(client, data):
    w = data.world
    rows = csv_rows(download(client, w.users["lead"], "coaching-actions"))
    body = data_rows(rows)
    assert [(r[5], r[-1]) for r in body] == [
        ("Share the leaflet", "Done"),
        ("'+Book the day", "Overdue"),
    ]


def test_measures_and_their_data_follow_the_phase_dates(client, data):
    w = data.world
    rows = csv_rows(download(client, w.users["admin"], "measures"))
    body = {r[2]: dict(zip(rows[0], r, strict=True)) for r in data_rows(rows)}
    alpha = body["Alpha One"]
    assert alpha["Measure"] == "Care plans co-written (fictional)"
    assert alpha["Which way is better"] == "Higher is better"
    assert alpha["Figures in the period"] == "10"
    assert alpha["First period"] == "2025-01-06" and alpha["Latest period"] == "2025-03-10"
    assert alpha["Latest value"] == "64"
    assert body["Beta One"]["Figures in the period"] == "2"

    rows = csv_rows(download(client, w.users["admin"], "measure-data"))
    alpha_points = [r for r in data_rows(rows) if r[2] == "Alpha One"]
    assert [r[6] for r in alpha_points][:2] == ["2025-01-06", "2025-01-13"]
    assert [r[7] for r in alpha_points] == [
        "40",
        "42",
        "38",
        "41",
        "45",
        "60",
        "62",
        "65",
        "61",
        "64",
    ]


def test_pdsa_cycles_in_the_phase_with_decisions(client, data):
    w = data.world
    rows = csv_rows(download(client, w.users["admin"], "pdsa-cycles"))
    body = [dict(zip(rows[0], r, strict=True)) for r in data_rows(rows)]
    assert [(r["Provider"], r["Cycle number"], r["Decision"]) for r in body] == [
        ("Fictional Alpha NHS Trust", "1", "Open"),
        ("Fictional Alpha NHS Trust", "2", "Adopt"),
        ("Fictional Alpha NHS Trust", "3", "Abandon"),
        ("Fictional Beta NHS Trust", "1", "Adapt"),
    ]
    assert body[1]["Stage"] == "Decided" and body[0]["Stage"] == "Planned"
    assert body[0]["Idea came from"] == "A patient" and body[0]["Co-produced"] == "Yes"


def test_involvement_log_counts_people_and_names_nobody(client, data):
    w = data.world
    rows = csv_rows(download(client, w.users["admin"], "involvement-log"))
    body = [dict(zip(rows[0], r, strict=True)) for r in data_rows(rows)]
    alpha = next(r for r in body if r["Provider"] == "Fictional Alpha NHS Trust")
    assert alpha["What it was about"] == "'-2 ideas (fictional)"
    assert alpha["Rung"] == "Co-production" and alpha["Hours"] == "3"
    assert alpha["People with lived experience of detention"] == "4"
    assert alpha["Partners with an account"] == "2"
    text = str(rows)
    assert "Partner Fictional" not in text and "Second Partner" not in text


def test_phase_outputs_for_the_commissioner(client, data):
    w = data.world
    rows = csv_rows(download(client, w.users["admin"], "phase-outputs", phase=w.phase.pk))
    header, body = rows[0], data_rows(rows)
    table = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert list(table) == ["Fictional Alpha NHS Trust", "Fictional Beta NHS Trust", "Total"]
    alpha, beta, total = table.values()
    assert alpha["Wards enrolled"] == "2" and total["Wards enrolled"] == "3"
    assert alpha["Executive coaching hours"] == "1.5"
    assert alpha["Ward coaching hours"] == "7"  # ward coaching 1 h + improvement day 6 h
    assert alpha["Other coaching hours"] == "2"
    assert alpha["Coaching sessions"] == "4" and total["Coaching sessions"] == "5"
    assert alpha["Staff taking part"] == "2"  # the lead and the ward team member
    assert beta["Staff taking part"] == "1" and total["Staff taking part"] == "3"
    assert alpha["Staff attendances at coaching"] == "14"
    assert alpha["Lived experience partners taking part"] == "2"  # role + named in involvement
    assert beta["Lived experience partners taking part"] == "0"
    assert alpha["Partner attendances at coaching"] == "4"
    assert (
        alpha["PDSA cycles started"],
        alpha["PDSA cycles adopted"],
        alpha["PDSA cycles abandoned"],
        alpha["PDSA cycles open"],
    ) == ("3", "1", "1", "1")
    assert total["PDSA cycles adapted"] == "1" and total["PDSA cycles started"] == "4"
    # Patients reached: A = 2 answers + 4 in involvement = 6, B = 3. B is hidden (under 5);
    # A and the total 9 are each rounded on their own (ADR 120), so 10 - 5 is not B.
    assert (alpha["Patients reached"], beta["Patients reached"]) == ("5", "*")
    assert total["Patients reached"] == "10"
    notes = rows[rows.index([]) + 1 :]
    assert notes[0] == ["Period: 1 July 2024 to 31 March 2025."]
    assert any(n[0].startswith("Staff taking part: Distinct people") for n in notes)
    assert any("Patients reached:" in n[0] for n in notes)


def test_a_provider_filter_narrows_every_export(client, data):
    w = data.world
    for name in EXPORTS:
        rows = csv_rows(download(client, w.users["admin"], name, provider=w.provider_b.pk))
        providers = {r[rows[0].index("Provider")] for r in data_rows(rows)}
        assert providers <= {"Fictional Beta NHS Trust", "Total"}, name
    response = download(client, w.users["admin"], "coaching-log", provider=w.provider_b.pk)
    assert (
        "coproduce-coaching-log-tb1-2024-07-01-to-2025-03-31.csv"
        in (response["Content-Disposition"])
    )


# --------------------------------------------------------------------------- scoping


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_provider_b_lead_never_sees_provider_a(client, data, name):
    w = data.world
    rows = csv_rows(download(client, w.users["other_lead"], name))
    text = str(data_rows(rows))
    assert "Alpha" not in text and "TA1" not in text
    rows = csv_rows(download(client, w.users["lead"], name))
    text = str(data_rows(rows))
    assert "Beta" not in text and "TB1" not in text


def test_a_ward_coach_sees_only_their_ward(client, data):
    w = data.world
    rows = csv_rows(download(client, w.users["coach"], "coaching-log"))
    assert {r[4] for r in data_rows(rows)} == {"Alpha One"}
    rows = csv_rows(download(client, w.users["coach"], "phase-outputs"))
    table = {r[0]: r for r in data_rows(rows)}
    assert set(table) == {"Fictional Alpha NHS Trust", "Total"}
    assert table["Total"][2] == "1"  # only ward A1 is in this coach's reach


def test_another_providers_filter_answers_404(client, data):
    w = data.world
    response = download(client, w.users["other_lead"], "coaching-log", provider=w.provider_a.pk)
    assert response.status_code == 404
    assert download(client, w.users["admin"], "coaching-log", phase=9999).status_code == 404


@pytest.mark.parametrize("role", ["ward_member", "partner"])
def test_roles_without_reporting_are_refused(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("reports:exports")).status_code == 403
    assert download(client, world.users[role], "phase-outputs").status_code == 403


def test_unknown_export_or_format_answers_404(client, world):
    admin = world.users["admin"]
    assert download(client, admin, "secrets").status_code == 404
    assert download(client, admin, "coaching-log", "pdf").status_code == 404
    assert download(client, admin, "all", "csv").status_code == 404


def test_a_person_with_a_ward_role_and_a_coach_role_may_export(client, world):
    MembershipFactory(
        user=world.users["ward_member"],
        role=Role.COACH,
        ward=world.ward_a2,
        provider=world.provider_a,
    )
    client.force_login(world.users["ward_member"])
    assert client.get(reverse("reports:exports")).status_code == 200


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-3 days", "'-3 days"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (-3, "-3"),
        (Decimal("-1.50"), "-1.5"),
        (Decimal("64.0000"), "64"),
        (Decimal("100"), "100"),
        (date(2025, 1, 6), "2025-01-06"),
        (None, ""),
        (True, "Yes"),
    ],
)
def test_csv_cells(value, text):
    assert csv_cell(value) == text


def test_excel_has_one_sheet_with_a_bold_header_widths_and_inert_text(client, data):
    w = data.world
    response = download(client, w.users["admin"], "coaching-log", "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2024-07-01-to-2025-03-31.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Coaching log"]
    sheet = book["Coaching log"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Date", "Type of session"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.column_dimensions["A"].width >= 10
    assert sheet.column_dimensions["L"].width <= 50  # topics capped
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    sessions = [v for v in values if v and v[0] is not None and v[1]]
    assert len(sessions) == 5
    topics = sheet.cell(row=2, column=12)
    assert topics.value == INJECTED and topics.data_type == "s"  # text, never a formula
    assert sheet.cell(row=2, column=1).value.date() == date(2024, 8, 1)


def test_the_workbook_holds_every_export_as_a_sheet(client, data):
    w = data.world
    response = download(client, w.users["lead"], "all", "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        e.build(w.users["lead"], ExportFilter()).title for e in EXPORTS.values()
    ]
    outputs = book["Phase outputs"]
    names = [r[0] for r in outputs.iter_rows(min_row=2, values_only=True)]
    assert names[:2] == ["Fictional Alpha NHS Trust", "Total"]


def test_downloads_are_recorded_in_the_audit_log(client, data):
    w = data.world
    b"".join(download(client, w.users["lead"], "coaching-log").streaming_content)
    event = AuditEvent.objects.filter(action="view").latest("at")
    assert event.actor == w.users["lead"] and "coaching log (CSV)" in event.note


def test_fictional_data_is_marked_in_the_file(client, data):
    w = data.world
    w.provider_a.programme.is_fictional = True
    w.provider_a.programme.save()
    rows = csv_rows(download(client, w.users["admin"], "coaching-log"))
    assert rows[-1][0].startswith("Fictional demonstration data")


# --------------------------------------------------------------------------- filters and page


def test_the_default_phase_is_the_current_one_or_else_the_latest_started(world):
    today = date(2025, 1, 1)
    assert exports.default_phase(today) == world.phase
    later = PhaseFactory(starts_on=date(2025, 7, 1), ends_on=date(2026, 3, 31))
    assert exports.default_phase(date(2025, 5, 1)) == world.phase
    assert exports.default_phase(date(2025, 8, 1)) == later


def test_exports_page_lists_each_export_with_both_formats(client, data):
    w = data.world
    client.force_login(w.users["observer"])
    response = client.get(reverse("reports:exports"))
    assert response.status_code == 200
    page = response.content.decode()
    for export in EXPORTS.values():
        assert export.title in page
        assert reverse("reports:export", kwargs={"name": export.name, "fmt": "xlsx"}) in page
    assert "Fictional Beta NHS Trust" not in page  # not offered as a provider
    assert "Staff taking part" in page and "rounded to the nearest 5" in page
    assert "equity pages" in page


def test_exports_page_explains_a_bad_choice(client, data):
    w = data.world
    client.force_login(w.users["lead"])
    response = client.get(reverse("reports:exports"), {"provider": w.provider_b.pk})
    page = response.content.decode()
    assert "There is a problem" in page and "Choose a provider from the list" in page
    assert "Download every export" not in page


def test_an_observer_of_the_whole_programme_can_export_everything(client, data):
    reader = UserFactory()
    MembershipFactory(user=reader, role=Role.OBSERVER)
    rows = csv_rows(download(client, reader, "phase-outputs"))
    assert [r[0] for r in data_rows(rows)] == [
        "Fictional Alpha NHS Trust",
        "Fictional Beta NHS Trust",
        "Total",
    ]


def test_with_nothing_recorded_the_files_hold_headers_and_a_zero_total(client, world):
    for name in EXPORTS:
        rows = csv_rows(download(client, world.users["lead"], name))
        assert rows[0], name
    rows = csv_rows(download(client, world.users["lead"], "phase-outputs"))
    total = data_rows(rows)[-1]
    assert total[0] == "Total"


# --------------------------------------------------------------------------- query counts


def _more(w, n, offset):
    """n more sessions, cycles, figures and involvements in provider A."""
    proj = builders.project(w.ward_a2, title=f"More work {offset}")
    idea = builders.idea(proj, title=f"More ideas {offset}")
    measure = builders.catalogue_measure(f"More measure {offset}")
    builders.ward_measure(w.ward_a2, measure, values=range(n))
    for i in range(n):
        s = _session(w.ward_a2, held_on=date(2024, 9, 1) + timedelta(days=i))
        CoachingActionFactory(session=s)
        c = builders.cycle(idea, number=i + 1, start=date(2024, 9, 2), act="adopt")
        c.lived_experience_people.add(w.users["partner"])
        inv = make_involvement(w)
        InvolvementPartner.objects.create(involvement=inv, user=UserFactory())


def _queries(client, user, name, fmt):
    client.force_login(user)
    url = reverse("reports:export", kwargs={"name": name, "fmt": fmt})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if fmt == "csv":
            b"".join(response.streaming_content)
        else:
            response.content  # noqa: B018 - read it all
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", [*sorted(EXPORTS), "all"])
def test_query_counts_do_not_grow_with_the_rows(client, data, name, django_assert_max_num_queries):
    w = data.world
    fmt = "xlsx" if name == "all" else "csv"
    lead = w.users["lead"]
    _more(w, 2, 1)
    before = _queries(client, lead, name, fmt)
    _more(w, 15, 2)
    after = _queries(client, lead, name, fmt)
    assert after == before
    limit = 30 if name == "all" else 16
    url = reverse("reports:export", kwargs={"name": name, "fmt": fmt})
    with django_assert_max_num_queries(limit):
        response = client.get(url)
        if fmt == "csv":
            b"".join(response.streaming_content)
    assert PDSACycle.objects.count() > 17


def test_the_exports_page_runs_a_few_queries(client, data, django_assert_max_num_queries):
    client.force_login(data.world.users["admin"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:exports")).status_code == 200


def test_all_dates_covers_every_phase_and_after(client, data):
    w = data.world
    rows = csv_rows(download(client, w.users["admin"], "coaching-log", phase="all"))
    assert "After the phase" in str(data_rows(rows))
    response = download(client, w.users["admin"], "phase-outputs", phase="all")
    assert "coproduce-phase-outputs-all-dates.csv" in response["Content-Disposition"]
    total = data_rows(csv_rows(response))[-1]
    assert total[0] == "Total" and total[2] == "3"  # wards enrolled in any phase, once each
