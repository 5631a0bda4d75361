"""Signed, expiring tokens for the links in newsletter e-mails.

A token names the subscriber by a random key (never the address) and one purpose; a token
for one purpose does not work for another. Deleting a subscriber makes all their tokens
useless, because the key goes with them.
"""

from datetime import timedelta

from django.core import signing

DAY = 60 * 60 * 24
LIFETIMES = {
    "confirm": 3 * DAY,
    "unsubscribe": 365 * DAY,
    "interests": 365 * DAY,
    "data": 1 * DAY,
}


def make(subscriber, purpose: str) -> str:
    if purpose not in LIFETIMES:
        raise ValueError(f"Unknown token purpose: {purpose}")
    return signing.dumps(str(subscriber.key), salt=f"insights.newsletter.{purpose}", compress=False)


def read(token: str, purpose: str):
    """The subscriber the token names, or None if it is forged, expired or for a deleted one."""
    from .models import Subscriber

    try:
        key = signing.loads(
            token,
            salt=f"insights.newsletter.{purpose}",
            max_age=timedelta(seconds=LIFETIMES[purpose]),
        )
    except (signing.BadSignature, KeyError):
        return None
    return Subscriber.objects.filter(key=key).first()
