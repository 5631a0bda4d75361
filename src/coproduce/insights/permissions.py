"""Who may write, review, approve and publish on the public site.

Programme admins are the editors. Lived experience partners co-author posts (drafts they
are credited on) and review them; only a lived experience partner's approval lets a post
that speaks about lived experience be published. Reading the public site needs no account.
"""

from coproduce.core.scoping import access_for
from coproduce.programme.models import Role


def can_edit(user) -> bool:
    """Editors: manage every post, resource, topic and newsletter, and publish."""
    return access_for(user).is_admin


def is_lived_experience_partner(user) -> bool:
    return Role.LIVED_EXPERIENCE_PARTNER in access_for(user).roles


def can_review(user) -> bool:
    """Reviewers: editors and lived experience partners."""
    return can_edit(user) or is_lived_experience_partner(user)


def can_use_editorial(user) -> bool:
    return can_review(user)


def can_write(user) -> bool:
    """Start a draft: editors, and partners (who are then credited as co-authors)."""
    return can_review(user)


def can_edit_post(user, post) -> bool:
    """Change a post's words: editors always; partners only drafts and reviews they co-author."""
    if can_edit(user):
        return True
    if not is_lived_experience_partner(user) or post.is_published:
        return False
    return post.authors.filter(user=user).exists()


def can_approve_lived_experience(user) -> bool:
    return is_lived_experience_partner(user)


def can_publish(user) -> bool:
    return can_edit(user)
