"""The ward measure CSV: written by the shared writer, "fictional" only when it is."""

from django.urls import reverse

from .builders import full


def _csv(client, world, wm):
    client.force_login(world.users["observer"])
    response = client.get(reverse("improvement:ward-measure-csv", args=[wm.pk]))
    assert response.status_code == 200
    return response.content.decode().removeprefix("\ufeff").splitlines()


def test_a_fictional_programme_says_so_on_every_row(client, world):
    wm = full(world)["wm"]
    assert wm.ward.provider.programme.is_fictional
    lines = _csv(client, world, wm)
    assert lines[0].endswith(",fictional")
    assert all(line.endswith(",yes") for line in lines[1:])


def test_a_real_programme_has_no_fictional_column(client, world):
    wm = full(world)["wm"]
    programme = wm.ward.provider.programme
    programme.is_fictional = False
    programme.save()
    lines = _csv(client, world, wm)
    assert "fictional" not in lines[0] and not any(line.endswith(",yes") for line in lines)


def test_names_cannot_run_as_formulas(client, world):
    wm = full(world)["wm"]
    wm.measure.name = "=HYPERLINK(1)"
    wm.measure.save()
    wm.ward.name = "+Ward"
    wm.ward.save()
    lines = _csv(client, world, wm)
    assert lines[1].startswith("'=HYPERLINK(1),'+Ward,")
