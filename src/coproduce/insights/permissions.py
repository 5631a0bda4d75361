"""Who may write, review, approve and publish on the public site.

Programme admins are the editors (``EDIT_INSIGHTS``). Lived experience partners co-author
posts (drafts they are credited on) and review them (``REVIEW_INSIGHTS``, editors too);
only a lived experience partner's approval lets a post that speaks about lived experience
be published (``APPROVE_LIVED_EXPERIENCE``). Reading the public site needs no account.
The grants are in ``coproduce.core.scoping.GRANTS``; the rules about one post are here.
"""

from coproduce.core.scoping import Permission, access_for

from .models import PostStatus


def _has(user, permission) -> bool:
    return access_for(user).has(permission)


def can_edit(user) -> bool:
    """Editors: manage every post, resource, topic and newsletter, and publish."""
    return _has(user, Permission.EDIT_INSIGHTS)


def is_lived_experience_partner(user) -> bool:
    """Someone whose approval is a lived experience partner's approval."""
    return _has(user, Permission.APPROVE_LIVED_EXPERIENCE)


def can_review(user) -> bool:
    """Reviewers: editors and lived experience partners."""
    return _has(user, Permission.REVIEW_INSIGHTS)


def can_use_editorial(user) -> bool:
    return can_review(user)


def can_write(user) -> bool:
    """Start a draft: editors, and partners (who are then credited as co-authors)."""
    return can_review(user)


def can_edit_post(user, post) -> bool:
    """Change a post's words: editors always; reviewers only drafts and reviews they co-author."""
    if can_edit(user):
        return True
    if not can_review(user) or post.is_published:
        return False
    return post.authors.filter(user=user).exists()


def can_open_post(user, post) -> bool:
    """Open a post in the editorial pages: editors any; others those in review or their own."""
    if can_edit(user):
        return True
    return post.status == PostStatus.REVIEW or post.authors.filter(user=user).exists()


def can_approve_lived_experience(user) -> bool:
    return is_lived_experience_partner(user)


def can_publish(user) -> bool:
    return can_edit(user)
