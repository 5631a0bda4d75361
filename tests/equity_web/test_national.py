"""The national MHA statistics: the import command, the upload page and the benchmark."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from coproduce.equity import COLUMNS
from coproduce.equity_web.demo import sample_path
from coproduce.equity_web.models import NationalFigure, NationalYear
from tests.factories import ProviderFactory

HEADER = ",".join(COLUMNS)


def _row(
    year="2024-25",
    group="White",
    where="England",
    org="ENG",
    name="England (fictional)",
    total="100",
    rate="50.0",
    ci="40.1 - 60.2",
):
    return (
        f"{year},Detentions,All detentions,Ethnicity (broad),{group},{where},Fictional,"
        f"{org},{name},{total},0,{total},{rate},NULL,{ci}"
    )


def _write(tmp_path, *rows, header=HEADER):
    path = Path(tmp_path) / "mha.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_command_imports_the_sample_file_year_by_year(db, capsys):
    call_command("import_mha_stats", str(sample_path()))
    out = capsys.readouterr().out
    assert "Imported 78 rows for 2023-24." in out
    assert "Imported 78 rows for 2024-25." in out
    assert NationalFigure.objects.count() == 156
    assert sorted(NationalYear.objects.values_list("year", flat=True)) == ["2023-24", "2024-25"]


def test_stars_and_nulls_are_kept_as_suppressed_and_missing(db, tmp_path):
    path = _write(
        tmp_path,
        _row(group="Mixed", total="*", rate="*", ci="*"),
        _row(group="Not stated / not known", rate="NULL", ci="NULL"),
    )
    call_command("import_mha_stats", str(path))
    hidden = NationalFigure.objects.get(demographic_breakdown="Mixed")
    assert hidden.total_count is None and hidden.crude_rate is None
    assert "total_count" in hidden.suppressed and "crude_rate" in hidden.suppressed
    unknown = NationalFigure.objects.get(demographic_breakdown="Not stated / not known")
    assert unknown.total_count == 100 and unknown.crude_rate is None
    assert "crude_rate" in unknown.missing and unknown.ci_lower is None


def test_a_file_with_the_wrong_columns_is_refused_naming_them(db, tmp_path):
    header = HEADER.replace("CrudeRate", "Rate").replace(",OrgName", "")
    path = _write(tmp_path, header=header)
    with pytest.raises(CommandError) as caught:
        call_command("import_mha_stats", str(path))
    message = str(caught.value)
    assert "missing columns: OrgName, CrudeRate" in message
    assert "unexpected columns: 'Rate'" in message
    assert not NationalYear.objects.exists()


def test_a_bad_number_names_its_line_and_nothing_is_saved(db, tmp_path):
    path = _write(tmp_path, _row(), _row(group="Black or Black British", total="lots"))
    with pytest.raises(CommandError, match="line 3: MHSDS_Count should be a whole number"):
        call_command("import_mha_stats", str(path))
    assert not NationalFigure.objects.exists()


def test_a_missing_file_is_a_plain_message(db, tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_mha_stats", str(Path(tmp_path) / "nope.csv"))


def test_importing_a_year_again_replaces_it_and_leaves_other_years(db, tmp_path):
    call_command("import_mha_stats", str(_write(tmp_path, _row(), _row(year="2023-24"))))
    again = str(_write(tmp_path, _row(total="250"), _row(group="Mixed")))
    call_command("import_mha_stats", again, "--replace")
    assert NationalFigure.objects.filter(year__year="2024-25").count() == 2
    assert (
        NationalFigure.objects.get(year__year="2024-25", demographic_breakdown="White").total_count
        == 250
    )
    assert NationalFigure.objects.filter(year__year="2023-24").count() == 1


def test_a_failed_reimport_keeps_the_year_held(db, tmp_path):
    call_command("import_mha_stats", str(_write(tmp_path, _row())))
    bad = str(_write(tmp_path, _row(total="250"), _row(total="x")))
    with pytest.raises(CommandError):
        call_command("import_mha_stats", bad, "--replace")
    assert NationalFigure.objects.get().total_count == 100


def _upload(client, text, name="mha.csv"):
    return client.post(
        reverse("equity_web:national-upload"),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_an_admin_uploads_the_file_and_sees_the_years(client, world):
    client.force_login(world.users["admin"])
    response = _upload(client, sample_path().read_text())
    assert response.status_code == 302
    html = client.get(reverse("equity_web:national")).content.decode()
    assert "2024-25" in html and "2023-24" in html and "Admin Fictional" in html


def test_the_upload_page_gives_the_same_column_message(client, world):
    client.force_login(world.users["admin"])
    html = _upload(client, "Year,Measure\n2024-25,Detentions\n").content.decode()
    assert "There is a problem" in html
    assert "missing columns: MeasureSubcategory" in html
    assert not NationalYear.objects.exists()


def test_only_admins_may_upload(client, world):
    client.force_login(world.users["lead"])
    assert _upload(client, sample_path().read_text()).status_code == 403
    assert not NationalYear.objects.exists()


def test_the_provider_page_shows_national_regional_and_its_own_figures(client, world):
    provider = ProviderFactory(name="Fictional Riverside", ods_code="TZB", region="London")
    call_command("import_mha_stats", str(sample_path()))
    client.force_login(world.users["admin"])
    response = client.get(reverse("equity_web:provider", args=[provider.pk]))
    bench = response.context["bench"]
    assert bench.year.year == "2024-25"
    assert bench.region_name == "London (fictional figures)"
    black = next(r for r in bench.rows if r["group"] == "Black or Black British")
    assert black["national"]["rate"] == "254" and black["national"]["ratio"] == "4.0"
    assert black["region"]["rate"] and black["provider"]["count"] == "120"
    html = response.content.decode()
    assert "National, regional and provider figures, 2024-25" in html
    older = client.get(reverse("equity_web:provider", args=[provider.pk]), {"year": "2023-24"})
    assert older.context["bench"].year.year == "2023-24"


def test_a_provider_not_in_the_file_is_told_so(client, world):
    call_command("import_mha_stats", str(sample_path()))
    client.force_login(world.users["lead"])
    html = client.get(reverse("equity_web:provider", args=[world.provider_a.pk])).content.decode()
    assert "The national file has no figures for Fictional Alpha NHS Trust (ODS code TA1)" in html


def test_no_national_figures_yet_is_an_empty_state(client, world):
    client.force_login(world.users["lead"])
    html = client.get(reverse("equity_web:provider", args=[world.provider_a.pk])).content.decode()
    assert "No national Mental Health Act statistics have been imported yet." in html


# --------------------------------------------------------------------------- the published layout


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (_row(year="2024-25" + "x" * 34), "Year should be a financial year like 2023-24"),
        (_row(year="2024-26"), "Year should be a financial year like 2023-24"),
        (_row(total="99999999999999"), "should be between 0 and 10,000,000"),
        (_row(rate="-4.5"), "CrudeRate should be between 0 and 10,000,000"),
        (_row(org="X" * 21), "OrgID is longer than 20 characters"),
    ],
)
def test_rows_outside_the_published_layout_are_refused_with_the_line(db, tmp_path, row, words):
    path = _write(tmp_path, _row(group="Mixed"), row)
    with pytest.raises(CommandError) as caught:
        call_command("import_mha_stats", str(path))
    assert "line 3: " in str(caught.value) and words in str(caught.value)
    assert not NationalYear.objects.exists()


def test_every_bad_line_is_named_at_once(db, tmp_path):
    path = _write(tmp_path, _row(total="x"), _row(group="Mixed"), _row(year="24-25"))
    with pytest.raises(CommandError) as caught:
        call_command("import_mha_stats", str(path))
    assert "line 2: " in str(caught.value) and "line 4: " in str(caught.value)


# --------------------------------------------------------------------------- replacing a year


def test_the_command_needs_replace_to_replace_a_year_already_held(db, tmp_path):
    call_command("import_mha_stats", str(_write(tmp_path, _row(), _row(group="Mixed"))))
    part = str(_write(tmp_path, _row(total="250")))
    with pytest.raises(CommandError) as caught:
        call_command("import_mha_stats", part)
    message = str(caught.value)
    assert "2024-25 is already held (2 rows now, 1 in this file)" in message
    assert "--replace" in message
    assert NationalFigure.objects.count() == 2


def test_reimporting_writes_one_audit_entry_per_year(db, tmp_path):
    from coproduce.core.models import AuditEvent

    call_command("import_mha_stats", str(_write(tmp_path, _row(), _row(year="2023-24"))))
    assert AuditEvent.objects.filter(object_type="equity_web.NationalYear").count() == 2
    call_command(
        "import_mha_stats", str(_write(tmp_path, _row(), _row(year="2023-24"))), "--replace"
    )
    events = AuditEvent.objects.filter(object_type="equity_web.NationalYear")
    assert events.count() == 4
    assert sorted(events.values_list("action", flat=True)) == [
        "create",
        "create",
        "update",
        "update",
    ]


def test_the_page_shows_what_will_be_replaced_and_waits_for_confirmation(client, world):
    client.force_login(world.users["admin"])
    full = "\n".join([HEADER, _row(), _row(group="Mixed"), _row(year="2023-24")]) + "\n"
    assert _upload(client, full).status_code == 302
    part = "\n".join([HEADER, _row(total="250"), _row(year="2025-26")]) + "\n"
    page = _upload(client, part)
    html = page.content.decode()
    assert page.status_code == 200 and "Replace years already held?" in html
    assert "fewer rows than are held now" in html
    assert NationalFigure.objects.filter(year__year="2024-25").count() == 2
    assert not NationalYear.objects.filter(year="2025-26").exists()
    done = client.post(reverse("equity_web:national-upload"), {"action": "confirm"})
    assert done.status_code == 302
    assert NationalFigure.objects.filter(year__year="2024-25").count() == 1
    assert NationalFigure.objects.get(year__year="2024-25").total_count == 250
    assert NationalYear.objects.filter(year="2025-26").exists()
    assert NationalFigure.objects.filter(year__year="2023-24").count() == 1
    again = client.post(reverse("equity_web:national-upload"), {"action": "confirm"})
    assert again.status_code == 302 and NationalFigure.objects.count() == 3
