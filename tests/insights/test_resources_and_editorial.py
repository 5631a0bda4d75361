"""Resource uploads (size and type, by name and by content), downloads, and the editorial
pages driving the workflow end to end."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduce.insights import uploads
from coproduce.insights.demo import tiny_pdf
from coproduce.insights.models import Post, PostStatus, Quote, Resource, ResourceFormat

from .factories import AuthorFactory, QuoteFactory, ResourceFactory, TopicFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def office_file(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("guide.pdf", tiny_pdf(["hello"]), ResourceFormat.PDF),
        ("guide.docx", office_file("word"), ResourceFormat.WORD),
        ("slides.PPTX", office_file("ppt"), ResourceFormat.POWERPOINT),
        ("poster.png", PNG, ResourceFormat.IMAGE),
        ("photo.jpeg", JPEG, ResourceFormat.IMAGE),
    ],
)
def test_allowed_files_pass_and_their_format_is_detected(name, content, fmt):
    assert uploads.check_upload(SimpleUploadedFile(name, content)) == fmt


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("guide.pdf", b"<script>alert(1)</script>", "not a real PDF"),
        ("guide.docx", office_file("ppt"), "not a real DOCX"),
        ("guide.docx", b"PK\x03\x04 not really a zip", "not a real DOCX"),
        ("poster.png", JPEG, "not a real PNG"),
        ("run.exe", b"MZ\x90\x00", "must be a PDF"),
        ("page.html", b"<html>", "must be a PDF"),
        ("noextension", tiny_pdf(["x"]), "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_other_files_are_refused_with_a_plain_reason(name, content, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        uploads.check_upload(SimpleUploadedFile(name, content))


def test_files_over_ten_megabytes_are_refused():
    from django.core.exceptions import ValidationError

    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (uploads.MAX_BYTES))
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        uploads.check_upload(big)


def test_an_editor_uploads_a_resource_and_the_public_downloads_it(client, world):
    topic = TopicFactory()
    client.force_login(world.users["admin"])
    data = tiny_pdf(["An easy read guide"])
    response = client.post(
        reverse("insights:editorial-resource-create"),
        {
            "title": "Easy read guide",
            "description": "For ward meetings.",
            "topics": [topic.pk],
            "easy_read": "on",
            "is_published": "on",
            "upload": SimpleUploadedFile("Easy guide (v2).pdf", data, content_type="text/html"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get()
    assert resource.format == ResourceFormat.PDF and resource.file_size == len(data)
    assert resource.easy_read and list(resource.topics.all()) == [topic]
    client.logout()
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Download Easy read guide (PDF, 1 KB)" in page
    download = client.get(reverse("insights:resource-download", args=[resource.slug]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"  # from the checked type, not the upload
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == data


def test_a_bad_upload_shows_the_error_summary_and_saves_nothing(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        reverse("insights:editorial-resource-create"),
        {
            "title": "Sneaky",
            "description": "x",
            "upload": SimpleUploadedFile("sneaky.pdf", b"#!/bin/sh\nrm -rf /"),
        },
    )
    html = response.content.decode()
    assert "There is a problem" in html and "not a real PDF" in html
    assert not Resource.objects.exists()
    neither = client.post(
        reverse("insights:editorial-resource-create"), {"title": "Nothing", "description": "x"}
    )
    assert "Upload a file or give a link" in neither.content.decode()


def test_unpublished_resources_are_not_public(client, db):
    resource = ResourceFactory(is_published=False)
    assert client.get(resource.get_absolute_url()).status_code == 404
    assert resource.title not in client.get(reverse("insights:resource-list")).content.decode()


def test_editor_and_partner_publish_a_post_through_the_pages(client, world):
    editor, partner = world.users["admin"], world.users["partner"]
    topic = TopicFactory()
    jo = AuthorFactory(credit_name="Jo (fictional)", user=partner, has_lived_experience=True)
    client.force_login(editor)
    response = client.post(
        reverse("insights:editorial-post-create"),
        {
            "title": "What co-production meant on Alpha One",
            "summary": "Six months on a ward.",
            "body": "It started with a question.\n\n[quote 1]",
            "topics": [topic.pk],
            "authors": [jo.pk],
            "speaks_about_lived_experience": "on",
        },
    )
    post = Post.objects.get()
    assert response["Location"] == reverse("insights:editorial-post", args=[post.pk])
    client.post(
        reverse("insights:editorial-quote-create", args=[post.pk]),
        {
            "text": "They asked me first.",
            "attribution": "Jo (fictional)",
        },
    )
    quote = Quote.objects.get()
    assert not quote.has_permission and quote.recorded_by == editor
    client.post(reverse("insights:editorial-post-submit", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == PostStatus.REVIEW

    publish_page = client.get(reverse("insights:editorial-post-publish", args=[post.pk]))
    text = publish_page.content.decode()
    assert "has no recorded permission" in text and "lived experience partner must approve" in text
    client.post(reverse("insights:editorial-post-publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == PostStatus.REVIEW  # refused

    client.post(
        reverse("insights:editorial-quote-edit", args=[quote.pk]),
        {
            "text": quote.text,
            "attribution": quote.attribution,
            "permission_given_by": "Jo (fictional)",
            "permission_given_on": "2026-01-10",
            "permission_wording": "I agree to be quoted by first name.",
        },
    )
    waiting = client.get(reverse("insights:editorial")).content.decode()
    assert "What co-production meant on Alpha One" in waiting and "Needed" in waiting

    client.force_login(partner)
    partial = client.post(
        reverse("insights:editorial-post-review", args=[post.pk]), {"decision": "changes"}
    )
    assert "Say what should change" in partial.content.decode()
    client.post(
        reverse("insights:editorial-post-review", args=[post.pk]),
        {"decision": "approved", "comment": "True to how it was."},
    )
    post.refresh_from_db()
    assert post.lived_experience_approved_by == partner
    assert (
        client.post(reverse("insights:editorial-post-publish", args=[post.pk])).status_code == 403
    )

    client.force_login(editor)
    client.post(reverse("insights:editorial-post-publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.is_published
    client.logout()
    public = client.get(post.get_absolute_url()).content.decode()
    assert "They asked me first." in public and "By Jo (fictional)" in public


def test_deleting_a_quote_asks_first(client, world):
    quote = QuoteFactory()
    client.force_login(world.users["admin"])
    url = reverse("insights:editorial-quote-delete", args=[quote.pk])
    assert "Delete this quote?" in client.get(url).content.decode()
    assert Quote.objects.exists()
    client.post(url)
    assert not Quote.objects.exists()


def test_the_home_page_shows_editors_what_waits_for_review(client, world):
    from .factories import PostFactory

    PostFactory(title="Waiting on a partner", status=PostStatus.REVIEW)
    client.force_login(world.users["partner"])
    assert "Waiting on a partner" in client.get(reverse("core:home")).content.decode()
    client.force_login(world.users["coach"])
    assert "Waiting on a partner" not in client.get(reverse("core:home")).content.decode()


def test_editorial_list_pages_do_not_run_a_query_per_row(
    client, world, django_assert_max_num_queries
):
    from .factories import IssueFactory, PostFactory

    for n in range(10):
        post = PostFactory(title=f"Post {n}", status=PostStatus.REVIEW)
        post.authors.add(AuthorFactory())
        post.topics.add(TopicFactory())
        ResourceFactory().topics.add(TopicFactory())
        IssueFactory(topics=[TopicFactory()])
    client.force_login(world.users["admin"])
    with django_assert_max_num_queries(16):
        client.get(reverse("insights:editorial"))
    with django_assert_max_num_queries(12):
        client.get(reverse("insights:editorial-resources"))
    with django_assert_max_num_queries(16):
        client.get(reverse("insights:editorial-issues"))
