"""The editorial workflow: draft → review → published, and the rules that guard it.

Views call these functions; the rules are enforced here, not only in the pages:

- a post is published only from review, by an editor;
- a post that speaks about lived experience needs a lived experience partner's approval,
  recorded with who and when, and any change to its words afterwards clears it;
- a post with a quote that has no recorded permission cannot be published;
- a published post is not changed in place: it goes back to draft first.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import permissions
from .models import Author, Post, PostStatus, Quote, Review, ReviewDecision, unique_slug


class WorkflowError(Exception):
    """A rule stops this step. The message is written for the person trying it."""


def publication_problems(post) -> list[str]:
    """Everything that stops this post being published now, in plain words."""
    problems = []
    if post.status != PostStatus.REVIEW:
        problems.append("The post must be sent for review before it is published.")
    missing = [q for q in post.quotes.all() if not q.has_permission]
    for quote in missing:
        problems.append(f"The quote credited to {quote.attribution} has no recorded permission.")
    if post.speaks_about_lived_experience and not post.lived_experience_approved_by_id:
        problems.append(
            "This post speaks about lived experience: a lived experience partner must approve it."
        )
    return problems


def _clear_approval(post) -> None:
    post.lived_experience_approved_by = None
    post.lived_experience_approved_at = None


def credit_author(user) -> Author:
    """The author record that credits this person, made on first use with their own name."""
    author = Author.objects.filter(user=user).first()
    if author is None:
        author = Author.objects.create(
            user=user,
            credit_name=user.full_name or user.email,
            has_lived_experience=permissions.is_lived_experience_partner(user),
            description=(
                "Lived experience partner"
                if permissions.is_lived_experience_partner(user)
                else "Programme team"
            ),
        )
    return author


@transaction.atomic
def save_post(form, user) -> Post:
    """Create or change a post from a valid PostForm. Changing the words clears approval."""
    post = form.instance
    creating = post.pk is None
    if creating:
        if not permissions.can_write(user):
            raise PermissionDenied
        post.created_by = user
    else:
        if not permissions.can_edit_post(user, post):
            raise PermissionDenied
        if post.is_published:
            raise WorkflowError("Return the post to draft before changing it.")
        if set(form.changed_data) & {"title", "summary", "body", "speaks_about_lived_experience"}:
            _clear_approval(post)
    if not post.slug:
        post.slug = unique_slug(Post, post.title, post.pk)
    post = form.save()
    if creating and not permissions.can_edit(user):
        post.authors.add(credit_author(user))
    return post


@transaction.atomic
def submit_for_review(post, user) -> Post:
    if not permissions.can_edit_post(user, post):
        raise PermissionDenied
    if post.status != PostStatus.DRAFT:
        raise WorkflowError("Only a draft can be sent for review.")
    post.status = PostStatus.REVIEW
    post.save()
    return post


@transaction.atomic
def review(post, user, decision: str, comment: str = "") -> Review:
    """Record a reviewer's decision. A partner's approval is the lived experience sign-off;
    asking for changes sends the post back to draft."""
    if not permissions.can_review(user):
        raise PermissionDenied
    if post.status != PostStatus.REVIEW:
        raise WorkflowError("This post is not waiting for review.")
    if decision not in ReviewDecision.values:
        raise WorkflowError("Choose whether you approve the post or want changes.")
    if decision == ReviewDecision.CHANGES and not comment.strip():
        raise WorkflowError("Say what should change, so the author knows what to do.")
    as_partner = permissions.can_approve_lived_experience(user)
    entry = Review.objects.create(
        post=post,
        reviewer=user,
        decision=decision,
        comment=comment.strip(),
        as_lived_experience_partner=as_partner,
    )
    if decision == ReviewDecision.APPROVED and as_partner:
        post.lived_experience_approved_by = user
        post.lived_experience_approved_at = entry.at
    if decision == ReviewDecision.CHANGES:
        post.status = PostStatus.DRAFT
        _clear_approval(post)
    post.save()
    return entry


@transaction.atomic
def publish(post, user) -> Post:
    if not permissions.can_publish(user):
        raise PermissionDenied
    post = Post.objects.select_for_update().get(pk=post.pk)
    problems = publication_problems(post)
    if problems:
        raise WorkflowError(" ".join(problems))
    post.status = PostStatus.PUBLISHED
    post.published_at = post.published_at or timezone.now()
    post.save()
    return post


@transaction.atomic
def return_to_draft(post, user) -> Post:
    """Take a post off the public site (or out of review) so it can be changed."""
    if not permissions.can_edit(user):
        raise PermissionDenied
    if post.status == PostStatus.DRAFT:
        raise WorkflowError("This post is already a draft.")
    post.status = PostStatus.DRAFT
    post.save()
    return post


@transaction.atomic
def delete_post(post, user) -> None:
    if not permissions.can_edit(user):
        raise PermissionDenied
    if post.is_published:
        raise WorkflowError("Return the post to draft before deleting it.")
    post.delete()


def _guard_quote_change(post, user) -> None:
    if not permissions.can_edit_post(user, post):
        raise PermissionDenied
    if post.is_published:
        raise WorkflowError("Return the post to draft before changing its quotes.")


@transaction.atomic
def save_quote(form, post, user) -> Quote:
    """Add or change a quote. New words or a new permission clear the lived experience approval."""
    _guard_quote_change(post, user)
    quote = form.instance
    if quote.pk is None:
        quote.post = post
        quote.recorded_by = user
        last = post.quotes.order_by("-position").values_list("position", flat=True).first()
        quote.position = (last or 0) + 1
    if form.has_changed():
        _clear_approval(post)
        post.save()
    return form.save()


@transaction.atomic
def delete_quote(quote, user) -> None:
    post = quote.post
    _guard_quote_change(post, user)
    quote.delete()
    _clear_approval(post)
    post.save()


def waiting_for_review():
    return Post.objects.filter(status=PostStatus.REVIEW).for_list().order_by("updated_at")
