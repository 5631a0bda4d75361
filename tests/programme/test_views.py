from django.core import mail
from django.urls import reverse

from coproduce.programme.models import Enrolment, Membership, Provider, Ward


def test_admin_adds_a_provider_and_errors_show_in_the_nhs_pattern(client, world):
    client.force_login(world.users["admin"])
    url = reverse("programme:provider-create")
    bad = client.post(url, {"name": "", "kind": "nhs_trust", "ods_code": "ZZ"})
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "There is a problem" in body
    assert "Enter the provider&#39;s name" in body or "Enter the provider's name" in body
    assert "<title>Error:" in body
    assert Provider.objects.count() == 2
    good = client.post(
        url, {"name": "Fictional Gamma Trust", "kind": "nhs_trust", "ods_code": "tg9"}
    )
    assert good.status_code == 302
    assert Provider.objects.get(name="Fictional Gamma Trust").ods_code == "TG9"


def test_lead_adds_a_ward_enrolled_in_a_phase(client, world):
    client.force_login(world.users["lead"])
    url = reverse("programme:ward-create", args=[world.provider_a.pk])
    response = client.post(
        url, {"name": "Alpha Three", "service_type": "lda", "beds": "8", "phases": [world.phase.pk]}
    )
    assert response.status_code == 302
    ward = Ward.objects.get(name="Alpha Three")
    assert ward.provider == world.provider_a
    assert list(Enrolment.objects.filter(ward=ward).values_list("phase", flat=True)) == [
        world.phase.pk
    ]


def test_ward_edit_can_unenrol(client, world):
    Enrolment.objects.create(ward=world.ward_a1, phase=world.phase)
    client.force_login(world.users["lead"])
    url = reverse("programme:ward-edit", args=[world.ward_a1.pk])
    response = client.post(url, {"name": "Alpha One", "service_type": "adult_acute", "beds": ""})
    assert response.status_code == 302
    assert not Enrolment.objects.filter(ward=world.ward_a1).exists()


def test_bad_beds_value_gets_a_clear_message(client, world):
    client.force_login(world.users["lead"])
    url = reverse("programme:ward-edit", args=[world.ward_a1.pk])
    response = client.post(url, {"name": "Alpha One", "service_type": "adult_acute", "beds": "ten"})
    assert "Enter the number of beds as a whole number" in response.content.decode()


def test_invitation_is_emailed_and_accepting_creates_the_account(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programme:invite"),
            {
                "full_name": "Robin Example",
                "email": "Robin@Example.org",
                "role": "lived_experience_partner",
                "provider": "",
                "ward": world.ward_a2.pk,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["robin@example.org"]
    link = next(line for line in message.body.splitlines() if "/invitations/" in line).strip()
    path = link.split("testserver", 1)[1]
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    weak = client.post(
        path, {"full_name": "Robin Example", "password1": "short", "password2": "short"}
    )
    assert "This password is too short" in weak.content.decode()
    done = client.post(
        path,
        {
            "full_name": "Robin Example",
            "password1": "a-really-long-passphrase-9",
            "password2": "a-really-long-passphrase-9",
        },
    )
    assert done.status_code == 302
    membership = Membership.objects.get(user__email="robin@example.org")
    assert membership.ward == world.ward_a2
    assert membership.provider == world.provider_a
    assert client.get(path).status_code == 404  # used links stop working


def test_tampered_invitation_link_does_not_work(client, world):
    response = client.get(reverse("accounts:accept-invitation", args=["1:forged:signature"]))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_removing_a_role_asks_for_confirmation_first(client, world):
    client.force_login(world.users["lead"])
    membership = Membership.objects.get(user=world.users["ward_member"])
    url = reverse("programme:membership-remove", args=[membership.pk])
    assert "Remove this role?" in client.get(url).content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_home_page_shows_the_persons_roles(client, world):
    client.force_login(world.users["partner"])
    body = client.get(reverse("core:home")).content.decode()
    assert "Lived experience partner" in body
    assert "Alpha One" in body
    assert "Beta One" not in body


def test_unknown_pages_answer_with_the_nhs_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_csrf_is_enforced(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["admin"])
    response = strict.post(reverse("programme:provider-create"), {"name": "X"})
    assert response.status_code == 403
