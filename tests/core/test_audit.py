import pytest
from django.urls import reverse

from coproduce.core.models import AuditEvent

from ..factories import ProviderFactory


def test_create_change_and_delete_are_recorded(db):
    provider = ProviderFactory(name="Fictional Gamma NHS Trust", ods_code="TG1")
    created = AuditEvent.objects.get(object_type="programme.Provider", action="create")
    assert created.changes["name"] == [None, "Fictional Gamma NHS Trust"]
    provider.region = "Midlands"
    provider.save()
    updated = AuditEvent.objects.get(object_type="programme.Provider", action="update")
    assert updated.changes == {"region": ["London", "Midlands"]}
    pk = provider.pk
    provider.delete()
    deleted = AuditEvent.objects.get(object_type="programme.Provider", action="delete")
    assert deleted.object_id == str(pk)


def test_saving_without_changes_writes_nothing(db):
    provider = ProviderFactory()
    before = AuditEvent.objects.count()
    provider.save()
    assert AuditEvent.objects.count() == before


def test_audit_log_is_append_only(db):
    ProviderFactory()
    event = AuditEvent.objects.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(note="x")


def test_passwords_never_reach_the_audit_log(world):
    user = world.users["lead"]
    user.set_password("another-long-password-1")
    user.save()
    for event in AuditEvent.objects.filter(object_type="accounts.User"):
        assert "password" not in event.changes


def test_changes_through_the_web_record_who_made_them(client, world):
    client.force_login(world.users["lead"])
    url = reverse("programme:provider-edit", args=[world.provider_a.pk])
    response = client.post(
        url,
        {
            "name": "Fictional Alpha NHS Trust",
            "kind": "nhs_trust",
            "ods_code": "TA1",
            "region": "North West",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="programme.Provider", action="update")
    assert event.actor == world.users["lead"]
    assert event.provider_id == world.provider_a.pk
    assert event.changes == {"region": ["London", "North West"]}


def test_admin_can_filter_the_audit_log(client, world):
    client.force_login(world.users["admin"])
    response = client.get(
        reverse("core:audit-log"), {"action": "create", "object_type": "programme.Ward"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha One" in body
    assert "Fictional Alpha NHS Trust</td>" not in body
    bad = client.get(reverse("core:audit-log"), {"on": "31/02/2026"})
    assert "Enter a real date" in bad.content.decode()


def test_many_to_many_changes_are_recorded_with_ids_before_and_after(world):
    from tests.improvement.builders import project as make_project

    p = make_project(world.ward_a1)
    ward_member, partner = world.users["ward_member"], world.users["partner"]
    p.team.set([ward_member])
    p.team.set([partner])
    entries = AuditEvent.objects.filter(
        object_type="improvement.Project", object_id=str(p.pk), action="update"
    ).order_by("id")
    changes = [e.changes["team"] for e in entries if "team" in e.changes]
    assert [[], [ward_member.pk]] in changes
    assert [[ward_member.pk], [partner.pk]] in changes or [
        [ward_member.pk],
        [],
    ] in changes  # set() may remove then add: either way the old and new ids are kept
    last = changes[-1]
    assert last[1] == [partner.pk]


def test_a_delete_that_empties_links_records_each_emptied_link(world):
    from coproduce.improvement.models import ChangeIdea, Driver
    from tests.improvement.builders import project as make_project

    p = make_project(world.ward_a1)
    driver = Driver.objects.create(project=p, kind="primary", text="Fictional driver")
    idea = ChangeIdea.objects.create(project=p, driver=driver, title="Idea", source="patient")
    driver_pk = driver.pk
    driver.delete()
    idea.refresh_from_db()
    assert idea.driver_id is None
    emptied = AuditEvent.objects.get(
        object_type="improvement.ChangeIdea", object_id=str(idea.pk), action="update"
    )
    assert emptied.changes == {"driver": [driver_pk, None]}
