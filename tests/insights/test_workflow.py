"""The editorial rules, enforced in the service layer whatever page calls it."""

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.insights import permissions, services
from coproduce.insights.forms import PostForm, QuoteForm
from coproduce.insights.models import PostStatus, ReviewDecision

from .factories import AuthorFactory, PostFactory, QuoteFactory


@pytest.fixture
def editor(world):
    return world.users["admin"]


@pytest.fixture
def partner(world):
    return world.users["partner"]


def in_review(**kwargs):
    return PostFactory(status=PostStatus.REVIEW, **kwargs)


def test_who_may_do_what(world):
    u = world.users
    assert permissions.can_edit(u["admin"]) and permissions.can_publish(u["admin"])
    assert not permissions.can_edit(u["partner"]) and not permissions.can_publish(u["partner"])
    assert permissions.can_review(u["partner"]) and permissions.can_write(u["partner"])
    assert permissions.can_approve_lived_experience(u["partner"])
    assert not permissions.can_approve_lived_experience(u["admin"])
    for name in ["coach", "lead", "ward_member", "observer", "other_lead"]:
        assert not permissions.can_use_editorial(u[name]), name


def test_a_post_that_speaks_about_lived_experience_needs_a_partners_approval(editor, partner):
    post = in_review(speaks_about_lived_experience=True)
    with pytest.raises(services.WorkflowError, match="lived experience partner must approve"):
        services.publish(post, editor)
    services.review(post, editor, ReviewDecision.APPROVED)  # an editor's approval is not enough
    with pytest.raises(services.WorkflowError):
        services.publish(post, editor)
    services.review(post, partner, ReviewDecision.APPROVED, "Reads true.")
    post.refresh_from_db()
    assert post.lived_experience_approved_by == partner
    assert post.lived_experience_approved_at is not None
    services.publish(post, editor)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at is not None


def test_a_post_not_about_lived_experience_publishes_from_review_without_it(editor):
    post = in_review(speaks_about_lived_experience=False)
    services.publish(post, editor)
    post.refresh_from_db()
    assert post.is_published


def test_only_posts_in_review_are_published(editor):
    post = PostFactory(status=PostStatus.DRAFT, speaks_about_lived_experience=False)
    with pytest.raises(services.WorkflowError, match="sent for review"):
        services.publish(post, editor)


def test_a_quote_without_permission_blocks_publication(editor, partner):
    post = in_review(speaks_about_lived_experience=False)
    quote = QuoteFactory(post=post, permission_wording="", attribution="Sam (fictional)")
    with pytest.raises(
        services.WorkflowError, match="Sam \\(fictional\\) has no recorded permission"
    ):
        services.publish(post, editor)
    quote.permission_wording = "I agree to be quoted."
    quote.save()
    services.publish(post, editor)


def test_only_editors_publish(partner):
    post = in_review(speaks_about_lived_experience=False)
    with pytest.raises(PermissionDenied):
        services.publish(post, partner)


def test_asking_for_changes_needs_a_comment_and_returns_the_post_to_draft(partner):
    post = in_review()
    with pytest.raises(services.WorkflowError):
        services.review(post, partner, ReviewDecision.CHANGES, "  ")
    services.review(post, partner, ReviewDecision.CHANGES, "Please use my first name only.")
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT
    assert post.reviews.get().comment == "Please use my first name only."


def test_people_without_a_review_role_cannot_review(world):
    post = in_review()
    with pytest.raises(PermissionDenied):
        services.review(post, world.users["coach"], ReviewDecision.APPROVED)


def test_changing_the_words_after_approval_clears_it(editor, partner):
    post = in_review()
    services.review(post, partner, ReviewDecision.APPROVED)
    post.refresh_from_db()
    form = PostForm(
        {
            "title": post.title,
            "summary": post.summary,
            "body": post.body + "\n\nA new line.",
            "speaks_about_lived_experience": "on",
        },
        instance=post,
    )
    assert form.is_valid(), form.errors
    services.save_post(form, editor)
    post.refresh_from_db()
    assert post.lived_experience_approved_by is None
    with pytest.raises(services.WorkflowError):
        services.publish(post, editor)


def test_changing_a_quote_after_approval_clears_it(editor, partner):
    post = in_review()
    quote = QuoteFactory(post=post)
    services.review(post, partner, ReviewDecision.APPROVED)
    post.refresh_from_db()
    form = QuoteForm(
        {
            "text": "Different words",
            "attribution": quote.attribution,
            "permission_given_by": quote.permission_given_by,
            "permission_given_on": quote.permission_given_on.isoformat(),
            "permission_wording": quote.permission_wording,
        },
        instance=quote,
    )
    assert form.is_valid(), form.errors
    services.save_quote(form, post, editor)
    post.refresh_from_db()
    assert post.lived_experience_approved_at is None


def test_a_published_post_is_not_changed_in_place(editor):
    post = PostFactory(status=PostStatus.PUBLISHED)
    form = PostForm({"title": "New", "summary": "s", "body": "b"}, instance=post)
    assert form.is_valid()
    with pytest.raises(services.WorkflowError, match="Return the post to draft"):
        services.save_post(form, editor)
    with pytest.raises(services.WorkflowError):
        services.delete_post(post, editor)
    services.return_to_draft(post, editor)
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_a_partner_who_starts_a_draft_is_credited_and_may_change_only_their_own(world, partner):
    form = PostForm(
        {
            "title": "My ward, my words",
            "summary": "s",
            "body": "b",
            "speaks_about_lived_experience": "on",
        }
    )
    assert form.is_valid(), form.errors
    post = services.save_post(form, partner)
    assert [a.user for a in post.authors.all()] == [partner]
    assert post.authors.get().has_lived_experience
    assert permissions.can_edit_post(partner, post)
    someone_elses = PostFactory()
    someone_elses.authors.add(AuthorFactory())
    assert not permissions.can_edit_post(partner, someone_elses)
    with pytest.raises(PermissionDenied):
        services.submit_for_review(someone_elses, partner)
    services.submit_for_review(post, partner)
    post.refresh_from_db()
    assert post.status == PostStatus.REVIEW
    assert list(services.waiting_for_review()) == [post]


def test_workflow_changes_are_audited(editor):
    from coproduce.core.models import AuditEvent

    post = in_review(speaks_about_lived_experience=False)
    services.publish(post, editor)
    event = AuditEvent.objects.filter(object_type="insights.Post", action="update").first()
    assert event is not None and event.changes["status"] == ["review", "published"]
