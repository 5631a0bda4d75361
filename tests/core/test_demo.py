from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coproduce.programme.models import Membership, Programme, Provider, Role, ServiceType, Ward


def test_demo_loads_a_fictional_programme_with_every_role(db):
    out = StringIO()
    call_command("demo", stdout=out)
    assert Programme.objects.get().is_fictional
    assert Provider.objects.count() >= 6
    assert {p.kind for p in Provider.objects.all()} == {"nhs_trust", "independent"}
    assert all("fictional" in p.name for p in Provider.objects.all())
    assert Ward.objects.count() >= 12
    assert {w.service_type for w in Ward.objects.all()} >= set(ServiceType.values) - set()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert "admin@example.org" in out.getvalue()


def test_demo_refuses_a_database_that_holds_a_programme(db):
    call_command("demo", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    assert Programme.objects.count() == 1
