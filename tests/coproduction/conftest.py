from datetime import date
from decimal import Decimal

import pytest

from coproduce.coproduction.models import PaymentRate

from .routes import make_involvement, make_round


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def open_round(world):
    return make_round(world)


@pytest.fixture
def rates(db):
    return [
        PaymentRate.objects.create(
            kind="hourly", amount=Decimal("25.00"), valid_from=date(2024, 4, 1)
        ),
        PaymentRate.objects.create(
            kind="half_day",
            amount=Decimal("90.00"),
            valid_from=date(2024, 4, 1),
            more_than_hours=Decimal("2.5"),
        ),
        PaymentRate.objects.create(
            kind="hourly", amount=Decimal("30.00"), valid_from=date(2026, 4, 1)
        ),
    ]


@pytest.fixture
def involvement(world):
    return make_involvement(world)
