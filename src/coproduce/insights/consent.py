"""The wording people agree to when they subscribe. Change the words, change the version.

Old versions stay here, so every consent record can be read against what was shown.
"""

CURRENT_VERSION = "2026-01"

WORDINGS = {
    "2026-01": (
        "I agree that the programme may send me its newsletter by e-mail about the topics I "
        "chose. The programme keeps only my e-mail address, my topics and this agreement. "
        "I can change my topics, ask for my data or unsubscribe at any time from a link in "
        "every e-mail."
    ),
}


def wording(version: str = CURRENT_VERSION) -> str:
    return WORDINGS[version]
