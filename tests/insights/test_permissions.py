"""Who may do what on the editorial pages. Each test fails if the check it names is removed."""

import pytest
from django.urls import reverse

from coproduce.insights.models import PostStatus, Resource

from .factories import AuthorFactory, PostFactory, ResourceFactory

LINKED = {
    "title": "A linked guide",
    "description": "A fictional guide elsewhere.",
    "link": "https://example.org/linked-guide",
    "format": "web",
}


@pytest.mark.parametrize("who", ["partner", "coach", "lead"])
def test_only_editors_add_change_or_delete_resources(client, world, who):
    resource = ResourceFactory(title="Kept guide")
    client.force_login(world.users[who])
    assert client.post(reverse("insights:editorial-resource-create"), LINKED).status_code == 403
    edit = reverse("insights:editorial-resource-edit", args=[resource.pk])
    assert client.post(edit, LINKED).status_code == 403
    delete = reverse("insights:editorial-resource-delete", args=[resource.pk])
    assert client.post(delete).status_code == 403
    assert list(Resource.objects.values_list("title", flat=True)) == ["Kept guide"]


def test_an_editor_changes_and_deletes_a_resource_after_confirming(client, world):
    resource = ResourceFactory(title="Old title")
    client.force_login(world.users["admin"])
    edit = reverse("insights:editorial-resource-edit", args=[resource.pk])
    bad = client.post(edit, LINKED | {"title": ""})
    assert "Change Old title" in bad.content.decode() and "Enter a title" in bad.content.decode()
    assert client.post(edit, LINKED).status_code == 302
    resource.refresh_from_db()
    assert resource.title == "A linked guide"
    delete = reverse("insights:editorial-resource-delete", args=[resource.pk])
    assert "Delete A linked guide?" in client.get(delete).content.decode()
    assert Resource.objects.exists()
    assert client.post(delete).status_code == 302
    assert not Resource.objects.exists()


def test_a_partner_opens_posts_in_review_and_their_own_but_not_others_drafts(client, world):
    partner = world.users["partner"]
    others = PostFactory(title="Someone else's draft")
    others.authors.add(AuthorFactory())
    in_review = PostFactory(status=PostStatus.REVIEW)
    own = PostFactory()
    own.authors.add(AuthorFactory(user=partner))
    client.force_login(partner)
    assert client.get(reverse("insights:editorial-post", args=[others.pk])).status_code == 403
    assert client.get(reverse("insights:editorial-post", args=[in_review.pk])).status_code == 200
    assert client.get(reverse("insights:editorial-post", args=[own.pk])).status_code == 200
    dashboard = client.get(reverse("insights:editorial")).content.decode()
    assert "Someone else's draft" not in dashboard


def test_only_editors_see_the_publish_button(client, world):
    post = PostFactory(status=PostStatus.REVIEW, speaks_about_lived_experience=False)
    url = reverse("insights:editorial-post", args=[post.pk])
    client.force_login(world.users["partner"])
    assert ">Publish</a>" not in client.get(url).content.decode()
    client.force_login(world.users["admin"])
    assert ">Publish</a>" in client.get(url).content.decode()


def test_a_partners_review_is_the_lived_experience_approval_an_editors_is_not(client, world):
    post = PostFactory(status=PostStatus.REVIEW)
    url = reverse("insights:editorial-post-review", args=[post.pk])
    client.force_login(world.users["admin"])
    as_partner = "You are reviewing as a lived experience partner"
    assert as_partner not in client.get(url).content.decode()
    client.force_login(world.users["partner"])
    assert as_partner in client.get(url).content.decode()


def test_only_editors_delete_a_post_and_never_a_published_one(client, world):
    from coproduce.insights.models import Post

    draft = PostFactory(title="A draft to delete")
    published = PostFactory(status=PostStatus.PUBLISHED)
    client.force_login(world.users["partner"])
    assert (
        client.post(reverse("insights:editorial-post-delete", args=[draft.pk])).status_code == 403
    )
    client.force_login(world.users["admin"])
    url = reverse("insights:editorial-post-delete", args=[published.pk])
    refused = client.post(url, follow=True)
    assert "Return the post to draft before deleting it." in refused.content.decode()
    url = reverse("insights:editorial-post-delete", args=[draft.pk])
    assert "Delete A draft to delete?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert list(Post.objects.all()) == [published]
