import pytest
from django.core.exceptions import ValidationError

from coproduce.core.scoping import access_for
from coproduce.programme.forms import InvitationForm, PhaseForm, ProviderForm, WardForm
from coproduce.programme.models import Provider, Role, Ward, validate_role_scope

from ..factories import ProviderFactory


@pytest.mark.parametrize(
    ("kind", "code", "ok"),
    [
        ("nhs_trust", "RX4", True),
        ("nhs_trust", "tza", True),
        ("nhs_trust", "AX4", False),
        ("nhs_trust", "RX44", False),
        ("independent", "NQ1", True),
        ("independent", "AXG12", True),
        ("independent", "A!", False),
        ("independent", "ABCDEF", False),
    ],
)
def test_ods_codes_are_validated_by_type_of_provider(db, kind, code, ok):
    form = ProviderForm({"name": "Fictional Delta", "kind": kind, "ods_code": code, "region": ""})
    assert form.is_valid() is ok, form.errors
    if not ok:
        assert "ods_code" in form.errors


def test_ods_code_is_stored_upper_case_and_unique(db):
    ProviderFactory(ods_code="TQ1")
    form = ProviderForm({"name": "Another", "kind": "nhs_trust", "ods_code": "tq1"})
    assert not form.is_valid()
    assert form.errors["ods_code"] == ["Another provider already has this ODS code"]


def test_phase_must_end_after_it_starts(db):
    form = PhaseForm({"name": "Pilot", "starts_on": "2024-05-01", "ends_on": "2024-04-01"})
    assert not form.is_valid()
    assert "ends_on" in form.errors


def test_ward_names_are_unique_within_a_provider(world):
    form = WardForm({"name": "alpha one", "service_type": "picu"}, provider=world.provider_a)
    assert not form.is_valid()
    assert form.errors["name"] == ["This provider already has a ward with this name"]
    form = WardForm({"name": "Alpha One", "service_type": "picu"}, provider=world.provider_b)
    assert form.is_valid(), form.errors


def test_role_scope_rules():
    assert validate_role_scope(Role.PROGRAMME_ADMIN, None, None) == {}
    assert "provider" in validate_role_scope(Role.PROVIDER_LEAD, None, None)
    assert "ward" in validate_role_scope(Role.WARD_TEAM_MEMBER, None, None)
    assert validate_role_scope(Role.OBSERVER, None, None) == {}


def test_provider_lead_cannot_invite_into_another_provider(world):
    access = access_for(world.users["lead"])
    form = InvitationForm(
        {
            "full_name": "New Person",
            "email": "NEW@example.org",
            "role": "ward_team_member",
            "ward": world.ward_b1.pk,
        },
        access=access,
        providers=Provider.objects.filter(id__in=access.lead_provider_ids),
        wards=Ward.objects.filter(provider_id__in=access.lead_provider_ids),
    )
    assert not form.is_valid()
    assert "ward" in form.errors


def test_provider_lead_cannot_make_a_programme_admin(world):
    access = access_for(world.users["lead"])
    form = InvitationForm(
        {"full_name": "New Person", "email": "new@example.org", "role": "programme_admin"},
        access=access,
        providers=Provider.objects.all(),
        wards=Ward.objects.all(),
    )
    assert not form.is_valid()
    assert "role" in form.errors


def test_model_clean_rejects_bad_ods_code(db):
    provider = ProviderFactory.build(kind="nhs_trust", ods_code="XYZ")
    with pytest.raises(ValidationError):
        provider.full_clean()
