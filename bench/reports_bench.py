"""Benchmark: programme dashboard and board report on a large fictional programme.

Builds 60 providers, 600 wards and 10,000 ward measures with 5 years of weekly figures
(2.6 million figures) in a throwaway database, then times:

- the programme dashboard, cold (SPC snapshots computed for every measure) and warm;
- a provider dashboard;
- the board report page and PDF for a provider with 20 measures (target: under 2 s).

Run:  .venv/bin/python bench/reports_bench.py [--measures 10000] [--weeks 260]
Uses DATABASE_URL if set, otherwise a temporary SQLite file. Not part of the test suite.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup_django(db_path: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_path}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "coproduce.config.settings.local"
    os.environ.setdefault("COPRODUCE_VAR_DIR", str(Path(db_path).parent))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(measures: int, weeks: int, providers: int = 60, wards: int = 600) -> dict:
    from django.db import transaction

    from coproduce.accounts.models import User
    from coproduce.improvement.models import DataPoint, Measure, WardMeasure
    from coproduce.programme.models import (
        Enrolment,
        Membership,
        Phase,
        Programme,
        Provider,
        Role,
        Ward,
    )

    rng = np.random.default_rng(2026)
    start = date.today() - timedelta(weeks=weeks)
    with transaction.atomic():
        programme = Programme.objects.create(
            name="Benchmark programme (fictional)", is_fictional=True
        )
        phase = Phase.objects.create(
            programme=programme,
            name="Wider implementation",
            starts_on=start,
            ends_on=date.today() + timedelta(days=30),
        )
        provs = Provider.objects.bulk_create(
            Provider(
                programme=programme,
                name=f"Fictional provider {i:02d}",
                kind="nhs_trust",
                ods_code="T" + DIGITS[i // 36] + DIGITS[i % 36],
            )
            for i in range(providers + 1)  # one more: the 20-measure provider for the board report
        )
        ward_objs = Ward.objects.bulk_create(
            Ward(provider=provs[i % providers], name=f"Ward {i:03d}", service_type="adult_acute")
            for i in range(wards)
        )
        board_wards = Ward.objects.bulk_create(
            Ward(provider=provs[-1], name=f"Board ward {i}", service_type="picu") for i in range(2)
        )
        Enrolment.objects.bulk_create(
            Enrolment(ward=w, phase=phase) for w in ward_objs + board_wards
        )
        catalogue = [
            Measure.objects.create(
                name=f"Measure {i:02d} (fictional)",
                definition="Benchmark measure",
                measure_type="outcome",
                unit="per 1,000 occupied bed days",
                improvement=("increase", "decrease")[i % 2],
                frequency="weekly",
            )
            for i in range(20)
        ]
        wms = WardMeasure.objects.bulk_create(
            WardMeasure(
                ward=ward_objs[i % wards],
                measure=catalogue[(i // wards) % 20],
                target=None if i % 3 else 50,
            )
            for i in range(measures)
        )
        wms += WardMeasure.objects.bulk_create(
            WardMeasure(ward=board_wards[i % 2], measure=catalogue[i]) for i in range(20)
        )
    periods = [start + timedelta(weeks=k) for k in range(weeks)]
    t = time.perf_counter()
    chunk = 200
    for i in range(0, len(wms), chunk):
        block = wms[i : i + chunk]
        values = rng.normal(50, 8, size=(len(block), weeks)).round(2)
        values[:, weeks // 2 :] += rng.choice([0, 0, 10], size=(len(block), 1))  # some shifts
        with transaction.atomic():
            DataPoint.objects.bulk_create(
                (
                    DataPoint(ward_measure=wm, period_start=p, value=float(v))
                    for wm, row in zip(block, values, strict=True)
                    for p, v in zip(periods, row, strict=True)
                ),
                batch_size=5000,
            )
    load_seconds = time.perf_counter() - t
    admin = User.objects.create_user("bench.admin@example.org", "x", full_name="Bench Admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    Membership.objects.create(user=admin, role=Role.PROGRAMME_ADMIN)
    return {
        "admin": admin,
        "board_provider": provs[-1],
        "phase": phase,
        "points": len(wms) * weeks,
        "load_seconds": load_seconds,
    }


def timed(client, url: str) -> tuple[float, int]:
    t = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - t
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=260)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        t = time.perf_counter()
        world = build(args.measures, args.weeks)
        print(
            f"database: {connection.vendor}; built {args.measures:,} ward measures with "
            f"{world['points']:,} weekly figures in {time.perf_counter() - t:.1f} s"
        )
        client = Client()
        client.force_login(world["admin"])
        dash = "/dashboards/programme/"
        cold, size = timed(client, dash)
        print(f"programme dashboard, cold (SPC for every measure, then cached): {cold:.2f} s")
        with CaptureQueriesContext(connection) as queries:
            warm, _ = timed(client, dash)
        print(f"programme dashboard, warm: {warm:.2f} s, {len(queries)} queries, {size:,} bytes")
        provider = world["board_provider"]
        prov, _ = timed(client, f"/dashboards/providers/{provider.pk}/")
        print(f"provider dashboard (20 measures): {prov:.2f} s")
        page, _ = timed(client, f"/reports/providers/{provider.pk}/board/")
        print(f"board report page (20 measures): {page:.2f} s")
        pdf, pdf_size = timed(client, f"/reports/providers/{provider.pk}/board.pdf")
        print(
            f"board report PDF (20 measures): {pdf:.2f} s, {pdf_size:,} bytes "
            f"({'meets' if pdf < 2 else 'MISSES'} the 2 s target)"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
