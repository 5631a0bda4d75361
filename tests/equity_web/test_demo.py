"""The demo's fictional figures show a real gap, hide small groups, and match the benchmark."""

from django.core.management import call_command
from django.urls import reverse

from coproduce import cli
from coproduce.equity_web import demo as equity_demo
from coproduce.equity_web.demo import sample_path
from coproduce.equity_web.models import GroupFigure, NationalYear
from coproduce.improvement import demo as improvement_demo
from coproduce.programme import demo as programme_demo


def test_the_demo_shows_black_patients_restrained_more_than_white(client, db):
    context = {}
    programme_demo.load(context)
    improvement_demo.load(context)  # equity_web comes after improvement in INSTALLED_APPS
    equity_demo.load(context)
    assert GroupFigure.objects.count() > 500
    # The figures hang off the improvement demo's restraint measure, weekly, per bed days.
    wm = context["equity_ward_measures"]["Willow Ward"]
    assert wm == context["improvement"]["ward_measures"][("Willow Ward", "restraint")]
    assert GroupFigure.objects.filter(ward_measure=wm).first().denominator_kind == "bed_days"
    assert NationalYear.objects.count() == 2
    client.force_login(context["users"]["lead@example.org"])
    response = client.get(reverse("equity_web:ward-measure", args=[wm.pk]))
    html = response.content.decode()
    assert "The Black or Black British rate was higher than the White rate" in html
    assert "Hidden to protect small numbers" in html
    provider = context["providers"][0]
    html = client.get(reverse("equity_web:provider", args=[provider.pk])).content.decode()
    assert "North East and Yorkshire (fictional figures)" in html
    assert "Northvale NHS Foundation Trust: count" in html.replace(" (fictional)", "")
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("equity_web:provider", args=[provider.pk]) in home


def test_the_coproduce_command_runs_import_mha_stats_by_its_hyphenated_name(
    db, capsys, monkeypatch
):
    # Django's command runner closes database connections when it finishes, which would
    # close the test's own connection: capture the command line, then run it in-process.
    seen = {}
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.update(argv=argv)
    )
    cli.main(["coproduce", "import-mha-stats", str(sample_path())])
    assert seen["argv"][1] == "import_mha_stats"
    call_command(*seen["argv"][1:])
    assert "Imported 78 rows for 2024-25." in capsys.readouterr().out
    assert NationalYear.objects.count() == 2
